"""What Prometheus reads at /metrics: one registry per process kind, the counting functions the
Rasa plug-ins and the action server call, and the closed route that shows them. Without Rasa
(prometheus-client and Sanic only), so that the tests and the action server can import it.

Rasa server (SERVER, the route added by assistant/rasa_plugins/rasa_server.py):

- wegwijzer_turns_total{channel, municipality}: turns answered (by channels.answer_surely);
- wegwijzer_turn_seconds{channel}: how long a turn took, 10 ms to 20 s (the turn's time limit);
- wegwijzer_turn_faults_total{kind}: turns that ended in the kind fault message, by cause;
- wegwijzer_fallbacks_total{municipality}: messages Wegwijzer did not understand, and
- wegwijzer_handovers_total{municipality}: chats with an employee that began, both read from the
  events the tracker store saves (assistant/conversations/turns.py decides what a turn was);
- wegwijzer_refused_messages_total{reason}: messages not passed on (too long, not text).

Action server (ACTIONS): wegwijzer_action_calls_total, wegwijzer_action_seconds and
wegwijzer_action_errors_total, each by action.

Label values are bounded, so that nobody can grow the server's memory or Prometheus' series by
what they send: a municipality is a CBS code the directory knows, else "onbekend"; an action
is one the action server has, else "onbekend"; channels, kinds and reasons are our own names.
Nothing a resident typed is ever a label.

/metrics answers 404 while WEGWIJZER_METRICS_TOKEN is empty (closed, as if it were not there),
401 without `Authorization: Bearer <token>`, and the metrics with it. Each process counts for
itself: Prometheus scrapes every replica.
"""

import hmac
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Collection, Dict, Iterator, Optional, Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, ProcessCollector, disable_created_metrics
from prometheus_client.exposition import choose_encoder
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.content import municipal_directory
from assistant.conversations.turns import NOT_UNDERSTOOD, Turn
from assistant.settings import METRICS_TOKEN

METRICS_PATH = "/metrics"
UNKNOWN = "onbekend"
# Why a turn ended in the kind fault message (wegwijzer_turn_faults_total's kind).
TIMEOUT, STORE, LOCK, ACTION_SERVER, ERROR, SILENT = "timeout", "store", "lock", "action_server", "error", "silent"
FAULT_KINDS = (TIMEOUT, STORE, LOCK, ACTION_SERVER, ERROR, SILENT)
TURN_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, float("inf"))
ACTION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, float("inf"))
PAUSE_EVENT = "pause"  # Rasa's ConversationPaused: action_request_chat put the resident in the queue

disable_created_metrics()  # no *_created series beside each counter: Prometheus does not need them

SERVER = CollectorRegistry()
TURNS = Counter("wegwijzer_turns", "Turns answered", ["channel", "municipality"], registry=SERVER)
TURN_SECONDS = Histogram(
    "wegwijzer_turn_seconds", "Time to answer a turn", ["channel"], buckets=TURN_BUCKETS, registry=SERVER
)
TURN_FAULTS = Counter("wegwijzer_turn_faults", "Turns that ended in the fault message", ["kind"], registry=SERVER)
FALLBACKS = Counter("wegwijzer_fallbacks", "Messages not understood", ["municipality"], registry=SERVER)
HANDOVERS = Counter("wegwijzer_handovers", "Chats with an employee requested", ["municipality"], registry=SERVER)
REFUSED = Counter("wegwijzer_refused_messages", "Messages not passed on", ["reason"], registry=SERVER)

ACTIONS = CollectorRegistry()
ACTION_CALLS = Counter("wegwijzer_action_calls", "Custom action calls", ["action"], registry=ACTIONS)
ACTION_SECONDS = Histogram(
    "wegwijzer_action_seconds", "Time to run a custom action", ["action"], buckets=ACTION_BUCKETS, registry=ACTIONS
)
ACTION_ERRORS = Counter("wegwijzer_action_errors", "Custom actions that failed", ["action"], registry=ACTIONS)

for _kind in FAULT_KINDS:
    TURN_FAULTS.labels(_kind)  # every kind shown from the start at 0, so that a rate over it works
for _registry in (SERVER, ACTIONS):
    ProcessCollector(registry=_registry)  # memory, CPU and open files of this process


# --- Labels ---------------------------------------------------------------------------------


def municipality_label(code: Any = None, name: Any = None) -> str:
    """The CBS code the directory knows for `code` ("GM0363") or else for the official name
    `name` ("Amsterdam", the slot gemeente); "onbekend" for anything else."""
    try:
        if isinstance(code, str) and code and municipal_directory.shared().by_code(code):
            return code.strip().upper()
        if isinstance(name, str) and name:
            return municipal_directory.municipality_code(name) or UNKNOWN
    except Exception:  # noqa: BLE001 - a figure is not worth a failed turn: the directory has its own checks
        pass
    return UNKNOWN


def action_label(name: Any, known: Collection[str]) -> str:
    return name if isinstance(name, str) and name in known else UNKNOWN


# --- The Rasa server's turns ----------------------------------------------------------------


@dataclass
class TurnNote:
    """What one turn learns on its way: the tracker store notes the conversation's municipality,
    the input channel the fault that ended the turn."""

    municipality: Optional[str] = None
    fault: Optional[str] = None


# The running turn's note. The tracker store saves inside the turn's task (whose context is a copy
# of the channel's, holding the same note), so it finds the note without knowing the channel.
_current_turn: ContextVar[Optional[TurnNote]] = ContextVar("wegwijzer_turn", default=None)


@contextmanager
def turn_measured(channel: str, preset_municipality: Any = None) -> Iterator[TurnNote]:
    """Counts and times the turn of the block once it has been answered. The municipality is the
    one the tracker store noted, else the widget's preset (`preset_municipality`, metadata)."""
    note, started = TurnNote(), time.perf_counter()
    token = _current_turn.set(note)
    try:
        yield note
    finally:
        _current_turn.reset(token)
    municipality = note.municipality or municipality_label(preset_municipality)
    TURNS.labels(channel, municipality).inc()
    TURN_SECONDS.labels(channel).observe(time.perf_counter() - started)
    if note.fault:
        TURN_FAULTS.labels(note.fault).inc()


def count_saved_events(events: Sequence[Dict[str, Any]], turns: Sequence[Turn], municipality: Optional[str]) -> None:
    """The fallbacks and handovers among the events one save of the tracker store added (masked
    event dicts; `turns`: as the conversation log reads them, `read_turns`), under the
    conversation's municipality: as in the log, the widget's preset in these events, else
    `municipality` (the slot's official name)."""
    preset = next((turn.municipality_code for turn in turns if turn.municipality_code), None)
    label = municipality_label(preset, municipality)
    not_understood = sum(turn.outcome == NOT_UNDERSTOOD for turn in turns)
    handovers = sum(event.get("event") == PAUSE_EVENT for event in events)
    if not_understood:
        FALLBACKS.labels(label).inc(not_understood)
    if handovers:
        HANDOVERS.labels(label).inc(handovers)
    note = _current_turn.get()
    if note is not None and label != UNKNOWN:
        note.municipality = label


def count_refusal(reason: str) -> None:
    REFUSED.labels(reason).inc()


# --- The action server ----------------------------------------------------------------------


def count_action_call(action: str, seconds: float, failed: bool) -> None:
    ACTION_CALLS.labels(action).inc()
    ACTION_SECONDS.labels(action).observe(seconds)
    if failed:
        ACTION_ERRORS.labels(action).inc()


# --- /metrics -------------------------------------------------------------------------------


def bearer_matches(authorization: Optional[str], token: str) -> bool:
    """The header is `Bearer <token>` (compared in constant time)."""
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def metrics_response(registry: CollectorRegistry, authorization: Optional[str], accept: str = "") -> HTTPResponse:
    """The registry in Prometheus' text format (or OpenMetrics, when asked), for the token only."""
    token = METRICS_TOKEN.get()
    if not token:
        return response.text("Not Found", status=404)
    if not bearer_matches(authorization, token):
        challenge = {"WWW-Authenticate": "Bearer"}
        return response.json({"error": "a bearer token is required"}, status=401, headers=challenge)
    encode, content_type = choose_encoder(accept)
    return response.raw(encode(registry), content_type=content_type)


def add_metrics_route(app: Sanic, registry: CollectorRegistry) -> None:
    """GET /metrics on `app`, at the root (Rasa's channels live under /webhooks/)."""

    async def metrics(request: Request) -> HTTPResponse:
        return metrics_response(registry, request.headers.get("Authorization"), request.headers.get("Accept", ""))

    app.add_route(metrics, METRICS_PATH, methods=["GET"], name="wegwijzer_metrics")
