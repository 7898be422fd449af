"""/metrics (assistant/rasa_plugins/metrics.py): a turn, a fault, a refusal, a fallback and a handover
move their counters, with the municipality only as a known CBS code; the route is closed without
the token (404), with a wrong one (401), and shows Prometheus' text with the right one, on an app
built as assistant/rasa_plugins/rasa_server.py builds Rasa's and on the action server; and the real
Rasa server counts a REST turn."""

import asyncio
import itertools
import json
import uuid
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable, Dict, Optional

import pytest
import rasa
import requests
from prometheus_client import generate_latest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import LockError
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    ConversationPaused,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from redis.exceptions import ConnectionError as RedisConnectionError
from sanic import Sanic

from assistant.conversations.turns import read_turns
from assistant.rasa_plugins import channels, metrics, rasa_server
from assistant.rasa_plugins.action_server import closed_app
from assistant.rasa_plugins.channels import ActionServerHealth, answer_surely, refusal_reply
from assistant.rasa_plugins.tracker_store import RedactingSQLTrackerStore, StoreUnavailable
from assistant.runtime.servers import free_port
from assistant.settings import DOMAIN_FILE, METRICS_TOKEN

TOKEN = "prometheus-token-" + "x" * 24
SECRET = "action-secret-" + "y" * 32
AMSTERDAM = "GM0363"
_names = itertools.count()


def value(name: str, registry=metrics.SERVER, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


class Down:
    async def is_up(self) -> bool:
        return False


@pytest.fixture(autouse=True)
def action_server_up(monkeypatch):
    monkeypatch.setattr(channels, "ACTION_SERVER", ActionServerHealth(None))


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch):
    """Sanic 21.12 rewrites its HTTP class at an app's start: a second app in one process fails
    unless test mode keeps the original."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
def token(monkeypatch) -> str:
    monkeypatch.setenv(METRICS_TOKEN.name, TOKEN)
    return TOKEN


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN_FILE))


def a_turn(
    run: Callable[[UserMessage], Awaitable[None]], metadata: Optional[Dict] = None, sender: str = "inwoner"
) -> list:
    """One REST turn through answer_surely; returns what the resident got."""
    collector = CollectingOutputChannel()
    message = UserMessage("hallo", collector, sender, input_channel="rest", metadata=metadata)
    asyncio.run(answer_surely(run, message, lambda: len(collector.messages), collector.messages.clear))
    return collector.messages


async def answers(message: UserMessage) -> None:
    await message.output_channel.send_text_message(message.sender_id, "Goedemorgen")


# --- Turns and faults ---------------------------------------------------------------------------


def test_a_turn_is_counted_under_its_channel_and_timed():
    turns, timed = (
        value("wegwijzer_turns_total", channel="rest", municipality="onbekend"),
        value("wegwijzer_turn_seconds_count", channel="rest"),
    )
    assert a_turn(answers)[0]["text"] == "Goedemorgen"
    assert value("wegwijzer_turns_total", channel="rest", municipality="onbekend") == turns + 1
    assert value("wegwijzer_turn_seconds_count", channel="rest") == timed + 1
    assert value("wegwijzer_turn_seconds_bucket", channel="rest", le="20.0") >= timed + 1


@pytest.mark.parametrize(
    "preset, label",
    [(AMSTERDAM, AMSTERDAM), ("gm0363", AMSTERDAM), ("GM9999", "onbekend"), ("<script>mijn bsn", "onbekend")],
)
def test_the_municipality_label_is_only_a_code_the_directory_knows(preset, label):
    before = value("wegwijzer_turns_total", channel="rest", municipality=label)
    a_turn(answers, {"gemeente": preset})
    assert value("wegwijzer_turns_total", channel="rest", municipality=label) == before + 1
    assert preset == label or not value("wegwijzer_turns_total", channel="rest", municipality=preset)


def failing(error: BaseException) -> Callable[[UserMessage], Awaitable[None]]:
    async def run(message: UserMessage) -> None:
        raise error

    return run


async def silent(message: UserMessage) -> None:
    pass


async def hangs(message: UserMessage) -> None:
    await asyncio.sleep(5)


@pytest.mark.parametrize(
    "run, kind",
    [
        (failing(StoreUnavailable("read")), "store"),
        (failing(RedisConnectionError("Redis is weg")), "lock"),
        (failing(LockError("no lock")), "lock"),
        (failing(ValueError("iets")), "error"),
        (silent, "silent"),
        (hangs, "timeout"),
    ],
    ids=["store", "redis", "lock error", "error", "silent", "timeout"],
)
def test_a_turn_that_ends_in_the_fault_message_counts_its_cause(monkeypatch, run, kind):
    monkeypatch.setattr(channels, "TURN_TIMEOUT", 0.05)
    before = value("wegwijzer_turn_faults_total", kind=kind)
    turns = value("wegwijzer_turns_total", channel="rest", municipality="onbekend")
    replies = a_turn(run)
    assert len(replies) == 1 and "mis" in replies[0]["text"]  # the kind fault message
    assert value("wegwijzer_turn_faults_total", kind=kind) == before + 1
    assert value("wegwijzer_turns_total", channel="rest", municipality="onbekend") == turns + 1


def test_an_action_server_that_is_down_is_a_fault_of_its_own(monkeypatch):
    monkeypatch.setattr(channels, "ACTION_SERVER", Down())
    before = value("wegwijzer_turn_faults_total", kind="action_server")
    a_turn(answers)
    assert value("wegwijzer_turn_faults_total", kind="action_server") == before + 1


def test_a_timeout_after_an_answer_is_no_fault(monkeypatch):
    monkeypatch.setattr(channels, "TURN_TIMEOUT", 0.05)

    async def answers_then_hangs(message: UserMessage) -> None:
        await answers(message)
        await hangs(message)

    faults = sum(value("wegwijzer_turn_faults_total", kind=kind) for kind in metrics.FAULT_KINDS)
    assert [reply["text"] for reply in a_turn(answers_then_hangs)] == ["Goedemorgen"]
    assert sum(value("wegwijzer_turn_faults_total", kind=kind) for kind in metrics.FAULT_KINDS) == faults


@pytest.mark.parametrize("text, reason", [("x" * 1001, "te_lang"), (123, "geen_tekst")])
def test_a_refused_message_counts_its_reason_and_nothing_of_its_text(text, reason):
    before = value("wegwijzer_refused_messages_total", reason=reason)
    assert refusal_reply(text)
    assert value("wegwijzer_refused_messages_total", reason=reason) == before + 1


# --- Fallbacks and handovers, from the tracker store's events ------------------------------------


def conversation(domain: Domain, sender: str, *turn: Event) -> DialogueStateTracker:
    start = [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]
    return DialogueStateTracker.from_events(sender, [*start, *turn, ActionExecuted("action_listen")], domain.slots)


def not_understood(text: str = "blub 06-12345678") -> Event:
    intent = {"name": "nlu_fallback", "confidence": 0.3}
    return UserUttered(text, intent=intent, parse_data={"text": text, "intent": intent, "entities": []})


def saving_turn(store: RedactingSQLTrackerStore, tracker: DialogueStateTracker) -> Callable:
    async def run(message: UserMessage) -> None:
        await store.save(tracker)
        await answers(message)

    return run


def test_a_fallback_counts_under_the_conversations_municipality_and_so_does_its_turn(domain, tmp_path):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = conversation(
        domain,
        "fallback",
        SlotSet("gemeente", "Amsterdam"),
        not_understood(),
        ActionExecuted("action_default_ask_affirmation"),
        BotUttered("Bedoelt u een van deze vragen?"),
    )
    fallbacks = value("wegwijzer_fallbacks_total", municipality=AMSTERDAM)
    turns = value("wegwijzer_turns_total", channel="rest", municipality=AMSTERDAM)
    a_turn(saving_turn(store, tracker), sender="fallback")  # no preset: the slot says Amsterdam
    assert value("wegwijzer_fallbacks_total", municipality=AMSTERDAM) == fallbacks + 1
    assert value("wegwijzer_turns_total", channel="rest", municipality=AMSTERDAM) == turns + 1


def test_a_chat_with_an_employee_counts_as_a_handover(domain, tmp_path):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    intent = {"name": "chat_request", "confidence": 0.95}
    tracker = conversation(
        domain,
        "handover",
        SlotSet("gemeente", "Amsterdam"),
        UserUttered("ik wil chatten", intent=intent, parse_data={"text": "ik wil chatten", "intent": intent}),
        ActionExecuted("action_request_chat"),
        BotUttered("U wacht op een medewerker"),
        ConversationPaused(),
    )
    handovers, fallbacks = (
        value("wegwijzer_handovers_total", municipality=AMSTERDAM),
        value("wegwijzer_fallbacks_total", municipality=AMSTERDAM),
    )
    asyncio.run(store.save(tracker))
    assert value("wegwijzer_handovers_total", municipality=AMSTERDAM) == handovers + 1
    assert value("wegwijzer_fallbacks_total", municipality=AMSTERDAM) == fallbacks


def test_saved_events_of_an_unknown_municipality_count_as_unknown():
    events = [
        {"event": "user", "text": "blub", "parse_data": {"intent": {"name": "nlu_fallback"}}, "metadata": {}},
        {"event": "action", "name": "action_default_ask_affirmation"},
    ]
    before = value("wegwijzer_fallbacks_total", municipality="onbekend")
    metrics.count_saved_events(events, read_turns(events)[0], "Atlantis")
    assert value("wegwijzer_fallbacks_total", municipality="onbekend") == before + 1
    assert value("wegwijzer_fallbacks_total", municipality="Atlantis") == 0


def test_no_label_holds_what_a_resident_typed(domain, tmp_path):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(tmp_path / "t.db"))
    tracker = conversation(domain, "typed", SlotSet("gemeente", "06-12345678"), not_understood("bel 06-12345678"))
    a_turn(saving_turn(store, tracker), {"gemeente": "06-12345678"}, sender="typed")
    assert "12345678" not in generate_latest(metrics.SERVER).decode()


# --- The route ----------------------------------------------------------------------------------


def test_metrics_is_not_there_without_a_token(monkeypatch):
    monkeypatch.delenv(METRICS_TOKEN.name, raising=False)
    assert metrics.metrics_response(metrics.SERVER, f"Bearer {TOKEN}").status == 404


@pytest.mark.parametrize("authorization", [None, "", f"Bearer {TOKEN}x", f"Basic {TOKEN}", TOKEN, "Bearer "])
def test_metrics_refuses_a_missing_or_wrong_token(token, authorization):
    assert metrics.metrics_response(metrics.SERVER, authorization).status == 401


def test_metrics_shows_prometheus_text_with_the_token(token):
    answer = metrics.metrics_response(metrics.SERVER, f"Bearer {token}")
    assert answer.status == 200 and answer.content_type.startswith("text/plain; version=0.0.4")
    assert "# TYPE wegwijzer_turns_total counter" in answer.body.decode()


@asynccontextmanager
async def served(app: Sanic) -> AsyncIterator[str]:
    """The app on a free port of this process's event loop while the block runs."""
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()  # the routes; create_server has started listening already
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()


async def get(url: str, **headers: str) -> requests.Response:
    return await asyncio.to_thread(requests.get, url, headers=headers, timeout=10)


def test_the_rasa_app_built_as_the_entry_point_builds_it_answers_metrics(token, monkeypatch):
    monkeypatch.setattr("assistant.rasa_plugins.rasa_logging.install", lambda: None)  # not this process's logs
    configure_app = rasa_server.with_metrics(lambda *args, **kwargs: Sanic(f"rasa_like_{next(_names)}"))

    async def scrape() -> list:
        async with served(configure_app()) as url:
            wrong = await get(f"{url}/metrics", Authorization="Bearer fout")
            right = await get(f"{url}/metrics", Authorization=f"Bearer {token}")
            return [wrong.status_code, right.status_code, right.text]

    wrong, right, text = asyncio.run(scrape())
    assert (wrong, right) == (401, 200) and "wegwijzer_turn_faults_total" in text


@pytest.fixture(scope="module")
def action_app() -> Sanic:
    return closed_app(SECRET)


def test_the_action_server_counts_calls_and_errors_and_closes_metrics_with_its_own_token(action_app, token):
    action = "action_offer_human"
    calls, errors = (
        value("wegwijzer_action_calls_total", metrics.ACTIONS, action=action),
        value("wegwijzer_action_errors_total", metrics.ACTIONS, action=action),
    )
    # A tracker it cannot read: the action fails.
    body = json.dumps({"next_action": action, "tracker": {}, "domain": {}, "version": rasa.__version__})

    async def calls_and_scrapes() -> list:
        async with served(action_app) as url:
            post = lambda headers: asyncio.to_thread(  # noqa: E731
                requests.post, f"{url}/webhook", data=body, headers=headers, timeout=10
            )
            refused = await post({})
            failed = await post({"Authorization": f"Bearer {SECRET}"})
            unknown = await asyncio.to_thread(
                requests.post,
                f"{url}/webhook",
                data=json.dumps({"next_action": f"bestaat_niet_{uuid.uuid4().hex}"}),
                headers={"Authorization": f"Bearer {SECRET}"},
                timeout=10,
            )
            with_secret = await get(f"{url}/metrics", Authorization=f"Bearer {SECRET}")
            with_token = await get(f"{url}/metrics", Authorization=f"Bearer {token}")
            return [refused.status_code, failed.status_code, unknown.status_code, with_secret.status_code, with_token]

    refused, failed, unknown, with_secret, scraped = asyncio.run(calls_and_scrapes())
    assert (refused, failed, unknown, with_secret, scraped.status_code) == (401, 500, 404, 401, 200)
    assert value("wegwijzer_action_calls_total", metrics.ACTIONS, action=action) == calls + 1
    assert value("wegwijzer_action_errors_total", metrics.ACTIONS, action=action) == errors + 1
    assert value("wegwijzer_action_seconds_count", metrics.ACTIONS, action=action) >= 1
    assert value("wegwijzer_action_calls_total", metrics.ACTIONS, action="onbekend") >= 1  # no name of the caller's
    assert f'wegwijzer_action_calls_total{{action="{action}"}}' in scraped.text and "bestaat_niet" not in scraped.text


# --- The real Rasa server -----------------------------------------------------------------------


def scraped_turns(url: str, token: str) -> float:
    text = requests.get(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('wegwijzer_turns_total{channel="rest"')
    )


@pytest.mark.servers
def test_a_rest_turn_on_the_real_rasa_server_moves_its_turn_counter(servers):
    url, token = servers["url"], servers["metrics_token"]
    assert requests.get(f"{url}/metrics", timeout=10).status_code == 401
    before = scraped_turns(url, token)
    sender = f"metrics-{uuid.uuid4().hex[:8]}"
    reply = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": "hallo"}, timeout=60)
    assert reply.status_code == 200 and reply.json()
    assert scraped_turns(url, token) == before + 1
    actions = requests.get(
        f"{servers['actions_url']}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert actions.status_code == 200 and "wegwijzer_action_calls_total{" in actions.text
