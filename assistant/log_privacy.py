"""Nothing a resident typed in the logs: a filter on every log handler of a process masks
what assistant/privacy.py masks, in the message and in exception texts, and drops the frame
locals that structured tracebacks carry (they held the message itself).

Installed by each process Wegwijzer starts: the Rasa server (assistant/rasa_plugins/rasa_logging.py, which
also covers Rasa's structured log events), the action server and the command line.
"""

import json
import logging
import re
import traceback
from typing import Any

from assistant.privacy import redact

_JSON_OBJECT = re.compile(r"^\s*\{.*\}\s*$", re.DOTALL)


def without_locals(data: Any) -> Any:
    """A JSON-like structure without any "locals" entry (structured tracebacks' frame locals)."""
    if isinstance(data, dict):
        return {key: without_locals(value) for key, value in data.items() if key != "locals"}
    if isinstance(data, list):
        return [without_locals(item) for item in data]
    return data


def scrub(text: str) -> str:
    """A log line as it may be written: personal data masked, frame locals dropped."""
    if _JSON_OBJECT.match(text):
        try:
            text = json.dumps(without_locals(json.loads(text)), ensure_ascii=False)
        except ValueError:
            pass
    return redact(text)


class RedactingFilter(logging.Filter):
    """Rewrites each record before a handler writes it (a filter on a handler sees every record
    that reaches it, also those of other loggers that propagate)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a record whose arguments do not fit its message: keep only the message
            message = str(record.msg)
        if record.exc_info:
            exception = "".join(traceback.format_exception(*record.exc_info))
            message = f"{message}\n{exception}"
            record.exc_info = None
        record.exc_text = None
        record.msg, record.args = scrub(message), ()
        return True


def install() -> None:
    """Puts the filter on every handler of the root logger, and sends Python warnings (which
    may quote a message) through logging, so that they pass it too."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO)
    for handler in root.handlers:
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
