"""Trackers and dispatchers for running rasa-sdk actions in a test, without a Rasa server."""

from typing import Any, Dict, List, Optional

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from assistant.conversations.feedback import FEEDBACK_REQUEST
from assistant.settings import DOMAIN_FILE

DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))


def make_tracker(
    intent: str,
    text: str = "",
    entities: Optional[List[Dict[str, Any]]] = None,
    slots: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
    channel: str = "rest",
) -> Tracker:
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text}
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    return [message["text"] for message in dispatcher.messages if message.get("text")]


def answer(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The messages of an answer, checked to end with the request for the resident's feedback."""
    *given, last = messages
    assert last["custom"] == FEEDBACK_REQUEST and not last.get("text"), "an answer ends by asking for feedback"
    return given
