"""A handover in two browsers: a resident in the widget asks for a person while Zutphen's helpdesk
chats; an employee in the staff app takes the conversation over, they chat (the staff page shows
the resident's new message without a reload), and the employee hands it back to Wegwijzer. Both
sides under their strict CSP, checked by axe-core, also at 320 px; screenshots for review."""

import re
from typing import Iterator

import pytest
from playwright.sync_api import Browser, expect

from assistant.settings import STAFF_URL, TRACKER_DB
from assistant.staff.accounts import StaffStore
from assistant.web.server import web_server_on_free_port
from tests.support.overrides import chats_always
from tests.support.staff_app import new_account, sign_in_page
from tests.support.widget_page import (
    ANSWER_TIMEOUT,
    DESKTOP,
    ask,
    axe_violations,
    conversation,
    describe,
    new_tab,
    open_widget,
    save_screenshot,
    textbox,
)

PHONE_WIDTH = {"width": 320, "height": 640}
EMPLOYEE = "chat-zutphen"


@pytest.fixture(scope="module")
def staff_web(servers, directory_url, tmp_path_factory) -> Iterator[str]:
    """A web server with the demo pages and the staff app on the test servers' conversations and
    chats, with a helpdesk account of Zutphen, whose helpdesk chats at every hour."""
    folder = tmp_path_factory.mktemp("staff_web")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STAFF_URL.name, f"sqlite:///{folder / 'staff.db'}")
        patch.setenv(TRACKER_DB.name, str(servers["tracker_db"]))
        new_account(StaffStore(), EMPLOYEE, codes=("GM0301",))
        with chats_always(directory_url, "GM0301", "zutphen"), web_server_on_free_port(servers["url"]) as url:
            yield url


def checked_by_axe(browser: Browser, address: str, viewport, name: str) -> None:
    """The staff page as the employee sees it now, in a tab that may inject axe-core."""
    page = new_tab(browser, viewport, ANSWER_TIMEOUT, bypass_csp=True)
    sign_in_page(page, address.split("/beheer")[0], EMPLOYEE)
    page.goto(address)
    assert axe_violations(page) == [], f"{name}: {describe(axe_violations(page))}"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
    save_screenshot(page, name)
    page.context.close()


def test_a_resident_is_handed_over_to_an_employee_and_back(browser, staff_web):
    resident = new_tab(browser, timeout_ms=ANSWER_TIMEOUT)
    open_widget(resident, staff_web + "/zonder-gemeente.html")
    ask(resident, "ik wil een mens spreken", "In welke gemeente woont u?")
    ask(resident, "Zutphen", "Een medewerker van de gemeente Zutphen kan nu met u chatten.")
    resident.get_by_role("button", name="Chat met een medewerker").click()
    expect(conversation(resident)).to_contain_text("Ik zoek een medewerker", timeout=ANSWER_TIMEOUT)
    ask(resident, "Mijn moeder kan niet meer alleen douchen", "Uw bericht staat klaar voor de medewerker.")

    employee = new_tab(browser, timeout_ms=ANSWER_TIMEOUT)
    sign_in_page(employee, staff_web, EMPLOYEE)
    employee.get_by_role("link", name="Chat", exact=True).click()
    expect(employee.get_by_role("status")).to_have_text("1 inwoner wacht op een medewerker.")
    employee.get_by_role("button", name=re.compile("^Ik neem dit over")).click()
    expect(employee.get_by_role("heading", name="Chat met een inwoner van Zutphen")).to_be_visible()
    chat_log = employee.get_by_role("log", name="Het gesprek")
    expect(chat_log).to_contain_text("Mijn moeder kan niet meer alleen douchen")
    expect(conversation(resident)).to_contain_text(
        "U chat nu met een medewerker van de gemeente Zutphen.", timeout=ANSWER_TIMEOUT
    )

    message_box = employee.get_by_label("Uw bericht aan de inwoner")
    expect(message_box).to_be_focused()  # ready to type after taking over
    message_box.fill("Goedemiddag, ik ben Anna van het Wmo-loket. Hoe kan ik helpen?")
    employee.get_by_role("button", name="Versturen").click()
    from_employee = resident.locator(".wegwijzer__message--employee").last
    expect(from_employee).to_contain_text("Medewerker gemeente Zutphen:", timeout=ANSWER_TIMEOUT)
    expect(from_employee).to_contain_text("Goedemiddag, ik ben Anna van het Wmo-loket.")
    expect(message_box).to_be_focused()

    textbox(resident).fill("Zij woont alleen in Zutphen")
    textbox(resident).press("Enter")
    expect(resident.get_by_text("Wegwijzer typt een antwoord…")).to_be_hidden()  # a person writes
    expect(chat_log).to_contain_text("Zij woont alleen in Zutphen", timeout=ANSWER_TIMEOUT)  # no reload
    assert resident.evaluate("location.href").endswith("/zonder-gemeente.html")
    address = employee.url.split("?")[0]
    for viewport, width in ((DESKTOP, "desktop"), (PHONE_WIDTH, "320px")):
        checked_by_axe(browser, address, viewport, f"beheer-chat-gesprek-{width}")
    checked_by_axe(browser, staff_web + "/beheer/chat", DESKTOP, "beheer-chat-desktop")
    save_screenshot(resident, "widget-chat-met-medewerker")

    employee.get_by_role("button", name="Teruggeven aan Wegwijzer").click()
    expect(employee.get_by_role("status").first).to_contain_text("U hebt het gesprek teruggegeven")
    expect(conversation(resident)).to_contain_text("U praat nu weer met Wegwijzer.", timeout=ANSWER_TIMEOUT)
    ask(resident, "Wat is een pgb?", "persoonsgebonden budget")
    for page in (resident, employee):
        assert page.problems.errors == [] and page.problems.foreign_requests == []
