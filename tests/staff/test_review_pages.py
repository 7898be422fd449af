"""The Wmo-raad's pages over real HTTP: the conversation book for every role, a municipality's
book only for its own accounts, the sign-off tied to the text it judged, the overview and its
CSV export; and what a wmo-raad account may not see."""

import re

import pytest

from assistant.review.signoffs import CHANGED, SignOffStore
from tests.support.staff_app import csrf, signed_in

EDE, AMSTERDAM = "GM0228", "GM0363"


@pytest.fixture(scope="module")
def council(url, stores):
    return signed_in(url, stores[0], "raad-ede", "wmo-raad", (EDE,))


def fingerprint(html: str, item_id: str) -> str:
    field = rf'name="onderdeel" value="{re.escape(item_id)}">\s*<input type="hidden" name="vingerafdruk" value="(\w+)"'
    return re.search(field, html).group(1)


def judge(browser, url: str, item_id: str, verdict: str, comment: str = "", code: str = EDE):
    page = browser.get(f"{url}/beheer/boek?gemeente={code}", timeout=30)
    data = {"csrf": csrf(page.text), "gemeente": code, "onderdeel": item_id, "oordeel": verdict, "opmerking": comment}
    data["vingerafdruk"] = fingerprint(page.text, item_id)
    return browser.post(f"{url}/beheer/boek/akkoord", data=data, timeout=30)


def test_every_role_reads_the_national_book_with_its_version(url, stores):
    helpdesk = signed_in(url, stores[0], "boek-helpdesk", "helpdesk", (EDE,))
    page = helpdesk.get(f"{url}/beheer/boek", timeout=30)
    assert page.status_code == 200
    assert "Gespreksboek: landelijk" in page.text and "Versie: model " in page.text
    assert "Nagaan wat u betaalt (eigen bijdrage)" in page.text and "Oordeel geven" not in page.text


def test_a_municipalitys_book_is_for_its_own_accounts_only(url, council):
    own = council.get(f"{url}/beheer/boek?gemeente={EDE}", timeout=30)
    assert own.status_code == 200 and "Gespreksboek voor de gemeente Ede" in own.text
    assert council.get(f"{url}/beheer/boek?gemeente={AMSTERDAM}", timeout=30).status_code == 404
    assert council.get(f"{url}/beheer/akkoord?gemeente={AMSTERDAM}", timeout=30).status_code == 404
    assert council.get(f"{url}/beheer/akkoord.csv?gemeente={AMSTERDAM}", timeout=30).status_code == 404


def test_a_council_member_signs_off_and_the_overview_and_export_show_it(url, council):
    answer = judge(council, url, "antwoord/pgb_wat", "akkoord", "Duidelijk. Bel 0612345678 voor vragen.")
    assert answer.status_code == 200 and "akkoord</strong>, door raad-ede" in answer.text
    assert "0612345678" not in answer.text  # the comment is masked as everything stored
    refused = judge(council, url, "kennis/cak_betalingsregeling", "niet akkoord")
    assert refused.status_code == 400 and "wat er beter moet" in refused.text
    overview = council.get(f"{url}/beheer/akkoord?gemeente={EDE}", timeout=30)
    assert overview.status_code == 200 and "nog niet beoordeeld" in overview.text
    export = council.get(f"{url}/beheer/akkoord.csv?gemeente={EDE}", timeout=30)
    assert "antwoord/pgb_wat;Wat is een pgb?;Antwoorden;akkoord;" in export.text


def test_a_verdict_on_a_text_that_changed_since_says_so(url, council, stores):
    store = SignOffStore()
    store.mark(EDE, "antwoord/pgb_hoe_aanvragen", "een-oudere-tekst", "akkoord", "", "raad-ede")
    overview = council.get(f"{url}/beheer/akkoord?gemeente={EDE}", timeout=30)
    assert CHANGED in overview.text
    page = council.get(f"{url}/beheer/boek?gemeente={EDE}", timeout=30)
    data = {"csrf": csrf(page.text), "gemeente": EDE, "onderdeel": "antwoord/pgb_wat", "oordeel": "akkoord"}
    stale = council.post(f"{url}/beheer/boek/akkoord", data={**data, "vingerafdruk": "oud"}, timeout=30)
    assert stale.status_code == 409 and "De tekst is veranderd" in stale.text


def test_a_helpdesk_reads_but_does_not_sign_off(url, stores):
    helpdesk = signed_in(url, stores[0], "boek-helpdesk-2", "helpdesk", (EDE,))
    page = helpdesk.get(f"{url}/beheer/boek?gemeente={EDE}", timeout=30)
    assert "Oordeel geven" not in page.text
    data = {"csrf": csrf(page.text), "gemeente": EDE, "onderdeel": "antwoord/pgb_wat", "oordeel": "akkoord"}
    assert helpdesk.post(f"{url}/beheer/boek/akkoord", data=data, timeout=30).status_code == 403


def test_a_council_member_sees_no_callback_requests_chats_or_conversations(url, council):
    for path in ("/beheer/terugbellen", "/beheer/terugbellen.csv", "/beheer/chat", "/beheer/gesprekken"):
        assert council.get(f"{url}{path}", timeout=30).status_code == 403, path
