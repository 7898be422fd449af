"""The local data pages over real HTTP: a helpdesk edits its own municipality's data, sees the
first problem at its field and nothing saved, saves, and the assistant's override store reads
the new version at once; the history names each change; a stale form is refused; another
municipality's data answers 404 on every page; a wmo-raad account reads but cannot save."""

import re

import pytest
import requests

from assistant.content.override_checks import override_store
from assistant.settings import DIRECTORY_URL
from municipalities import Directory
from municipalities.override_versions import OverrideVersions
from tests.support.staff_app import csrf, signed_in

ZWOLLE, EDE = "GM0193", "GM0228"
GOOD = {
    "versie": "0",
    "organisaties": "2",
    "bron": "https://www.zwolle.nl/wmo",
    "wmo_loket.naam": "Wmo-loket Zwolle",
    "wmo_loket.telefoon": "038 498 91 11",
    "wmo_loket.openingstijden": "maandag tot en met vrijdag van 9.00 tot 17.00 uur",
    "clientondersteuning.1.naam": "MEE IJsseloevers",
    "clientondersteuning.1.voor": ["beperking", "jeugd"],
    "toelichting": "nieuw loket",
    "actie": "opslaan",
}


@pytest.fixture(scope="module")
def helpdesk(url, stores):
    return signed_in(url, stores[0], "gegevens-zwolle", "helpdesk", (ZWOLLE,))


def send(browser: requests.Session, url: str, code: str, **changed) -> requests.Response:
    form_page = browser.get(f"{url}/beheer/gegevens/{code}", timeout=10)
    version = re.search(r'name="versie" value="(\d+)"', form_page.text)[1]
    return browser.post(
        f"{url}/beheer/gegevens/{code}",
        data={**GOOD, "versie": version, "csrf": csrf(form_page.text), **changed},
        timeout=10,
    )


def test_a_helpdesk_with_one_municipality_goes_straight_to_its_form(url, helpdesk):
    answer = helpdesk.get(f"{url}/beheer/gegevens", timeout=10)
    assert answer.url.endswith(f"/beheer/gegevens/{ZWOLLE}") and "Lokale gegevens van Zwolle" in answer.text
    assert "Zwolle heeft nog geen eigen gegevens" in answer.text


def test_a_problem_is_shown_at_its_field_and_nothing_is_saved(url, helpdesk, stores, directory: Directory):
    answer = send(helpdesk, url, ZWOLLE, **{"wmo_loket.telefoon": "12"})
    assert answer.status_code == 400
    assert 'href="#veld-wmo_loket-telefoon">Wmo-loket, telefoon</a>' in answer.text
    assert "&#39;12&#39; is geen geldig Nederlands telefoonnummer" in answer.text
    assert 'aria-invalid="true"' in answer.text and 'value="12"' in answer.text  # what was typed stays
    assert override_store(directory).get(ZWOLLE) is None


def test_a_preview_shows_the_contact_card_and_saves_nothing(url, helpdesk, directory: Directory):
    answer = send(helpdesk, url, ZWOLLE, actie="voorbeeld", **{"wmo_loket.telefoon": "14 038"})
    assert answer.status_code == 200 and "nog niet opgeslagen" in answer.text
    card = answer.text.split('aria-label="Contactgegevens Gemeente Zwolle"')[1]
    assert "Wmo-loket: Wmo-loket Zwolle" in card and "14 038" in card and "MEE IJsseloevers" in card
    assert override_store(directory).get(ZWOLLE) is None


def test_a_save_reaches_the_assistant_without_a_restart_and_is_audited(url, helpdesk, stores, directory: Directory):
    store = override_store(directory)  # as the action server holds it
    assert store.get(ZWOLLE) is None
    answer = send(helpdesk, url, ZWOLLE)
    assert answer.url.endswith("?gelukt=opgeslagen") and "De gegevens zijn opgeslagen" in answer.text
    override = store.get(ZWOLLE)
    assert override.wmo_desk.phone.display == "038 498 91 11" and override.support[0].audiences == (
        "beperking",
        "jeugd",
    )
    assert override.checked.isoformat() in OverrideVersions(DIRECTORY_URL.get()).latest(ZWOLLE).document
    audited = [(entry.action, entry.record) for entry in stores[0].audit_log() if entry.account == "gegevens-zwolle"]
    assert ("gewijzigd", f"lokale gegevens {ZWOLLE}") in audited


def test_the_history_shows_who_changed_what(url, helpdesk):
    send(helpdesk, url, ZWOLLE, **{"wmo_loket.telefoon": "14 038", "toelichting": "ander nummer"})
    history = helpdesk.get(f"{url}/beheer/gegevens/{ZWOLLE}/geschiedenis", timeout=10).text
    newest = history.split("<section")[1]
    assert "door gegevens-zwolle" in newest and "Toelichting: ander nummer" in newest
    assert re.search(r"Wmo-loket, telefoon</th><td>038 498 91 11</td><td>14 038</td>", newest)
    assert "Wijzigingen ten opzichte van versie" in newest


def test_a_form_that_someone_else_saved_in_between_is_not_saved(url, helpdesk, stores):
    form_page = helpdesk.get(f"{url}/beheer/gegevens/{ZWOLLE}", timeout=10)
    version = re.search(r'name="versie" value="(\d+)"', form_page.text)[1]
    send(helpdesk, url, ZWOLLE, **{"wmo_loket.naam": "Loket van een collega"})
    stale = {**GOOD, "versie": version, "csrf": csrf(form_page.text), "wmo_loket.naam": "Mijn loket"}
    answer = helpdesk.post(f"{url}/beheer/gegevens/{ZWOLLE}", data=stale, timeout=10)
    assert answer.status_code == 409 and "Iemand anders heeft deze gegevens opgeslagen" in answer.text
    assert "Mijn loket" in answer.text  # the employee's input is kept
    assert OverrideVersions(DIRECTORY_URL.get()).latest(ZWOLLE).document.count("Loket van een collega") == 1


def test_another_municipalitys_data_is_not_there(url, helpdesk):
    token = csrf(helpdesk.get(f"{url}/beheer/gegevens/{ZWOLLE}", timeout=10).text)
    for answer in (
        helpdesk.get(f"{url}/beheer/gegevens/{EDE}", timeout=10),
        helpdesk.get(f"{url}/beheer/gegevens/{EDE}/geschiedenis", timeout=10),
        helpdesk.post(f"{url}/beheer/gegevens/{EDE}", data={**GOOD, "csrf": token}, timeout=10),
        helpdesk.get(f"{url}/beheer/gegevens/GM9999", timeout=10),
    ):
        assert answer.status_code == 404 and "Ede" not in answer.text.split("</header>")[1]
    assert OverrideVersions(DIRECTORY_URL.get()).latest(EDE) is None


def test_a_beheerder_sees_every_municipality(url, stores):
    beheerder = signed_in(url, stores[0], "gegevens-beheer", "beheerder", ())
    listing = beheerder.get(f"{url}/beheer/gegevens", timeout=10).text
    assert "342 gemeenten" in listing and f'href="/beheer/gegevens/{EDE}"' in listing


def test_a_wmo_raad_reads_the_data_but_cannot_save(url, stores):
    council = signed_in(url, stores[0], "gegevens-raad", "wmo-raad", (ZWOLLE,))
    form_page = council.get(f"{url}/beheer/gegevens/{ZWOLLE}", timeout=10)
    assert form_page.status_code == 200 and "disabled" in form_page.text and 'value="opslaan"' not in form_page.text
    answer = council.post(f"{url}/beheer/gegevens/{ZWOLLE}", data={**GOOD, "csrf": csrf(form_page.text)}, timeout=10)
    assert answer.status_code == 403


def test_a_save_without_the_csrf_token_is_refused(url, helpdesk):
    answer = helpdesk.post(f"{url}/beheer/gegevens/{ZWOLLE}", data=GOOD, timeout=10)
    assert answer.status_code == 403
