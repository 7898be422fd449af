"""The municipalities' own data as saved in the staff app, with its history: every save is a
new version of the whole document (the override files' format), so what a resident saw on a
given day can always be read back. Kept in the directory's database (SQLite or PostgreSQL)."""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, List, Optional, Tuple

from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from municipalities.models import OverrideVersionRow

MAX_NOTE = 500


@dataclass(frozen=True)
class OverrideVersion:
    cbs_code: str
    number: int
    document: str
    saved_by: str
    saved_at: datetime
    note: str


class StaleVersion(Exception):
    """Someone else saved a newer version since the form was opened."""


class OverrideVersions:
    """Saved versions per municipality in one database."""

    def __init__(self, database_url: str) -> None:
        self._engine = create_engine(database_url)
        OverrideVersionRow.__table__.create(self._engine, checkfirst=True)

    def save(self, cbs_code: str, document: str, saved_by: str, based_on: int, note: str = "") -> OverrideVersion:
        """Version `based_on + 1`; StaleVersion when that number is taken (a save in between)."""
        row = OverrideVersionRow(
            cbs_code=cbs_code,
            number=based_on + 1,
            document=document,
            saved_by=saved_by,
            saved_at=datetime.now(timezone.utc),
            note=note.strip()[:MAX_NOTE],
        )
        try:
            with Session(self._engine) as session, session.begin():
                session.add(row)
                session.flush()
                return _version(row)
        except IntegrityError:
            raise StaleVersion(cbs_code) from None

    def latest(self, cbs_code: str) -> Optional[OverrideVersion]:
        history = self.history(cbs_code, limit=1)
        return history[0] if history else None

    def history(self, cbs_code: str, limit: Optional[int] = None) -> List[OverrideVersion]:
        """Newest first."""
        query = select(OverrideVersionRow).where(OverrideVersionRow.cbs_code == cbs_code)
        query = query.order_by(OverrideVersionRow.number.desc()).limit(limit)
        with Session(self._engine) as session:
            return [_version(row) for row in session.scalars(query)]

    def documents(self) -> Dict[str, str]:
        """The newest document of every municipality that has one."""
        newest = (
            select(OverrideVersionRow.cbs_code, func.max(OverrideVersionRow.number).label("number"))
            .group_by(OverrideVersionRow.cbs_code)
            .subquery()
        )
        query = select(OverrideVersionRow.cbs_code, OverrideVersionRow.document).join(
            newest, (OverrideVersionRow.cbs_code == newest.c.cbs_code) & (OverrideVersionRow.number == newest.c.number)
        )
        with Session(self._engine) as session:
            return {code: document for code, document in session.execute(query)}

    def signature(self) -> Tuple[int, int]:
        """Changes with every save: a cheap way to know whether documents() would differ. Asked
        before each answer, so on a plain connection: a third of an ORM session's cost."""
        query = select(func.count(OverrideVersionRow.id), func.coalesce(func.max(OverrideVersionRow.id), 0))
        with self._engine.connect() as connection:
            count, last = connection.execute(query).one()
        return int(count), int(last)


def _version(row: OverrideVersionRow) -> OverrideVersion:
    saved_at = row.saved_at if row.saved_at.tzinfo else row.saved_at.replace(tzinfo=timezone.utc)  # SQLite
    return OverrideVersion(row.cbs_code, row.number, row.document, row.saved_by, saved_at, row.note)
