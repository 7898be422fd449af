from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.services import directory
from assistant.flows.session_start import preset_municipality, start_slots

METADATA_SLOT = "session_started_metadata"


class ActionSessionStart(Action):
    """Starts a conversation with the carried-over slots and the municipality that the
    widget on a municipality's website presets (message metadata `gemeente`)."""

    def name(self) -> Text:
        return "action_session_start"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        previous = {name: value for name, value in tracker.slots.items() if name != METADATA_SLOT}
        preset = preset_municipality(tracker.get_slot(METADATA_SLOT), directory())
        slots = start_slots(previous, domain.get("session_config", {}), preset)
        return [
            SessionStarted(),
            *(SlotSet(name, value) for name, value in slots.items()),
            ActionExecuted("action_listen"),
        ]
