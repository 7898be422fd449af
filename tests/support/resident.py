"""A resident talking to the real Rasa server over REST, as one conversation."""

import uuid
from typing import Callable, Dict, List

import requests

Say = Callable[[str], List[Dict]]


def resident(rasa_url: str, prefix: str = "e2e") -> Say:
    """say(text) sends a message as one new resident and returns the bot messages; say.sender
    is the conversation id."""
    sender = f"{prefix}-{uuid.uuid4().hex[:8]}"

    def say(text: str) -> List[Dict]:
        response = requests.post(
            f"{rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=30
        )
        assert response.status_code == 200
        return response.json()

    say.sender = sender
    return say
