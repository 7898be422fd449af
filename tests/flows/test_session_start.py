"""The municipality that the widget presets, and the session start action that sets it."""

import asyncio
from typing import Any, Dict, List

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.session_start import ActionSessionStart
from assistant.flows.session_start import carried_over, preset_municipality, start_slots
from assistant.rasa_plugins.channels import WidgetSocketIOOutput
from assistant.settings import DOMAIN_FILE

DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
CARRY_OVER = {"carry_over_slots_to_new_session": True}


@pytest.mark.parametrize(
    "metadata, name", [({"gemeente": "GM0363"}, "Amsterdam"), ({"gemeente": " gm0344 "}, "Utrecht")]
)
def test_a_known_cbs_code_presets_its_municipality(directory, metadata, name):
    assert preset_municipality(metadata, directory).name == name


@pytest.mark.parametrize(
    "metadata",
    [
        None,
        {},
        {"gemeente": "GM9999"},
        {"gemeente": "Amsterdam"},
        {"gemeente": 363},
        {"gemeente": "GM0363; drop"},
        {"other": "GM0363"},
    ],
)
def test_anything_else_presets_nothing(directory, metadata):
    assert preset_municipality(metadata, directory) is None


def test_slots_are_carried_over_only_when_the_domain_says_so():
    slots = {"gemeente": "Zwolle", "eb_jaar": None}
    assert dict(carried_over(slots, CARRY_OVER)) == {"gemeente": "Zwolle"}
    assert dict(carried_over(slots, {"carry_over_slots_to_new_session": False})) == {}


def test_the_preset_fills_an_empty_municipality_but_never_replaces_one(directory):
    amsterdam = directory.by_code("GM0363")
    assert start_slots({}, CARRY_OVER, amsterdam) == {"gemeente": "Amsterdam"}
    assert start_slots({"gemeente": "Zwolle"}, CARRY_OVER, amsterdam) == {"gemeente": "Zwolle"}
    assert start_slots({"gemeente": None}, CARRY_OVER, None) == {}


def run_session_start(slots: Dict[str, Any]) -> List[Dict[str, Any]]:
    tracker = Tracker("widget", slots, {}, [], False, None, {}, "action_listen")
    return ActionSessionStart().run(CollectingDispatcher(), tracker, DOMAIN)


def test_session_start_sets_the_municipality_from_the_widgets_metadata():
    events = run_session_start({"session_started_metadata": {"gemeente": "GM0363"}})
    assert events[0]["event"] == "session_started"
    assert (events[-1]["event"], events[-1]["name"]) == ("action", "action_listen")
    assert [(event["name"], event["value"]) for event in events if event["event"] == "slot"] == [
        ("gemeente", "Amsterdam")
    ]


def test_session_start_without_metadata_only_carries_over_the_slots():
    events = run_session_start({"gemeente": "Zwolle", "session_started_metadata": None})
    assert [(event["name"], event["value"]) for event in events if event["event"] == "slot"] == [("gemeente", "Zwolle")]


def test_session_start_is_in_the_domain():
    assert "action_session_start" in DOMAIN["actions"]


class RecordingServer:
    def __init__(self):
        self.emitted = []

    async def emit(self, event, data=None, room=None):
        self.emitted.append((event, data, room))


def test_the_widget_channel_sends_a_contact_card_as_one_message():
    server = RecordingServer()
    card = {"type": "contact_card", "name": "Gemeente Zwolle", "phone": "14 038"}
    asyncio.run(WidgetSocketIOOutput(server, "bot_uttered").send_custom_json("session-1", card))
    assert server.emitted == [("bot_uttered", {"custom": card}, "session-1")]
