"""What may enter the assistant: limits on a resident's message, the conversation id, the
metadata and a REST turn's Idempotency-Key, checked by the input channels
(assistant/rasa_plugins/channels.py) before NLU, redaction or the tracker store see anything.

A resident's question fits in MAX_MESSAGE_LENGTH characters: the longest message in the NLU
test sets has a few hundred, and the widget's text box stops at this length and says so. A
longer message gets a kind request for a shorter one. One message of 100 kB froze every
conversation for up to 100 s (NLU and the old e-mail pattern grow with its length).
"""

import json
import re
from enum import Enum
from typing import Any, Optional

MAX_MESSAGE_LENGTH = 1000  # characters; also the widget's maxlength (assistant/web/public/widget/widget.js)
MAX_SENDER_ID_LENGTH = 128  # characters; the widget's session ids have 32, UUIDs 36
MAX_METADATA_BYTES = 2048  # as JSON; the widget sends {"gemeente": "GM0363"}
MAX_REQUEST_BYTES = 16 * 1024  # a REST request body; anything larger is not a resident's message
TURN_KEY = re.compile(r"[A-Za-z0-9._:-]{1,100}")  # HAProxy's keys have about 50 of these characters


class Refusal(str, Enum):
    """Why a message was not passed on; each has a kind answer (messages.yml: invoer_<value>)."""

    TOO_LONG = "te_lang"
    NOT_TEXT = "geen_tekst"


def sender_problem(sender_id: Any) -> Optional[str]:
    """Why `sender_id` cannot name a conversation, or None. Without it, every client without a
    sender would share one conversation ("default")."""
    if not isinstance(sender_id, str) or not sender_id.strip():
        return "'sender' is missing or empty: give every conversation its own id"
    if len(sender_id) > MAX_SENDER_ID_LENGTH:
        return f"'sender' is longer than {MAX_SENDER_ID_LENGTH} characters"
    return None


def metadata_problem(metadata: Any) -> Optional[str]:
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        return "'metadata' must be a JSON object"
    if len(json.dumps(metadata, ensure_ascii=False).encode("utf-8")) > MAX_METADATA_BYTES:
        return f"'metadata' is larger than {MAX_METADATA_BYTES} bytes"
    return None


def turn_key_problem(key: Optional[str]) -> Optional[str]:
    """Why a REST turn's Idempotency-Key cannot be one, or None (also when there is none)."""
    if key is None or TURN_KEY.fullmatch(key):
        return None
    return "the Idempotency-Key header: at most 100 letters, digits and . _ : -"


def message_refusal(text: Any) -> Optional[Refusal]:
    """Why a message is not passed on to NLU, or None. An empty message is passed on: the
    assistant answers it kindly itself."""
    if text is not None and not isinstance(text, str):
        return Refusal.NOT_TEXT
    if text and len(text.strip()) > MAX_MESSAGE_LENGTH:  # Rasa strips the text; so do the counts
        return Refusal.TOO_LONG
    return None
