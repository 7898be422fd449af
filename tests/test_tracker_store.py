"""The SQL tracker store keeps conversations with personal numbers masked."""

import asyncio
import sqlite3

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.tracker_store import RedactingSQLTrackerStore
from municipalities.directory import PROJECT_ROOT

SENDER = "inwoner-1"
USER_TEXT = "mijn bsn is 111222333 en mijn nummer is 06-12345678"
EMAIL = "jan.jansen@example.nl"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


@pytest.fixture
def database(tmp_path):
    return tmp_path / "t.db"


@pytest.fixture
def store(domain, database) -> RedactingSQLTrackerStore:
    return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))


def conversation(domain: Domain) -> DialogueStateTracker:
    intent = {"name": "inform_gemeente", "confidence": 0.9}
    events = [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        UserUttered(USER_TEXT, intent=intent, parse_data={"text": USER_TEXT, "intent": intent, "entities": []}),
        SlotSet("gemeente", f"mail naar {EMAIL}"),
        BotUttered("U belde met 06-12345678, klopt dat?"),
        ActionExecuted("action_listen"),
    ]
    return DialogueStateTracker.from_events(SENDER, events, domain.slots)


def stored_event_data(database) -> str:
    with sqlite3.connect(database) as connection:
        return "\n".join(data for (data,) in connection.execute("SELECT data FROM events ORDER BY id"))


def whole_database(database) -> str:
    with sqlite3.connect(database) as connection:
        return "\n".join(connection.iterdump())


def test_personal_numbers_are_not_stored(store, domain, database):
    asyncio.run(store.save(conversation(domain)))

    data = stored_event_data(database)
    assert "[BSN]" in data and "[telefoonnummer]" in data and "[e-mail]" in data
    everything = whole_database(database)
    for secret in ("111222333", "12345678", EMAIL):
        assert secret not in everything


def test_the_stored_conversation_comes_back_with_the_same_events(store, domain):
    saved = conversation(domain)
    asyncio.run(store.save(saved))

    retrieved = asyncio.run(store.retrieve_full_tracker(SENDER))
    assert [type(event) for event in retrieved.events] == [type(event) for event in saved.events]
    assert retrieved.latest_message.text == "mijn bsn is [BSN] en mijn nummer is [telefoonnummer]"
    assert retrieved.get_slot("gemeente") == "mail naar [e-mail]"


def test_the_next_turn_stores_only_its_new_events_masked(store, domain, database):
    first_turn = conversation(domain)
    asyncio.run(store.save(first_turn))
    next_turn = asyncio.run(store.retrieve(SENDER))  # as Rasa does at each message
    next_turn.update(UserUttered("en mijn partner: 222333444?"))
    asyncio.run(store.save(next_turn))

    retrieved = asyncio.run(store.retrieve_full_tracker(SENDER))
    assert len(retrieved.events) == len(first_turn.events) + 1
    assert retrieved.latest_message.text == "en mijn partner: [nummer]?"
    assert "222333444" not in whole_database(database)
