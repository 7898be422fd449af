"""The conversations and figures pages over real HTTP, on a seeded conversation log: what each
role sees, isolation between municipalities on every page and export, filters, the transcript
with topic and certainty, tags with CSRF, the suggestions file, the figures and their CSV."""

import csv
import io
import time

import pytest
import requests
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant.conversations.feedback import Feedback
from assistant.conversations.store import ConversationFilter
from tests.support.conversations import answered, not_understood, record, wants_a_person
from tests.support.staff_app import conversation_log, csrf, signed_in, staff_stores

EDE, AMSTERDAM = "GM0228", "GM0363"


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    with staff_stores(tmp_path_factory.mktemp("conversation_pages")) as both:
        log = conversation_log()
        now = time.time() - 3600
        record(log, "ede-pgb", answered("Mag mijn zoon mijn pgb krijgen?", now, "pgb_wat", EDE))
        record(log, "ede-vaag", not_understood("Hoe zit het met de regiotaxi?", now + 60, EDE))
        record(log, "ede-vaag", wants_a_person(now + 120, EDE))
        record(log, "amsterdam", answered("Traplift bij de buren, mijn bsn is [BSN]", now, "wmo_aanvragen", AMSTERDAM))
        log.record_feedback(Feedback("ede-pgb", 1, False, "Dit klopt niet"))
        yield both


def references(browser: requests.Session, url: str, query: str = "") -> list:
    page = browser.get(f"{url}/beheer/gesprekken{query}", timeout=10).text
    return sorted(set(part.split('"')[0] for part in page.split('href="/beheer/gesprekken/')[1:]) - {"suggesties.yml"})


def reference_of(municipality: str, topic: str) -> str:
    [found] = conversation_log().conversations(ConversationFilter(scope=[municipality], topic=topic))[1]
    return found.reference


def test_a_helpdesk_sees_only_its_own_municipalitys_conversations(url, stores):
    ede = signed_in(url, stores[0], "gesprekken-ede", "helpdesk", (EDE,))
    assert len(references(ede, url)) == 2
    assert reference_of(AMSTERDAM, "wmo_aanvragen") not in references(ede, url)
    other = ede.get(f"{url}/beheer/gesprekken/{reference_of(AMSTERDAM, 'wmo_aanvragen')}", timeout=10)
    assert other.status_code == 404 and "Traplift" not in other.text
    beheerder = signed_in(url, stores[0], "gesprekken-beheer", "beheerder", ())
    assert len(references(beheerder, url)) == 3


def test_filters_not_understood_person_feedback_and_topic(url, stores):
    ede = signed_in(url, stores[0], "filters-ede", "helpdesk", (EDE,))
    assert len(references(ede, url, "?niet_begrepen=1")) == 1
    assert references(ede, url, "?niet_begrepen=1") == references(ede, url, "?mens=1")
    assert len(references(ede, url, "?feedback=nee")) == 1 and references(ede, url, "?feedback=ja") == []
    assert len(references(ede, url, "?onderwerp=pgb_wat")) == 1
    assert references(ede, url, "?van=2000-01-01&tot=2000-01-02") == []
    assert len(references(ede, url, "?van=onzin&pagina=-3")) == 2  # bad input: no filter, first page


def test_the_transcript_shows_topic_certainty_and_feedback_and_is_audited(url, stores):
    staff = stores[0]
    ede = signed_in(url, staff, "lezer-ede", "helpdesk", (EDE,))
    reference = references(ede, url, "?feedback=nee")[0]
    page = ede.get(f"{url}/beheer/gesprekken/{reference}", timeout=10)
    assert "Mag mijn zoon mijn pgb krijgen?" in page.text and "Wat is een pgb?" in page.text
    assert "90%" in page.text and "niet geholpen" in page.text and "Dit klopt niet" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert any(entry.record == f"gesprek {reference}" and entry.account == "lezer-ede" for entry in staff.audit_log())


def test_a_tag_needs_the_csrf_token_and_only_for_the_own_municipality(url, stores):
    ede = signed_in(url, stores[0], "labels-ede", "helpdesk", (EDE,))
    reference = references(ede, url, "?onderwerp=pgb_wat")[0]
    token = csrf(ede.get(f"{url}/beheer/gesprekken/{reference}", timeout=10).text)
    form = {"positie": "1", "label": "fout antwoord", "onderwerp": "pgb_familie"}
    assert ede.post(f"{url}/beheer/gesprekken/{reference}", data=form, timeout=10).status_code == 403
    saved = ede.post(f"{url}/beheer/gesprekken/{reference}", data={**form, "csrf": token}, timeout=10)
    assert saved.status_code == 200 and "Het label van bericht 1 is opgeslagen" in saved.text
    other = ede.post(
        f"{url}/beheer/gesprekken/{reference_of(AMSTERDAM, 'wmo_aanvragen')}", data={**form, "csrf": token}, timeout=10
    )
    assert other.status_code == 404
    wrong = ede.post(f"{url}/beheer/gesprekken/{reference}", data={**form, "label": "x", "csrf": token}, timeout=10)
    assert wrong.status_code == 400


def test_the_suggestions_file_is_rasa_training_data_of_the_own_municipality(url, stores):
    log = conversation_log()
    log.tag(reference_of(AMSTERDAM, "wmo_aanvragen"), 1, "onderwerp ontbreekt", None, "iemand")
    log.tag(reference_of(EDE, "pgb_wat"), 1, "fout antwoord", "pgb_familie", "iemand")
    ede = signed_in(url, stores[0], "export-ede", "helpdesk", (EDE,))
    answer = ede.get(f"{url}/beheer/gesprekken/suggesties.yml", timeout=10)
    assert answer.headers["Content-Disposition"] == 'attachment; filename="suggesties.yml"'
    examples = RasaYAMLReader().reads(answer.text).training_examples
    assert [(example.get("intent"), example.get("text")) for example in examples] == [
        ("pgb_familie", "Mag mijn zoon mijn pgb krijgen?")
    ]
    assert "Traplift" not in answer.text
    assert any(entry.record == "gemarkeerde berichten" for entry in stores[0].audit_log([EDE]))


def test_a_wmo_raad_sees_figures_but_no_residents_words(url, stores):
    raad = signed_in(url, stores[0], "raad-ede", "wmo-raad", (EDE,))
    for path in (
        "/beheer/gesprekken",
        "/beheer/gesprekken/suggesties.yml",
        "/beheer/terugbellen",
        "/beheer/terugbellen.csv",
    ):
        assert raad.get(url + path, timeout=10).status_code == 403
    figures = raad.get(f"{url}/beheer/cijfers", timeout=10)
    assert figures.status_code == 200 and "regiotaxi" not in figures.text and "Terugbelverzoeken" not in figures.text


def test_the_figures_of_the_own_municipality_and_their_csv(url, stores):
    ede = signed_in(url, stores[0], "cijfers-ede", "helpdesk", (EDE,))
    page = ede.get(f"{url}/beheer/cijfers?dagen=7", timeout=10).text
    assert "<svg" in page and "hoe zit het met de regiotaxi?" in page and "traplift" not in page.lower()
    rows = list(csv.reader(io.StringIO(ede.get(f"{url}/beheer/cijfers/gesprekken.csv?dagen=7", timeout=10).text)))
    assert rows[0] == ["", "gesprekken"] and len(rows) == 8 and sum(int(count) for _, count in rows[1:]) == 2
    someone_elses = ede.get(f"{url}/beheer/cijfers/berichten.csv?dagen=7&gemeente={AMSTERDAM}", timeout=10).text
    assert sum(int(count) for _, count in list(csv.reader(io.StringIO(someone_elses)))[1:]) == 3  # Ede's own: 1+1+1
    assert ede.get(f"{url}/beheer/cijfers/onbekend.csv", timeout=10).status_code == 404


def test_nationally_for_a_beheerder(url, stores):
    beheerder = signed_in(url, stores[0], "cijfers-beheer", "beheerder", ())
    rows = list(csv.reader(io.StringIO(beheerder.get(f"{url}/beheer/cijfers/gesprekken.csv", timeout=10).text)))
    assert sum(int(count) for _, count in rows[1:]) == 3
    amsterdam = beheerder.get(f"{url}/beheer/cijfers?gemeente={AMSTERDAM}", timeout=10).text
    assert "Cijfers voor Amsterdam" in amsterdam
