from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import directory
from assistant.answers import message
from assistant.contact import contact_card, contact_text


class ActionGiveMunicipalityContact(Action):
    """Gives the contact data of the municipality in slot `gemeente`."""

    def name(self) -> Text:
        return "action_give_municipality_contact"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        municipality = directory().find(tracker.get_slot("gemeente") or "")
        if municipality is None:
            dispatcher.utter_message(text=message("gemeente_vraag"))
            return []
        dispatcher.utter_message(text=contact_text(municipality), json_message=contact_card(municipality))
        return []
