"""The conversation log: one row per conversation and per turn, beside Rasa's events in the
conversation store's database, written by the tracker store after each turn
(assistant/rasa_plugins/tracker_store.py) and read by the staff app.

Texts are kept as the tracker store keeps them: masked. When a conversation expires (30 days
after its last message) its texts, replies and comments are wiped here too; the counts in
`wegwijzer_day_counts` stay, so that the figures can show a longer trend without personal data.

A conversation belongs to one municipality: the widget's preset, else the first one the resident
names. Until then it counts under "" (unknown). Counts are kept per day (Europe/Amsterdam),
municipality, measure and key; after every change the conversation's contributions are counted
again and only the difference is written, so that a late municipality, a changed feedback or a
turn saved in two parts can never count twice.
"""

import json
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple, Union
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    func,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from assistant.conversations.feedback import Feedback
from assistant.conversations.turns import ANSWERED, NO_SUBJECT, NOT_UNDERSTOOD, OPENING, PERSON, Turn
from assistant.privacy import redact
from assistant.settings import make_sqlite_folder

Base = declarative_base()
TIME_ZONE = ZoneInfo("Europe/Amsterdam")
UNKNOWN = ""  # the municipality of a conversation that has not named one
NATIONAL = "*"  # every conversation is counted under its municipality and under this: the country's figures

# What the figures count per day (DayCountRow.measure); TOPIC and HELPED with a key.
CONVERSATIONS = "gesprekken"
MESSAGES = "berichten"
NOT_UNDERSTOOD_MESSAGES = "niet begrepen"
PERSON_CONVERSATIONS = "mens"
TOPIC = "onderwerp"
HELPED = "geholpen"  # key "ja" or "nee"

REVIEWER_TAG = "opmerking Wmo-raad"  # a reply a reviewer marked in a try-out, with a comment
TAGS = ("goed", "fout antwoord", "onderwerp ontbreekt", REVIEWER_TAG)
FLAGS = ("fout antwoord", "onderwerp ontbreekt", REVIEWER_TAG)  # tags that make a message a suggestion
# Conversations of reviewers, not residents: a try-out in the staff app, a test conversation.
# They are kept and can be reviewed, but the figures leave them out.
TRIAL_PREFIX = "proef-"
TEST_PREFIX = "testgesprek-"


class ConversationRow(Base):
    __tablename__ = "wegwijzer_conversations"
    id = Column(Integer, primary_key=True)
    sender_id = Column(String(255), unique=True)  # None once expired: the sender may start afresh
    reference = Column(String(16), unique=True, nullable=False)  # in the staff app's addresses, never the sender id
    municipality_code = Column(String(8))
    started_at = Column(Float, nullable=False)
    last_at = Column(Float, nullable=False)
    messages = Column(Integer, nullable=False, default=0)  # the resident's own messages
    not_understood = Column(Integer, nullable=False, default=0)
    wanted_person = Column(Boolean, nullable=False, default=False)
    feedback = Column(String(8))  # "ja", "nee", "beide" or None: for the filter
    expired = Column(Boolean, nullable=False, default=False)
    __table_args__ = (Index("wegwijzer_conversations_by_municipality", "municipality_code", "last_at"),)


class TurnRow(Base):
    __tablename__ = "wegwijzer_turns"
    id = Column(Integer, primary_key=True)
    conversation_id = Column(Integer, ForeignKey("wegwijzer_conversations.id"), nullable=False)
    position = Column(Integer, nullable=False)  # the n-th message of the conversation, from 1
    at = Column(Float, nullable=False)
    municipality_code = Column(String(8))  # the conversation's, for the figures page's not-understood messages
    text = Column(Text)  # masked; None once the conversation expired
    topic = Column(String(160), nullable=False)
    confidence = Column(Float, nullable=False)
    outcome = Column(String(16), nullable=False)
    replies = Column(Text)  # JSON list of Wegwijzer's texts, masked; None once expired
    helped = Column(Boolean)  # the resident's feedback on the reply
    comment = Column(Text)  # masked
    tag = Column(String(32))
    tag_topic = Column(String(160))  # the topic the employee says the message should have had
    tagged_by = Column(String(64))
    tagged_at = Column(Float)
    __table_args__ = (
        UniqueConstraint("conversation_id", "position", name="wegwijzer_turns_position"),
        Index("wegwijzer_turns_by_topic", "topic", "conversation_id"),
        Index("wegwijzer_turns_by_outcome", "outcome", "at"),
        Index("wegwijzer_turns_by_municipality", "municipality_code", "outcome", "at"),
        Index("wegwijzer_turns_by_tag", "tag", "at"),
    )


class DayCountRow(Base):
    __tablename__ = "wegwijzer_day_counts"
    day = Column(Date, primary_key=True)
    municipality_code = Column(String(8), primary_key=True)
    measure = Column(String(16), primary_key=True)
    key = Column(String(160), primary_key=True)
    count = Column(Integer, nullable=False)
    __table_args__ = (Index("wegwijzer_day_counts_by_municipality", "municipality_code", "day"),)


CountKey = Tuple[date, str, str]  # day, measure, key


@dataclass(frozen=True)
class TurnView:
    position: int
    at: datetime
    text: str
    topic: str
    confidence: float
    outcome: str
    replies: List[str]
    helped: Optional[bool]
    comment: Optional[str]
    tag: Optional[str]
    tag_topic: Optional[str]
    tagged_by: Optional[str]


@dataclass(frozen=True)
class ConversationView:
    reference: str
    municipality_code: Optional[str]
    started_at: datetime
    last_at: datetime
    messages: int
    not_understood: int
    wanted_person: bool
    feedback: Optional[str]
    trial: bool = False  # a reviewer's try-out or test conversation, not a resident's


@dataclass(frozen=True)
class ConversationFilter:
    """What the conversations page asks for; None or empty: no condition."""

    scope: Optional[Sequence[str]] = None  # municipalities; None: all (a beheerder)
    since: Optional[float] = None
    until: Optional[float] = None
    topic: Optional[str] = None
    not_understood: bool = False
    wanted_person: bool = False
    feedback: Optional[str] = None  # "ja", "nee" or "" (any)


@dataclass(frozen=True)
class FlaggedMessage:
    reference: str
    municipality_code: Optional[str]
    text: str
    topic: str
    tag: str
    tag_topic: Optional[str]
    at: datetime


def day_counts(turns: Iterable[TurnRow], wanted_person: bool) -> Counter:
    """The day counts of one conversation's turns (in order, the widget's opening left out):
    (day, measure, key) -> count. The one place that says what the figures count."""
    counts: Counter = Counter()
    first_day: Optional[date] = None
    for turn in turns:
        day = local_day(turn.at)
        first_day = first_day or day
        counts[(day, MESSAGES, "")] += 1
        if turn.outcome == ANSWERED and turn.topic not in NO_SUBJECT:
            counts[(day, TOPIC, turn.topic)] += 1
        if turn.outcome == NOT_UNDERSTOOD:
            counts[(day, NOT_UNDERSTOOD_MESSAGES, "")] += 1
        if turn.helped is not None:
            counts[(day, HELPED, "ja" if turn.helped else "nee")] += 1
    if first_day is not None:
        counts[(first_day, CONVERSATIONS, "")] += 1
        if wanted_person:
            counts[(first_day, PERSON_CONVERSATIONS, "")] += 1
    return counts


def feedback_summary(helped: Iterable[Optional[bool]]) -> Optional[str]:
    """A conversation's feedback for the filter: "ja", "nee", "beide", or None without any."""
    given = set(helped) - {None}
    return {(True,): "ja", (False,): "nee"}.get(tuple(given), "beide" if given else None)


def local_day(timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, TIME_ZONE).date()


def _moment(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, timezone.utc)


class ConversationLog:
    def __init__(self, target: Union[str, Engine]) -> None:
        if isinstance(target, str):
            make_sqlite_folder(target)
            target = create_engine(target)
        self.engine = target
        Base.metadata.create_all(self.engine)

    # --- Writing: the Rasa server, after each turn ------------------------------------------

    def record(
        self,
        sender_id: str,
        turns: Sequence[Turn],
        earlier_replies: Sequence[str],
        code_for_name: Callable[[str], Optional[str]],
    ) -> None:
        """Adds one save of the tracker store, as `read_turns` reads it (its turns, and the bot
        texts that end an earlier turn), to the conversation of `sender_id`; `code_for_name` gives
        a municipality's CBS code for its name."""
        if not turns and not earlier_replies:
            return
        with Session(self.engine) as session:
            conversation = self._conversation(session, sender_id, turns[0].at if turns else None)
            if conversation is None:
                return
            before = self._contributions(session, conversation)
            if earlier_replies:
                self._add_replies(session, conversation, earlier_replies)
            for turn in turns:
                self._add_turn(session, conversation, turn, code_for_name)
            self._count_changes(session, conversation, before)
            session.commit()

    def record_feedback(self, feedback: Feedback) -> bool:
        """Keeps the resident's feedback on a reply (the latest wins); False when the conversation
        or turn is not known."""
        with Session(self.engine) as session:
            conversation = session.query(ConversationRow).filter_by(sender_id=feedback.session_id).one_or_none()
            turn = self._turn(session, conversation.id, feedback.turn) if conversation else None
            if turn is None or turn.outcome == OPENING:
                return False
            before = self._contributions(session, conversation)
            turn.helped, turn.comment = feedback.helped, feedback.comment
            turns = session.query(TurnRow.helped).filter(TurnRow.conversation_id == conversation.id)
            conversation.feedback = feedback_summary(row.helped for row in turns)
            self._count_changes(session, conversation, before)
            session.commit()
        return True

    def expire(self, sender_ids: Iterable[str]) -> int:
        """Wipes the texts of these conversations (deleted from the conversation store); the
        counts stay. Returns how many conversations were expired."""
        expired = 0
        with Session(self.engine) as session:
            for sender_id in sender_ids:
                conversation = session.query(ConversationRow).filter_by(sender_id=sender_id).one_or_none()
                if conversation is None:
                    continue
                session.query(TurnRow).filter(TurnRow.conversation_id == conversation.id).update(
                    {TurnRow.text: None, TurnRow.replies: None, TurnRow.comment: None}, synchronize_session=False
                )
                conversation.sender_id, conversation.expired = None, True
                expired += 1
            session.commit()
        return expired

    def _conversation(self, session: Session, sender_id: str, at: Optional[float]) -> Optional[ConversationRow]:
        conversation = session.query(ConversationRow).filter_by(sender_id=sender_id).one_or_none()
        if conversation is None and at is not None:
            conversation = ConversationRow(
                sender_id=sender_id, reference=secrets.token_hex(6), started_at=at, last_at=at, messages=0
            )
            session.add(conversation)
            session.flush()
        return conversation

    def _add_replies(self, session: Session, conversation: ConversationRow, replies: List[str]) -> None:
        last = session.query(TurnRow).filter_by(conversation_id=conversation.id).order_by(TurnRow.position.desc())
        turn = last.first()
        if turn is not None and turn.replies is not None:
            turn.replies = json.dumps(json.loads(turn.replies) + replies, ensure_ascii=False)

    def _add_turn(
        self, session: Session, conversation: ConversationRow, turn: Turn, code_for_name: Callable[[str], Optional[str]]
    ) -> None:
        if conversation.municipality_code is None:
            named = code_for_name(turn.municipality_name) if turn.municipality_name else None
            conversation.municipality_code = turn.municipality_code or named
            if conversation.municipality_code:  # the turns before it was named are the municipality's too
                earlier = session.query(TurnRow).filter(TurnRow.conversation_id == conversation.id)
                earlier.update({TurnRow.municipality_code: conversation.municipality_code}, synchronize_session=False)
        position = (session.query(func.max(TurnRow.position)).filter_by(conversation_id=conversation.id).scalar()) or 0
        outcome = turn.outcome
        session.add(
            TurnRow(
                conversation_id=conversation.id,
                position=position + 1,
                at=turn.at,
                municipality_code=conversation.municipality_code,
                text=turn.text,
                topic=turn.topic[:160],
                confidence=turn.confidence,
                outcome=outcome,
                replies=json.dumps(turn.replies, ensure_ascii=False),
            )
        )
        conversation.last_at = max(conversation.last_at, turn.at)
        if outcome != OPENING:
            if conversation.messages == 0:
                conversation.started_at = turn.at  # a conversation starts with the resident's first message
            conversation.messages += 1
            conversation.not_understood += outcome == NOT_UNDERSTOOD
            conversation.wanted_person = conversation.wanted_person or outcome == PERSON
        session.flush()

    @staticmethod
    def _turn(session: Session, conversation_id: int, position: int) -> Optional[TurnRow]:
        return session.query(TurnRow).filter_by(conversation_id=conversation_id, position=position).one_or_none()

    # --- Counting ----------------------------------------------------------------------------

    def _contributions(self, session: Session, conversation: ConversationRow) -> Tuple[str, Counter]:
        """What this conversation adds to the day counts, and under which municipality."""
        turns = session.query(TurnRow).filter(TurnRow.conversation_id == conversation.id, TurnRow.outcome != OPENING)
        counts = day_counts(turns.order_by(TurnRow.position), conversation.wanted_person)
        return conversation.municipality_code or UNKNOWN, counts

    def _count_changes(self, session: Session, conversation: ConversationRow, before: Tuple[str, Counter]) -> None:
        session.flush()
        if is_trial(conversation.sender_id):
            return
        after = self._contributions(session, conversation)
        changes: Dict[Tuple[str, CountKey], int] = Counter()
        for sign, (code, counts) in ((-1, before), (1, after)):
            for key, count in counts.items():
                changes[(code, key)] += sign * count
                changes[(NATIONAL, key)] += sign * count
        # In one order for every transaction: two Rasa servers that upsert the same rows in
        # opposite orders deadlock in PostgreSQL, and a turn goes missing from the log.
        for (code, (day, measure, key)), change in sorted(changes.items()):
            if change:
                self._add_count(session, day, code, measure, key, change)

    @staticmethod
    def _add_count(session: Session, day: date, code: str, measure: str, key: str, change: int) -> None:
        """One atomic upsert: two servers that count the same day at once both count."""
        insert = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[session.get_bind().dialect.name]
        statement = insert(DayCountRow).values(day=day, municipality_code=code, measure=measure, key=key, count=change)
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["day", "municipality_code", "measure", "key"],
                set_={"count": DayCountRow.count + statement.excluded.count},
            )
        )

    # --- Reading: the staff app -------------------------------------------------------------

    def conversations(
        self, wanted: ConversationFilter, offset: int = 0, limit: int = 50
    ) -> Tuple[int, List[ConversationView]]:
        """How many conversations match, and one page of them, the latest first."""
        with Session(self.engine) as session:
            query = self._filtered(session, wanted)
            total = query.count()
            rows = query.order_by(ConversationRow.last_at.desc()).offset(offset).limit(limit).all()
            return total, [_conversation_view(row) for row in rows]

    def conversation(self, reference: str) -> Optional[Tuple[ConversationView, List[TurnView]]]:
        """A conversation that has not expired, with its turns (the widget's opening left out)."""
        return self._with_turns(reference=reference)

    def conversation_of(self, sender_id: str) -> Optional[Tuple[ConversationView, List[TurnView]]]:
        """The same, found by the resident's session id (a chat with an employee knows only that)."""
        return self._with_turns(sender_id=sender_id)

    def _with_turns(self, **wanted: str) -> Optional[Tuple[ConversationView, List[TurnView]]]:
        with Session(self.engine) as session:
            row = session.query(ConversationRow).filter_by(**wanted, expired=False).one_or_none()
            if row is None:
                return None
            turns = session.query(TurnRow).filter(TurnRow.conversation_id == row.id, TurnRow.outcome != OPENING)
            return _conversation_view(row), [_turn_view(turn) for turn in turns.order_by(TurnRow.position)]

    def tag(
        self, reference: str, position: int, tag: Optional[str], topic: Optional[str], by: str, comment: str = ""
    ) -> bool:
        """Tags a reply (one of TAGS; None removes the tag); a reviewer's tag keeps its comment, masked."""
        if tag is not None and tag not in TAGS:
            raise ValueError(f"unknown tag: {tag}")
        with Session(self.engine) as session:
            row = session.query(ConversationRow).filter_by(reference=reference, expired=False).one_or_none()
            turn = self._turn(session, row.id, position) if row else None
            if turn is None or turn.outcome == OPENING:
                return False
            turn.tag, turn.tag_topic = tag, (topic or None) if tag == "fout antwoord" else None
            if tag == REVIEWER_TAG:
                turn.comment = redact(comment)
            turn.tagged_by, turn.tagged_at = (by, datetime.now(timezone.utc).timestamp()) if tag else (None, None)
            session.commit()
        return True

    def flagged(self, scope: Optional[Sequence[str]]) -> List[FlaggedMessage]:
        """Messages tagged "fout antwoord" or "onderwerp ontbreekt", still kept, oldest first."""
        with Session(self.engine) as session:
            query = (
                session.query(TurnRow, ConversationRow)
                .join(ConversationRow, TurnRow.conversation_id == ConversationRow.id)
                .filter(TurnRow.tag.in_(FLAGS), ConversationRow.expired.is_(False))
            )
            if scope is not None:
                query = query.filter(ConversationRow.municipality_code.in_(list(scope)))
            return [
                FlaggedMessage(
                    conversation.reference,
                    conversation.municipality_code,
                    turn.text or "",
                    turn.topic,
                    turn.tag,
                    turn.tag_topic,
                    _moment(turn.at),
                )
                for turn, conversation in query.order_by(TurnRow.at)
            ]

    @staticmethod
    def _filtered(session: Session, wanted: ConversationFilter):
        query = session.query(ConversationRow).filter(ConversationRow.expired.is_(False), ConversationRow.messages > 0)
        if wanted.scope is not None:
            query = query.filter(ConversationRow.municipality_code.in_(list(wanted.scope)))
        if wanted.since is not None:
            query = query.filter(ConversationRow.last_at >= wanted.since)
        if wanted.until is not None:
            query = query.filter(ConversationRow.started_at < wanted.until)
        if wanted.not_understood:
            query = query.filter(ConversationRow.not_understood > 0)
        if wanted.wanted_person:
            query = query.filter(ConversationRow.wanted_person.is_(True))
        if wanted.feedback in ("ja", "nee"):
            query = query.filter(ConversationRow.feedback.in_([wanted.feedback, "beide"]))
        elif wanted.feedback == "":
            query = query.filter(ConversationRow.feedback.isnot(None))
        if wanted.topic:
            with_topic = session.query(TurnRow.conversation_id).filter(TurnRow.topic == wanted.topic)
            query = query.filter(ConversationRow.id.in_(with_topic))
        return query


def is_trial(sender_id: Optional[str]) -> bool:
    return bool(sender_id) and sender_id.startswith((TRIAL_PREFIX, TEST_PREFIX))


def _conversation_view(row: ConversationRow) -> ConversationView:
    return ConversationView(
        row.reference,
        row.municipality_code,
        _moment(row.started_at),
        _moment(row.last_at),
        row.messages,
        row.not_understood,
        row.wanted_person,
        row.feedback,
        is_trial(row.sender_id),
    )


def _turn_view(row: TurnRow) -> TurnView:
    return TurnView(
        row.position,
        _moment(row.at),
        row.text or "",
        row.topic,
        row.confidence,
        row.outcome,
        json.loads(row.replies) if row.replies else [],
        row.helped,
        row.comment,
        row.tag,
        row.tag_topic,
        row.tagged_by,
    )
