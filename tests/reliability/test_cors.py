"""Only the municipalities' sites (WEGWIJZER_ALLOWED_ORIGINS) and the demo pages may call the
Rasa server from a browser. Before, `--cors "*"` reflected any origin, with credentials."""

import pytest
import requests


@pytest.mark.parametrize("path", ["/webhooks/rest/webhook", "/socket.io/?EIO=4&transport=polling"])
def test_another_site_gets_no_cors_headers(servers, path):
    preflight = requests.options(
        servers["url"] + path,
        timeout=10,
        headers={"Origin": "https://kwaadwillend.example", "Access-Control-Request-Method": "POST"},
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    polling = requests.get(
        servers["url"] + "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": "https://kwaadwillend.example"},
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in polling.headers


def test_an_allowed_site_gets_its_own_origin_back(servers):
    origin = "http://localhost:8123"  # the tests allow pages on localhost (tests/conftest.py)
    polling = requests.get(
        servers["url"] + "/socket.io/?EIO=4&transport=polling", headers={"Origin": origin}, timeout=10
    )
    assert polling.headers.get("Access-Control-Allow-Origin") == origin
