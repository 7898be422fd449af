"""The handover actions: a chat is offered only in the widget and during the municipality's chat
times; asking for it puts the resident in the queue and pauses Wegwijzer; otherwise, or when the
queue cannot be reached, the resident hears why, where to call, and gets the offer of a call back."""

from datetime import datetime

import pytest
from cryptography.fernet import Fernet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import OperationalError

from actions import handover_form
from actions.handover_form import ActionOfferHuman, ActionRequestChat
from actions.services import resolver
from assistant.flows.handover import TIME_ZONE
from assistant.helpdesk.handovers import WAITING, HandoverStore
from municipalities.overrides import parse_document
from tests.support.overrides import GOOD
from tests.support.trackers import DOMAIN, make_tracker

MONDAY_MORNING = datetime(2026, 12, 7, 10, 0, tzinfo=TIME_ZONE)
MONDAY_EVENING = datetime(2026, 12, 7, 19, 0, tzinfo=TIME_ZONE)


@pytest.fixture
def zwolle_chats(monkeypatch, rules, tmp_path):
    """Zwolle with the chat times of the test file (Monday 09:00-17:00, Friday 9.00-12.30, 4 minutes)."""
    zwolle = resolver().resolve("Zwolle").municipality
    override = parse_document(GOOD, "GM0193", "test", rules)
    monkeypatch.setattr(handover_form, "municipality_and_override", lambda _: (zwolle, override))
    store = HandoverStore(f"sqlite:///{tmp_path / 'callbacks.db'}", key=Fernet.generate_key())
    monkeypatch.setattr(handover_form, "handover_store", lambda: store)
    return store


def run(action, at: datetime, channel: str, monkeypatch):
    monkeypatch.setattr(handover_form, "local_now", lambda: at)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("chat_request", "/chat_request", slots={"gemeente": "Zwolle"}, channel=channel)
    return action.run(dispatcher, tracker, DOMAIN), dispatcher.messages


def payloads(messages):
    return [button["payload"] for message in messages for button in message.get("buttons") or []]


def test_during_chat_times_in_the_widget_a_chat_is_offered_first(zwolle_chats, monkeypatch):
    _, messages = run(ActionOfferHuman(), MONDAY_MORNING, "socketio", monkeypatch)
    assert payloads(messages) == ["/chat_request", "/callback_request", "/deny"]
    assert "Een medewerker van de gemeente Zwolle kan nu met u chatten." in messages[1]["text"]


@pytest.mark.parametrize("at, channel", [(MONDAY_EVENING, "socketio"), (MONDAY_MORNING, "rest")])
def test_outside_chat_times_or_outside_the_widget_only_a_call_back(zwolle_chats, monkeypatch, at, channel):
    _, messages = run(ActionOfferHuman(), at, channel, monkeypatch)
    assert payloads(messages) == ["/callback_request", "/deny"] and "chatten" not in messages[1]["text"]


def test_asking_to_chat_puts_the_resident_in_the_queue_and_pauses_wegwijzer(zwolle_chats, monkeypatch):
    events, messages = run(ActionRequestChat(), MONDAY_MORNING, "socketio", monkeypatch)
    assert events == [{"event": "pause", "timestamp": None}]
    assert "hoogstens 4 minuten" in messages[0]["text"] and payloads(messages) == ["/stop_wachten"]
    assert messages[1]["custom"] == {"type": "chat", "stand": "wachtend"}
    handover = zwolle_chats.open_for("test")
    assert (handover.status, handover.municipality_code) == (WAITING, "GM0193")
    assert (handover.wait_until - handover.requested_at).total_seconds() == 240


def test_outside_chat_times_the_resident_hears_when_it_can_and_where_to_call(zwolle_chats, monkeypatch):
    events, messages = run(ActionRequestChat(), MONDAY_EVENING, "socketio", monkeypatch)
    assert events == [] and zwolle_chats.open_for("test") is None
    assert "kan nu niet. Dat kan op: maandag 09:00-17:00, vrijdag 09:00-12:30." in messages[0]["text"]
    assert "038 498 91 11" in messages[0]["text"] and messages[0]["custom"]["cbs_code"] == "GM0193"
    assert payloads(messages) == ["/callback_request", "/deny"]


def test_in_another_channel_the_resident_hears_the_chat_is_in_the_widget(zwolle_chats, monkeypatch):
    events, messages = run(ActionRequestChat(), MONDAY_MORNING, "rest", monkeypatch)
    assert events == [] and "kan alleen op de website van uw gemeente" in messages[0]["text"]


def test_a_queue_that_cannot_be_reached_is_said_and_a_call_back_offered(zwolle_chats, monkeypatch):
    def broken(*_):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(zwolle_chats, "request", broken)
    events, messages = run(ActionRequestChat(), MONDAY_MORNING, "socketio", monkeypatch)
    assert events == [] and messages[0]["text"].startswith("Sorry, het lukt nu niet om een medewerker te zoeken.")
    assert payloads(messages) == ["/callback_request", "/deny"]
