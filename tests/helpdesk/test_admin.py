"""The admin API over real HTTP: the web server on a free port, real SQLite files, keys of staff
accounts with their roles: a beheerder sees all, a helpdesk only its own municipalities, a
wmo-raad nothing; every read and change in the audit log."""

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Optional

import pytest
import requests
from cryptography.fernet import Fernet

from assistant.helpdesk.callbacks import CallbackRequest, CallbackStore
from assistant.settings import CALLBACK_KEY, CALLBACK_URL, STAFF_URL
from assistant.staff.accounts import StaffStore
from assistant.web.server import web_server_on_free_port

NAME, PHONE, QUESTION = "Jantje Zonnebloem", "06-98765432", "Hoe vraag ik een pgb aan?"
LIST = "/admin/terugbelverzoeken"


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return tmp_path_factory.mktemp("admin") / "callbacks.db"


@pytest.fixture(scope="module")
def environment(database):
    """Databases and key as an operator sets them; returns the key."""
    key = Fernet.generate_key()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(STAFF_URL.name, f"sqlite:///{database.parent / 'staff.db'}")
        patch.setenv(CALLBACK_URL.name, f"sqlite:///{database}")
        patch.setenv(CALLBACK_KEY.name, key.decode())
        yield key


@pytest.fixture(scope="module")
def staff(environment) -> StaffStore:
    return StaffStore()


def key_of(staff: StaffStore, name: str, role: str, codes=()) -> str:
    staff.add(name, role, list(codes))
    return staff.new_api_key(name)


@pytest.fixture(scope="module")
def keys(staff):
    """API keys of a beheerder (all municipalities), a helpdesk of Amsterdam and a wmo-raad."""
    return {
        "beheerder": key_of(staff, "koppeling-landelijk", "beheerder"),
        "helpdesk": key_of(staff, "zaaksysteem-amsterdam", "helpdesk", ("GM0363",)),
        "wmo-raad": key_of(staff, "raad-amsterdam", "wmo-raad", ("GM0363",)),
    }


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    return tmp_path_factory.mktemp("admin_log") / "web.log"


@pytest.fixture(scope="module")
def url(environment, server_log) -> str:
    with web_server_on_free_port(log=server_log) as base_url:
        yield base_url


@pytest.fixture
def store(environment, database) -> CallbackStore:
    """The server's store, emptied for each test."""
    store = CallbackStore(f"sqlite:///{database}", environment)
    with sqlite3.connect(database) as connection:
        connection.execute("DELETE FROM callback_requests")
    return store


def add(store: CallbackStore, code: str = "GM0363") -> CallbackRequest:
    return store.add(code, "Amsterdam", NAME, PHONE, QUESTION, "Ik geef toestemming.")


@pytest.fixture(scope="module")
def call(keys):
    """A request with an API key: the beheerder's unless another is given ("" for none)."""

    def request(method: str, url: str, token: Optional[str] = None, **kwargs) -> requests.Response:
        token = keys["beheerder"] if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, url, headers=headers, timeout=10, **kwargs)

    return request


def assert_json_error(response: requests.Response, status: int, error: str) -> None:
    assert response.status_code == status
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json()["error"] == error


def test_without_a_token_the_answer_is_401_with_a_challenge(url, store, call):
    add(store)
    response = call("GET", url + LIST, token="")

    assert_json_error(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert NAME not in response.text


@pytest.mark.parametrize(
    "authorization", ["Bearer {key}x", "Bearer wrong", "Basic {key}", "Bearer {key} extra", "Bearer"]
)
def test_a_wrong_key_is_401(url, keys, authorization):
    header = authorization.format(key=keys["beheerder"])
    response = requests.get(url + LIST, headers={"Authorization": header}, timeout=10)

    assert_json_error(response, 401, "unauthorized")
    assert "WWW-Authenticate" in response.headers


def test_a_helpdesk_key_reads_and_changes_only_its_own_municipalitys_requests(url, store, keys, staff, call):
    amsterdam, utrecht = add(store), add(store, "GM0344")
    mine = call("GET", url + LIST, token=keys["helpdesk"])
    assert [item["reference"] for item in mine.json()] == [amsterdam.reference]
    assert_json_error(
        call("GET", url + LIST + "?gemeente=GM0344", token=keys["helpdesk"]), 403, "not_your_municipality"
    )
    for method, path in [("POST", f"/{utrecht.reference}/afgehandeld"), ("DELETE", f"/{utrecht.reference}")]:
        assert_json_error(call(method, url + LIST + path, token=keys["helpdesk"]), 404, "not_found")
    assert store.get(utrecht.reference).status == "nieuw"
    assert call("POST", f"{url}{LIST}/{amsterdam.reference}/afgehandeld", token=keys["helpdesk"]).status_code == 200
    audited = [(entry.action, entry.record, entry.municipality) for entry in staff.audit_log()]
    assert audited[:2] == [
        ("gewijzigd", f"terugbelverzoek {amsterdam.reference}", "GM0363"),
        ("geexporteerd", "terugbelverzoeken (API)", "GM0363"),
    ]
    assert all(entry.account == "zaaksysteem-amsterdam" for entry in staff.audit_log()[:2])


def test_a_wmo_raad_key_gets_no_personal_data(url, store, keys, call):
    add(store)
    response = call("GET", url + LIST, token=keys["wmo-raad"])
    assert_json_error(response, 403, "forbidden_for_role")
    assert NAME not in response.text


def test_a_replaced_key_and_the_key_of_a_removed_account_stop_working(url, staff, call):
    old = key_of(staff, "tijdelijk", "beheerder")
    new = staff.new_api_key("tijdelijk")
    assert_json_error(call("GET", url + LIST, token=old), 401, "unauthorized")
    assert call("GET", url + LIST, token=new).status_code == 200
    staff.remove("tijdelijk")
    assert_json_error(call("GET", url + LIST, token=new), 401, "unauthorized")


def test_the_list_with_a_token(url, store, call):
    request = add(store)
    response = call("GET", url + LIST)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store" and response.headers["Pragma"] == "no-cache"
    assert response.json() == [
        {
            "reference": request.reference,
            "municipality_code": "GM0363",
            "municipality_name": "Amsterdam",
            "name": NAME,
            "phone": "06 9876 5432",
            "question": QUESTION,
            "consent_text": "Ik geef toestemming.",
            "created_at": request.created_at.isoformat(),
            "status": "nieuw",
        }
    ]


def test_the_list_filters_by_municipality_and_status(url, store, call):
    amsterdam, utrecht = add(store), add(store, "GM0344")
    store.mark_handled(utrecht.reference)

    def references(query: str):
        return [item["reference"] for item in call("GET", url + LIST + query).json()]

    assert references("?gemeente=GM0363") == [amsterdam.reference]
    assert references("?status=afgehandeld") == [utrecht.reference]
    assert references("?gemeente=gm0344&status=nieuw") == []


@pytest.mark.parametrize(
    "query, field",
    [
        ("?status=open", "status"),
        ("?gemeente=Amsterdam", "municipality_code"),
        ("?plaats=x", "plaats"),
        ("?status=nieuw&status=afgehandeld", "status"),
        ("?gemeente=", "municipality_code"),
    ],
)
def test_a_malformed_query_is_400(url, query, field, call):
    response = call("GET", url + LIST + query)

    assert_json_error(response, 400, "invalid_input")
    assert response.json()["field"] == field


def test_marking_a_request_handled_changes_its_status(url, store, call):
    request = add(store)
    response = call("POST", f"{url}{LIST}/{request.reference.lower()}/afgehandeld")

    assert response.status_code == 200
    assert response.json() == {"reference": request.reference, "status": "afgehandeld"}
    assert store.list()[0].status == "afgehandeld"


def test_a_deleted_request_is_gone_and_a_second_delete_is_404(url, store, call):
    request = add(store)

    response = call("DELETE", f"{url}{LIST}/{request.reference}")
    assert response.status_code == 200 and response.json() == {"reference": request.reference, "deleted": True}
    assert store.list() == []
    assert_json_error(call("DELETE", f"{url}{LIST}/{request.reference}"), 404, "not_found")


def test_an_unknown_reference_is_404(url, call):
    assert_json_error(call("POST", f"{url}{LIST}/WW-222222/afgehandeld"), 404, "not_found")
    assert_json_error(call("DELETE", f"{url}{LIST}/WW-222222"), 404, "not_found")


@pytest.mark.parametrize("reference", ["12345", "WW-0000000", "WW-<script>"])
def test_a_malformed_reference_is_400(url, reference, call):
    response = call("DELETE", f"{url}{LIST}/{reference}")

    assert_json_error(response, 400, "invalid_input")
    assert response.json()["field"] == "reference"


@pytest.mark.parametrize(
    "method, path, allowed",
    [("POST", LIST, "GET"), ("GET", LIST + "/WW-222222", "DELETE"), ("PUT", LIST + "/WW-222222/afgehandeld", "POST")],
)
def test_a_wrong_method_is_405(url, method, path, allowed, call):
    response = call(method, url + path)

    assert_json_error(response, 405, "method_not_allowed")
    assert response.headers["Allow"] == allowed


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE"])
def test_options_and_trace_answer_json_not_an_html_page(url, method, call):
    response = call(method, url + LIST)
    assert_json_error(response, 405, "method_not_allowed")
    assert "<html" not in response.text.lower()
    assert_json_error(call(method, url + LIST, token=""), 401, "unauthorized")


@pytest.mark.parametrize("path", ["/admin", "/admin/", "/admin/andere", LIST + "/WW-222222/open"])
def test_an_unknown_admin_path_is_404_json(url, path, call):
    assert_json_error(call("GET", url + path), 404, "not_found")


def test_reading_the_list_deletes_expired_requests(url, store, database, call):
    old, recent = add(store), add(store)
    made = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=31)
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE callback_requests SET created_at = ? WHERE reference = ?", (made.isoformat(" "), old.reference)
        )

    assert [item["reference"] for item in call("GET", url + LIST).json()] == [recent.reference]
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT reference FROM callback_requests").fetchall() == [(recent.reference,)]


def test_a_server_error_is_a_json_500_without_details(url, store, database, call):
    CallbackStore(f"sqlite:///{database}", Fernet.generate_key()).add(  # another key than the server's
        "GM0363", "Amsterdam", NAME, PHONE, QUESTION, "Ik geef toestemming."
    )
    response = call("GET", url + LIST)

    assert response.status_code == 500 and response.json() == {"error": "internal_error"}
    assert response.headers["Cache-Control"] == "no-store"


def test_admin_requests_log_no_names_or_phone_numbers(url, store, server_log, keys, call):
    request = add(store)
    call("GET", url + LIST)
    call("POST", f"{url}{LIST}/{request.reference}/afgehandeld")

    log = server_log.read_text()
    assert f"admin GET {LIST} -> 200" in log
    for secret in (NAME, "Zonnebloem", "98765432", "9876 5432", QUESTION, keys["beheerder"], keys["beheerder"][3:]):
        assert secret not in log


def test_the_demo_page_is_served_beside_the_admin_api(url):
    page = requests.get(url + "/", timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert requests.get(url + "/widget/widget.js", timeout=10).status_code == 200
    assert requests.get(url + "/bestaat-niet.html", timeout=10).status_code == 404
    assert requests.post(url + "/", timeout=10).status_code == 405
