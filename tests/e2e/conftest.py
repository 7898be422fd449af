"""One resident per test, talking to the real servers (`servers` in tests/conftest.py) over REST."""

import uuid
from typing import Dict, List

import pytest
import requests


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
