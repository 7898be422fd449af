from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import entry_button
from actions.feedback import ask_if_it_helped
from actions.guided_form import button
from actions.services import local_context, municipality_and_override, municipality_named_in
from assistant.content.answers import (
    DUTCH,
    ENGLISH,
    Answer,
    build_answer,
    follow_ups,
    has_english,
    sends_to_municipality,
    topics,
)
from assistant.content.contact import answer_contact_text
from assistant.content.knowledge import ENTRY_ENTITY, RETRIEVAL_INTENT, entries, knowledge_answer
from assistant.content.labels import labels
from assistant.content.language import LANGUAGE, conversation_language
from assistant.content.right_doors import door_answer, door_for
from assistant.flows.gemeente import GEMEENTE

ENGLISH_INTENT = "english"
# A message classified as English (not as a topic) gets the entry the ResponseSelector chose,
# in English, when it is at least this sure; else the English introduction.
ENGLISH_ENTRY_CONFIDENCE = 0.5
SECOND_TOPIC_CONFIDENCE = 0.2  # a second question this likely is offered as a button under the answer


def requested_year(tracker: Tracker) -> Optional[int]:
    """The year the resident's last message mentions (entity `jaar`), if any."""
    value = next(tracker.get_latest_entity_values("jaar"), None)
    return int(value) if value and value.isdigit() else None


def selected_entry(latest_message: Dict[Text, Any], minimum_confidence: float = 0.0) -> Optional[str]:
    """The knowledge-base entry a message asks for: named by a button, else chosen by the ResponseSelector."""
    named = next((e.get("value") for e in latest_message.get("entities", []) if e.get("entity") == ENTRY_ENTITY), None)
    if named in entries():
        return named
    selected = latest_message.get("response_selector", {}).get(RETRIEVAL_INTENT, {}).get("response", {})
    _, _, entry_id = str(selected.get("intent_response_key") or "").partition("/")
    sure = float(selected.get("confidence") or 0.0) >= minimum_confidence
    return entry_id if entry_id in entries() and sure else None


class ActionAnswerQuestion(Action):
    """Answers a question with its sources: a topic of answers.yml (the intent) or an entry of
    the knowledge base (intent `kennis`), with what is known about the resident's municipality
    (slot `gemeente`): its own answer text, a lower eigen bijdrage, the zorgkantoor of its region.
    An answer that sends the resident to the municipality ends with its contact data, or,
    while the municipality is not known, a button to ask for them.

    Buttons offer the next steps: for a topic the flows and questions answers.yml names under
    `verder`, for an entry its related entries.
    """

    def name(self) -> Text:
        return "action_answer_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        message = tracker.latest_message
        topic = message.get("intent", {}).get("name")
        text = message.get("text") or ""
        language = ENGLISH if topic == ENGLISH_INTENT else conversation_language(text, tracker.get_slot(LANGUAGE))
        remember = [SlotSet(LANGUAGE, language)] if language != (tracker.get_slot(LANGUAGE) or DUTCH) else []
        named = municipality_named_in(text)  # "... in Hoofddorp?": answer with Haarlemmermeer's contact
        gemeente = named.name if named else tracker.get_slot(GEMEENTE)
        if gemeente != tracker.get_slot(GEMEENTE):
            remember.append(SlotSet(GEMEENTE, gemeente))
        door = door_for(text) if topic == ENGLISH_INTENT else None
        entry_id = chosen_entry(topic, message)
        if door:
            dispatcher.utter_message(text=door_answer(door, ENGLISH).render())
            ask_if_it_helped(dispatcher)
        elif entry_id:
            answer, buttons, to_municipality = entry_reply(entry_id, language, requested_year(tracker))
            send_answer(dispatcher, answer, with_second_topic(buttons, message, language), to_municipality, gemeente)
        elif topic in topics():
            answer, buttons, to_municipality = topic_reply(topic, language, requested_year(tracker), gemeente)
            send_answer(dispatcher, answer, with_second_topic(buttons, message, language), to_municipality, gemeente)
        else:
            dispatcher.utter_message(response="utter_english" if topic == ENGLISH_INTENT else "utter_fallback_topics")
        return remember


Reply = Tuple[Answer, List[Dict[Text, Any]], bool]  # the answer, its buttons, whether it sends to the municipality


def with_second_topic(buttons: List[Dict[Text, Any]], message: Dict[Text, Any], language: str) -> List[Dict[Text, Any]]:
    """The answer's buttons, and first the second likeliest question when it is likely too (a
    long story often asks two things): its topic, or the knowledge base's likeliest entry."""
    ranking = [item for item in message.get("intent_ranking") or [] if item.get("name") != "nlu_fallback"]
    if len(ranking) < 2 or ranking[1].get("confidence", 0) < SECOND_TOPIC_CONFIDENCE:
        return buttons
    second = ranking[1]["name"]
    if second == RETRIEVAL_INTENT:
        entry_id = selected_entry(message)
        extra = [entry_button(entry_id, language)] if entry_id else []
    else:
        extra = [button(labels(language)[second], f"/{second}")] if second in labels() else []
    return [*extra, *(item for item in buttons if item not in extra)]


def chosen_entry(topic: Optional[str], message: Dict[Text, Any]) -> Optional[str]:
    """The entry to answer with: for intent kennis the selected one; for an English message
    the one the ResponseSelector is sure enough of."""
    if topic == RETRIEVAL_INTENT:
        return selected_entry(message)
    if topic == ENGLISH_INTENT:
        return selected_entry(message, ENGLISH_ENTRY_CONFIDENCE)
    return None


def entry_reply(entry_id: str, language: str, year: Optional[int]) -> Reply:
    entry = entries()[entry_id]
    buttons = [entry_button(related, language) for related in entry.related if related in entries()]
    return knowledge_answer(entry_id, language, year), buttons, entry.sends_to_municipality


def topic_reply(topic: str, language: str, year: Optional[int], gemeente: Optional[str]) -> Reply:
    """A topic of answers.yml; in English where it has an English text."""
    answer_language = language if has_english(topic) else DUTCH
    answer = build_answer(topic, year, local=local_context(gemeente), language=answer_language)
    buttons = [button(labels(language)[intent], f"/{intent}") for intent in follow_ups(topic)]
    return answer, buttons, sends_to_municipality(topic)


def send_answer(
    dispatcher: CollectingDispatcher,
    answer: Answer,
    buttons: List[Dict[Text, Any]],
    to_municipality: bool,
    gemeente: Optional[str],
) -> None:
    """The answer with its buttons, then the municipality's contact data when the answer sends
    the resident there (or a button to ask for them, while the municipality is not known)."""
    municipality, override = municipality_and_override(gemeente) if to_municipality else (None, None)
    if to_municipality and municipality is None:
        buttons = [*buttons, button(labels(answer.language)["gemeente_contact"], "/gemeente_contact")]
    dispatcher.utter_message(text=answer.render(), buttons=buttons)
    if municipality is not None:
        dispatcher.utter_message(text=answer_contact_text(municipality, override, answer.language))
    ask_if_it_helped(dispatcher)
