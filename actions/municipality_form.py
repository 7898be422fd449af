from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.services import directory, resolver
from assistant.answers import message, topics
from assistant.municipality_reply import reply_to
from municipalities.resolver import Outcome

# While the form asks "In welke gemeente woont u?", a message with one of these intents is
# a question or a goodbye, not an answer: the rules answer it and the form asks again.
NOT_AN_ANSWER = frozenset({*topics(), "gemeente_contact", "goodbye"})


def choice_button(cbs_code: str) -> Dict[str, str]:
    name = directory().by_code(cbs_code).name
    return {"title": name, "payload": f'/inform_gemeente{{"gemeente": "{cbs_code}"}}'}


class ActionAskGemeente(Action):
    """Asks the resident's municipality (the question of `gemeente_form`), or which of
    several municipalities they mean, with a button for each."""

    def name(self) -> Text:
        return "action_ask_gemeente"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Dict[Text, Any]]:
        choices = tracker.get_slot("gemeente_keuze") or []
        if choices:
            dispatcher.utter_message(text=message("gemeente_welke"), buttons=[choice_button(code) for code in choices])
        else:
            dispatcher.utter_message(text=message("gemeente_vraag"))
        return []


class ValidateGemeenteForm(FormValidationAction):
    """Turns what the resident typed (a name, a place, a postcode, a typo) into a known
    municipality, offers a choice when several fit, or asks again."""

    def name(self) -> Text:
        return "validate_gemeente_form"

    def extract_gemeente(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The whole text when it answers the form's question; else only a text that names
        a municipality, place or postcode ("waar is het wmo loket in Hoofddorp?")."""
        text = tracker.latest_message.get("text") or ""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") == "gemeente" and intent not in NOT_AN_ANSWER:
            return {"gemeente": text}
        if resolver().resolve(text).outcome in (Outcome.FOUND, Outcome.AMBIGUOUS):
            return {"gemeente": text}
        return {}

    def validate_gemeente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = value if isinstance(value, str) else ""
        reply = reply_to(resolver().resolve(text), text)
        for reply_text in reply.texts:
            dispatcher.utter_message(text=reply_text)
        return {
            "gemeente": reply.municipality.name if reply.municipality else None,
            "gemeente_keuze": [municipality.cbs_code for municipality in reply.choices] or None,
        }
