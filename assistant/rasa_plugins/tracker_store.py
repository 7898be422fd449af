"""Rasa's SQL tracker store, storing every event with personal data masked or hidden.

Configured in endpoints.yml. Works with SQLite (default) and PostgreSQL. Rasa reads the
stored events back each turn, so the masked text is all that lives on after a turn.

After each turn, the turn is added to the conversation log (assistant/conversations/store.py)
in the same database, for the staff app; expired conversations are wiped there too. Its messages
not understood and its chats with an employee are counted for /metrics under the conversation's
municipality (assistant/rasa_plugins/metrics.py), which the running turn's count takes over.

The callback form keeps its answers sealed (assistant.helpdesk.callbacks.seal) in its slots; what
a resident types while that form asks for a name, phone number or question is hidden
(assistant.privacy.protect_events).

A conversation is deleted CONVERSATION_DAYS after its last message (`conversation_days` in
endpoints.yml). Each server checks at most once an hour, when it saves a turn.

A turn that comes again with the key it came with the first time (REST's Idempotency-Key header,
which the load balancer adds: assistant/runtime/load_balancer.py) is answered with what the first
time stored, and not run twice: a balancer sends a turn again when its server stopped before it
answered, and that server may have stored it already. The input channel names the running
turn's key (RUNNING_TURN_KEY); the read that starts the turn finds it among the stored messages
and raises TurnAlreadyAnswered with the stored answer.

A store that cannot be read or written (locked, read-only, its tables gone) is tried again a
few times (RETRY_DELAYS); then StoreUnavailable reaches the input channel, which tells the
resident to try again in a moment. Rasa would wrap this store in its FailSafeTrackerStore,
which reads a conversation it cannot read as a new one (a wrong answer) and keeps a turn it
cannot write only in memory (a lost turn): StoreUnavailable is a BaseException so that it
passes that wrapper's `except Exception`. `store_is_up()` tells the health check.
"""

import asyncio
import logging
import time
from contextvars import ContextVar
from itertools import islice
from typing import Any, Awaitable, Callable, Dict, Iterable, Iterator, List, Optional, TypeVar

import sqlalchemy as sa
from rasa.core.processor import MAX_NUMBER_OF_PREDICTIONS
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.content.municipal_directory import municipality_code
from assistant.conversations.store import ConversationLog
from assistant.conversations.turns import read_turns
from assistant.flows.gemeente import GEMEENTE
from assistant.privacy import REQUESTED_SLOT, protect_events
from assistant.rasa_plugins import (
    metrics,
    rasa_logging,  # noqa: F401 - keeps what residents type out of the Rasa server's logs
)

logger = logging.getLogger(__name__)
RETRY_DELAYS = (0.2, 0.5, 1.0)  # seconds between attempts: about 2 s in all, besides SQLite's busy wait
SQLITE_BUSY_MS = 500  # how long SQLite waits for a lock per attempt (its default, 5 s, kept residents waiting)
Result = TypeVar("Result")


class StoreUnavailable(BaseException):
    """The conversation store could not be read or written, also after retrying."""


_failing = False  # the last read or write failed, also after retries

RUNNING_TURN_KEY: ContextVar[Optional[str]] = ContextVar("wegwijzer_running_turn_key", default=None)
ANSWER_PARTS = ("text", "buttons", "quick_replies", "image", "attachment", "custom", "elements")


class TurnAlreadyAnswered(BaseException):
    """The running turn's message is stored already: `messages` is its stored answer, as an
    output channel's send_response takes it. A BaseException, like StoreUnavailable, so that it
    passes Rasa's `except Exception` on its way to the input channel."""

    def __init__(self, messages: List[Dict[str, Any]]) -> None:
        super().__init__("answered before")
        self.messages = messages


def stored_answer(events: Iterable[Event], key: str) -> Optional[List[Dict[str, Any]]]:
    """What Wegwijzer answered to the user message with message id `key`, or None when no
    stored message has that id."""
    answer: Optional[List[Dict[str, Any]]] = None
    for event in events:
        if isinstance(event, UserUttered):
            if answer is not None:
                break
            if event.message_id == key:
                answer = []
        elif answer is not None and isinstance(event, BotUttered):
            parts = {"text": event.text, **(event.data or {})}
            answer.append({part: parts[part] for part in ANSWER_PARTS if parts.get(part) is not None})
    return answer


def _succeeded(result: Result) -> Result:
    global _failing
    _failing = False
    return result


def store_is_up() -> bool:
    """For the health check: the last read or write succeeded (or none failed yet)."""
    return not _failing


def last_requested_slot(events: Iterable[Event]) -> Optional[str]:
    """The slot the active form asked for after `events`: the last value set for requested_slot."""
    requested = None
    for event in events:
        if isinstance(event, SlotSet) and event.key == REQUESTED_SLOT:
            requested = event.value
    return requested


def stopped_by_circuit_breaker(tracker: DialogueStateTracker, limit: int) -> bool:
    """The turn ended after `limit` actions without listening: Rasa's circuit breaker stopped it."""
    actions = 0
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted):
            if event.action_name in (ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME):
                return False
            actions += 1
            if actions >= limit:
                return True
    return False


CONVERSATION_DAYS = 30
EXPIRE_BATCH = 500  # conversations per DELETE: SQLite limits the parameters of one statement
CHECK_EVERY = 3600  # seconds between two checks for expired conversations, per server


class RedactingSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, conversation_days: float = CONVERSATION_DAYS, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(
                self.engine,
                "connect",
                lambda connection, _: connection.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}"),
            )
            self.engine.dispose()  # connections made before the listener get it too
        self.conversation_days = conversation_days
        self._next_check = 0.0
        self.log = ConversationLog(self.engine)
        self._stored: Dict[str, List[dict]] = {}  # per sender: the masked events the running save stored

    async def retrieve(self, sender_id: str) -> Optional[DialogueStateTracker]:
        tracker = await self._with_retries(lambda: super(RedactingSQLTrackerStore, self).retrieve(sender_id), "read")
        key = RUNNING_TURN_KEY.get()
        answer = stored_answer(tracker.events, key) if tracker is not None and key else None
        if answer is not None:
            logger.info("A turn sent again was answered with what it got the first time")
            raise TurnAlreadyAnswered(answer)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self._with_retries(lambda: self._save(tracker), "write")

    async def _with_retries(self, operation: Callable[[], Awaitable[Result]], what: str) -> Result:
        for delay in RETRY_DELAYS:
            try:
                return _succeeded(await operation())
            except sa.exc.SQLAlchemyError as error:
                if "no such table" in str(error):  # the database file was deleted: make the tables again
                    self.Base.metadata.create_all(self.engine)
                await asyncio.sleep(delay)
        try:
            return _succeeded(await operation())
        except sa.exc.SQLAlchemyError as error:
            global _failing
            _failing = True
            logger.error("The conversation store could not %s a conversation: %s", what, type(error).__name__)
            raise StoreUnavailable(what) from error

    async def _save(self, tracker: DialogueStateTracker) -> None:
        if stopped_by_circuit_breaker(tracker, MAX_NUMBER_OF_PREDICTIONS):  # the processor's limit
            # Rasa counts the actions since the last action_listen, across user messages: without
            # this, every later message (and /restart) would trip the breaker again and get no answer.
            logger.warning("Circuit breaker tripped for a conversation: its flow ends, the next message is answered")
            tracker.update(ActiveLoop(None))
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        await super().save(tracker)
        self._log_turn(tracker.sender_id, tracker.is_paused(), tracker.get_slot(GEMEENTE))
        if time.monotonic() >= self._next_check:
            self._next_check = time.monotonic() + CHECK_EVERY
            self.delete_expired_conversations()

    def _log_turn(self, sender_id: str, paused: bool, municipality: Optional[str] = None) -> None:
        """The turn in the conversation log for the staff app, and its fallbacks and handovers in
        /metrics under `municipality` (the slot: an official name). The turn itself is stored already:
        a log that cannot be written costs a line in the figures, not the resident's answer."""
        events = self._stored.pop(sender_id, [])
        turns, earlier_replies = read_turns(events, paused)
        metrics.count_saved_events(events, turns, municipality)
        try:
            self.log.record(sender_id, turns, earlier_replies, municipality_code)
        except sa.exc.SQLAlchemyError as error:
            logger.error("A turn could not be added to the conversation log: %s", type(error).__name__)

    def delete_expired_conversations(self, now: Optional[float] = None) -> int:
        """Delete every conversation whose last event is older than `conversation_days`, and wipe
        its texts from the conversation log; returns the number of events deleted."""
        cutoff = (time.time() if now is None else now) - self.conversation_days * 86400
        events = self.SQLEvent
        expired = sa.select(events.sender_id).group_by(events.sender_id).having(sa.func.max(events.timestamp) < cutoff)
        deleted = 0
        with self.session_scope() as session:
            senders = [row[0] for row in session.execute(expired)]
            for start in range(0, len(senders), EXPIRE_BATCH):
                batch = events.sender_id.in_(senders[start : start + EXPIRE_BATCH])
                deleted += session.query(events).filter(batch).delete(synchronize_session=False)
            session.commit()
        self.log.expire(senders)
        return deleted

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator[Event]:
        new_events = list(super()._additional_events(session, tracker))
        earlier_events = islice(tracker.events, len(tracker.events) - len(new_events))
        stored = list(protect_events([event.as_dict() for event in new_events], last_requested_slot(earlier_events)))
        self._stored[tracker.sender_id] = stored  # a write tried again replaces, never adds to, the last attempt's
        for data in stored:
            yield Event.from_parameters(data)
