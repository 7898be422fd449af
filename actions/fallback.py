"""The two-stage fallback: when unsure, "Bedoelt u …?" with the most likely questions as
buttons; when that fails twice, a person (Rasa's `action_two_stage_fallback` drives it)."""

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guided_form import button, latest_text
from assistant.content.answers import DUTCH, message
from assistant.content.knowledge import ENTRY_ENTITY, RETRIEVAL_INTENT, entries
from assistant.content.labels import labels
from assistant.content.language import LANGUAGE, conversation_language
from assistant.content.right_doors import door_answer, door_for

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05
ENTRIES_SUGGESTED = 2  # knowledge-base entries among the suggestions, where the knowledge base is likely


def entry_button(entry_id: str, language: str = DUTCH) -> Dict[Text, Any]:
    """A button that asks for a knowledge-base entry, titled with its first phrasing."""
    payload = f'/{RETRIEVAL_INTENT}{{"{ENTRY_ENTITY}": "{entry_id}"}}'
    return button(entries()[entry_id].title(language), payload)


def suggestions(latest_message: Dict[str, Any], language: str = DUTCH) -> List[Dict[Text, Any]]:
    """Buttons for the most likely questions, best first: the intents that have a label, and
    in the place of the knowledge base its likeliest entries."""
    ranking = latest_message.get("intent_ranking") or []
    selected = latest_message.get("response_selector", {}).get(RETRIEVAL_INTENT, {}).get("ranking", [])
    likely_entries = [item["intent_response_key"].partition("/")[2] for item in selected[:ENTRIES_SUGGESTED]]
    buttons: List[Dict[Text, Any]] = []
    for item in ranking:
        if item.get("confidence", 0) < MIN_CONFIDENCE:
            continue
        if item.get("name") == RETRIEVAL_INTENT:
            buttons += [entry_button(entry, language) for entry in likely_entries if entry in entries()]
        elif item.get("name") in labels():
            buttons.append(button(labels(language)[item["name"]], f"/{item['name']}"))
    return buttons[:MAX_SUGGESTIONS]


class ActionAskWhatYouMean(Action):
    """Stage one: "Bedoelt u …?" with two or three buttons, and "Iets anders"."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        door = door_for(latest_text(tracker))
        if door:  # not understood, but it names another organisation's subject: send them there
            dispatcher.utter_message(text=door_answer(door).render())
            return []
        language = conversation_language(latest_text(tracker), tracker.get_slot(LANGUAGE))
        buttons = suggestions(tracker.latest_message, language) + [
            button(message("iets_anders", language), "/out_of_scope")
        ]
        dispatcher.utter_message(text=message("bedoelt_u", language), buttons=buttons)
        return []


class ActionOfferAPerson(Action):
    """Stage two, after a second failure: a person at the municipality, or a call back."""

    def name(self) -> Text:
        return "action_default_fallback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(
            text=message("niet_begrepen_mens"),
            buttons=[button("Een medewerker spreken", "/human_handover"), button("Bel mij terug", "/callback_request")],
        )
        return [UserUtteranceReverted()]
