from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.feedback import ask_if_it_helped
from actions.guided_form import latest_text
from actions.services import municipality_and_override
from assistant.content.contact import contact_card, referral_text
from assistant.content.language import LANGUAGE, conversation_language
from assistant.content.right_doors import door_answer, door_for
from assistant.flows.gemeente import GEMEENTE


class ActionAnswerOutOfScope(Action):
    """A question outside Wegwijzer's topics: for the organisation that handles it when the
    question names its subject (income tax, child benefit: content/right_doors.yml), else
    (a passport, waste, parking) for the municipality, with its contact data when the
    resident's municipality is known."""

    def name(self) -> Text:
        return "action_answer_out_of_scope"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = latest_text(tracker)
        door = door_for(text)
        if door:
            language = conversation_language(text, tracker.get_slot(LANGUAGE))
            dispatcher.utter_message(text=door_answer(door, language).render())
            ask_if_it_helped(dispatcher)
            return []
        municipality, _ = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is None:
            dispatcher.utter_message(response="utter_out_of_scope")
        else:
            dispatcher.utter_message(text=referral_text(municipality), json_message=contact_card(municipality))
        return []
