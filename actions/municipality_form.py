from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.services import directory
from assistant.answers import message

ECHO_LIMIT = 60  # characters of the resident's text repeated in an answer


class ActionAskGemeente(Action):
    """Asks the resident's municipality (the question of `gemeente_form`)."""

    def name(self) -> Text:
        return "action_ask_gemeente"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=message("gemeente_vraag"))
        return []


class ValidateGemeenteForm(FormValidationAction):
    """Turns what the resident typed into a known municipality, or asks again."""

    def name(self) -> Text:
        return "validate_gemeente_form"

    def validate_gemeente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else ""
        municipality = directory().find(text)
        if municipality:
            return {"gemeente": municipality.name}
        shown = " ".join(text.split())[:ECHO_LIMIT]
        if shown:
            dispatcher.utter_message(text=message("gemeente_onbekend", invoer=shown))
        else:
            dispatcher.utter_message(text=message("gemeente_leeg"))
        return {"gemeente": None}
