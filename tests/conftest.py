"""Shared fixtures: one municipal directory, imported from the register snapshot that comes
with the project (never a refreshed download), per test session."""

import os
import uuid
from typing import Iterator

import psycopg2
import pytest
from sqlalchemy.engine import make_url

from municipalities.aliases import load_aliases
from municipalities.directory import Directory
from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from municipalities.resolver import Resolver

DIRECTORY_URL_VARIABLE = "WEGWIJZER_DIRECTORY_URL"
POSTGRES_SERVER = os.environ.get("WEGWIJZER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def _clear_services_cache() -> None:
    """Forget the action server's cached directory, so it is read again from the environment."""
    try:
        from actions.services import directory as services_directory
    except ImportError:
        return
    services_directory.cache_clear()


@pytest.fixture(scope="session")
def directory_url(tmp_path_factory) -> str:
    """A SQLite directory database with the whole register and the postcodes imported."""
    url = f"sqlite:///{tmp_path_factory.mktemp('directory') / 'directory.db'}"
    import_directory(url, read_register(REGISTER_CSV), read_postcodes())
    return url


@pytest.fixture(scope="session")
def directory(directory_url) -> Directory:
    return Directory.load(directory_url)


@pytest.fixture(scope="session")
def resolver(directory) -> Resolver:
    return Resolver(directory, load_aliases())


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


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    """A database of its own on the machine's PostgreSQL, dropped afterwards."""
    name = f"wegwijzer_test_{uuid.uuid4().hex[:8]}"
    server = psycopg2.connect(POSTGRES_SERVER)
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield str(make_url(POSTGRES_SERVER).set(database=name))
    finally:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.close()
