"""What residents type stays out of the logs of the real servers, also on the paths that wrote
it there: a lone surrogate (an exception with the message and frame locals), "/intent{" with
broken JSON (a warning that quoted it), and ordinary turns."""

import json
import uuid
from pathlib import Path

import pytest
import requests

BSN, PHONE, HEALTH = "111222333", "0612345678", "zeldzameziektexyz"
MESSAGES = [
    f"mijn bsn is {BSN} en ik heb {HEALTH} \ud800 wat kost hulp",
    f"/greet{{kapotte json {BSN} {HEALTH}",
    f"bel mij op {PHONE}, ik heb {HEALTH}",
    f"ik woon in Utrecht, bsn {BSN}",
]


def post(url: str, text: str) -> requests.Response:
    body = json.dumps({"sender": f"logs-{uuid.uuid4().hex[:8]}", "message": text})  # keeps the lone surrogate as \ud800
    return requests.post(
        f"{url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}, timeout=60
    )


@pytest.mark.parametrize("text", MESSAGES, ids=["surrogate", "broken intent json", "phone", "municipality"])
def test_every_message_is_answered_and_nothing_of_it_is_logged(own_servers, text):
    response = post(own_servers.url, text)
    assert response.status_code == 200 and any(reply.get("text") for reply in response.json())
    logs = "".join(Path(spec.log).read_text(errors="replace") for spec in own_servers.running.specs)
    for secret in (BSN, PHONE, HEALTH):
        assert secret not in logs, f"{secret} in the logs"
