"""The figures of the staff app: conversations and messages per day and week, the share answered
without a person, the share not understood, requests for a person, top topics, residents'
feedback and the messages Wegwijzer understood least. Read from the day counts that the
conversation log keeps (assistant/conversations/store.py), so a year of figures is a small
query; the not-understood messages themselves only while their conversations are kept.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Dict, List, Optional, Sequence, Tuple

from sqlalchemy import func
from sqlalchemy.orm import Session

from assistant.conversations.store import (
    CONVERSATIONS,
    HELPED,
    MESSAGES,
    NATIONAL,
    NOT_UNDERSTOOD_MESSAGES,
    PERSON_CONVERSATIONS,
    TIME_ZONE,
    TOPIC,
    ConversationLog,
    DayCountRow,
    TurnRow,
)
from assistant.conversations.turns import NOT_UNDERSTOOD

TOP = 10
TEXT_DAYS = 30  # texts are kept as long as their conversation: 30 days (conversation_days in endpoints.yml)


@dataclass(frozen=True)
class Period:
    first: date
    last: date  # included

    @property
    def days(self) -> List[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    def bounds(self) -> Tuple[float, float]:
        """Unix times of the period's start and end (midnight in the Netherlands)."""
        start = datetime.combine(self.first, datetime.min.time(), TIME_ZONE)
        end = datetime.combine(self.last + timedelta(days=1), datetime.min.time(), TIME_ZONE)
        return start.timestamp(), end.timestamp()


@dataclass
class Figures:
    period: Period
    per_day: Dict[str, Dict[date, int]] = field(default_factory=lambda: defaultdict(Counter))
    topics: Counter = field(default_factory=Counter)
    helped: Counter = field(default_factory=Counter)  # "ja", "nee"
    not_understood_texts: List[Tuple[str, int]] = field(default_factory=list)

    def total(self, measure: str) -> int:
        return sum(self.per_day[measure].values())

    def series(self, measure: str) -> List[Tuple[date, int]]:
        """Every day of the period with its count, also the days without any."""
        return [(day, self.per_day[measure].get(day, 0)) for day in self.period.days]

    def weekly(self, measure: str) -> List[Tuple[Tuple[int, int], int]]:
        """(ISO year, week) with its count, for the weeks the period touches."""
        weeks: Dict[Tuple[int, int], int] = {}
        for day, count in self.series(measure):
            week = tuple(day.isocalendar())[:2]
            weeks[week] = weeks.get(week, 0) + count
        return list(weeks.items())

    @property
    def share_without_person(self) -> Optional[float]:
        conversations = self.total(CONVERSATIONS)
        return 1 - self.total(PERSON_CONVERSATIONS) / conversations if conversations else None

    @property
    def share_not_understood(self) -> Optional[float]:
        messages = self.total(MESSAGES)
        return self.total(NOT_UNDERSTOOD_MESSAGES) / messages if messages else None

    @property
    def share_helped(self) -> Optional[float]:
        given = self.helped["ja"] + self.helped["nee"]
        return self.helped["ja"] / given if given else None

    def top_topics(self) -> List[Tuple[str, int]]:
        return sorted(self.topics.items(), key=lambda item: (-item[1], item[0]))[:TOP]


def figures(log: ConversationLog, scope: Optional[Sequence[str]], period: Period) -> Figures:
    """The figures of `scope` (municipalities; None: the whole country) in `period`."""
    found = Figures(period)
    with Session(log.engine) as session:
        counts = session.query(DayCountRow.day, DayCountRow.measure, DayCountRow.key, func.sum(DayCountRow.count))
        counts = counts.filter(DayCountRow.day >= period.first, DayCountRow.day <= period.last)
        counts = counts.filter(DayCountRow.municipality_code.in_([NATIONAL] if scope is None else list(scope)))
        for day, measure, key, count in counts.group_by(DayCountRow.day, DayCountRow.measure, DayCountRow.key):
            if measure == TOPIC:
                found.topics[key] += count
            elif measure == HELPED:
                found.helped[key] += count
            else:
                found.per_day[measure][day] += count
        found.not_understood_texts = _not_understood_texts(session, scope, period)
    return found


def _not_understood_texts(session: Session, scope: Optional[Sequence[str]], period: Period) -> List[Tuple[str, int]]:
    """The messages (masked) of the period's last TEXT_DAYS days that were not understood most
    often, alike when they differ only in capitals or spaces at the ends."""
    start, end = Period(max(period.first, period.last - timedelta(days=TEXT_DAYS - 1)), period.last).bounds()
    text = func.lower(func.trim(TurnRow.text))
    query = session.query(text, func.count()).filter(
        TurnRow.outcome == NOT_UNDERSTOOD, TurnRow.at >= start, TurnRow.at < end, TurnRow.text.isnot(None)
    )
    if scope is not None:
        query = query.filter(TurnRow.municipality_code.in_(list(scope)))
    return [(row[0], row[1]) for row in query.group_by(text).order_by(func.count().desc(), text).limit(TOP)]


def topics_seen(log: ConversationLog, scope: Optional[Sequence[str]]) -> List[str]:
    """The topics that answered a message in `scope`: the choices of the conversations filter."""
    with Session(log.engine) as session:
        query = session.query(DayCountRow.key).filter(DayCountRow.measure == TOPIC).distinct()
        query = query.filter(DayCountRow.municipality_code.in_([NATIONAL] if scope is None else list(scope)))
        return sorted(row[0] for row in query)
