"""The figures, counted on a seeded conversation log: every number checked by hand."""

from datetime import date, datetime, timedelta

import pytest

from assistant.conversations.feedback import Feedback
from assistant.conversations.figures import Period, figures, topics_seen
from assistant.conversations.store import CONVERSATIONS, MESSAGES, NOT_UNDERSTOOD_MESSAGES, TIME_ZONE, ConversationLog
from tests.support.conversations import answered, bot, not_understood, record, slot, user, wants_a_person

MONDAY = date(2026, 11, 30)


def at(day: int, hour: int = 10) -> float:
    """Unix time of `hour` o'clock in the Netherlands, `day` days after Monday 30 November 2026."""
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), TIME_ZONE).timestamp() + hour * 3600


@pytest.fixture
def log(tmp_path) -> ConversationLog:
    log = ConversationLog(f"sqlite:///{tmp_path / 'log.db'}")
    # Ede, Monday: two answers, one of them judged helpful, then not, then helpful again
    record(log, "a", [user("/greet", "greet", at(0), gemeente="GM0228"), bot("Hallo")])
    record(log, "a", answered("Wat is een pgb?", at(0), "pgb_wat", "GM0228"))
    record(log, "a", answered("Wie betaalt?", at(0), "eigen_bijdrage_wie_betaalt", "GM0228"))
    for helped in (True, False, True):
        log.record_feedback(Feedback("a", 2, helped, None))
    # Ede, Monday 23:30 to Tuesday: not understood twice (same words), then a person; counted on Monday
    record(log, "b", not_understood("Hoe zit dat?", at(0, 23.5), "GM0228"))
    record(log, "b", not_understood("hoe zit dat? ", at(1, 0.5), "GM0228"))
    record(log, "b", wants_a_person(at(1, 1), "GM0228"))
    log.record_feedback(Feedback("b", 2, False, "niets aan"))
    # Ede named late, Wednesday: counted under Ede, also the turn before it was named
    record(log, "c", answered("Wat is een pgb?", at(2), "pgb_wat"))
    record(log, "c", [user("Ede", "inform_gemeente", at(2, 11)), slot("gemeente", "Ede"), bot("Ede")])
    # Utrecht, Wednesday
    record(log, "d", answered("Wat is een pgb?", at(2), "pgb_wat", "GM0344"))
    record(log, "d", not_understood("Kan mijn buurvrouw helpen?", at(2), "GM0344"))
    # Nowhere, the Monday before the period
    record(log, "e", answered("Wat is een pgb?", at(-7), "pgb_wat"))
    return log


WEEK = Period(MONDAY, MONDAY + timedelta(days=6))


def test_ede_per_day_totals_shares_topics_feedback_and_not_understood_messages(log):
    ede = figures(log, ["GM0228"], WEEK)
    assert ede.series(CONVERSATIONS)[:3] == [(MONDAY, 2), (MONDAY + timedelta(1), 0), (MONDAY + timedelta(2), 1)]
    assert [count for _, count in ede.series(MESSAGES)] == [3, 2, 2, 0, 0, 0, 0]
    assert ede.total(NOT_UNDERSTOOD_MESSAGES) == 2
    assert ede.share_not_understood == pytest.approx(2 / 7)
    assert ede.share_without_person == pytest.approx(2 / 3)
    assert ede.top_topics() == [("pgb_wat", 2), ("eigen_bijdrage_wie_betaalt", 1)]  # "Ede" is no subject
    assert (ede.helped["ja"], ede.helped["nee"], ede.share_helped) == (1, 1, 0.5)
    assert ede.not_understood_texts == [("hoe zit dat?", 2)]
    assert ede.weekly(MESSAGES) == [((2026, 49), 7)]


def test_nationally_every_municipality_and_the_unknown_ones_count(log):
    country = figures(log, None, WEEK)
    assert (country.total(CONVERSATIONS), country.total(MESSAGES)) == (4, 9)
    assert country.total(NOT_UNDERSTOOD_MESSAGES) == 3
    assert country.not_understood_texts == [("hoe zit dat?", 2), ("kan mijn buurvrouw helpen?", 1)]
    earlier = figures(log, None, Period(MONDAY - timedelta(7), MONDAY - timedelta(1)))
    assert (earlier.total(CONVERSATIONS), earlier.top_topics()) == (1, [("pgb_wat", 1)])


def test_utrecht_sees_only_its_own_and_an_empty_period_has_no_shares(log):
    utrecht = figures(log, ["GM0344"], WEEK)
    assert (utrecht.total(CONVERSATIONS), utrecht.total(MESSAGES), utrecht.share_not_understood) == (1, 2, 0.5)
    assert utrecht.not_understood_texts == [("kan mijn buurvrouw helpen?", 1)]
    empty = figures(log, ["GM0363"], WEEK)
    assert (empty.share_without_person, empty.share_not_understood, empty.share_helped) == (None, None, None)
    assert topics_seen(log, ["GM0344"]) == ["pgb_wat"]


def test_texts_of_expired_conversations_go_but_their_counts_stay(log):
    log.expire(["b"])
    ede = figures(log, ["GM0228"], WEEK)
    assert ede.total(NOT_UNDERSTOOD_MESSAGES) == 2 and ede.not_understood_texts == []


def test_on_postgresql_the_same_seeding_gives_the_same_figures(tmp_path, postgres_url):
    sqlite_log = ConversationLog(f"sqlite:///{tmp_path / 'log.db'}")
    postgres_log = ConversationLog(postgres_url)
    for log in (sqlite_log, postgres_log):
        record(log, "a", answered("Wat is een pgb?", at(0), "pgb_wat", "GM0228"))
        record(log, "b", not_understood("Hoe zit dat?", at(0, 23.5)))
        record(log, "b", [user("Ede", "inform_gemeente", at(1)), slot("gemeente", "Ede"), *wants_a_person(at(1, 2))])
        log.record_feedback(Feedback("a", 1, True, None))
        log.record_feedback(Feedback("a", 1, False, "toch niet"))
    on_sqlite, on_postgres = (figures(log, ["GM0228"], WEEK) for log in (sqlite_log, postgres_log))
    assert on_postgres.per_day == on_sqlite.per_day and on_postgres.topics == on_sqlite.topics
    assert (on_postgres.helped, on_postgres.not_understood_texts) == (on_sqlite.helped, on_sqlite.not_understood_texts)
    assert on_postgres.total(CONVERSATIONS) == 2 and on_postgres.helped["nee"] == 1
    national = figures(postgres_log, None, WEEK)
    assert national.total(MESSAGES) == 4 and topics_seen(postgres_log, None) == ["pgb_wat"]
