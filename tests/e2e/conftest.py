"""The real action server and Rasa server on free ports, with a temporary tracker database
and callback store, as `./wegwijzer start` runs them; one resident per test."""

import os
import uuid
from typing import Dict, Iterator, List

import pytest
import requests
from cryptography.fernet import Fernet

from assistant.model import ensure_model
from assistant.servers import Ports, start_processes, wait_until_ready

CALLBACK_VARIABLES = ("WEGWIJZER_CALLBACK_URL", "WEGWIJZER_CALLBACK_KEY")


@pytest.fixture(scope="session")
def servers(tmp_path_factory, directory_url) -> Iterator[Dict]:
    tmp = tmp_path_factory.mktemp("e2e")
    callback_url, callback_key = f"sqlite:///{tmp / 'callbacks.db'}", Fernet.generate_key().decode()
    saved = {name: os.environ.get(name) for name in CALLBACK_VARIABLES}
    os.environ.update(dict(zip(CALLBACK_VARIABLES, (callback_url, callback_key))))
    ports = Ports.free()
    running = start_processes(ensure_model(), ports, tracker_db=str(tmp / "tracker.db"), log_dir=tmp)
    try:
        wait_until_ready(running, ports)
        yield {
            "url": f"http://localhost:{ports.rasa}", "tracker_db": tmp / "tracker.db",
            "callback_url": callback_url, "callback_key": callback_key.encode(), "callback_db": tmp / "callbacks.db",
        }
    finally:
        running.stop()
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def chat(servers):
    """Send messages as one new resident; returns the list of bot messages per call."""
    sender = f"e2e-{uuid.uuid4().hex[:8]}"

    def say(text: str) -> List[Dict]:
        response = requests.post(
            f"{servers['url']}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        assert response.status_code == 200
        return response.json()

    say.sender = sender
    return say
