"""Nothing a resident typed in the logs: a filter on every log handler of a process masks
what assistant/privacy.py masks, in the message and in exception texts, and drops the frame
locals that structured tracebacks carry (they held the message itself).

Installed by each process Wegwijzer starts, through assistant/log_format.py (which also writes
JSON lines when asked): the Rasa server (assistant/rasa_plugins/rasa_logging.py, which also covers
Rasa's structured log events), the action server, the web server and the command line. "Every
handler" is the root logger's, those of other loggers that have their own (Sanic's), and Python's
last resort, which writes the records of a logger without handlers (Sanic's in the Rasa server).

A masked record keeps its message in `msg` and its traceback, masked, in `exc_text` (where
logging's formatters write it from), and the exception's type name in `exception_type`.
"""

import json
import logging
import re
import traceback
from typing import Any, List, Optional

from assistant.privacy import redact

_JSON_OBJECT = re.compile(r"^\s*\{.*\}\s*$", re.DOTALL)
MASKED = "wegwijzer_masked"  # set on a record once masked: a second handler need not mask it again


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
        mask(record)
        return True


def mask(record: logging.LogRecord) -> None:
    """The record as it may be written: message and traceback masked, the traceback as text."""
    if getattr(record, MASKED, False) and not record.exc_info:
        return
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a record whose arguments do not fit its message: keep only the message
        message = str(record.msg)
    exception = _exception_text(record)
    if record.exc_info and record.exc_info[0] is not None:
        record.exception_type = record.exc_info[0].__name__
    record.msg, record.args, record.exc_info = scrub(message), (), None
    record.exc_text = scrub(exception) if exception else None  # never a text a handler cached unmasked
    setattr(record, MASKED, True)


def _exception_text(record: logging.LogRecord) -> Optional[str]:
    if record.exc_info:
        return "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
    return record.exc_text


def every_handler() -> List[logging.Handler]:
    """The handlers of the root logger and of every other logger, and the last resort."""
    loggers = [logging.getLogger()] + [
        logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    handlers = [handler for logger in loggers for handler in logger.handlers]
    if logging.lastResort is not None:
        handlers.append(logging.lastResort)
    return list({id(handler): handler for handler in handlers}.values())


def install() -> None:
    """Puts the filter on every handler (a basic one on the root logger when it has none), and
    sends Python warnings (which may quote a message) through logging, so that they pass it too."""
    logging.captureWarnings(True)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO)
    for handler in every_handler():
        if not any(isinstance(existing, RedactingFilter) for existing in handler.filters):
            handler.addFilter(RedactingFilter())
