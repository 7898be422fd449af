"""Chats with a person (handovers): a resident who asks for a person while the municipality's
helpdesk chats waits in a queue; an employee takes the conversation over in the staff app,
chats, and hands it back to Wegwijzer. Nobody within the wait: the resident is offered a call back.

Plain Python and SQLAlchemy, no Rasa, in the helpdesk's database (the callback requests',
$WEGWIJZER_CALLBACK_URL). Three kinds of process use it:
- the action server opens a handover (`request`) when the resident chooses to chat;
- the staff app takes it (`take`), writes (`write`) and hands it back (`hand_back`);
- every Rasa server delivers what is for the residents whose socket.io connection it holds
  (`pending`, `delivered`) and ends the waits that ran out (`time_out`).
What goes to the resident is a row in `handover_messages`, the mailbox: the staff app never needs
to know which Rasa server holds the resident's connection, so this keeps working with several
servers behind a load balancer. An employee's text is sealed with the callback key until it is
delivered, then wiped: the conversation store keeps it, masked like the rest.

Chats are deleted RETENTION_DAYS after they were asked for, with their mailbox (as callback
requests are), also those whose messages never reached a resident who left.

A status change is one conditional UPDATE (`... WHERE status = 'wachtend'`), so that two
employees, or an employee and the timeout, can never both win.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Sequence, Union

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Text, create_engine, delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from assistant.helpdesk.callbacks import RETENTION_DAYS, UTCDateTime, default_url, seal, unseal

Base = declarative_base()

WAITING, TALKING, HANDED_BACK, NOBODY, STOPPED = "wachtend", "in gesprek", "teruggegeven", "niemand vrij", "gestopt"
OPEN = (WAITING, TALKING)
# What a mailbox row tells the resident's Rasa server to do.
TAKEN, TEXT, ENDED, TIMED_OUT, STOPPED_WAITING = "overgenomen", "bericht", "teruggegeven", "niemand vrij", "gestopt"
MAX_TEXT = 2000
RECENT = timedelta(hours=8)  # how long the queue shows a closed chat


class HandoverRow(Base):
    __tablename__ = "handovers"
    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)  # in the staff app's addresses
    sender_id = Column(String(255), nullable=False)  # the resident's conversation
    municipality_code = Column(String(6), nullable=False)
    municipality_name = Column(String(100), nullable=False)
    requested_at = Column(UTCDateTime, nullable=False)
    wait_until = Column(UTCDateTime, nullable=False)
    status = Column(String(16), nullable=False)
    taken_by = Column(String(40))
    taken_at = Column(UTCDateTime)
    ended_at = Column(UTCDateTime)
    __table_args__ = (
        Index("handovers_by_status", "status", "wait_until"),
        Index("handovers_by_sender", "sender_id", "status"),
        Index("handovers_by_municipality", "municipality_code", "requested_at"),
    )


class MailboxRow(Base):
    __tablename__ = "handover_messages"
    id = Column(Integer, primary_key=True)
    handover_id = Column(Integer, ForeignKey("handovers.id"), nullable=False)
    sender_id = Column(String(255), nullable=False)
    kind = Column(String(16), nullable=False)
    sealed_text = Column(Text)  # an employee's text, sealed; None once delivered
    written_by = Column(String(40))
    written_at = Column(UTCDateTime, nullable=False)
    delivered_at = Column(UTCDateTime)
    __table_args__ = (Index("handover_messages_undelivered", "delivered_at", "sender_id"),)


@dataclass(frozen=True)
class Handover:
    reference: str
    sender_id: str
    municipality_code: str
    municipality_name: str
    requested_at: datetime
    wait_until: datetime
    status: str
    taken_by: Optional[str]
    taken_at: Optional[datetime]
    ended_at: Optional[datetime]


@dataclass(frozen=True)
class Delivery:
    """A mailbox row for the resident's Rasa server."""

    id: int
    sender_id: str
    kind: str
    text: Optional[str]  # the employee's text, unsealed (kind TEXT)
    municipality_name: str


@dataclass(frozen=True)
class Written:
    """An employee's message as the staff app shows it before it is delivered."""

    text: str
    written_by: str
    written_at: datetime


def _now() -> datetime:
    return datetime.now(timezone.utc)


class HandoverStore:
    def __init__(self, target: Union[str, Engine, None] = None, key: Optional[bytes] = None) -> None:
        self.engine = create_engine(target or default_url()) if not isinstance(target, Engine) else target
        self.key = key
        Base.metadata.create_all(self.engine)

    # --- The action server ------------------------------------------------------------------

    def request(self, sender_id: str, municipality_code: str, municipality_name: str, wait: timedelta) -> Handover:
        """Opens a handover for this conversation, or returns the one that is still open."""
        self.delete_expired()
        with Session(self.engine) as session:
            row = self._open_row(session, sender_id)
            if row is None:
                now = _now()
                row = HandoverRow(
                    reference=secrets.token_hex(6),
                    sender_id=sender_id,
                    municipality_code=municipality_code,
                    municipality_name=municipality_name[:100],
                    requested_at=now,
                    wait_until=now + wait,
                    status=WAITING,
                )
                session.add(row)
                session.commit()
            return _handover(row)

    def delete_expired(self, now: Optional[datetime] = None) -> int:
        """Delete the chats asked for more than RETENTION_DAYS before `now`, with their mailbox;
        the number of chats deleted."""
        cutoff = (now or _now()) - timedelta(days=RETENTION_DAYS)
        with Session(self.engine) as session, session.begin():
            old = select(HandoverRow.id).where(HandoverRow.requested_at < cutoff)
            unsynchronized = {"synchronize_session": False}  # nothing of them is loaded in this session
            session.execute(delete(MailboxRow).where(MailboxRow.handover_id.in_(old)), execution_options=unsynchronized)
            gone = delete(HandoverRow).where(HandoverRow.requested_at < cutoff)
            return session.execute(gone, execution_options=unsynchronized).rowcount

    # --- The Rasa server --------------------------------------------------------------------

    def open_for(self, sender_id: str) -> Optional[Handover]:
        """The conversation's handover that waits or talks, if any."""
        with Session(self.engine) as session:
            row = self._open_row(session, sender_id)
            return _handover(row) if row else None

    def stop(self, sender_id: str) -> bool:
        """The resident stopped waiting before anyone took the conversation."""
        with Session(self.engine) as session:
            row = self._open_row(session, sender_id)
            return row is not None and self._change(session, row.id, WAITING, STOPPED, STOPPED_WAITING)

    def time_out(self) -> int:
        """Ends every wait that ran out: the resident is offered a call back (a mailbox row)."""
        with Session(self.engine) as session:
            late = session.scalars(
                select(HandoverRow.id).where(HandoverRow.status == WAITING, HandoverRow.wait_until <= _now())
            ).all()
            return sum(self._change(session, handover_id, WAITING, NOBODY, TIMED_OUT) for handover_id in late)

    def pending(self, sender_ids: Sequence[str]) -> List[Delivery]:
        """Undelivered mailbox rows for these conversations, oldest first."""
        if not sender_ids:
            return []
        with Session(self.engine) as session:
            rows = session.execute(
                select(MailboxRow, HandoverRow.municipality_name)
                .join(HandoverRow, MailboxRow.handover_id == HandoverRow.id)
                .where(MailboxRow.delivered_at.is_(None), MailboxRow.sender_id.in_(list(sender_ids)))
                .order_by(MailboxRow.id)
            ).all()
            return [
                Delivery(
                    row.id,
                    row.sender_id,
                    row.kind,
                    unseal(row.sealed_text, self.key) if row.sealed_text else None,
                    name,
                )
                for row, name in rows
            ]

    def delivered(self, delivery_id: int) -> None:
        with Session(self.engine) as session:
            session.execute(
                update(MailboxRow).where(MailboxRow.id == delivery_id).values(delivered_at=_now(), sealed_text=None)
            )
            session.commit()

    # --- The staff app ----------------------------------------------------------------------

    def queue(self, scope: Optional[Sequence[str]]) -> List[Handover]:
        """Open handovers, and those closed in the last hours, of these municipalities (None: all);
        the waiting first, longest waiting on top."""
        with Session(self.engine) as session:
            query = select(HandoverRow).where(
                (HandoverRow.status.in_(OPEN)) | (HandoverRow.ended_at >= _now() - RECENT)
            )
            if scope is not None:
                query = query.where(HandoverRow.municipality_code.in_(list(scope)))
            rows = session.scalars(query.order_by(HandoverRow.requested_at)).all()
            order = {WAITING: 0, TALKING: 1}
            return sorted((_handover(row) for row in rows), key=lambda item: order.get(item.status, 2))

    def get(self, reference: str) -> Optional[Handover]:
        with Session(self.engine) as session:
            row = self._row(session, reference)
            return _handover(row) if row else None

    def take(self, reference: str, by: str) -> bool:
        """The employee takes the waiting conversation; False when someone else (or the timeout) was first."""
        with Session(self.engine) as session:
            row = self._row(session, reference)
            return row is not None and self._change(session, row.id, WAITING, TALKING, TAKEN, by)

    def write(self, reference: str, text: str, by: str) -> bool:
        """An employee's message to the resident; False when the chat is not the employee's to write in."""
        text = text.strip()[:MAX_TEXT]
        with Session(self.engine) as session:
            row = self._row(session, reference)
            if row is None or row.status != TALKING or not text:
                return False
            session.add(self._mail(row, TEXT, by, seal(text, self.key)))
            session.commit()
            return True

    def hand_back(self, reference: str, by: str) -> bool:
        """The conversation goes back to Wegwijzer."""
        with Session(self.engine) as session:
            row = self._row(session, reference)
            return row is not None and self._change(session, row.id, TALKING, HANDED_BACK, ENDED, by)

    def undelivered(self, reference: str) -> List[Written]:
        """The employee's messages that have not reached the resident yet."""
        with Session(self.engine) as session:
            rows = session.scalars(
                select(MailboxRow)
                .join(HandoverRow, MailboxRow.handover_id == HandoverRow.id)
                .where(HandoverRow.reference == reference, MailboxRow.delivered_at.is_(None), MailboxRow.kind == TEXT)
                .order_by(MailboxRow.id)
            ).all()
            return [Written(unseal(row.sealed_text, self.key), row.written_by or "", row.written_at) for row in rows]

    # --- Shared -----------------------------------------------------------------------------

    @staticmethod
    def _row(session: Session, reference: str) -> Optional[HandoverRow]:
        return session.scalars(select(HandoverRow).where(HandoverRow.reference == reference)).one_or_none()

    @staticmethod
    def _open_row(session: Session, sender_id: str) -> Optional[HandoverRow]:
        return session.scalars(
            select(HandoverRow).where(HandoverRow.sender_id == sender_id, HandoverRow.status.in_(OPEN)).limit(1)
        ).first()

    def _change(
        self, session: Session, handover_id: int, was: str, becomes: str, mail: Optional[str] = None, by: str = ""
    ) -> bool:
        """One status change, only from `was`; with a mailbox row for the resident's server."""
        now = _now()
        values = {"status": becomes}
        if becomes == TALKING:
            values.update(taken_by=by, taken_at=now)
        else:
            values["ended_at"] = now
        changed = session.execute(
            update(HandoverRow).where(HandoverRow.id == handover_id, HandoverRow.status == was).values(**values)
        ).rowcount
        if changed and mail:
            row = session.get(HandoverRow, handover_id)
            session.add(self._mail(row, mail, by or None))
        session.commit()
        return bool(changed)

    @staticmethod
    def _mail(row: HandoverRow, kind: str, by: Optional[str], sealed_text: Optional[str] = None) -> MailboxRow:
        return MailboxRow(
            handover_id=row.id,
            sender_id=row.sender_id,
            kind=kind,
            sealed_text=sealed_text,
            written_by=by,
            written_at=_now(),
        )


def _handover(row: HandoverRow) -> Handover:
    return Handover(
        row.reference,
        row.sender_id,
        row.municipality_code,
        row.municipality_name,
        row.requested_at,
        row.wait_until,
        row.status,
        row.taken_by,
        row.taken_at,
        row.ended_at,
    )
