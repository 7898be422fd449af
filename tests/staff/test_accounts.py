"""Staff accounts (assistant/staff/accounts.py) on a real SQLite file: roles, one-time
passwords, Argon2id hashes, lock-out after wrong passwords, sessions that expire, the audit log."""

from datetime import timedelta

import pytest

from assistant.staff import accounts
from assistant.staff.accounts import MAX_ADDRESS_FAILURES, MAX_FAILURES, StaffError, StaffStore


@pytest.fixture
def store(tmp_path):
    return StaffStore(f"sqlite:///{tmp_path / 'staff.db'}")


def test_a_new_account_signs_in_with_its_one_time_password_and_must_change_it(store):
    account, one_time = store.add("j.devries", "helpdesk", ["GM0363"])
    assert account.must_change_password and account.municipalities == ("GM0363",)
    assert store.sign_in("j.devries", "wrong password", "1.2.3.4") is None
    assert store.sign_in("J.deVries ", one_time, "1.2.3.4") == account
    store.change_password("j.devries", "een lange zin als wachtwoord")
    assert store.sign_in("j.devries", one_time, "1.2.3.4") is None
    assert not store.sign_in("j.devries", "een lange zin als wachtwoord", "1.2.3.4").must_change_password


def test_passwords_are_stored_as_argon2id_hashes(store, tmp_path):
    _, one_time = store.add("j.devries", "helpdesk", ["GM0363"])
    stored = (tmp_path / "staff.db").read_bytes()
    assert one_time.encode() not in stored and b"$argon2id$" in stored


@pytest.mark.parametrize(
    "name, role, codes, message",
    [
        ("x", "helpdesk", ["GM0363"], "accountnaam"),
        ("j.devries", "baas", ["GM0363"], "Onbekende rol"),
        ("j.devries", "helpdesk", [], "minstens één gemeente"),
        ("j.devries", "helpdesk", ["Amsterdam"], "CBS-code"),
        ("j.devries", "beheerder", ["GM0363"], "alle gemeenten"),
    ],
)
def test_invalid_accounts_are_refused_in_dutch(store, name, role, codes, message):
    with pytest.raises(StaffError, match=message):
        store.add(name, role, codes)


def test_a_name_is_taken_once(store):
    store.add("j.devries", "helpdesk", ["GM0363"])
    with pytest.raises(StaffError, match="al een account"):
        store.add("j.devries", "wmo-raad", ["GM0228"])


@pytest.mark.parametrize("password, message", [("kort", "minstens 12"), ("j.devries-wachtwoord", "accountnaam")])
def test_weak_passwords_are_refused(store, password, message):
    store.add("j.devries", "helpdesk", ["GM0363"])
    with pytest.raises(StaffError, match=message):
        store.change_password("j.devries", password)


def test_after_too_many_wrong_passwords_even_the_right_one_waits(store):
    _, one_time = store.add("j.devries", "helpdesk", ["GM0363"])
    for _ in range(MAX_FAILURES):
        assert store.sign_in("j.devries", "geraden", "1.2.3.4") is None
    assert store.sign_in("j.devries", one_time, "5.6.7.8") is None  # the name is locked, from any address


def test_one_address_that_tries_many_names_waits_too(store):
    _, one_time = store.add("j.devries", "helpdesk", ["GM0363"])
    for number in range(MAX_ADDRESS_FAILURES):
        store.sign_in(f"naam{number}", "geraden", "1.2.3.4")
    assert store.sign_in("j.devries", one_time, "1.2.3.4") is None
    assert store.sign_in("j.devries", one_time, "5.6.7.8") is not None


def test_a_session_ends_after_idle_time_and_at_sign_out(store, monkeypatch):
    account, _ = store.add("j.devries", "helpdesk", ["GM0363"])
    token = store.open_session(account)
    assert store.session(token).account == account
    now = accounts._now()
    monkeypatch.setattr(accounts, "_now", lambda: now + timedelta(minutes=accounts.IDLE_MINUTES + 1))
    assert store.session(token) is None
    monkeypatch.undo()
    second = store.open_session(account)
    store.close_session(second)
    assert store.session(second) is None and store.session("made-up") is None


def test_a_session_ends_when_its_account_is_removed(store):
    account, _ = store.add("j.devries", "helpdesk", ["GM0363"])
    token = store.open_session(account)
    assert store.remove("j.devries") and not store.remove("j.devries")
    assert store.session(token) is None


def test_the_session_token_is_not_stored(store, tmp_path):
    account, _ = store.add("j.devries", "helpdesk", ["GM0363"])
    token = store.open_session(account)
    assert token.encode() not in (tmp_path / "staff.db").read_bytes()


def test_the_audit_log_is_filtered_by_municipality(store):
    helpdesk, _ = store.add("j.devries", "helpdesk", ["GM0363"])
    store.audit(helpdesk, "bekeken", "terugbelverzoek WW-AAAAAA", "GM0363")
    store.audit(helpdesk, "bekeken", "terugbelverzoek WW-BBBBBB", "GM0228")
    assert [entry.record for entry in store.audit_log(["GM0363"])] == ["terugbelverzoek WW-AAAAAA"]
    assert len(store.audit_log()) == 2


def test_a_beheerder_sees_every_municipality_and_a_helpdesk_only_its_own(store):
    helpdesk, _ = store.add("j.devries", "helpdesk", ["GM0363", "GM0228"])
    beheerder, _ = store.add("beheer", "beheerder")
    assert helpdesk.may_see("GM0228") and not helpdesk.may_see("GM0344")
    assert beheerder.may_see("GM0344") and beheerder.sees_all
