"""Rasa's work that the speed-ups do once gives what Rasa gives: the check of the action server's
answers, and the event classes by type name."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from assistant.rasa_plugins import speedups

GOOD = {"events": [{"event": "slot", "name": "gemeente", "value": "Utrecht"}], "responses": [{"text": "Hallo"}]}
BAD = {"events": [{"no_event_key": 1}], "responses": []}


@pytest.fixture
def action(monkeypatch) -> RemoteAction:
    monkeypatch.setattr(RemoteAction, "_validate_action_result", RemoteAction._validate_action_result)
    return RemoteAction("action_x", EndpointConfig("http://localhost:1/webhook"))


@pytest.mark.parametrize("result", [GOOD, BAD])
def test_the_same_verdict_as_rasa(action, result):
    try:
        rasa_verdict = action._validate_action_result(result)
    except ValidationError as error:
        rasa_verdict = error.message
    speedups.install()
    try:
        our_verdict = action._validate_action_result(result)
    except ValidationError as error:
        our_verdict = error.message
    assert our_verdict == rasa_verdict
    assert (our_verdict is True) == (result is GOOD)


def test_event_classes_are_found_as_rasa_finds_them(monkeypatch):
    from rasa.shared.core.events import Event

    monkeypatch.setattr(Event, "resolve_by_type", Event.resolve_by_type)
    names = ["user", "bot", "action", "slot", "active_loop", "session_started", "pause", "resume", "restart"]
    rasa_classes = [Event.resolve_by_type(name) for name in names]
    speedups.install()
    assert [Event.resolve_by_type(name) for name in names] == rasa_classes
    assert Event.resolve_by_type("topic") is None and Event.resolve_by_type("nothing", default=Event) is Event
    with pytest.raises(ValueError):
        Event.resolve_by_type("nothing")
