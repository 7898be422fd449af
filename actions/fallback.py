"""The two-stage fallback: when unsure, "Bedoelt u …?" with the most likely questions as
buttons; when that fails twice, a person (Rasa's `action_two_stage_fallback` drives it)."""

from functools import lru_cache
from typing import Any, Dict, List, Text

import yaml
from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, UserUtteranceReverted
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guided_form import button, latest_text
from assistant.content.answers import DUTCH, ENGLISH, message
from assistant.content.right_doors import door_answer, door_for
from assistant.settings import LABELS_FILE

MAX_SUGGESTIONS = 3
MIN_CONFIDENCE = 0.05


@lru_cache(maxsize=2)
def labels(language: str = DUTCH) -> Dict[str, str]:
    """Button titles per intent; in English the `en` mapping's, where it has one."""
    titles = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    english = titles.pop(ENGLISH, None) or {}
    return {**titles, **english} if language == ENGLISH else titles


def suggestions(intent_ranking: List[Dict[str, Any]]) -> List[str]:
    """The most likely intents that have a label, best first."""
    ranked = [
        item["name"]
        for item in intent_ranking
        if item.get("name") in labels() and item.get("confidence", 0) >= MIN_CONFIDENCE
    ]
    return ranked[:MAX_SUGGESTIONS]


class ActionAskWhatYouMean(Action):
    """Stage one: "Bedoelt u …?" with two or three buttons, and "Iets anders"."""

    def name(self) -> Text:
        return "action_default_ask_affirmation"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        door = door_for(latest_text(tracker))
        if door:  # not understood, but it names another organisation's subject: send them there
            dispatcher.utter_message(text=door_answer(door).render())
            return []
        likely = suggestions(tracker.latest_message.get("intent_ranking") or [])
        buttons = [button(labels()[intent], f"/{intent}") for intent in likely]
        dispatcher.utter_message(text=message("bedoelt_u"), buttons=buttons + [button("Iets anders", "/out_of_scope")])
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
