"""Shared fixtures: one municipal directory, imported from the register snapshot that comes
with the project (never a refreshed download), per test session; and the real action server
and Rasa server on free ports, with a temporary tracker database and callback store, as
`./wegwijzer start` runs them, and `chat` as one resident over REST (for tests/e2e, tests/reliability
and tests/widget)."""

import os
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

import psycopg2
import pytest
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url

from assistant import clock
from assistant.content.override_checks import override_rules
from assistant.runtime.model import ensure_model
from assistant.runtime.servers import Ports, Running, start_processes, wait_until_ready
from assistant.settings import (
    ALLOWED_ORIGINS,
    CALLBACK_KEY,
    CALLBACK_URL,
    DIRECTORY_URL,
    METRICS_TOKEN,
    TEST_POSTGRES,
    TODAY,
)
from municipalities.aliases import load_aliases
from municipalities.directory import Directory
from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from municipalities.overrides import Rules
from municipalities.resolver import Resolver
from tests.support.clock import TEST_DAY
from tests.support.environment import environment
from tests.support.resident import Say, resident

CALLBACK_VARIABLES = (CALLBACK_URL.name, CALLBACK_KEY.name)
POSTGRES_SERVER = TEST_POSTGRES.get()
SERVERS_METRICS_TOKEN = "metrics-token-for-the-tests-" + "0" * 16


def _clear_services_cache() -> None:
    """Forget the action server's cached directory, so it is read again from the environment."""
    try:
        from actions.services import directory as services_directory
    except ImportError:
        return
    services_directory.cache_clear()


@pytest.fixture(autouse=True)
def freeze_today(monkeypatch) -> Callable[[date], date]:
    """`assistant.clock` says TEST_DAY; a test calls freeze_today(date(2027, 1, 1)) for another day."""

    def freeze(day: date) -> date:
        monkeypatch.setattr(clock, "today", lambda: day)
        return day

    freeze(TEST_DAY)
    return freeze


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
def rules(directory) -> Rules:
    """What a municipality's own data is checked against (municipalities/overrides.py)."""
    return override_rules(directory)


@pytest.fixture(scope="session")
def resolver(directory) -> Resolver:
    return Resolver(directory, load_aliases())


@pytest.fixture(scope="session", autouse=True)
def directory_in_environment(directory_url):
    """Point `actions.services.directory()` (and servers started by tests) at the test directory."""
    previous = os.environ.get(DIRECTORY_URL.name)
    os.environ[DIRECTORY_URL.name] = directory_url
    _clear_services_cache()
    yield directory_url
    if previous is None:
        os.environ.pop(DIRECTORY_URL.name, None)
    else:
        os.environ[DIRECTORY_URL.name] = previous
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


@dataclass
class Servers:
    ports: Ports
    running: Running  # the processes: reliability tests stop, hang and kill them

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.rasa}"


@contextmanager
def running_servers(folder: Path, settings: Optional[Dict[str, str]] = None) -> Iterator[Servers]:
    """The action server and the Rasa server on free ports, with their own tracker database;
    `settings` are environment variables for these processes only."""
    ports = Ports.free()
    with environment(settings or {}):
        running = start_processes(ensure_model(), ports, tracker_db=str(folder / "tracker.db"), log_dir=folder)
    try:
        wait_until_ready(running, ports)
        yield Servers(ports, running)
    finally:
        running.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory, directory_url) -> Iterator[Dict]:
    tmp = tmp_path_factory.mktemp("e2e")
    callback_url, callback_key = f"sqlite:///{tmp / 'callbacks.db'}", Fernet.generate_key().decode()
    # The widget tests serve pages on free ports of localhost: those origins may call Rasa.
    # The metrics token lets tests read /metrics of both servers.
    settings = {ALLOWED_ORIGINS.name: r"http://localhost:\d+", METRICS_TOKEN.name: SERVERS_METRICS_TOKEN}
    with (
        environment(dict(zip(CALLBACK_VARIABLES, (callback_url, callback_key)))),
        running_servers(tmp, settings) as started,
    ):
        ports = started.ports
        yield {
            "url": f"http://localhost:{ports.rasa}",
            "actions_url": f"http://localhost:{ports.actions}",
            "tracker_db": tmp / "tracker.db",
            "callback_url": callback_url,
            "callback_key": callback_key.encode(),
            "callback_db": tmp / "callbacks.db",
            "metrics_token": SERVERS_METRICS_TOKEN,
        }


@pytest.fixture(scope="module")
def own_servers(tmp_path_factory, directory_url) -> Iterator[Servers]:
    """Real servers of a test module's own, for tests that hang or kill them."""
    with running_servers(tmp_path_factory.mktemp("own")) as started:
        yield started


@pytest.fixture(scope="module")
def january_servers(tmp_path_factory, directory_url) -> Iterator[str]:
    """The real servers as on 1 January 2027 (WEGWIJZER_TODAY, the preview day), for the turn of the year."""
    with running_servers(tmp_path_factory.mktemp("january"), {TODAY.name: "2027-01-01"}) as started:
        yield started.url


@pytest.fixture
def chat(servers) -> Say:
    """Send messages as one new resident; returns the list of bot messages per call."""
    return resident(servers["url"])


# The markers of pyproject.toml, set by where a test lives and what it uses, so that
# `-m "not servers and not chromium"` selects the tests that need neither.
MARKERS_BY_FOLDER = {
    "e2e": ("servers",),
    "reliability": ("servers",),
    "scale_out": ("servers",),
    "widget": ("servers", "chromium"),
    "staff_pages": ("chromium",),
}


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.fspath)).parent.name
        for marker in MARKERS_BY_FOLDER.get(folder, ()):
            item.add_marker(marker)
        if "postgres_url" in getattr(item, "fixturenames", ()):
            item.add_marker("postgres")
