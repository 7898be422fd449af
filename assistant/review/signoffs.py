"""Akkoord: a reviewer's verdict on an item of a municipality's conversation book ("akkoord" or
"niet akkoord", with a comment), tied to the item's fingerprint at that moment. When the item's
text changes later, its fingerprint does too, and the verdict shows as "gewijzigd sinds het
oordeel": the council reads it again before it counts.

Kept in the staff app's database ($WEGWIJZER_STAFF_URL), every verdict a row of its own: the
latest per municipality and item counts, the earlier ones are the history. A comment is masked
like everything else that is stored (a BSN or phone number typed in it is not kept).
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Iterable, List, Optional, Union

from sqlalchemy import Column, DateTime, Index, Integer, String, Text, create_engine, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

from assistant.privacy import redact
from assistant.settings import STAFF_URL, make_sqlite_folder

Base = declarative_base()
AGREED, DISAGREED = "akkoord", "niet akkoord"
VERDICTS = (AGREED, DISAGREED)
MAX_COMMENT = 1000
# What an item's state is called on the pages and in the export.
CHANGED, NOT_REVIEWED = "gewijzigd sinds het oordeel", "nog niet beoordeeld"


class InvalidSignOff(ValueError):
    """A verdict that cannot be stored; the message says why, in Dutch."""


class SignOffRow(Base):
    __tablename__ = "wegwijzer_signoffs"
    id = Column(Integer, primary_key=True)
    municipality_code = Column(String(8), nullable=False)
    item_id = Column(String(200), nullable=False)
    fingerprint = Column(String(32), nullable=False)  # the item's, when the verdict was given
    verdict = Column(String(16), nullable=False)
    comment = Column(Text, nullable=False, default="")
    account = Column(String(64), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False)
    __table_args__ = (Index("wegwijzer_signoffs_by_item", "municipality_code", "item_id", "id"),)


@dataclass(frozen=True)
class SignOff:
    item_id: str
    fingerprint: str
    verdict: str
    comment: str
    account: str
    at: datetime

    def state(self, current_fingerprint: str) -> str:
        """ "akkoord", "niet akkoord", or CHANGED when the item's text is no longer the one judged."""
        return self.verdict if self.fingerprint == current_fingerprint else CHANGED


@dataclass(frozen=True)
class ItemState:
    """One item of the book with its latest verdict, for the overview and the export."""

    item_id: str
    title: str
    chapter: str
    fingerprint: str
    latest: Optional[SignOff]

    @property
    def state(self) -> str:
        return self.latest.state(self.fingerprint) if self.latest else NOT_REVIEWED


class SignOffStore:
    def __init__(self, target: Union[str, Engine, None] = None) -> None:
        if not isinstance(target, Engine):
            url = target or STAFF_URL.get()
            make_sqlite_folder(url)
            target = create_engine(url)
        self.engine = target
        Base.metadata.create_all(self.engine)

    def mark(
        self, municipality: str, item_id: str, fingerprint: str, verdict: str, comment: str, account: str
    ) -> SignOff:
        """Stores a verdict; raises InvalidSignOff for an unknown verdict or a comment that is too long."""
        if verdict not in VERDICTS:
            raise InvalidSignOff("Kies akkoord of niet akkoord.")
        comment = comment.strip()
        if len(comment) > MAX_COMMENT:
            raise InvalidSignOff(f"De opmerking is te lang: hoogstens {MAX_COMMENT} tekens.")
        if verdict == DISAGREED and not comment:
            raise InvalidSignOff("Schrijf bij niet akkoord wat er beter moet.")
        row = SignOffRow(
            municipality_code=municipality,
            item_id=item_id,
            fingerprint=fingerprint,
            verdict=verdict,
            comment=redact(comment),
            account=account,
            at=datetime.now(timezone.utc),
        )
        with Session(self.engine) as session, session.begin():
            session.add(row)
            session.flush()
            return _sign_off(row)

    def latest(self, municipality: str) -> Dict[str, SignOff]:
        """The latest verdict per item of this municipality's book."""
        query = select(SignOffRow).where(SignOffRow.municipality_code == municipality).order_by(SignOffRow.id)
        with Session(self.engine) as session:
            return {row.item_id: _sign_off(row) for row in session.scalars(query)}

    def history(self, municipality: str, item_id: str) -> List[SignOff]:
        """Every verdict on one item, newest first."""
        query = (
            select(SignOffRow)
            .where(SignOffRow.municipality_code == municipality, SignOffRow.item_id == item_id)
            .order_by(SignOffRow.id.desc())
        )
        with Session(self.engine) as session:
            return [_sign_off(row) for row in session.scalars(query)]


def _sign_off(row: SignOffRow) -> SignOff:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=timezone.utc)  # SQLite forgets the zone
    return SignOff(row.item_id, row.fingerprint, row.verdict, row.comment, row.account, at)


def summary(states: Iterable[ItemState]) -> Dict[str, int]:
    """How many items are in each state, in a fixed order."""
    counts = {AGREED: 0, DISAGREED: 0, CHANGED: 0, NOT_REVIEWED: 0}
    for item in states:
        counts[item.state] += 1
    return counts
