"""The widget in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright) on the
demo pages of a real web server, talking to the real Rasa server (`servers` in tests/conftest.py)."""

import shutil
from contextlib import ExitStack
from typing import Callable, Dict, Iterator, Optional

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from assistant.runtime.servers import free_port
from assistant.settings import WEB_PUBLIC_DIR
from assistant.web.server import web_server_on_free_port
from tests.support.widget_page import DESKTOP, Problems, chromium, write_municipal_page


@pytest.fixture(scope="session")
def web(servers) -> Iterator[str]:
    """The web server with the demo pages, talking to the test's Rasa server."""
    with web_server_on_free_port(servers["url"]) as url:
        yield url


@pytest.fixture(scope="session")
def web_without_rasa() -> Iterator[str]:
    """Demo pages whose widget talks to a port where nothing listens: a lost connection."""
    with web_server_on_free_port(f"http://localhost:{free_port()}") as url:
        yield url


@pytest.fixture
def municipal_site(tmp_path) -> Iterator[Callable[..., None]]:
    """Opens a municipality's own page that the test writes (`write_municipal_page`), served with
    the widget by a real web server of its own, under the CSP for `rasa_url`. A page that
    Playwright made up itself would count as a public site, and Chromium would then block its
    requests to localhost."""
    site = tmp_path / "site"
    shutil.copytree(WEB_PUBLIC_DIR, site)
    with ExitStack() as web_servers:

        def open_page(page: Page, rasa_url: str, script: Dict[str, str], stylesheet: Optional[str] = None) -> None:
            write_municipal_page(site, script, stylesheet)
            page.goto(web_servers.enter_context(web_server_on_free_port(rasa_url, site)) + "/gemeente.html")

        yield open_page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def _page(browser: Browser, **context_options) -> Iterator[Page]:
    context: BrowserContext = browser.new_context(viewport=DESKTOP, **context_options)
    page = context.new_page()
    page.problems = Problems(page)
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    """A fresh browser tab under the pages' strict CSP; fails the test on errors or foreign requests."""
    for page in _page(browser):
        yield page
        assert page.problems.errors == [] and page.problems.foreign_requests == []


@pytest.fixture
def axe_page(browser) -> Iterator[Page]:
    """A tab whose context ignores the CSP, only so that axe-core or a test's style can be injected."""
    yield from _page(browser, bypass_csp=True)


@pytest.fixture
def unchecked_page(browser) -> Iterator[Page]:
    """A tab that may log errors: for a server that cannot be reached."""
    yield from _page(browser)
