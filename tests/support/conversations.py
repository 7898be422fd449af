"""Stored events as the tracker store keeps them (Rasa's event dicts), for the conversation log's tests."""

from typing import Any, Dict, List, Optional

from assistant.conversations.store import ConversationLog
from assistant.conversations.turns import read_turns

CODES = {"Ede": "GM0228", "Utrecht": "GM0344"}


def user(text: str, intent: str, at: float, confidence: float = 0.9, gemeente: Optional[str] = None, **parse: Any):
    parse_data = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [], **parse}
    metadata = {"gemeente": gemeente} if gemeente else {}
    return {"event": "user", "text": text, "timestamp": at, "parse_data": parse_data, "metadata": metadata}


def bot(text: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}}


def action(name: str) -> Dict[str, Any]:
    return {"event": "action", "name": name}


def slot(name: str, value: Any) -> Dict[str, Any]:
    return {"event": "slot", "name": name, "value": value}


def answered(text: str, at: float, topic: str = "pgb_wat", gemeente: Optional[str] = None) -> List[Dict[str, Any]]:
    """One turn that got an answer."""
    return [user(text, topic, at, gemeente=gemeente), action("action_answer_question"), bot(f"Antwoord op {text}")]


def not_understood(text: str, at: float, gemeente: Optional[str] = None) -> List[Dict[str, Any]]:
    return [
        user(text, "nlu_fallback", at, confidence=0.3, gemeente=gemeente),
        action("action_two_stage_fallback"),
        action("action_default_ask_affirmation"),
        bot("Bedoelt u een van deze vragen?"),
    ]


def wants_a_person(at: float, gemeente: Optional[str] = None) -> List[Dict[str, Any]]:
    return [user("ik wil een mens spreken", "human_handover", at, gemeente=gemeente), action("handover_form")]


def asks_to_chat(at: float, gemeente: Optional[str] = None) -> List[Dict[str, Any]]:
    """The resident chooses to chat: Wegwijzer pauses (actions/handover_form.py)."""
    return [
        user("/chat_request", "chat_request", at, confidence=1.0, gemeente=gemeente),
        action("chat_form"),
        action("action_request_chat"),
        bot("Ik zoek een medewerker van de gemeente voor u."),
        {"event": "pause"},
    ]


def from_employee(text: str, municipality: str) -> Dict[str, Any]:
    return {"event": "bot", "text": text, "data": {}, "metadata": {"medewerker": municipality}}


def handed_back() -> List[Dict[str, Any]]:
    return [{"event": "resume"}, bot("De medewerker heeft het gesprek afgesloten."), action("action_listen")]


def record(log: ConversationLog, sender: str, events: List[Dict[str, Any]], paused: bool = False) -> None:
    """One save of the tracker store; `paused`: Wegwijzer is paused after it."""
    log.record(sender, *read_turns(events, paused), CODES.get)
