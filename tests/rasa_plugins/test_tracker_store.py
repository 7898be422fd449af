"""The SQL tracker store keeps conversations with personal numbers masked, and the callback
form's name, phone number and question sealed or hidden."""

import asyncio
import json
import sqlite3
import threading
import time
from typing import List, Sequence

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from assistant.conversations.store import ConversationFilter
from assistant.helpdesk.callbacks import seal, unseal
from assistant.rasa_plugins.tracker_store import (
    RUNNING_TURN_KEY,
    RedactingSQLTrackerStore,
    StoreUnavailable,
    TurnAlreadyAnswered,
    store_is_up,
)
from assistant.settings import DOMAIN_FILE

SENDER = "inwoner-1"
USER_TEXT = "mijn bsn is 111222333 en mijn nummer is 06-12345678"
EMAIL = "jan.jansen@example.nl"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(DOMAIN_FILE))


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


def test_each_turn_goes_to_the_conversation_log_masked_with_its_topic(store, domain):
    asyncio.run(store.save(conversation(domain)))
    total, [logged] = store.log.conversations(ConversationFilter())
    [turn] = store.log.conversation(logged.reference)[1]
    assert (total, turn.topic, turn.confidence) == (1, "inform_gemeente", 0.9)
    assert "111222333" not in turn.text and "[BSN]" in turn.text
    assert turn.replies == ["U belde met [telefoonnummer], klopt dat?"]


def test_an_expired_conversation_is_wiped_from_the_conversation_log_too(store, domain):
    asyncio.run(store.save(conversation_at("actief", time.time(), domain)))  # checks: nothing has expired
    asyncio.run(store.save(conversation_at("verlopen", time.time() - 31 * DAY, domain)))  # not checked within the hour
    assert store.log.conversations(ConversationFilter())[0] == 2
    store.delete_expired_conversations()
    assert store.log.conversations(ConversationFilter())[0] == 1


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


NAME, PHONE, QUESTION = "Jantje Zonnebloem", "06-98765432", "Kan ik een pgb krijgen voor mijn moeder?"
CALLBACK_SENDER = "inwoner-2"
KEY = Fernet.generate_key()


@pytest.fixture
def callback_store(domain, database) -> RedactingSQLTrackerStore:
    return RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))


def user(text: str, entities: Sequence[dict] = ()) -> UserUttered:
    intent, entities = {"name": "inform", "confidence": 0.9}, list(entities)
    return UserUttered(
        text, intent=intent, entities=entities, parse_data={"text": text, "intent": intent, "entities": entities}
    )


def ask(slot: str, question: str) -> List[Event]:
    return [
        ActionExecuted("callback_form"),
        SlotSet("requested_slot", slot),
        BotUttered(question),
        ActionExecuted("action_listen"),
    ]


# One list of events per turn, as Rasa saves them: the resident's message and what follows.
# The form's validator seals each answer (assistant.helpdesk.callbacks.seal) before it sets the slot.
CALLBACK_TURNS = [
    [
        ActionExecuted("action_session_start"),
        SessionStarted(),
        ActionExecuted("action_listen"),
        user("ik wil teruggebeld worden"),
        ActiveLoop("callback_form"),
        *ask("callback_naam", "Wat is uw naam?"),
    ],
    [
        user(NAME, [{"entity": "naam", "value": NAME, "start": 0, "end": len(NAME)}]),
        SlotSet("callback_naam", seal(NAME, KEY)),
        *ask("callback_telefoon", "Op welk nummer kan de gemeente u bellen?"),
    ],
    [
        user(f"bel me op {PHONE}"),
        SlotSet("callback_telefoon", seal("06 9876 5432", KEY)),
        *ask("callback_vraag", "Waar gaat uw vraag over?"),
    ],
    [
        user(QUESTION),
        SlotSet("callback_vraag", seal(QUESTION, KEY)),
        *ask("callback_toestemming", "Mag de gemeente u hiervoor bellen?"),
    ],
    [
        user("ja"),
        SlotSet("callback_toestemming", "ja"),
        ActionExecuted("callback_form"),
        BotUttered("Bedankt. Uw referentie is WW-7K3P9Q."),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
    ],
]


def save_turns(store: RedactingSQLTrackerStore, domain: Domain, turns: List[List[Event]]) -> DialogueStateTracker:
    """Save turn after turn, each time on the tracker read back from the store, as Rasa does."""
    tracker = DialogueStateTracker.from_events(CALLBACK_SENDER, [], domain.slots)
    for turn in turns:
        for event in turn:
            tracker.update(event)
        asyncio.run(store.save(tracker))
        tracker = asyncio.run(store.retrieve(CALLBACK_SENDER))
    return tracker


def stored_events(database) -> List[dict]:
    with sqlite3.connect(database) as connection:
        return [json.loads(data) for (data,) in connection.execute("SELECT data FROM events ORDER BY id")]


def test_the_callback_form_name_phone_and_question_are_not_stored_in_clear_text(callback_store, domain, database):
    save_turns(callback_store, domain, CALLBACK_TURNS)

    everything = whole_database(database)
    assert "[verborgen]" in everything
    for secret in (NAME, "Zonnebloem", "98765432", "9876 5432", "pgb krijgen voor mijn moeder"):
        assert secret not in everything


def test_the_answers_to_the_forms_questions_are_hidden_other_messages_kept(callback_store, domain, database):
    save_turns(callback_store, domain, CALLBACK_TURNS)

    messages = [event for event in stored_events(database) if event["event"] == "user"]
    assert [message["text"] for message in messages] == [
        "ik wil teruggebeld worden",
        "[verborgen]",
        "[verborgen]",
        "[verborgen]",
        "ja",
    ]
    assert messages[1]["parse_data"]["text"] == "[verborgen]"
    assert messages[1]["parse_data"]["entities"][0]["value"] == "[verborgen]"
    assert messages[1]["parse_data"]["intent"]["name"] == "inform"


def test_the_next_turns_get_the_sealed_values_back_and_can_open_them(callback_store, domain):
    """Any Rasa server behind a load balancer, or one restarted, reads the same sealed values."""
    tracker = save_turns(callback_store, domain, CALLBACK_TURNS)

    sealed = [tracker.get_slot(slot) for slot in ("callback_naam", "callback_telefoon", "callback_vraag")]
    assert [unseal(value, KEY) for value in sealed] == [NAME, "06 9876 5432", QUESTION]
    assert tracker.get_slot("callback_toestemming") == "ja"
    assert tracker.get_slot("requested_slot") is None and tracker.active_loop_name is None


def test_a_clear_value_in_a_callback_slot_is_hidden(callback_store, domain, database):
    careless = [user("Piet"), SlotSet("callback_naam", "Piet Klaassen"), *ask("callback_telefoon", "Welk nummer?")]
    tracker = save_turns(callback_store, domain, [CALLBACK_TURNS[0], careless])

    assert tracker.get_slot("callback_naam") == "[verborgen]"
    assert "Klaassen" not in whole_database(database)


def test_an_emptied_slot_stays_empty_so_the_form_asks_again(callback_store, domain):
    rejected = [user("weet ik niet"), SlotSet("callback_telefoon", None), *ask("callback_telefoon", "Welk nummer?")]
    tracker = save_turns(callback_store, domain, [*CALLBACK_TURNS[:2], rejected])

    assert unseal(tracker.get_slot("callback_naam"), KEY) == NAME
    assert tracker.get_slot("callback_telefoon") is None
    assert tracker.get_slot("requested_slot") == "callback_telefoon"


DAY = 86400


def conversation_at(sender: str, timestamp: float, domain: Domain) -> DialogueStateTracker:
    events = [
        ActionExecuted("action_session_start", timestamp=timestamp),
        SessionStarted(timestamp=timestamp),
        UserUttered("wat is een pgb", timestamp=timestamp + 1),
        BotUttered("Een pgb is geld van de gemeente.", timestamp=timestamp + 2),
    ]
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def stored_senders(store: RedactingSQLTrackerStore) -> List[str]:
    return sorted(asyncio.run(store.keys()))


def test_a_conversation_is_deleted_thirty_days_after_its_last_message(store, domain):
    now = time.time()
    asyncio.run(store.save(conversation_at("stil-sinds-29-dagen", now - 29 * DAY, domain)))  # checks: none expired
    asyncio.run(
        store.save(conversation_at("stil-sinds-31-dagen", now - 31 * DAY, domain))
    )  # not checked within the hour
    revived = conversation_at("oud-maar-gisteren-terug", now - 60 * DAY, domain)
    revived.update(UserUttered("ik heb nog een vraag", timestamp=now - DAY))
    asyncio.run(store.save(revived))

    deleted = store.delete_expired_conversations(now=now)

    assert deleted == 4  # the four events of the one conversation that went quiet 31 days ago
    assert stored_senders(store) == ["oud-maar-gisteren-terug", "stil-sinds-29-dagen"]


def test_saving_a_turn_deletes_expired_conversations_at_most_once_an_hour(domain, database):
    store = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database), conversation_days=30)
    now = time.time()
    asyncio.run(
        store.save(conversation_at("verlopen", now - 40 * DAY, domain))
    )  # the first save checks: deleted at once
    assert stored_senders(store) == []
    asyncio.run(store.save(conversation_at("verlopen", now - 40 * DAY, domain)))  # within the hour: not checked again
    asyncio.run(store.save(conversation_at("nieuw", now, domain)))
    assert stored_senders(store) == ["nieuw", "verlopen"]


def test_expired_conversations_are_deleted_on_postgresql_too(domain, postgres_url):
    url = make_url(postgres_url)
    store = RedactingSQLTrackerStore(
        domain=domain, dialect="postgresql", host=url.host, port=url.port, db=url.database, username=url.username
    )
    now = time.time()
    asyncio.run(store.save(conversation_at("actief", now - DAY, domain)))  # checks: nothing has expired
    asyncio.run(store.save(conversation_at("verlopen", now - 31 * DAY, domain)))  # within the hour: not checked
    assert store.delete_expired_conversations() == 4
    assert stored_senders(store) == ["actief"]


# --- Rasa's circuit breaker ----------------------------------------------------------------------


def test_a_turn_stopped_by_the_circuit_breaker_is_closed_so_the_next_message_is_answered(store, domain):
    """Rasa counts actions since the last action_listen, across user messages: a conversation
    whose turn tripped the breaker tripped it again on every later message, /restart included."""
    tracker = DialogueStateTracker.from_events(
        SENDER,
        [
            ActionExecuted("action_listen"),
            UserUttered("wat moet ik betalen?", {"name": "eigen_bijdrage_check"}),
            ActiveLoop("eigen_bijdrage_form"),
            *[ActionExecuted("utter_fallback_topics") for _ in range(10)],
        ],
        domain.slots,
    )
    asyncio.run(store.save(tracker))
    stored = asyncio.run(store.retrieve(SENDER))
    assert stored.latest_action_name == "action_listen" and stored.active_loop_name is None


def test_an_ordinary_turn_is_saved_as_it_is(store, domain):
    events = [ActionExecuted("action_listen"), UserUttered("hallo", {"name": "greet"}), ActionExecuted("utter_greet")]
    tracker = DialogueStateTracker.from_events(SENDER, events, domain.slots)
    asyncio.run(store.save(tracker))
    assert asyncio.run(store.retrieve(SENDER)).latest_action_name == "utter_greet"


# --- A store that cannot be read or written ----------------------------------------------------------


def a_turn(domain, sender=SENDER) -> DialogueStateTracker:
    events = [ActionExecuted("action_listen"), UserUttered("hallo", {"name": "greet"}), ActionExecuted("utter_greet")]
    return DialogueStateTracker.from_events(sender, events, domain.slots)


def test_a_locked_database_is_tried_again_then_reported_and_not_read_as_a_new_conversation(store, domain, database):
    asyncio.run(store.save(a_turn(domain)))
    locker = sqlite3.connect(database, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable):
            asyncio.run(store.retrieve(SENDER))
        assert time.monotonic() - started < 6  # bounded: a few short attempts
        assert not store_is_up()
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert asyncio.run(store.retrieve(SENDER)).latest_action_name == "utter_greet" and store_is_up()


def test_a_write_tried_again_adds_its_turn_to_the_conversation_log_once(store, domain, database):
    asyncio.run(store.save(a_turn(domain, "eerst")))  # tables made, expired conversations checked
    locker = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")  # others may read (the save counts its events), not write
    threading.Timer(1.0, lambda: locker.execute("ROLLBACK")).start()  # after the first attempt failed
    asyncio.run(store.save(a_turn(domain)))
    locker.close()
    _, logged = store.log.conversations(ConversationFilter())
    assert [conversation.messages for conversation in logged] == [1, 1]


def test_a_read_only_database_does_not_lose_a_turn_silently(domain, database):
    writable = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    asyncio.run(writable.save(a_turn(domain)))
    read_only = RedactingSQLTrackerStore(domain=domain, dialect="sqlite", db=str(database))
    sa.event.listen(read_only.engine, "connect", lambda connection, _: connection.execute("PRAGMA query_only = ON"))
    read_only.engine.dispose()  # as a database file the process may only read
    assert asyncio.run(read_only.retrieve(SENDER)) is not None
    with pytest.raises(StoreUnavailable):
        asyncio.run(read_only.save(a_turn(domain, "inwoner-2")))


def test_a_deleted_database_gets_its_tables_again(store, domain, database):
    asyncio.run(store.save(a_turn(domain)))
    store.engine.dispose()
    database.unlink()
    assert asyncio.run(store.retrieve(SENDER)) is None  # the conversation is gone with the file
    asyncio.run(store.save(a_turn(domain, "inwoner-2")))
    assert asyncio.run(store.retrieve("inwoner-2")) is not None


BUTTON = {"title": "Eigen bijdrage", "payload": "/x"}


def keyed_turn(domain: Domain, key: str) -> DialogueStateTracker:
    intent = {"name": "greet", "confidence": 0.9}
    events = [
        ActionExecuted("action_listen"),
        UserUttered("hallo", intent=intent, message_id=key),
        BotUttered(
            "Hallo! Waar kan ik u mee helpen?", data={"buttons": [{"title": "Eigen bijdrage", "payload": "/x"}]}
        ),
        ActionExecuted("action_listen"),
        UserUttered("dank u", intent=intent, message_id="later"),
        BotUttered("Graag gedaan."),
    ]
    return DialogueStateTracker.from_events(SENDER, events, domain.slots)


def test_a_turn_sent_again_with_its_key_is_answered_from_the_store_not_run_again(store, domain):
    asyncio.run(store.save(keyed_turn(domain, "turn-1")))
    running = RUNNING_TURN_KEY.set("turn-1")
    try:
        with pytest.raises(TurnAlreadyAnswered) as answered:
            asyncio.run(store.retrieve(SENDER))
    finally:
        RUNNING_TURN_KEY.reset(running)
    assert answered.value.messages == [{"text": "Hallo! Waar kan ik u mee helpen?", "buttons": [BUTTON]}]


def test_a_new_key_or_no_key_reads_the_conversation_as_always(store, domain):
    asyncio.run(store.save(keyed_turn(domain, "turn-1")))
    for key in ("turn-2", None):
        running = RUNNING_TURN_KEY.set(key)
        try:
            assert asyncio.run(store.retrieve(SENDER)).latest_message.text == "dank u"
        finally:
            RUNNING_TURN_KEY.reset(running)
