"""Reads a conversation's stored events (Rasa's event dicts, masked as the tracker store keeps
them) as turns: each resident message with what Wegwijzer understood and what it replied.
Plain Python on dicts, without Rasa, so that the staff app and the tests can use it.

A turn's outcome is what the staff app counts:
- "beantwoord": an answer (a topic, a knowledge-base entry, a flow step);
- "niet begrepen": Wegwijzer was not sure ("Bedoelt u …?") or had no answer, also for a
  message outside its subjects that it could not send to another organisation;
- "mens": the resident asked for a person, a chat or a call back, or was offered one after failing
  twice, or wrote while an employee had the conversation (Wegwijzer paused: a handover);
- "opening": the widget's automatic first message, which the resident did not type.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

from assistant.content.knowledge import ENTRY_ENTITY, RETRIEVAL_INTENT
from assistant.conversations.feedback import FEEDBACK_REQUEST
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.session_start import METADATA_KEY

ANSWERED = "beantwoord"
NOT_UNDERSTOOD = "niet begrepen"
PERSON = "mens"
OPENING = "opening"
OUTCOMES = (ANSWERED, NOT_UNDERSTOOD, PERSON)

WIDGET_OPENING = "/greet"  # what the widget sends when it opens (widget.js greetWhenNew)
NOT_SURE_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"
PERSON_INTENTS = frozenset({"human_handover", "chat_request", "callback_request"})
PERSON_ACTIONS = frozenset({"action_offer_human", "handover_form", "chat_form", "action_request_chat", "callback_form"})
EMPLOYEE = "medewerker"  # the metadata key of an employee's message in a handover (its municipality)
EMPLOYEE_PREFIX = "Medewerker: "  # how the staff app's transcript shows an employee's message
NOT_UNDERSTOOD_ACTIONS = frozenset(
    {"utter_fallback_topics", "action_default_fallback", "action_default_ask_affirmation"}
)
# Messages that keep a conversation going but are no subject: left out of the top topics.
NO_SUBJECT = frozenset(
    {"greet", "goodbye", "thanks", "affirm", "deny", "dont_know", "stop", "go_back", "inform_gemeente", ""}
)


@dataclass
class Turn:
    """One resident message and Wegwijzer's reply to it."""

    text: str
    at: float  # Unix time of the resident's message
    topic: str  # the intent, or kennis/<entry id> for the knowledge base
    confidence: float  # how sure Wegwijzer was of that topic, 0..1
    municipality_code: Optional[str] = None  # the widget's preset municipality, when it sent one
    municipality_name: Optional[str] = None  # a municipality the conversation named during this turn
    replies: List[str] = field(default_factory=list)
    actions: List[str] = field(default_factory=list)
    answered: bool = False  # a reply asked for feedback: an answer (FEEDBACK_REQUEST)
    to_person: bool = False  # written while Wegwijzer was paused for an employee

    @property
    def outcome(self) -> str:
        if self.text == WIDGET_OPENING:
            return OPENING
        if self.to_person or self.topic in PERSON_INTENTS or PERSON_ACTIONS.intersection(self.actions):
            return PERSON
        if self.topic == NOT_SURE_INTENT or NOT_UNDERSTOOD_ACTIONS.intersection(self.actions):
            return NOT_UNDERSTOOD
        if self.topic == OUT_OF_SCOPE_INTENT and not self.answered:  # no other organisation's door either
            return NOT_UNDERSTOOD
        return ANSWERED


def read_turns(events: Sequence[Dict[str, Any]], paused_at_end: bool = False) -> Tuple[List[Turn], List[str]]:
    """The turns that start in `events`, and the bot texts before the first of them (the rest of
    a turn that an earlier save began). A turn written while Wegwijzer was paused (between Rasa's
    "pause" and "resume" events) went to an employee; `paused_at_end` is the conversation's state
    after `events`, which tells the state before them."""
    turns: List[Turn] = []
    earlier_replies: List[str] = []
    paused = _paused_at_start(events, paused_at_end)
    for event in events:
        kind = event.get("event")
        if kind == "user":
            turns.append(_turn(event))
            turns[-1].to_person = paused
        elif kind in ("pause", "resume"):
            paused = kind == "pause"
        elif kind == "bot" and isinstance(event.get("text"), str) and event["text"]:
            text = EMPLOYEE_PREFIX + event["text"] if (event.get("metadata") or {}).get(EMPLOYEE) else event["text"]
            (turns[-1].replies if turns else earlier_replies).append(text)
        elif kind == "bot" and turns and (event.get("data") or {}).get("custom") == FEEDBACK_REQUEST:
            turns[-1].answered = True
        elif kind == "action" and turns and isinstance(event.get("name"), str):
            turns[-1].actions.append(event["name"])
        elif kind == "slot" and turns and event.get("name") == GEMEENTE and isinstance(event.get("value"), str):
            turns[-1].municipality_name = event["value"]
    return turns, earlier_replies


def _paused_at_start(events: Sequence[Dict[str, Any]], paused_at_end: bool) -> bool:
    changes = [event["event"] for event in events if event.get("event") in ("pause", "resume")]
    return changes[0] == "resume" if changes else paused_at_end


def _turn(event: Dict[str, Any]) -> Turn:
    parse_data = event.get("parse_data") or {}
    metadata = event.get("metadata") or {}
    topic, confidence = recognised_topic(parse_data)
    code = metadata.get(METADATA_KEY) if isinstance(metadata, dict) else None
    return Turn(
        text=str(event.get("text") or ""),
        at=float(event.get("timestamp") or 0.0),
        topic=topic,
        confidence=confidence,
        municipality_code=code if isinstance(code, str) and code else None,
    )


def recognised_topic(parse_data: Dict[str, Any]) -> Tuple[str, float]:
    """The topic Wegwijzer recognised and how sure it was: the intent, or for the knowledge base
    the entry (named by a button, or chosen by the knowledge selector, with its confidence)."""
    intent = parse_data.get("intent") or {}
    name, confidence = str(intent.get("name") or ""), float(intent.get("confidence") or 0.0)
    if name != RETRIEVAL_INTENT:
        return name, confidence
    for entity in parse_data.get("entities") or []:
        if entity.get("entity") == ENTRY_ENTITY and entity.get("value"):
            return f"{RETRIEVAL_INTENT}/{entity['value']}", 1.0
    selected = ((parse_data.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}).get("response") or {}
    key = str(selected.get("intent_response_key") or "")
    return (key, float(selected.get("confidence") or 0.0)) if key else (name, confidence)
