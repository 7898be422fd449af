from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.services import municipality_and_local_data
from assistant.answers import build_answer, topics


def requested_year(tracker: Tracker) -> Optional[int]:
    """The year the resident's last message mentions (entity `jaar`), if any."""
    value = next(tracker.get_latest_entity_values("jaar"), None)
    return int(value) if value and value.isdigit() else None


class ActionAnswerQuestion(Action):
    """Answers a question about one topic with its sources: the national answer, or the
    local one when the resident's municipality (slot `gemeente`) provided it.

    The topic is the intent of the resident's last message.
    """

    def name(self) -> Text:
        return "action_answer_question"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[Dict[Text, Any]]:
        topic = tracker.latest_message.get("intent", {}).get("name")
        if topic not in topics():
            dispatcher.utter_message(response="utter_fallback_topics")
            return []
        municipality, local = municipality_and_local_data(tracker.get_slot("gemeente"))
        answer = build_answer(topic, requested_year(tracker), municipality=municipality and municipality.name, local=local)
        dispatcher.utter_message(text=answer.render())
        return []
