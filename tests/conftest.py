"""Shared fixtures: one municipal directory, imported from the register export, per test session."""

import os

import pytest

from municipalities.directory import Directory
from municipalities.importer import import_register, read_register

DIRECTORY_URL_VARIABLE = "WEGWIJZER_DIRECTORY_URL"


def _clear_services_cache() -> None:
    """Forget the action server's cached directory, so it is read again from the environment."""
    try:
        from actions.services import directory as services_directory
    except ImportError:
        return
    services_directory.cache_clear()


@pytest.fixture(scope="session")
def directory_url(tmp_path_factory) -> str:
    """A SQLite directory database with the whole register imported."""
    url = f"sqlite:///{tmp_path_factory.mktemp('directory') / 'directory.db'}"
    import_register(url, read_register())
    return url


@pytest.fixture(scope="session")
def directory(directory_url) -> Directory:
    return Directory.load(directory_url)


@pytest.fixture(scope="session", autouse=True)
def directory_in_environment(directory_url):
    """Point `actions.services.directory()` (and servers started by tests) at the test directory."""
    previous = os.environ.get(DIRECTORY_URL_VARIABLE)
    os.environ[DIRECTORY_URL_VARIABLE] = directory_url
    _clear_services_cache()
    yield directory_url
    if previous is None:
        os.environ.pop(DIRECTORY_URL_VARIABLE, None)
    else:
        os.environ[DIRECTORY_URL_VARIABLE] = previous
    _clear_services_cache()
