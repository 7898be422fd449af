"""The staff app's own data on PostgreSQL, over real HTTP: accounts, sessions and the audit log,
callback requests, and the local data with its versions in the directory's database. (The
conversation log lives with Rasa's conversation store, SQLite on the embedded default; its
figures on PostgreSQL are tested in tests/conversations.)"""

import re

import pytest
from cryptography.fernet import Fernet

from assistant.content.override_checks import override_store
from assistant.helpdesk.callbacks import CallbackStore
from assistant.settings import CALLBACK_KEY, CALLBACK_URL, DIRECTORY_URL, STAFF_URL, TRACKER_DB
from assistant.staff.accounts import StaffStore
from municipalities import Directory
from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from tests.support.staff_app import csrf, signed_in

EDE = "GM0228"


@pytest.fixture(scope="module")
def stores(postgres_url, tmp_path_factory):
    import_directory(postgres_url, read_register(REGISTER_CSV), read_postcodes())
    key = Fernet.generate_key()
    with pytest.MonkeyPatch.context() as patch:
        for variable in (STAFF_URL, CALLBACK_URL, DIRECTORY_URL):
            patch.setenv(variable.name, postgres_url)
        patch.setenv(CALLBACK_KEY.name, key.decode())
        patch.setenv(TRACKER_DB.name, str(tmp_path_factory.mktemp("pg_staff") / "tracker.db"))
        yield StaffStore(), CallbackStore(key=key)


def test_a_helpdesk_works_through_its_queue_and_its_local_data_on_postgresql(url, stores, directory: Directory):
    staff, callbacks = stores
    request = callbacks.add(EDE, "Ede", "Jan Jansen", "0612345678", "Hoe vraag ik een pgb aan?", "Ja.")
    browser = signed_in(url, staff, "pg-ede", "helpdesk", (EDE,))
    detail = browser.get(f"{url}/beheer/terugbellen/{request.reference}", timeout=10)
    assert detail.status_code == 200 and "Jan Jansen" in detail.text
    take = {"csrf": csrf(detail.text), "actie": "oppakken"}
    taken = browser.post(f"{url}/beheer/terugbellen/{request.reference}", data=take, timeout=10)
    assert taken.status_code == 200 and callbacks.get(request.reference).status == "in behandeling"

    form = browser.get(f"{url}/beheer/gegevens/{EDE}", timeout=10)
    version = re.search(r'name="versie" value="(\d+)"', form.text)[1]
    sent = {
        "csrf": csrf(form.text),
        "versie": version,
        "organisaties": "1",
        "bron": "https://www.ede.nl/wmo",
        "wmo_loket.telefoon": "0318 680 333",
        "actie": "opslaan",
    }
    saved = browser.post(f"{url}/beheer/gegevens/{EDE}", data=sent, timeout=10)
    assert "De gegevens zijn opgeslagen" in saved.text
    assert override_store(directory).get(EDE).wmo_desk.phone.display == "0318 68 03 33"
    history = browser.get(f"{url}/beheer/gegevens/{EDE}/geschiedenis", timeout=10).text
    assert "Versie 1" in history and "door pg-ede" in history

    audited = {(entry.action, entry.record) for entry in staff.audit_log() if entry.account == "pg-ede"}
    assert {("bekeken", f"terugbelverzoek {request.reference}"), ("gewijzigd", f"lokale gegevens {EDE}")} <= audited
