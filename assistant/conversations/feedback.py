"""Residents' feedback on an answer: "Heeft dit antwoord u geholpen?" in the widget.

After an answer the action sends FEEDBACK_REQUEST (a message without text); the widget shows
Ja / Nee and an optional comment, and sends them over socket.io as the event `feedback`:
{"session_id": ..., "turn": n, "helped": true|false, "comment": "..."}, where turn n is the
n-th message the widget sent in that conversation. The comment is masked like everything a
resident types (assistant.privacy.redact) before it is kept.
"""

from dataclasses import dataclass
from typing import Any, Optional

from assistant.privacy import redact

FEEDBACK_REQUEST = {"type": "feedback_request"}
MAX_COMMENT = 500  # characters, as the widget's comment field allows
MAX_TURN = 10_000  # far beyond any conversation: a larger number is not a turn


@dataclass(frozen=True)
class Feedback:
    session_id: str
    turn: int
    helped: bool
    comment: Optional[str]  # masked; None when the resident wrote nothing


def read_feedback(data: Any) -> Optional[Feedback]:
    """The widget's feedback event as kept, or None when it is not one (wrong types, too long)."""
    if not isinstance(data, dict):
        return None
    session_id, turn, helped, comment = (data.get(key) for key in ("session_id", "turn", "helped", "comment"))
    if not isinstance(session_id, str) or not session_id or len(session_id) > 255:
        return None
    if not isinstance(turn, int) or isinstance(turn, bool) or not 1 <= turn <= MAX_TURN:
        return None
    if not isinstance(helped, bool) or not (comment is None or isinstance(comment, str)):
        return None
    if comment is not None and len(comment) > MAX_COMMENT:
        return None
    kept = redact(comment.strip()) if comment and comment.strip() else None
    return Feedback(session_id, turn, helped, kept)
