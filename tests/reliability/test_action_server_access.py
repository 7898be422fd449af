"""The action server answers only the Rasa server: it listens on loopback, and every call
without the shared secret (endpoints.yml, WEGWIJZER_ACTION_SECRET) is refused. Before, a
crafted POST ran action_submit_callback and put fake callback requests on a helpdesk's list."""

from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from assistant.helpdesk.callbacks import CallbackStore


def crafted_call(action: str) -> dict:
    """An action call as the Rasa server sends one, made by someone else."""
    tracker = {
        "sender_id": "aanvaller",
        "slots": {"gemeente": "Utrecht", "callback_toestemming": "ja"},
        "latest_message": {"text": "ja", "intent": {"name": "affirm"}},
        "events": [],
        "active_loop": {},
        "latest_action_name": "action_listen",
        "paused": False,
        "followup_action": None,
        "latest_event_time": None,
    }
    return {"next_action": action, "sender_id": "aanvaller", "tracker": tracker, "domain": {}, "version": "3.6.21"}


def listening_addresses(port: int) -> set:
    """The local addresses a TCP socket listens on at `port`, from /proc/net/tcp (Linux)."""
    addresses = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, local_port = local.split(":")
        if int(local_port, 16) == port and state == "0A":  # LISTEN
            addresses.add(".".join(str(int(address[index : index + 2], 16)) for index in (6, 4, 2, 0)))
    return addresses


def test_the_action_server_listens_on_loopback_only(servers):
    assert listening_addresses(urlparse(servers["actions_url"]).port) == {"127.0.0.1"}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-secret"}, {"Authorization": "Basic eDp5"}])
@pytest.mark.parametrize("action", ["action_submit_callback", "validate_callback_form", "action_answer_question"])
def test_a_call_without_the_shared_secret_is_refused(servers, action, headers):
    before = len(CallbackStore(servers["callback_url"], servers["callback_key"]).list())
    response = requests.post(
        f"{servers['actions_url']}/webhook", json=crafted_call(action), headers=headers, timeout=10
    )
    assert response.status_code == 401 and response.json() == {"error": "the shared secret is missing or wrong"}
    assert len(CallbackStore(servers["callback_url"], servers["callback_key"]).list()) == before


def test_the_list_of_actions_is_closed_and_health_open(servers):
    assert requests.get(f"{servers['actions_url']}/actions", timeout=10).status_code == 401
    assert requests.get(f"{servers['actions_url']}/health", timeout=10).json() == {"status": "ok"}


def test_the_rasa_server_still_reaches_its_actions(chat):
    assert "persoonsgebonden budget" in chat("wat is een pgb")[0]["text"]  # action_answer_question ran
