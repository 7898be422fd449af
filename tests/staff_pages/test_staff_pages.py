"""The staff app's pages in headless Chromium: WCAG 2.1 AA by axe-core on every page, 320 px
without sideways scrolling, and a helpdesk employee who works by keyboard only: sign in, choose
a password, open the queue, take a request. Screenshots in var/screenshots/ for review."""

from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.web.server import web_server_on_free_port
from tests.support.staff_app import PASSWORD, new_account, staff_stores
from tests.support.widget_page import DESKTOP, Problems, axe_violations, chromium, describe, save_screenshot

PHONE_WIDTH = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    with staff_stores(tmp_path_factory.mktemp("staff_pages")) as both:
        yield both


@pytest.fixture(scope="module")
def url(stores) -> Iterator[str]:
    with web_server_on_free_port() as base_url:
        yield base_url


@pytest.fixture(scope="module")
def callback(stores):
    _, callbacks = stores
    return callbacks.add(
        "GM0228", "Ede", "Jan Jansen", "0612345678", "Hoe vraag ik een pgb aan?", "Ik geef toestemming."
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def new_page(browser: Browser, viewport=DESKTOP, **options) -> Page:
    page = browser.new_context(viewport=viewport, **options).new_page()
    page.problems = Problems(page)
    page.set_default_timeout(15_000)
    return page


def sign_in(page: Page, url: str, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{url}/beheer/inloggen")
    page.get_by_label("Accountnaam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Aanmelden").click()


def pages_of_the_app(url: str, reference: str):
    return {
        "inloggen": f"{url}/beheer/inloggen",
        "overzicht": f"{url}/beheer/",
        "terugbellen": f"{url}/beheer/terugbellen",
        "terugbelverzoek": f"{url}/beheer/terugbellen/{reference}",
        "wachtwoord": f"{url}/beheer/wachtwoord",
    }


@pytest.mark.parametrize("viewport, width", [(DESKTOP, "desktop"), (PHONE_WIDTH, "320px")])
def test_every_page_meets_wcag_21_aa_and_fits_320_px(browser, url, stores, callback, viewport, width):
    name = f"axe-{width}"
    new_account(stores[0], name)
    checked = new_page(browser, viewport, bypass_csp=True)  # only so that axe-core can be injected
    sign_in(checked, url, name)
    for title, address in pages_of_the_app(url, callback.reference).items():
        if title == "inloggen":
            continue
        checked.goto(address)
        assert axe_violations(checked) == [], f"{title}: {describe(axe_violations(checked))}"
        assert checked.evaluate("document.documentElement.scrollWidth <= innerWidth"), title
        save_screenshot(checked, f"beheer-{title}-{width}")
    anonymous = new_page(browser, viewport, bypass_csp=True)
    anonymous.goto(f"{url}/beheer/inloggen")
    assert axe_violations(anonymous) == [], describe(axe_violations(anonymous))
    save_screenshot(anonymous, f"beheer-inloggen-{width}")


def test_a_helpdesk_employee_works_by_keyboard_only(browser, url, stores, callback):
    staff, _ = stores
    _, one_time = staff.add("toetsenbord", "helpdesk", ["GM0228"])
    page = new_page(browser)
    page.goto(f"{url}/beheer/inloggen")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Accountnaam")).to_be_focused()
    page.keyboard.type("toetsenbord")
    page.keyboard.press("Tab")
    page.keyboard.type(one_time)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Uw wachtwoord")).to_be_visible()
    page.get_by_label("Huidig wachtwoord").focus()
    page.keyboard.type(one_time)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Overzicht")).to_be_visible()
    page.get_by_role("link", name="Naar de terugbelverzoeken").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name=callback.reference).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Jan Jansen")).to_be_visible()
    page.get_by_role("button", name="Ik pak dit op").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("U hebt dit verzoek opgepakt.")
    assert page.problems.errors == [] and page.problems.foreign_requests == []


def test_a_wrong_password_is_announced(browser, url, stores):
    new_account(stores[0], "verkeerd")
    page = new_page(browser)
    sign_in(page, url, "verkeerd", "niet mijn wachtwoord")
    expect(page.get_by_role("alert")).to_have_text("Die naam of dat wachtwoord klopt niet.")
    assert page.problems.errors == []
