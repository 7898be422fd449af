"""The Rasa server's logs without what residents typed. Imported by the Rasa plug-ins Rasa
loads at start (assistant/rasa_plugins/channels.py, assistant/rasa_plugins/tracker_store.py), after Rasa has set up its
logging:

- Rasa's structured log events (structlog) name the message, slots and events under keys such
  as "text" and "rasa_events"; Rasa Pro masks them with an anonymisation pipeline, Rasa Open
  Source writes them as they are. A processor in front replaces their values here.
- Structured tracebacks are written without frame locals (they held the message itself).
- Every log handler gets assistant.log_privacy's filter: personal data masked in whatever
  else is written, warnings included; with WEGWIJZER_LOG_FORMAT=json every handler writes JSON
  lines (assistant/log_format.py), Rasa's structured events as a message with fields.

install() runs again once Rasa's Sanic app exists (assistant/rasa_plugins/rasa_server.py): Sanic's
loggers get their handlers only then.
"""

from typing import Any, Dict

import structlog
from structlog.processors import ExceptionRenderer
from structlog.tracebacks import ExceptionDictTransformer

from assistant import log_format
from assistant.privacy import redact

# Rasa's own list of the event keys that may hold what a resident typed (rasa.utils.log_utils).
RESIDENT_KEYS = frozenset(
    {
        "text",
        "response_text",
        "user_text",
        "slot_values",
        "parse_data_text",
        "parse_data_entities",
        "prediction_events",
        "tracker_latest_message",
        "prefilled_slots",
        "message",
        "response",
        "slot_candidates",
        "rasa_event",
        "rasa_events",
        "tracker_states",
        "current_states",
        "old_states",
        "successes",
        "current_entity",
        "next_entity",
        "states",
        "entity",
        "token_text",
        "user_message",
        "json_message",
    }
)
HIDDEN = "[niet gelogd]"
NO_LOCALS = ExceptionRenderer(ExceptionDictTransformer(show_locals=False))


def hide_resident_text(_: Any, __: str, event: Dict[str, Any]) -> Dict[str, Any]:
    """A structlog processor: the values of RESIDENT_KEYS hidden, the rest masked."""
    return {
        key: HIDDEN if key in RESIDENT_KEYS else redact(value) if isinstance(value, str) else value
        for key, value in event.items()
    }


def _without_locals(processor: Any) -> Any:
    if processor is structlog.processors.dict_tracebacks:
        return NO_LOCALS
    if isinstance(processor, structlog.dev.ConsoleRenderer):
        processor._exception_formatter = structlog.dev.plain_traceback  # not rich's, which shows locals
    return processor


def install() -> None:
    processors = [_without_locals(processor) for processor in structlog.get_config()["processors"]]
    if hide_resident_text not in processors:
        structlog.configure(processors=[hide_resident_text, *processors])
    log_format.install(log_format.RASA)


install()
