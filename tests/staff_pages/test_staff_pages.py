"""The staff app's pages in headless Chromium: WCAG 2.1 AA by axe-core on every page, 320 px
without sideways scrolling, and a helpdesk employee who works by keyboard only: sign in, choose
a password, open the queue, take a request; filter the conversations, read a transcript and tag
a reply; read a chart and its table. Screenshots in var/screenshots/ for review."""

import re
import time
from typing import Iterator

import pytest
from playwright.sync_api import Browser, expect

from assistant.conversations.feedback import Feedback
from assistant.conversations.store import ConversationFilter
from assistant.web.server import web_server_on_free_port
from tests.support.conversations import answered, not_understood, record
from tests.support.staff_app import PASSWORD, conversation_log, new_account, sign_in_page, staff_stores
from tests.support.widget_page import DESKTOP, axe_violations, chromium, describe, new_tab, save_screenshot

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
def conversation(stores) -> str:
    """A conversation of Ede with an answer, a message not understood, and feedback: its reference."""
    log = conversation_log()
    now = time.time() - 600
    record(log, "pagina-ede", answered("Mag mijn zoon mijn pgb krijgen?", now, "pgb_wat", "GM0228"))
    record(log, "pagina-ede", not_understood("Hoe zit het met de regiotaxi?", now + 60, "GM0228"))
    log.record_feedback(Feedback("pagina-ede", 1, False, "Dit klopt niet"))
    return log.conversations(ConversationFilter(scope=["GM0228"]))[1][0].reference


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def pages_of_the_app(url: str, reference: str, conversation: str):
    return {
        "inloggen": f"{url}/beheer/inloggen",
        "overzicht": f"{url}/beheer/",
        "terugbellen": f"{url}/beheer/terugbellen",
        "terugbelverzoek": f"{url}/beheer/terugbellen/{reference}",
        "gesprekken": f"{url}/beheer/gesprekken",
        "gesprek": f"{url}/beheer/gesprekken/{conversation}",
        "cijfers": f"{url}/beheer/cijfers?dagen=7",
        "chat": f"{url}/beheer/chat",
        "gegevens": f"{url}/beheer/gegevens",
        "gegevens-ede": f"{url}/beheer/gegevens/GM0228",
        "gegevens-geschiedenis": f"{url}/beheer/gegevens/GM0363/geschiedenis",
        "wachtwoord": f"{url}/beheer/wachtwoord",
    }


@pytest.mark.parametrize("viewport, width", [(DESKTOP, "desktop"), (PHONE_WIDTH, "320px")])
def test_every_page_meets_wcag_21_aa_and_fits_320_px(browser, url, stores, callback, conversation, viewport, width):
    name = f"axe-{width}"
    new_account(stores[0], name, codes=("GM0228", "GM0363"))
    checked = new_tab(browser, viewport, bypass_csp=True)  # only so that axe-core can be injected
    sign_in_page(checked, url, name)
    for title, address in pages_of_the_app(url, callback.reference, conversation).items():
        if title == "inloggen":
            continue
        checked.goto(address)
        assert axe_violations(checked) == [], f"{title}: {describe(axe_violations(checked))}"
        assert checked.evaluate("document.documentElement.scrollWidth <= innerWidth"), title
        save_screenshot(checked, f"beheer-{title}-{width}")
    anonymous = new_tab(browser, viewport, bypass_csp=True)
    anonymous.goto(f"{url}/beheer/inloggen")
    assert axe_violations(anonymous) == [], describe(axe_violations(anonymous))
    save_screenshot(anonymous, f"beheer-inloggen-{width}")


def test_a_helpdesk_employee_works_by_keyboard_only(browser, url, stores, callback):
    staff, _ = stores
    _, one_time = staff.add("toetsenbord", "helpdesk", ["GM0228"])
    page = new_tab(browser)
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
    page = new_tab(browser)
    sign_in_page(page, url, "verkeerd", "niet mijn wachtwoord")
    expect(page.get_by_role("alert")).to_have_text("Die naam of dat wachtwoord klopt niet.")
    assert page.problems.errors == []


def test_conversations_by_keyboard_filter_read_and_tag_a_wrong_answer(browser, url, stores, conversation):
    new_account(stores[0], "gesprekken-toetsenbord")
    page = new_tab(browser)
    sign_in_page(page, url, "gesprekken-toetsenbord")
    page.get_by_role("link", name="Gesprekken", exact=True).focus()
    page.keyboard.press("Enter")
    page.get_by_label("Wegwijzer iets niet begreep").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Toon").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("table")).to_contain_text("1 gesprek,")
    page.get_by_role("link", name=f"gesprek {conversation}").focus()
    page.keyboard.press("Enter")
    first = page.locator("#bericht-1")
    expect(first).to_contain_text("Wat is een pgb?")  # the recognised topic
    expect(first).to_contain_text("90%")
    expect(first).to_contain_text('niet geholpen: "Dit klopt niet"')
    first.get_by_label("Label voor dit antwoord").select_option("fout antwoord")
    first.get_by_label("het juiste onderwerp").select_option("pgb_familie")
    first.get_by_role("button", name="Label opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Het label van bericht 1 is opgeslagen.")
    expect(page.locator("#bericht-1")).to_contain_text('Label "fout antwoord" gezet door gesprekken-toetsenbord')
    assert page.problems.errors == [] and page.problems.foreign_requests == []


def test_a_chart_has_a_name_for_screen_readers_and_its_numbers_in_a_table(browser, url, stores, conversation):
    new_account(stores[0], "grafiek")
    page = new_tab(browser)
    sign_in_page(page, url, "grafiek")
    page.goto(f"{url}/beheer/cijfers?dagen=7")
    expect(page.get_by_role("img", name="Gesprekken per dag")).to_be_visible()
    table = page.get_by_role("table", name="Gesprekken per dag")
    expect(table).to_be_hidden()
    page.get_by_text("Cijfers als tabel").first.click()
    expect(table).to_be_visible()
    assert sum(int(cell) for cell in table.locator("td").all_inner_texts()) >= 1
    expect(page.get_by_role("table", name="Gemaskeerd")).to_contain_text("hoe zit het met de regiotaxi?")
    save_screenshot(page, "beheer-cijfers-tabel-open")
    assert page.problems.errors == [] and page.problems.foreign_requests == []


def test_local_data_by_keyboard_a_problem_at_its_field_then_a_save(browser, url, stores):
    new_account(stores[0], "gegevens-toetsenbord", codes=("GM0228",))
    page = new_tab(browser, bypass_csp=True)  # only so that axe-core can be injected
    sign_in_page(page, url, "gegevens-toetsenbord")
    page.get_by_role("link", name="Lokale gegevens").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Lokale gegevens van Ede")).to_be_visible()
    page.get_by_label("Bron (verplicht)").focus()
    page.keyboard.type("https://www.ede.nl/wmo")
    desk = page.get_by_role("group", name="Wmo-loket")
    desk.get_by_label("Naam").focus()
    page.keyboard.type("Wmo-loket Ede")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Niet opgeslagen")
    expect(alert).to_contain_text("'12' is geen geldig Nederlands telefoonnummer")
    phone = desk.get_by_label("Telefoon")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(phone).to_have_accessible_description(re.compile("Fout: '12' is geen geldig Nederlands telefoonnummer"))
    assert axe_violations(page) == [], describe(axe_violations(page))
    save_screenshot(page, "beheer-gegevens-fout")
    alert.get_by_role("link", name="Wmo-loket, telefoon").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("#veld-wmo_loket-telefoon$"))
    phone.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("0318 680 333")
    page.get_by_role("button", name="Opslaan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile("De gegevens zijn opgeslagen"))
    card = page.get_by_role("region", name="Contactgegevens Gemeente Ede")
    expect(card).to_contain_text("Wmo-loket: Wmo-loket Ede")
    expect(card).to_contain_text("0318 68 03 33")
    save_screenshot(page, "beheer-gegevens-opgeslagen")
    refused = "Failed to load resource: the server responded with a status of 400 (Bad Request)"
    assert page.problems.errors == [refused] and page.problems.foreign_requests == []  # the form with its problem
