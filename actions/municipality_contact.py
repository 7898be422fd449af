from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ask_if_it_helped
from actions.services import municipality_and_override
from assistant.content.answers import message
from assistant.content.contact import contact_messages
from assistant.flows.gemeente import GEMEENTE


class ActionGiveMunicipalityContact(Action):
    """Gives the contact data of the municipality in slot `gemeente`: its own Wmo-loket and
    cliëntondersteuning data first (when it provided them), then the general number."""

    def name(self) -> Text:
        return "action_give_municipality_contact"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        municipality, local = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is None:
            dispatcher.utter_message(text=message("gemeente_vraag"))
            return []
        for item in contact_messages(municipality, local):
            dispatcher.utter_message(text=item.text, json_message=item.card)
        ask_if_it_helped(dispatcher)
        return []
