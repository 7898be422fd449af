"""The conversation store locked while a resident is in a flow, against real servers of their
own: the resident is told to try again (not answered from a conversation read as new), the
health check says the store is down, and once the lock is gone the flow goes on."""

import sqlite3
import uuid
from pathlib import Path

import requests

FAULT_START = "Sorry, er ging bij mij iets mis. Uw bericht is niet verwerkt."


def say(servers, sender: str, text: str) -> str:
    response = requests.post(
        f"{servers.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60
    )
    assert response.status_code == 200
    return "\n".join(reply.get("text", "") for reply in response.json())


def health(servers) -> requests.Response:
    return requests.get(f"{servers.url}/webhooks/rest/", timeout=10)


def test_a_locked_store_is_said_and_the_flow_goes_on_afterwards(own_servers):
    sender = f"store-{uuid.uuid4().hex[:8]}"
    assert "Voor welke hulp" in say(own_servers, sender, "/eigen_bijdrage_check")
    database = Path(own_servers.running.specs[0].env["WEGWIJZER_TRACKER_DB"].removeprefix("sqlite:///"))
    locker = sqlite3.connect(database, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        reply = say(own_servers, sender, "Vervoer")
        assert reply.startswith(FAULT_START) and "Over welk jaar" not in reply and "Hallo" not in reply
        assert health(own_servers).status_code == 503 and health(own_servers).json()["conversation_store"] == "down"
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert "Over welk jaar" in say(own_servers, sender, "Vervoer")  # the flow was not lost: it asks on
    assert health(own_servers).json() == {"status": "ok", "action_server": "ok", "conversation_store": "ok"}
