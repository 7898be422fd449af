from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import labels
from actions.guided_form import button
from actions.services import local_context
from assistant.content.answers import build_answer, follow_ups, topics
from assistant.flows.gemeente import GEMEENTE


def requested_year(tracker: Tracker) -> Optional[int]:
    """The year the resident's last message mentions (entity `jaar`), if any."""
    value = next(tracker.get_latest_entity_values("jaar"), None)
    return int(value) if value and value.isdigit() else None


class ActionAnswerQuestion(Action):
    """Answers a question about one topic with its sources: the national answer, with what
    is known about the resident's municipality (slot `gemeente`): its own answer text, a
    lower eigen bijdrage, the zorgkantoor of its region.

    The topic is the intent of the resident's last message. Buttons offer the next steps
    (a guided flow, a related question) that answers.yml names under `verder`.
    """

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        topic = tracker.latest_message.get("intent", {}).get("name")
        if topic not in topics():
            dispatcher.utter_message(response="utter_fallback_topics")
            return []
        answer = build_answer(topic, requested_year(tracker), local=local_context(tracker.get_slot(GEMEENTE)))
        buttons = [button(labels()[intent], f"/{intent}") for intent in follow_ups(topic)]
        dispatcher.utter_message(text=answer.render(), buttons=buttons)
        return []
