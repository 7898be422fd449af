"""The Wmo-raad's workbench in a browser, against the real assistant: the try-out with its
explanation and a marked reply that reaches the helpdesk, the conversation book with a sign-off
that a change of the municipality's data invalidates, and uploading test conversations with one
failing step. axe-core on every page, also at 320 px."""

import re
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.settings import PROJECT_ROOT, STAFF_URL, TRACKER_DB
from assistant.staff.accounts import StaffStore
from assistant.web.server import web_server_on_free_port
from tests.support.overrides import chats_always
from tests.support.staff_app import new_account, sign_in_page
from tests.support.widget_page import ANSWER_TIMEOUT, DESKTOP, axe_violations, describe, new_tab, save_screenshot

PHONE_WIDTH = {"width": 320, "height": 640}
# The innermost elements that reach past the window's right edge: why a page scrolls sideways.
WIDE_ELEMENTS = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > innerWidth + 1 && ![...e.children].some(
    c => c.getBoundingClientRect().right > innerWidth + 1))
  .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"""
COUNCIL, HELPDESK = "raad-ede", "helpdesk-ede"
EDE = "GM0228"
ONE_FAILING_STEP = PROJECT_ROOT / "tests" / "review" / "fixtures" / "een_fout.csv"


@pytest.fixture(scope="module")
def staff_web(servers, tmp_path_factory) -> Iterator[str]:
    """The staff app on the test servers' conversations, with a Wmo-raad and a helpdesk account of Ede."""
    folder = tmp_path_factory.mktemp("workbench")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STAFF_URL.name, f"sqlite:///{folder / 'staff.db'}")
        patch.setenv(TRACKER_DB.name, str(servers["tracker_db"]))
        new_account(StaffStore(), COUNCIL, "wmo-raad", (EDE,))
        new_account(StaffStore(), HELPDESK, "helpdesk", (EDE,))
        with web_server_on_free_port(servers["url"]) as url:
            yield url


def signed_in_tab(browser: Browser, url: str, name: str, viewport=DESKTOP) -> Page:
    """A tab that may inject axe-core (it bypasses the CSP), signed in as `name`."""
    page = new_tab(browser, viewport, ANSWER_TIMEOUT, bypass_csp=True)
    sign_in_page(page, url, name)
    return page


def accessible(page: Page, name: str) -> None:
    assert axe_violations(page) == [], f"{name}: {describe(axe_violations(page))}"
    fits = page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert fits, f"{name}: scrolls sideways: {page.evaluate(WIDE_ELEMENTS)[:5]}"


def test_a_try_out_explains_each_reply_and_a_marked_reply_reaches_the_helpdesk(browser, staff_web):
    council = signed_in_tab(browser, staff_web, COUNCIL)
    council.get_by_role("link", name="Proefgesprek").click()
    council.get_by_label("Website van welke gemeente?").select_option(label="Ede")
    council.get_by_role("button", name="Begin een nieuw proefgesprek").click()
    council.get_by_label("Typ een bericht zoals een inwoner").fill("Wat is een persoonsgebonden budget?")
    council.get_by_role("button", name="Versturen").click()
    why = council.get_by_role("region", name="Waarom dit antwoord?")
    expect(why).to_contain_text("Wat Wegwijzer dacht")
    expect(why).to_contain_text(re.compile(r"\d+% zeker"))
    expect(why).to_contain_text("Ede: De website van de gemeente gaf de gemeente mee")
    expect(why).to_contain_text("Bronnen")
    council.get_by_role("button", name="Past een pgb bij mij?").click()  # a button of the reply
    expect(council.get_by_role("region", name="Waarom dit antwoord?").last).to_contain_text("Volgende vraag")
    accessible(council, "proefgesprek")
    save_screenshot(council, "beheer-proefgesprek")

    council.get_by_text("Markeer dit antwoord").first.click()
    council.get_by_label("Wat is er niet goed aan dit antwoord?").first.fill("Te lang voor een eerste antwoord.")
    council.get_by_role("button", name=re.compile("^Markeren")).first.click()
    expect(council.get_by_role("status")).to_contain_text("is gemarkeerd")

    helpdesk = signed_in_tab(browser, staff_web, HELPDESK)
    helpdesk.goto(f"{staff_web}/beheer/gesprekken")
    helpdesk.get_by_role("link", name=re.compile("gesprek ")).first.click()
    expect(helpdesk.get_by_role("heading", level=1)).to_contain_text("(proefgesprek)")
    expect(helpdesk.locator("main")).to_contain_text(f'{COUNCIL}: "Te lang voor een eerste antwoord."')

    phone = signed_in_tab(browser, staff_web, COUNCIL, PHONE_WIDTH)
    phone.goto(council.url)
    accessible(phone, "proefgesprek 320 px")
    for tab in (council, helpdesk, phone):
        tab.context.close()


def test_the_book_and_a_sign_off_that_a_change_of_the_local_data_invalidates(browser, staff_web, directory_url):
    council = signed_in_tab(browser, staff_web, COUNCIL)
    council.get_by_role("link", name="Gespreksboek").click()
    council.get_by_label("Welk boek").select_option(label="Ede")
    council.get_by_role("button", name="Toon").click()
    expect(council.get_by_role("heading", level=1)).to_have_text("Gespreksboek voor de gemeente Ede")
    expect(council.locator(".boek-versie")).to_contain_text("Versie: model ")
    chat = council.get_by_role("article", name="Chatten met een medewerker")
    expect(chat).to_contain_text("Chatten met een medewerker van de gemeente Ede kan nu niet.")
    chat.get_by_text("Oordeel geven").click()
    chat.get_by_label("Akkoord", exact=True).check()
    chat.get_by_label(re.compile("^Opmerking")).fill("Helder.")
    chat.get_by_role("button", name=re.compile("^Oordeel opslaan")).click()
    chat = council.get_by_role("article", name="Chatten met een medewerker")
    expect(chat).to_contain_text(f"Oordeel: akkoord, door {COUNCIL}")
    accessible(council, "gespreksboek")
    save_screenshot(council, "beheer-gespreksboek")

    with chats_always(directory_url, EDE, "ede"):  # the helpdesk now chats: the flow's texts change
        council.get_by_role("link", name="Akkoord").click()
        row = council.get_by_role("row", name=re.compile("Chatten met een medewerker"))
        expect(row).to_contain_text("gewijzigd sinds het oordeel")
        accessible(council, "akkoord")
        save_screenshot(council, "beheer-akkoord")
        phone = signed_in_tab(browser, staff_web, COUNCIL, PHONE_WIDTH)
        phone.goto(f"{staff_web}/beheer/akkoord?gemeente={EDE}")
        accessible(phone, "akkoord 320 px")
        phone.context.close()
    council.context.close()


def test_uploading_test_conversations_with_one_failing_step_gives_a_report(browser, staff_web):
    council = signed_in_tab(browser, staff_web, COUNCIL)
    council.get_by_role("link", name="Testgesprekken").click()
    accessible(council, "testgesprekken")
    council.get_by_label(re.compile("^Bestand met testgesprekken")).set_input_files(str(ONE_FAILING_STEP))
    council.get_by_role("button", name="Testen").click()
    report = council.locator("main")
    expect(report).to_contain_text("2 van 3 stappen gelukt", timeout=120_000)
    expect(report).to_contain_text("Mislukt")
    expect(report).to_contain_text("Dit zegt Wegwijzer nooit")  # the expectation, beside the real reply
    expect(report).to_contain_text("Voor een rolstoel uit de Wmo betaalt u geen eigen bijdrage")
    expect(report).to_contain_text("Wat de gesprekken niet bereikten")
    accessible(council, "testgesprekken rapport")
    save_screenshot(council, "beheer-testgesprekken-rapport")

    council.get_by_label(re.compile("^Bestand met testgesprekken")).set_input_files(
        files=[{"name": "kapot.csv", "mimeType": "text/csv", "buffer": "gesprek;inwonr\nA;hallo\n".encode()}]
    )
    council.get_by_role("button", name="Testen").click()
    expect(council.get_by_role("alert")).to_contain_text("Regel 1")
    council.context.close()
