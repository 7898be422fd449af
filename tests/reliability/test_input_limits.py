"""What enters the assistant over REST and socket.io against the real servers: a message
over the maximum length gets a kind Dutch request for a shorter one (and is not stored), a
request without a conversation id or with a malformed body gets 400 with a JSON error."""

import json
import sqlite3
import uuid

import pytest
import requests

from assistant.rasa_plugins.limits import MAX_MESSAGE_LENGTH, MAX_METADATA_BYTES, MAX_SENDER_ID_LENGTH
from tests.support.socketio_client import socketio_turn

TOO_LONG_REPLY = "Uw bericht is te lang voor mij. Wilt u uw vraag korter typen?"


def post(servers, body: bytes, content_type: str = "application/json") -> requests.Response:
    return requests.post(
        f"{servers['url']}/webhooks/rest/webhook", data=body, headers={"Content-Type": content_type}, timeout=60
    )


def say(servers, message, sender: str = None, **extra) -> requests.Response:
    body = {"sender": sender or f"limits-{uuid.uuid4().hex[:8]}", "message": message, **extra}
    return post(servers, json.dumps(body).encode())


def stored_texts(servers, sender: str) -> str:
    with sqlite3.connect(servers["tracker_db"]) as connection:
        return "\n".join(row[0] for row in connection.execute("select data from events where sender_id = ?", (sender,)))


def test_a_message_over_the_maximum_gets_a_kind_request_for_a_shorter_one_and_is_not_stored(servers):
    sender = f"limits-{uuid.uuid4().hex[:8]}"
    long_question = "Ik wil weten wat een pgb is en hoe ik het aanvraag." + "x" * MAX_MESSAGE_LENGTH
    response = say(servers, long_question, sender)
    assert response.status_code == 200
    [reply] = response.json()
    assert reply["text"].startswith(TOO_LONG_REPLY) and f"hoogstens {MAX_MESSAGE_LENGTH} tekens" in reply["text"]
    assert "Ik wil weten wat een pgb is" not in stored_texts(servers, sender)


def test_a_message_of_the_maximum_length_is_answered(servers):
    question = "wat is een pgb? " + "ik wil het graag weten. " * 60
    response = say(servers, question[:MAX_MESSAGE_LENGTH])
    assert response.status_code == 200
    assert response.json() and not response.json()[0]["text"].startswith(TOO_LONG_REPLY)


@pytest.mark.parametrize("size", [100_000, 1_000_000])
def test_a_huge_message_does_not_reach_nlu(servers, size):
    body = json.dumps({"sender": f"limits-{uuid.uuid4().hex[:8]}", "message": "woord" * (size // 5)}).encode()
    response = post(servers, body)
    assert response.status_code == 413 and "larger than" in response.json()["error"]


def test_a_message_that_is_not_text_is_asked_again(servers):
    [reply] = say(servers, {"text": "hallo"}).json()
    assert reply["text"] == "Ik kan alleen tekst lezen. Wilt u uw vraag typen?"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"[]",
        b'"hallo"',
        b"null",
        b"{not json",
        b'{"message": "hallo"}',
        b'{"sender": "", "message": "hallo"}',
        b'{"sender": "   ", "message": "hallo"}',
        b'{"sender": 42, "message": "hallo"}',
    ],
    ids=["empty", "array", "string", "null", "broken", "no sender", "empty sender", "blank sender", "number sender"],
)
def test_a_malformed_request_gets_400_with_a_json_error(servers, body):
    response = post(servers, body)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("application/json") and response.json()["error"]


def test_a_sender_or_metadata_over_the_limit_gets_400(servers):
    assert say(servers, "hallo", sender="x" * (MAX_SENDER_ID_LENGTH + 1)).status_code == 400
    assert say(servers, "hallo", metadata={"x": "y" * MAX_METADATA_BYTES}).status_code == 400
    assert say(servers, "hallo", metadata=["GM0363"]).status_code == 400
    assert say(servers, "hallo", sender="x" * MAX_SENDER_ID_LENGTH, metadata={"gemeente": "GM0363"}).status_code == 200


def test_two_clients_without_a_sender_no_longer_share_a_conversation(servers):
    assert post(servers, json.dumps({"message": "hallo"}).encode()).status_code == 400
    with sqlite3.connect(servers["tracker_db"]) as connection:
        assert connection.execute("select count(*) from events where sender_id = 'default'").fetchone()[0] == 0


def test_socketio_answers_a_message_over_the_maximum_kindly(servers):
    [reply] = socketio_turn(servers["url"], "pgb " * MAX_MESSAGE_LENGTH)
    assert reply["text"].startswith(TOO_LONG_REPLY)
