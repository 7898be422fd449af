"""Faults of the action server, against real servers of their own: down or hung, the resident
gets a kind Dutch message within 2 seconds (with the municipality's number when the widget
presets it), over REST and socket.io; when it is back, the conversation goes on."""

import os
import signal
import time
import uuid
from typing import Dict, List

import requests

from assistant.content.answers import message_templates
from tests.support.socketio_client import socketio_turn

FAULT_START = "Sorry, er ging bij mij iets mis. Uw bericht is niet verwerkt."


def action_server(servers):
    return next(
        process for process in servers.running.processes if "assistant.rasa_plugins.action_server" in process.args
    )


def say(servers, text: str, sender: str, metadata: Dict = None) -> List[Dict]:
    body = {"sender": sender, "message": text, **({"metadata": metadata} if metadata else {})}
    response = requests.post(f"{servers.url}/webhooks/rest/webhook", json=body, timeout=60)
    assert response.status_code == 200
    return response.json()


def timed(servers, text: str, sender: str, metadata: Dict = None):
    started = time.monotonic()
    replies = say(servers, text, sender, metadata)
    return replies, time.monotonic() - started


def test_a_hung_action_server_gets_a_kind_answer_within_two_seconds(own_servers):
    sender = f"fault-{uuid.uuid4().hex[:8]}"
    assert "persoonsgebonden budget" in say(own_servers, "wat is een pgb", sender)[0]["text"]
    os.kill(action_server(own_servers).pid, signal.SIGSTOP)
    try:
        replies, seconds = timed(own_servers, "wat is de eigen bijdrage", sender)
        assert seconds < 2 and replies[0]["text"].startswith(FAULT_START)
        replies, _ = timed(own_servers, "wat is de eigen bijdrage", sender, {"gemeente": "GM0363"})
        assert "Bel dan de gemeente Amsterdam: 14 020." in replies[0]["text"]
    finally:
        os.kill(action_server(own_servers).pid, signal.SIGCONT)
    assert "eigen bijdrage" in say(own_servers, "wat is de eigen bijdrage", sender)[0]["text"]


def test_the_fault_message_is_b1_and_names_no_internal_detail():
    for key in ("storing", "storing_gemeente"):
        text = message_templates()[key]
        assert (
            "action" not in text.lower()
            and "server" not in text.lower()
            and "Probeer het over een paar minuten" in text
        )


def test_a_dead_action_server_gets_a_kind_answer_within_two_seconds_over_rest_and_socketio(own_servers):
    """Runs last in this module: the action server stays down (`start` would start it again)."""
    process = action_server(own_servers)
    process.kill()
    process.wait()
    sender = f"fault-{uuid.uuid4().hex[:8]}"
    for text in ("wat is een pgb", "hallo", "/restart", "ik woon in Utrecht"):
        replies, seconds = timed(own_servers, text, sender)
        assert seconds < 2 and [reply["text"][: len(FAULT_START)] for reply in replies] == [FAULT_START]
    [reply] = socketio_turn(own_servers.url, "wat is een pgb", answer_timeout=2)
    assert reply["text"].startswith(FAULT_START)
