"""Chats with a person: the queue's states, who wins a race, the mailbox, sealed texts (real SQLite)."""

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet

from assistant.helpdesk.handovers import (
    ENDED,
    HANDED_BACK,
    NOBODY,
    STOPPED,
    STOPPED_WAITING,
    TAKEN,
    TALKING,
    TEXT,
    TIMED_OUT,
    WAITING,
    HandoverStore,
)

SENDER = "sessie-a"


@pytest.fixture
def database(tmp_path):
    return tmp_path / "callbacks.db"


@pytest.fixture
def store(database) -> HandoverStore:
    return HandoverStore(f"sqlite:///{database}", key=Fernet.generate_key())


def waiting(store: HandoverStore, sender: str = SENDER, minutes: int = 5):
    return store.request(sender, "GM0301", "Zutphen", timedelta(minutes=minutes))


def test_a_request_waits_in_the_queue_of_its_municipality_only(store):
    handover = waiting(store)
    waiting(store, "sessie-b").reference
    assert handover.status == WAITING and store.open_for(SENDER) == handover
    assert [item.reference for item in store.queue(["GM0301"])][0] == handover.reference
    assert store.queue(["GM0363"]) == []
    assert len(store.queue(None)) == 2


def test_asking_again_while_waiting_keeps_the_one_request(store):
    assert waiting(store).reference == waiting(store).reference
    assert len(store.queue(None)) == 1


def test_the_first_employee_takes_it_the_second_is_told_no(store):
    reference = waiting(store).reference
    assert store.take(reference, "anna") is True
    assert store.take(reference, "bram") is False
    handover = store.get(reference)
    assert (handover.status, handover.taken_by) == (TALKING, "anna")
    assert [delivery.kind for delivery in store.pending([SENDER])] == [TAKEN]


def test_many_employees_at_once_one_wins(database):
    stores = [HandoverStore(f"sqlite:///{database}", key=Fernet.generate_key()) for _ in range(8)]
    reference = waiting(stores[0]).reference
    results = []
    threads = [
        threading.Thread(target=lambda s=s, n=n: results.append(s.take(reference, f"m{n}")))
        for n, s in enumerate(stores)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True]


def test_an_employee_writes_only_in_a_chat_that_is_taken(store):
    reference = waiting(store).reference
    assert store.write(reference, "Goedemiddag", "anna") is False
    store.take(reference, "anna")
    assert store.write(reference, "   ", "anna") is False
    assert store.write(reference, "Goedemiddag, waarmee kan ik u helpen?", "anna") is True
    assert [written.text for written in store.undelivered(reference)] == ["Goedemiddag, waarmee kan ik u helpen?"]
    texts = [(delivery.kind, delivery.text) for delivery in store.pending([SENDER])]
    assert texts == [(TAKEN, None), (TEXT, "Goedemiddag, waarmee kan ik u helpen?")]


def test_an_employees_text_is_sealed_until_delivered_then_wiped(store, database):
    reference = waiting(store).reference
    store.take(reference, "anna")
    store.write(reference, "Bel ons op 0575 123 456", "anna")
    stored = sqlite3.connect(database).execute("SELECT sealed_text FROM handover_messages WHERE kind = ?", (TEXT,))
    sealed = stored.fetchone()[0]
    assert "0575" not in sealed and sealed.startswith("gAAAA")
    for delivery in store.pending([SENDER]):
        store.delivered(delivery.id)
    assert store.pending([SENDER]) == [] and store.undelivered(reference) == []
    left = sqlite3.connect(database).execute("SELECT sealed_text FROM handover_messages").fetchall()
    assert left == [(None,), (None,)]


def test_handing_back_closes_the_chat_and_tells_the_resident(store):
    reference = waiting(store).reference
    store.take(reference, "anna")
    assert store.hand_back(reference, "anna") is True
    assert store.hand_back(reference, "anna") is False
    assert store.get(reference).status == HANDED_BACK and store.open_for(SENDER) is None
    assert [delivery.kind for delivery in store.pending([SENDER])] == [TAKEN, ENDED]
    assert store.write(reference, "nog iets", "anna") is False


def test_a_wait_that_ran_out_offers_a_call_back_and_cannot_be_taken_after(store):
    late = store.request(SENDER, "GM0301", "Zutphen", timedelta(seconds=-1)).reference
    on_time = waiting(store, "sessie-b").reference
    assert store.time_out() == 1
    assert store.get(late).status == NOBODY and store.get(on_time).status == WAITING
    assert [delivery.kind for delivery in store.pending([SENDER])] == [TIMED_OUT]
    assert store.take(late, "anna") is False
    assert store.time_out() == 0


def test_a_taken_chat_does_not_time_out(store):
    reference = store.request(SENDER, "GM0301", "Zutphen", timedelta(seconds=-1)).reference
    store.take(reference, "anna")
    assert store.time_out() == 0 and store.get(reference).status == TALKING


def test_the_resident_stops_waiting(store):
    reference = waiting(store).reference
    assert store.stop(SENDER) is True
    assert store.get(reference).status == STOPPED
    assert [delivery.kind for delivery in store.pending([SENDER])] == [STOPPED_WAITING]
    assert store.take(reference, "anna") is False and store.stop(SENDER) is False


def test_pending_is_only_for_the_conversations_asked_for(store):
    store.take(waiting(store).reference, "anna")
    assert store.pending(["sessie-b"]) == [] and store.pending([]) == []


def test_the_queue_shows_the_waiting_first_then_the_talking_then_the_recently_closed(store):
    first = waiting(store, "a").reference
    second = waiting(store, "b").reference
    third = waiting(store, "c").reference
    store.take(first, "anna")
    store.take(third, "anna")
    store.hand_back(third, "anna")
    assert [item.reference for item in store.queue(None)] == [second, first, third]


def test_chats_are_deleted_30_days_after_they_were_asked_for_with_their_mailbox(store, database):
    reference = waiting(store).reference
    store.take(reference, "anna")
    store.write(reference, "Bent u er nog?", "anna")  # never delivered: the resident left
    recent = waiting(store, "sessie-b").reference
    assert store.delete_expired(datetime.now(timezone.utc) + timedelta(days=29)) == 0
    assert store.delete_expired(datetime.now(timezone.utc) + timedelta(days=30, seconds=1)) == 2
    assert store.get(reference) is None and store.get(recent) is None
    assert sqlite3.connect(database).execute("SELECT COUNT(*) FROM handover_messages").fetchone() == (0,)


def test_asking_for_a_chat_deletes_the_expired_ones(store, database):
    old = waiting(store, "oud").reference
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE handovers SET requested_at = '2020-01-01 10:00:00' WHERE reference = ?", (old,))
    waiting(store, "nieuw")
    assert store.get(old) is None
