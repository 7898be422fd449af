"""The Rasa server's check of the action server before each turn (assistant/rasa_plugins/channels.py):
a healthy server stays healthy while the Rasa server is busy, a hung or dead one is found
within the health timeout, and turns waiting at once share one check."""

import asyncio
import http.server
import socket
import threading
import time
from typing import Iterator

import pytest

from assistant.rasa_plugins.channels import HEALTH_TIMEOUT, ActionServerHealth


class Healthy(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.send_response(200 if self.path == "/health" else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def healthy_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Healthy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/webhook"
    server.shutdown()
    server.server_close()


@pytest.fixture
def hung_url() -> Iterator[str]:
    """A server that accepts connections and never answers, like a stopped process."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(100)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/webhook"
    listener.close()


def dead_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/webhook"


async def busy_turn(seconds: float) -> None:
    """A turn as the Rasa server runs it under load: NLU and policies block the event loop
    in steps of about 50 ms, with a chance for other tasks in between."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(0.05)
        await asyncio.sleep(0)


def test_a_healthy_action_server_stays_up_while_the_event_loop_is_busy(healthy_url):
    """With 50 residents at once a check timed on the Rasa server's loop said "down", and
    residents got the fault message while all was well."""
    health = ActionServerHealth(healthy_url)

    async def check_among_busy_turns() -> bool:
        turns = [asyncio.ensure_future(busy_turn(HEALTH_TIMEOUT * 2)) for _ in range(10)]
        up = await health.is_up()
        await asyncio.gather(*turns)
        return up

    assert asyncio.run(check_among_busy_turns())


def test_a_hung_action_server_is_down_within_the_timeout_once_for_all_waiting_turns(hung_url):
    health = ActionServerHealth(hung_url)

    async def twenty_turns_at_once() -> list:
        return await asyncio.gather(*(health.is_up() for _ in range(20)))

    started = time.monotonic()
    assert asyncio.run(twenty_turns_at_once()) == [False] * 20
    assert time.monotonic() - started < HEALTH_TIMEOUT * 2


def test_a_dead_action_server_is_down_at_once():
    health = ActionServerHealth(dead_url())
    started = time.monotonic()
    assert asyncio.run(health.is_up()) is False
    assert time.monotonic() - started < HEALTH_TIMEOUT


def test_without_an_action_server_configured_every_turn_runs():
    assert asyncio.run(ActionServerHealth(None).is_up())
