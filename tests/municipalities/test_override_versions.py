"""Saved versions of a municipality's own data: numbered per municipality, a save on a stale
form refused, the newest one winning over the seed file in a running store, on SQLite and
PostgreSQL."""

import pytest
from sqlalchemy import create_engine, text

from municipalities.override_versions import OverrideVersions, StaleVersion
from municipalities.overrides import OverrideStore
from tests.support.overrides import GOOD, write


@pytest.fixture
def versions(tmp_path):
    return OverrideVersions(f"sqlite:///{tmp_path / 'directory.db'}")


def test_versions_are_numbered_per_municipality_and_read_back_newest_first(versions):
    versions.save("GM0193", "een", "anna", based_on=0, note="eerste keer")
    versions.save("GM0193", "twee", "bert", based_on=1)
    versions.save("GM0363", "ander", "carla", based_on=0)
    history = versions.history("GM0193")
    numbered = [(item.number, item.document, item.saved_by) for item in history]
    assert numbered == [(2, "twee", "bert"), (1, "een", "anna")]
    assert history[1].note == "eerste keer" and history[0].saved_at.tzinfo is not None
    assert versions.latest("GM0193").document == "twee" and versions.latest("GM0000") is None
    assert versions.documents() == {"GM0193": "twee", "GM0363": "ander"}


def test_a_save_on_a_form_that_someone_else_saved_in_between_is_refused(versions):
    versions.save("GM0193", "een", "anna", based_on=0)
    versions.save("GM0193", "twee", "anna", based_on=1)
    with pytest.raises(StaleVersion):
        versions.save("GM0193", "van bert, op versie 1", "bert", based_on=1)
    assert versions.latest("GM0193").document == "twee"


def test_the_signature_changes_with_every_save(versions):
    before = versions.signature()
    versions.save("GM0193", "een", "anna", based_on=0)
    assert versions.signature() != before


def test_a_saved_version_wins_over_the_seed_file_without_a_restart(tmp_path, versions, rules):
    write(tmp_path, "GM0193.yml", GOOD)
    store = OverrideStore(tmp_path, rules, versions)
    assert store.get("GM0193").wmo_desk.name == "Wmo-loket Zwolle"
    versions.save("GM0193", GOOD.replace("Wmo-loket Zwolle", "Loket Zorg Zwolle"), "anna", based_on=0)
    assert store.get("GM0193").wmo_desk.name == "Loket Zorg Zwolle"


def test_a_saved_version_the_rules_no_longer_accept_leaves_the_national_data(tmp_path, versions, rules):
    write(tmp_path, "GM0193.yml", GOOD)
    versions.save("GM0193", GOOD.replace("jaar: 2026", "jaar: 2019"), "anna", based_on=0)
    store = OverrideStore(tmp_path, rules, versions)
    assert store.get("GM0193") is None
    assert [error.file for error in store.errors] == ["GM0193 (opgeslagen in het beheer)"]


def test_a_database_that_cannot_be_read_keeps_what_was_read_last(tmp_path, rules):
    url = f"sqlite:///{tmp_path / 'directory.db'}"
    versions = OverrideVersions(url)
    versions.save("GM0193", GOOD, "anna", based_on=0)
    store = OverrideStore(tmp_path, rules, versions)
    assert store.get("GM0193") is not None
    with create_engine(url).begin() as connection:
        connection.execute(text("DROP TABLE override_versions"))
    assert store.get("GM0193").wmo_desk.name == "Wmo-loket Zwolle"


def test_on_postgresql_versions_are_kept_and_a_stale_save_refused(postgres_url, tmp_path, rules):
    versions = OverrideVersions(postgres_url)
    versions.save("GM0193", GOOD, "anna", based_on=0)
    with pytest.raises(StaleVersion):
        versions.save("GM0193", GOOD, "bert", based_on=0)
    store = OverrideStore(tmp_path, rules, versions)
    assert store.get("GM0193").wmo_desk.name == "Wmo-loket Zwolle" and versions.signature() == (1, 1)
