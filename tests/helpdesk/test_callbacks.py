"""Callback requests: stored encrypted in a real SQLite file, validated, deleted after 30 days."""

import sqlite3
import stat
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import psycopg2
import pytest
from cryptography.fernet import Fernet

from assistant.helpdesk.callbacks import (
    REFERENCE,
    CallbackStore,
    InvalidCallbackRequest,
    UnreadableCallbackRequest,
    clean_name,
    clean_phone,
    clean_question,
    load_key,
)
from assistant.settings import CALLBACK_KEY, CALLBACK_URL

NAME = "Jantje Zonnebloem"
PHONE = "06-98765432"
QUESTION = "Ik wil hulp bij het aanvragen van een pgb voor mijn moeder"
CONSENT = "Ik geef de gemeente toestemming om mij terug te bellen."


@pytest.fixture
def database(tmp_path):
    return tmp_path / "callbacks.db"


@pytest.fixture
def key() -> bytes:
    return Fernet.generate_key()


@pytest.fixture
def store(database, key) -> CallbackStore:
    return CallbackStore(f"sqlite:///{database}", key)


def add(store: CallbackStore, code: str = "GM0363", name: str = NAME, phone: str = PHONE, question: str = QUESTION):
    return store.add(code, "Amsterdam" if code == "GM0363" else "Utrecht", name, phone, question, CONSENT)


def age(database, reference: str, days: float) -> None:
    """Make a stored request `days` old, as if it had been made then."""
    made = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=days)
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE callback_requests SET created_at = ? WHERE reference = ?", (made.isoformat(" "), reference)
        )


def test_a_new_request_has_a_readable_reference_and_is_new(store):
    request = add(store)

    assert REFERENCE.fullmatch(request.reference)
    assert (request.municipality_code, request.name, request.phone, request.question) == (
        "GM0363",
        NAME,
        "06 9876 5432",
        QUESTION,
    )
    assert request.status == "nieuw" and request.consent_text == CONSENT
    assert request.created_at.tzinfo == timezone.utc
    assert abs(datetime.now(timezone.utc) - request.created_at) < timedelta(minutes=1)


def test_references_differ(store):
    assert len({add(store).reference for _ in range(50)}) == 50


def test_the_list_gives_the_requests_back_decrypted_and_filtered(store):
    first = add(store)
    second = add(store, code="GM0344")
    store.mark_handled(second.reference)

    assert store.list() == [first, replace(second, status="afgehandeld")]
    assert store.list(municipality_code="gm0363") == [first]
    assert [request.reference for request in store.list(status="afgehandeld")] == [second.reference]
    assert store.list(municipality_code="GM0344", status="nieuw") == []


@pytest.mark.parametrize("filters", [{"status": "open"}, {"municipality_code": "0363"}, {"municipality_code": ""}])
def test_a_bad_filter_is_refused(store, filters):
    with pytest.raises(InvalidCallbackRequest):
        store.list(**filters)


def test_the_database_file_holds_no_name_phone_or_question(store, database, tmp_path):
    add(store)

    raw = b"".join(path.read_bytes() for path in tmp_path.iterdir())  # the database and any journal
    assert b"Amsterdam" in raw and CONSENT.encode() in raw  # the file is readable as bytes
    for secret in (NAME, "Zonnebloem", "98765432", "9876 5432", "pgb voor mijn moeder"):
        assert secret.encode() not in raw


def test_a_deleted_request_leaves_no_ciphertext_in_the_file(store, database):
    request = add(store)
    with sqlite3.connect(database) as connection:
        (sealed,) = connection.execute("SELECT sealed FROM callback_requests").fetchone()

    assert store.delete(request.reference)
    assert sealed.encode() not in database.read_bytes()


def test_another_key_cannot_read_the_requests(store, database):
    add(store)
    with pytest.raises(UnreadableCallbackRequest):
        CallbackStore(f"sqlite:///{database}", Fernet.generate_key()).list()


def test_sealed_data_copied_to_another_request_is_refused(store, database):
    first, second = add(store), add(store, name="Piet Paulusma")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE callback_requests SET sealed = (SELECT sealed FROM callback_requests WHERE reference = ?) "
            "WHERE reference = ?",
            (first.reference, second.reference),
        )
    with pytest.raises(UnreadableCallbackRequest):
        store.list()


def test_mark_handled_and_delete_say_whether_the_request_exists(store):
    request = add(store)

    assert store.mark_handled(request.reference.lower())
    assert store.list()[0].status == "afgehandeld"
    assert not store.mark_handled("WW-222222")
    assert store.delete(request.reference)
    assert not store.delete(request.reference)
    assert store.list() == []


@pytest.mark.parametrize("reference", ["", "WW-", "WW-ABC", "WW-7K3P9Q0", "XX-7K3P9Q", "WW-7K3P9O"])
def test_a_malformed_reference_is_refused(store, reference):
    with pytest.raises(InvalidCallbackRequest) as error:
        store.delete(reference)
    assert error.value.field == "reference"


def test_requests_older_than_30_days_are_deleted(store, database):
    old, recent = add(store), add(store)
    age(database, old.reference, days=31)

    assert store.delete_expired() == 1
    assert store.list() == [recent]
    assert store.delete_expired(now=datetime.now(timezone.utc) + timedelta(days=29)) == 0
    assert store.delete_expired(now=datetime.now(timezone.utc) + timedelta(days=31)) == 1


def test_adding_a_request_deletes_expired_ones(store, database):
    old = add(store)
    age(database, old.reference, days=30.1)

    new = add(store)
    assert store.list() == [new]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("06-12345678", "06 1234 5678"),
        ("+31 6 12345678", "06 1234 5678"),
        ("020 123 45 67", "020 123 45 67"),
        ("bel me op (073) 615 51 55 graag", "073 615 51 55"),
    ],
)
def test_a_dutch_phone_number_is_stored_in_its_usual_spelling(text, expected):
    assert clean_phone(text) == expected


@pytest.mark.parametrize(
    "text, reason",
    [
        ("12345", "invalid"),
        ("hallo", "invalid"),
        ("+44 20 7946 0958", "invalid"),
        ("06 1234 5678 of 020 123 45 67", "invalid"),
        ("14 020", "not_personal"),
        ("0800 1234", "not_personal"),
        ("", "empty"),
        (None, "empty"),
    ],
)
def test_an_implausible_phone_number_is_refused(store, text, reason):
    with pytest.raises(InvalidCallbackRequest) as error:
        add(store, phone=text)
    assert (error.value.field, error.value.reason) == ("phone", reason)


def test_the_error_never_holds_what_the_resident_typed():
    with pytest.raises(InvalidCallbackRequest) as error:
        clean_phone("06-1234567")  # one digit short
    assert str(error.value) == "phone: invalid"
    assert error.value.__suppress_context__ and error.value.__cause__ is None  # no chained message with the number
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    "name, reason",
    [("", "empty"), ("   ", "empty"), ("<b></b>", "empty"), ("x" * 101, "too_long"), ("12345", "invalid")],
)
def test_an_invalid_name_is_refused(name, reason):
    with pytest.raises(InvalidCallbackRequest) as error:
        clean_name(name)
    assert (error.value.field, error.value.reason) == ("name", reason)


def test_html_is_stripped_and_the_rest_kept_as_text():
    assert clean_name("<b>Jan</b>\n  de Vries") == "Jan de Vries"
    assert clean_name("x" * 100) == "x" * 100
    assert clean_question("<script>alert(1)</script>Is 3 < 4 & 5 > 2?") == "alert(1) Is 3 < 4 & 5 > 2?"


def test_a_long_question_is_cut_not_refused(store):
    assert len(add(store, question="waarom " * 100).question) <= 500
    assert clean_question("a" * 600) == "a" * 500
    with pytest.raises(InvalidCallbackRequest):
        clean_question(" ")


def test_the_key_file_is_made_private_on_first_use_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv(CALLBACK_KEY.name, raising=False)
    key_file = tmp_path / "var" / "callback.key"

    key = load_key(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert load_key(key_file) == key
    Fernet(key)  # a valid key
    assert [path.name for path in key_file.parent.iterdir()] == ["callback.key"]


def test_the_environment_key_comes_first(tmp_path, monkeypatch):
    key = Fernet.generate_key()
    monkeypatch.setenv(CALLBACK_KEY.name, key.decode())
    assert load_key(tmp_path / "callback.key") == key
    assert not (tmp_path / "callback.key").exists()


def test_a_wrong_key_says_how_to_make_one(database):
    with pytest.raises(ValueError, match=CALLBACK_KEY.name):
        CallbackStore(f"sqlite:///{database}", b"too short")


def test_the_store_takes_its_database_and_key_from_the_environment(tmp_path, monkeypatch, key):
    monkeypatch.setenv(CALLBACK_URL.name, f"sqlite:///{tmp_path / 'sub' / 'c.db'}")
    monkeypatch.setenv(CALLBACK_KEY.name, key.decode())
    request = add(CallbackStore())

    assert CallbackStore(f"sqlite:///{tmp_path / 'sub' / 'c.db'}", key).list() == [request]


def test_the_same_code_works_on_postgresql(postgres_url, key):
    store = CallbackStore(postgres_url, key)
    first, second = add(store), add(store, code="GM0344")

    assert store.list(municipality_code="GM0363") == [first]
    assert store.mark_handled(second.reference) and store.list(status="afgehandeld")[0].reference == second.reference
    assert NAME not in raw_rows(postgres_url) and "Amsterdam" in raw_rows(postgres_url)
    assert store.delete_expired(now=first.created_at + timedelta(days=30)) == 0
    assert store.delete_expired(now=second.created_at + timedelta(days=30, seconds=1)) == 2
    assert raw_rows(postgres_url) == "[]"


def raw_rows(url: str) -> str:
    connection = psycopg2.connect(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM callback_requests")
            return str(cursor.fetchall())
    finally:
        connection.close()
