"""The municipality flow's adapter (`gemeente_form`; its decisions in assistant/flows/gemeente.py):
the municipality question, asked in every flow that needs it, and its validation."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guided_form import GuidedFormValidation, button, choice_button
from assistant.content.answers import message
from assistant.flows.eigen_bijdrage import SKIP_MUNICIPALITY
from assistant.flows.gemeente import GEMEENTE_CHOICES


class ActionAskGemeente(Action):
    """Asks the resident's municipality (in every flow that needs it), or which of several
    municipalities they mean, with a button for each."""

    question = "gemeente_vraag"

    def name(self) -> Text:
        return "action_ask_gemeente"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[Dict[Text, Any]]:
        choices = tracker.get_slot(GEMEENTE_CHOICES) or []
        if choices:
            dispatcher.utter_message(text=message("gemeente_welke"), buttons=[choice_button(code) for code in choices])
        else:
            dispatcher.utter_message(text=message(self.question), buttons=self.buttons())
        return []

    def buttons(self) -> List[Dict[str, str]]:
        return []


class ActionAskGemeenteForEigenBijdrage(ActionAskGemeente):
    """In the eigen-bijdrage check the municipality only matters for a lower local rate:
    the resident may skip the question."""

    question = "gemeente_vraag_eigen_bijdrage"

    def name(self) -> Text:
        return "action_ask_eigen_bijdrage_form_gemeente"

    def buttons(self) -> List[Dict[str, str]]:
        return [button(SKIP_MUNICIPALITY, "/dont_know")]


class ValidateGemeenteForm(GuidedFormValidation):
    """Turns what the resident typed (a name, a place, a postcode, a typo) into a known
    municipality, offers a choice when several fit, or asks again."""

    def name(self) -> Text:
        return "validate_gemeente_form"
