"""`./wegwijzer start` keeps the assistant up: a server process that stops is started again,
and the assistant answers again; stopping `start` stops everything. Before, one crashed
process made `start` stop the other and exit."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator, List

import pytest
import requests

from assistant.runtime.servers import Ports
from assistant.settings import PROJECT_ROOT

READY_TIMEOUT = 300  # seconds for `start` to prepare and start everything
BACK_TIMEOUT = 180  # seconds for a restarted Rasa server to load its model again


def children(pid: int) -> List[int]:
    found = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(child) for child in found]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def server_pid(start: subprocess.Popen, marker: str) -> int:
    return next(child for child in children(start.pid) if marker in command_line(child))


def say(url: str, sender: str, text: str) -> str:
    replies = requests.post(url, json={"sender": sender, "message": text}, timeout=30).json()
    return " ".join(reply.get("text", "") for reply in replies)


def answers(url: str) -> bool:
    try:
        replies = requests.post(
            url, json={"sender": f"restart-{uuid.uuid4().hex[:8]}", "message": "wat is een pgb"}, timeout=30
        ).json()
    except (requests.RequestException, ValueError):
        return False
    return any("persoonsgebonden budget" in reply.get("text", "") for reply in replies)


def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False


@pytest.fixture(scope="module")
def start(tmp_path_factory) -> Iterator[subprocess.Popen]:
    ports = Ports.free()
    folder = tmp_path_factory.mktemp("start")
    env = {
        **os.environ,
        "WEGWIJZER_RASA_PORT": str(ports.rasa),
        "WEGWIJZER_ACTIONS_PORT": str(ports.actions),
        "WEGWIJZER_WEB_PORT": str(ports.web),
        "WEGWIJZER_TRACKER_DB": str(folder / "tracker.db"),
    }
    log = open(folder / "start.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "start"], cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    process.url = f"http://localhost:{ports.rasa}/webhooks/rest/webhook"
    process.log = folder / "start.log"
    try:
        assert wait_until(lambda: "Wegwijzer is ready." in process.log.read_text(), READY_TIMEOUT), (
            process.log.read_text()[-2000:]
        )
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        log.close()


@pytest.mark.parametrize(
    "server, marker",
    [("action server", "assistant.rasa_plugins.action_server"), ("Rasa server", "rasa_server run --model")],
)
def test_a_killed_server_is_started_again_and_the_assistant_answers_again(start, server, marker):
    assert answers(start.url)
    os.kill(server_pid(start, marker), signal.SIGKILL)
    assert wait_until(lambda: f"The {server} stopped (exit code -9); started it again." in start.log.read_text(), 30)
    assert wait_until(lambda: answers(start.url), BACK_TIMEOUT)


def test_a_conversation_in_a_flow_goes_on_after_the_rasa_server_was_killed(start):
    """The conversation lives in the store, not in the process: the flow asks its next question."""
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assert "Voor welke hulp" in say(start.url, sender, "/eigen_bijdrage_check")
    restarts = start.log.read_text().count("The Rasa server stopped")
    os.kill(server_pid(start, "rasa_server run --model"), signal.SIGKILL)
    assert wait_until(lambda: start.log.read_text().count("The Rasa server stopped") > restarts, 30)
    assert wait_until(lambda: answers(start.url), BACK_TIMEOUT)
    assert "Over welk jaar" in say(start.url, sender, "Huishoudelijke hulp")


def test_stopping_start_stops_every_server(start):
    servers = children(start.pid)
    start.send_signal(signal.SIGTERM)
    start.wait(timeout=60)
    assert all(
        not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text() for pid in servers
    )
