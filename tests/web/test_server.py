"""The web server of the widget: demo pages with the Rasa URL, MIME types, security headers,
and nothing served from outside assistant/web/public (node_modules, package files)."""

import pytest
import requests

from assistant.web.server import web_server_on_free_port

RASA_URL = "http://localhost:5999"


@pytest.fixture(scope="module")
def url():
    with web_server_on_free_port(RASA_URL) as base_url:
        yield base_url


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=10)


@pytest.mark.parametrize("path", ["/", "/zonder-gemeente.html"])
def test_demo_pages_embed_the_widget_with_the_rasa_url(url, path):
    page = get(url + path)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'src="widget/widget.js"' in page.text and f'data-server="{RASA_URL}"' in page.text


def test_only_the_municipal_demo_page_presets_a_municipality(url):
    assert 'data-gemeente="GM0363"' in get(url + "/").text
    assert "data-gemeente" not in get(url + "/zonder-gemeente.html").text


@pytest.mark.parametrize(
    "path, mime",
    [
        ("/widget/widget.js", "text/javascript"),
        ("/widget/widget.css", "text/css"),
        ("/widget/vendor/socket.io.min.js", "text/javascript"),
        ("/widget/vendor/utrecht.css", "text/css"),
        ("/privacy.html", "text/html"),
    ],
)
def test_widget_files_have_their_mime_type(url, path, mime):
    response = get(url + path)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith(mime)


def test_every_answer_has_a_strict_content_security_policy(url):
    for path in ("/", "/widget/widget.js", "/bestaat-niet.html"):
        headers = get(url + path).headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "style-src 'self';" in policy and "default-src 'none'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert f"connect-src 'self' {RASA_URL} ws://localhost:5999;" in policy
        assert headers["X-Content-Type-Options"] == "nosniff" and headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize(
    "path",
    [
        "/node_modules/axe-core/axe.min.js",
        "/../package.json",
        "/%2e%2e/package-lock.json",
        "/widget/",
        "/widget/vendor/",
    ],
)
def test_npm_files_and_directory_listings_are_not_served(url, path):
    assert get(url + path).status_code == 404


def test_the_widget_files_use_no_inline_code_and_no_eval(url):
    script = get(url + "/widget/widget.js").text
    assert "innerHTML" not in script and "eval(" not in script and ".style." not in script
