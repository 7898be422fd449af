"""The staff app under /beheer/ over real HTTP: the web server in its own process on real SQLite
files. Sign-in, the one-time password, the callback queue, isolation between municipalities on
every page and in the export, CSRF, lock-out, cookies, caching and the audit log."""

import pytest
import requests

from assistant.settings import CALLBACK_URL
from assistant.staff.accounts import MAX_FAILURES
from tests.support.staff_app import csrf, sign_in
from tests.support.staff_app import signed_in as signed_in_as

EDE, AMSTERDAM = "GM0228", "GM0363"


@pytest.fixture(scope="module")
def requests_by_municipality(stores):
    _, callbacks = stores
    ede = callbacks.add(EDE, "Ede", "Jan Jansen", "0612345678", "Hoe vraag ik een pgb aan?", "Ik geef toestemming.")
    amsterdam = callbacks.add(AMSTERDAM, "Amsterdam", "Piet Pieters", "0687654321", "Traplift?", "Ik geef toestemming.")
    return {EDE: ede, AMSTERDAM: amsterdam}


def signed_in(url, stores, name, role="helpdesk", codes=(EDE,)):
    return signed_in_as(url, stores[0], name, role, codes)


def test_without_a_session_every_page_leads_to_sign_in(url):
    for path in ("/beheer/", "/beheer/terugbellen", "/beheer/terugbellen.csv", "/beheer/terugbellen/WW-AAAAAA"):
        answer = requests.get(url + path, timeout=10, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["Location"] == "/beheer/inloggen"


def test_the_one_time_password_only_leads_to_the_password_page(url, stores):
    staff, _ = stores
    _, one_time = staff.add("eenmalig", "helpdesk", [EDE])
    browser = requests.Session()
    sign_in(browser, url, "eenmalig", one_time)
    answer = browser.get(f"{url}/beheer/terugbellen", timeout=10, allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"] == "/beheer/wachtwoord"


def test_the_session_cookie_is_httponly_strict_and_limited_to_the_app(url, stores):
    staff, _ = stores
    _, one_time = staff.add("koekje", "helpdesk", [EDE])
    answer = sign_in(requests.Session(), url, "koekje", one_time, allow_redirects=False)
    cookie = next(value for value in answer.raw.headers.getlist("Set-Cookie") if value.startswith("wegwijzer_beheer="))
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/beheer" in cookie
    assert "Secure" not in cookie  # plain HTTP on localhost; behind HTTPS the proxy's header sets it


def test_the_cookie_is_secure_behind_https(url, stores):
    staff, _ = stores
    _, one_time = staff.add("https-koekje", "helpdesk", [EDE])
    answer = sign_in(
        requests.Session(), url, "https-koekje", one_time, headers={"X-Forwarded-Proto": "https"}, allow_redirects=False
    )
    assert "Secure" in answer.headers["Set-Cookie"]


def test_a_helpdesk_sees_only_its_own_municipality_on_every_page_and_in_the_export(
    url, stores, requests_by_municipality
):
    browser = signed_in(url, stores, "helpdesk.ede")
    ede, amsterdam = requests_by_municipality[EDE], requests_by_municipality[AMSTERDAM]
    queue = browser.get(f"{url}/beheer/terugbellen", timeout=10).text
    assert ede.reference in queue and amsterdam.reference not in queue
    assert "Jan Jansen" not in queue  # personal data only on the request's own page
    assert "Jan Jansen" in browser.get(f"{url}/beheer/terugbellen/{ede.reference}", timeout=10).text
    other = browser.get(f"{url}/beheer/terugbellen/{amsterdam.reference}", timeout=10)
    assert other.status_code == 404 and "Piet" not in other.text
    token = csrf(browser.get(f"{url}/beheer/", timeout=10).text)
    changed = browser.post(
        f"{url}/beheer/terugbellen/{amsterdam.reference}", data={"csrf": token, "actie": "verwijderen"}, timeout=10
    )
    assert changed.status_code == 404
    export = browser.get(f"{url}/beheer/terugbellen.csv", timeout=10).text
    assert "Jan Jansen" in export and "Piet" not in export and amsterdam.reference not in export


def test_the_overview_names_the_municipalities_and_confirms_a_new_password(url, stores):
    browser = signed_in(url, stores, "twee.gemeenten", codes=(EDE, AMSTERDAM))
    overview = browser.get(f"{url}/beheer/?wachtwoord=gewijzigd", timeout=10).text
    assert "U werkt voor de gemeenten Ede, Amsterdam." in overview and "Uw wachtwoord is gewijzigd." in overview


def test_a_beheerder_sees_every_municipality(url, stores, requests_by_municipality):
    browser = signed_in(url, stores, "landelijk", "beheerder", ())
    queue = browser.get(f"{url}/beheer/terugbellen", timeout=10).text
    assert all(request.reference in queue for request in requests_by_municipality.values())


def test_taking_noting_and_handling_a_request(url, stores):
    _, callbacks = stores
    request = callbacks.add(EDE, "Ede", "Els de Boer", "0611111111", "Wat kost begeleiding?", "Ik geef toestemming.")
    browser = signed_in(url, stores, "behandelaar")
    page = f"{url}/beheer/terugbellen/{request.reference}"
    token = csrf(browser.get(page, timeout=10).text)
    assert "U hebt dit verzoek opgepakt." in browser.post(page, data={"csrf": token, "actie": "oppakken"}).text
    assert [item.assignee for item in callbacks.queue([EDE]) if item.reference == request.reference] == ["behandelaar"]
    noted = browser.post(page, data={"csrf": token, "actie": "notitie", "notitie": "Maandag teruggebeld."})
    assert "Maandag teruggebeld." in noted.text and callbacks.note(request.reference) == "Maandag teruggebeld."
    browser.post(page, data={"csrf": token, "actie": "afgehandeld"})
    handled = browser.get(f"{url}/beheer/terugbellen?status=afgehandeld", timeout=10).text
    assert request.reference in handled
    browser.post(page, data={"csrf": token, "actie": "verwijderen"})
    assert callbacks.get(request.reference) is None


def test_the_note_is_sealed_like_the_request(stores, tmp_path_factory):
    _, callbacks = stores
    request = callbacks.add(EDE, "Ede", "Kees", "0622222222", "Vraag", "Ik geef toestemming.")
    callbacks.set_note(request.reference, "Belt terug op 0633333333")
    database = CALLBACK_URL.get()[len("sqlite:///") :]
    assert b"0633333333" not in open(database, "rb").read()


def test_a_form_without_its_csrf_token_is_refused(url, stores, requests_by_municipality):
    browser = signed_in(url, stores, "csrf.test")
    reference = requests_by_municipality[EDE].reference
    for token in ("", "geraden"):
        answer = browser.post(f"{url}/beheer/terugbellen/{reference}", data={"csrf": token, "actie": "oppakken"})
        assert answer.status_code == 403
    assert browser.post(f"{url}/beheer/uitloggen", data={}, timeout=10).status_code == 403
    form = requests.get(f"{url}/beheer/inloggen", timeout=10)  # without its cookie
    answer = requests.post(f"{url}/beheer/inloggen", data={"csrf": csrf(form.text), "naam": "x", "wachtwoord": "y"})
    assert answer.status_code == 403


def test_sign_in_is_limited(url, stores):
    staff, _ = stores
    staff.add("geraden", "helpdesk", [EDE])
    browser = requests.Session()
    statuses = [sign_in(browser, url, "geraden", "niet goed genoeg").status_code for _ in range(MAX_FAILURES + 1)]
    assert statuses == [200] * (MAX_FAILURES - 1) + [429, 429]  # the last wrong one says: wait


def test_signing_out_ends_the_session(url, stores):
    browser = signed_in(url, stores, "uitlogger")
    token = csrf(browser.get(f"{url}/beheer/", timeout=10).text)
    browser.post(f"{url}/beheer/uitloggen", data={"csrf": token}, timeout=10)
    answer = browser.get(f"{url}/beheer/terugbellen", timeout=10, allow_redirects=False)
    assert answer.status_code == 303


def test_pages_are_not_cached_and_keep_the_strict_policy(url, stores, requests_by_municipality):
    browser = signed_in(url, stores, "cache.test")
    answer = browser.get(f"{url}/beheer/terugbellen/{requests_by_municipality[EDE].reference}", timeout=10)
    assert answer.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert "<script" not in answer.text


def test_viewing_and_exporting_personal_data_is_in_the_audit_log(url, stores, requests_by_municipality):
    staff, _ = stores
    browser = signed_in(url, stores, "auditor")
    reference = requests_by_municipality[EDE].reference
    browser.get(f"{url}/beheer/terugbellen/{reference}", timeout=10)
    browser.get(f"{url}/beheer/terugbellen.csv", timeout=10)
    mine = [(entry.action, entry.record) for entry in staff.audit_log() if entry.account == "auditor"]
    assert ("bekeken", f"terugbelverzoek {reference}") in mine and ("geexporteerd", "terugbelverzoeken") in mine
    assert all("Jan" not in record for _, record in mine)


def test_a_spreadsheet_formula_in_the_export_stays_text(url, stores):
    _, callbacks = stores
    callbacks.add(EDE, "Ede", "Anna", "0644444444", '=HYPERLINK("http://x")', "Ik geef toestemming.")
    browser = signed_in(url, stores, "export.test")
    export = browser.get(f"{url}/beheer/terugbellen.csv", timeout=10).text
    assert "'=HYPERLINK" in export
