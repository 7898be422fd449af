"""`./wegwijzer staff`: add an account, give it an API key, list, remove, as an operator does."""

import re

import pytest

from assistant.settings import STAFF_URL
from assistant.staff.accounts import StaffStore
from assistant.staff.commands import main


@pytest.fixture
def staff(tmp_path, monkeypatch) -> StaffStore:
    monkeypatch.setenv(STAFF_URL.name, f"sqlite:///{tmp_path / 'staff.db'}")
    return StaffStore()


def test_an_account_with_an_api_key_from_add_to_remove(staff, capsys):
    main(["add", "zaaksysteem-ede", "--role", "helpdesk", "--gemeente", "GM0228"])
    assert "Eenmalig wachtwoord: " in capsys.readouterr().out
    main(["api-key", "zaaksysteem-ede"])
    key = re.search(r"API-sleutel voor zaaksysteem-ede: (\S+)", capsys.readouterr().out)[1]
    assert staff.api_account(key).municipalities == ("GM0228",)
    main(["list"])
    assert re.search(r"zaaksysteem-ede +helpdesk +GM0228 .*\(met API-sleutel\)", capsys.readouterr().out)
    main(["remove", "zaaksysteem-ede"])
    assert staff.api_account(key) is None


def test_a_key_for_an_account_that_does_not_exist_is_refused(staff):
    with pytest.raises(SystemExit, match="Er is geen account met de naam niemand"):
        main(["api-key", "niemand"])
