"""The action server's answers are checked as Rasa checks them, with a validator built once."""

import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import EndpointConfig

from assistant.rasa_plugins import action_results

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
    action_results.install()
    try:
        our_verdict = action._validate_action_result(result)
    except ValidationError as error:
        our_verdict = error.message
    assert our_verdict == rasa_verdict
    assert (our_verdict is True) == (result is GOOD)
