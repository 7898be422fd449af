"""How every process Wegwijzer starts writes its log: the masking of assistant/log_privacy.py on
every handler, and with WEGWIJZER_LOG_FORMAT=json one JSON object per line, for a log collector
(Kubernetes, Loki, Elasticsearch) to read without parsing text:

    {"time": "2026-03-02T09:15:27.512Z", "level": "ERROR", "logger": "assistant.rasa_plugins.channels",
     "role": "rasa", "message": "A turn failed: ValueError"}

with "exception" (the type's name) and "traceback" (masked, without frame locals) when a record
carries an exception, and "fields" for a structured log event of Rasa's (structlog writes them
as JSON text: its "event" becomes the message, its other keys the fields, hidden or masked by
assistant/rasa_plugins/rasa_logging.py). No conversation id is written: the project keeps none
for logs, and a resident's session id is not for the log.

The formatter masks a record itself when no filter did, so that JSON never bypasses the masking.

    log_format.install(log_format.ACTIONS)   # after the process has set up its logging
"""

import json
import logging
from datetime import datetime, timezone
from typing import Any, Dict, Optional, Tuple

from assistant import log_privacy
from assistant.settings import LOG_FORMAT

RASA, ACTIONS, WEB, CLI = "rasa", "actions", "web", "cli"  # the process roles
JSON = "json"
_STRUCTLOG_KEYS = ("event", "level", "timestamp")  # said by the line itself


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line, masked."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def format(self, record: logging.LogRecord) -> str:
        log_privacy.mask(record)
        message, fields = structured(record.getMessage())
        entry: Dict[str, Any] = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "role": self.role,
            "message": message,
        }
        if fields:
            entry["fields"] = fields
        if getattr(record, "exception_type", None):
            entry["exception"] = record.exception_type
        if record.exc_text:
            entry["traceback"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def utc_time(created: float) -> str:
    """ISO 8601 in UTC, to the millisecond: "2026-03-02T09:15:27.512Z"."""
    return datetime.fromtimestamp(created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def structured(message: str) -> Tuple[str, Optional[Dict[str, Any]]]:
    """A structlog event's JSON text as (its event, its other keys); any other message as it is."""
    if not message.startswith("{"):
        return message, None
    try:
        event = json.loads(message)
    except ValueError:
        return message, None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        return message, None
    return event["event"], {key: value for key, value in event.items() if key not in _STRUCTLOG_KEYS}


def install(role: str) -> None:
    """Masking on every handler of this process (assistant/log_privacy.py), and the JSON format on
    each when WEGWIJZER_LOG_FORMAT is json. Call it again after a library added handlers."""
    log_privacy.install()
    if LOG_FORMAT.get().lower() != JSON:
        return
    for handler in log_privacy.every_handler():
        if not isinstance(handler.formatter, JsonFormatter):
            handler.setFormatter(JsonFormatter(role))
