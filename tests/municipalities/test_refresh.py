"""Refreshing the directory from the live register export, against a local HTTP server."""

import hashlib
import io
import json
import shutil
import socket
import sqlite3
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest

from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from municipalities.refresh import RefreshError, describe, provenance_path, refresh_directory

SNAPSHOT = REGISTER_CSV.read_bytes()
OLD_PHONE, NEW_PHONE = b'"14 0592, label: algemeen"', b'"0592 123 456, label: algemeen"'  # Aa en Hunze
FAST = {"retries": 3, "backoff": 0}


def fixture_files() -> Dict[str, bytes]:
    """What the server serves under /<name>, built from the bundled snapshot."""
    lines = SNAPSHOT.splitlines(keepends=True)
    assert SNAPSHOT.count(OLD_PHONE) == 1
    return {
        "good.csv": SNAPSHOT.replace(OLD_PHONE, NEW_PHONE),
        "same.csv": SNAPSHOT,
        "truncated.csv": b"".join(lines[:200]) + lines[200][: len(lines[200]) // 2],  # inside a quoted field
        "cut-after-a-field.csv": b"".join(lines[:200]) + lines[200][: lines[200].index(b'";"') + 1],
        "first-100.csv": b"".join(lines[:101]),
        "header-only.csv": lines[0],
        "error.html": b"<!DOCTYPE html><html><body><h1>Onderhoud</h1></body></html>",
    }


class Handler(BaseHTTPRequestHandler):
    """GET /<name> serves a fixture file; /slow/<name> in small timed pieces, /nolength/<name> also
    without Content-Length; /status-500 always fails."""

    server: "RegisterServer"

    def do_GET(self) -> None:
        self.server.hits[self.path] += 1
        if self.path == "/status-500":
            return self.send_error(500)
        body = self.server.files[self.path.rsplit("/", 1)[-1]]
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.path.endswith(".html") else "text/csv")
        if not self.path.startswith("/nolength/"):
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith(("/slow/", "/nolength/")):
            self.write_slowly(body)
        else:
            self.wfile.write(body)

    def write_slowly(self, body: bytes, pieces: int = 30, pause: float = 0.05) -> None:
        """In 1.5 seconds: Progress prints once work takes more than a second."""
        size = len(body) // pieces + 1
        for start in range(0, len(body), size):
            time.sleep(pause)
            self.wfile.write(body[start : start + size])

    def log_message(self, *args: object) -> None:
        pass


class RegisterServer(ThreadingHTTPServer):
    """A stand-in for organisaties.overheid.nl that counts the requests per path."""

    def __init__(self, files: Dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.files, self.hits = files, Counter()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{path}"


@pytest.fixture(scope="module")
def server() -> Iterator[RegisterServer]:
    running = RegisterServer(fixture_files())
    thread = threading.Thread(target=running.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield running
    running.shutdown()
    running.server_close()
    thread.join()


@pytest.fixture(scope="module")
def seeded_database(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "directory.db"
    import_directory(f"sqlite:///{path}", read_register(REGISTER_CSV), read_postcodes())
    return path


@pytest.fixture
def database(tmp_path, seeded_database) -> Tuple[str, Path]:
    """A directory database with the snapshot imported: (url, file)."""
    path = tmp_path / "directory.db"
    shutil.copy(seeded_database, path)
    return f"sqlite:///{path}", path


@pytest.fixture
def destination(tmp_path) -> Path:
    """The current register file: a copy of the snapshot (342 municipalities)."""
    path = tmp_path / "register" / "gemeenten.csv"
    path.parent.mkdir()
    path.write_bytes(SNAPSHOT)
    return path


def phone_of_aa_en_hunze(database_file: Path) -> str:
    with sqlite3.connect(database_file) as connection:
        return connection.execute("select phone from municipalities where name = 'Aa en Hunze'").fetchone()[0]


def count_municipalities(database_file: Path) -> int:
    with sqlite3.connect(database_file) as connection:
        return connection.execute("select count(*) from municipalities").fetchone()[0]


# --- Success ------------------------------------------------------------------------


def test_a_good_download_replaces_the_register_and_the_directory(server, database, destination):
    url, database_file = database
    stream = io.StringIO()
    result = refresh_directory(
        server.url("good.csv"), database_url=url, destination=destination, progress_stream=stream, **FAST
    )

    assert (result.rows, result.rows_before) == (342, 342)
    assert (result.changed, result.added, result.removed) == (1, 0, 0)
    assert result.path == destination
    assert result.summary.municipalities == 342 and result.summary.postcodes == 4096
    assert destination.read_bytes() == server.files["good.csv"]
    assert phone_of_aa_en_hunze(database_file) == "0592 123 456"
    assert sorted(path.name for path in destination.parent.iterdir()) == ["gemeenten.csv", "gemeenten.provenance.json"]
    assert describe(result).splitlines()[0] == (
        f"Directory refreshed from {server.url('good.csv')}: 342 municipalities (before: 342); "
        "1 changed, 0 added, 0 removed."
    )
    assert stream.getvalue() == ""  # a quick download shows no progress


def test_the_provenance_file_records_url_time_checksum_and_rows(server, database, destination):
    refresh_directory(server.url("good.csv"), database_url=database[0], destination=destination, **FAST)

    provenance = json.loads(provenance_path(destination).read_text(encoding="utf-8"))
    assert provenance_path(destination).name == "gemeenten.provenance.json"
    assert provenance["url"] == server.url("good.csv")
    assert provenance["sha256"] == hashlib.sha256(server.files["good.csv"]).hexdigest()
    assert provenance["rows"] == 342
    downloaded_at = datetime.fromisoformat(provenance["downloaded_at"])
    assert downloaded_at.utcoffset() == timedelta(0)
    assert abs(datetime.now(timezone.utc) - downloaded_at) < timedelta(minutes=1)


def test_unchanged_data_reports_no_changes(server, database, destination):
    result = refresh_directory(server.url("same.csv"), database_url=database[0], destination=destination, **FAST)
    assert (result.rows, result.changed, result.added, result.removed) == (342, 0, 0, 0)


def test_without_a_refreshed_file_the_snapshot_is_the_current_data(server, database, tmp_path):
    destination = tmp_path / "new" / "gemeenten.csv"
    result = refresh_directory(server.url("good.csv"), database_url=database[0], destination=destination, **FAST)
    assert (result.rows_before, result.changed) == (342, 1)
    assert destination.read_bytes() == server.files["good.csv"]


def test_a_broken_current_file_is_repaired(server, database, destination):
    destination.write_text("not a register", encoding="utf-8")
    result = refresh_directory(server.url("good.csv"), database_url=database[0], destination=destination, **FAST)
    assert (result.rows_before, result.added, result.removed) == (0, 342, 0)
    assert destination.read_bytes() == server.files["good.csv"]


def test_allow_fewer_accepts_a_register_that_shrank(server, database, destination):
    url, database_file = database
    result = refresh_directory(
        server.url("first-100.csv"), allow_fewer=True, database_url=url, destination=destination, **FAST
    )
    assert (result.rows, result.rows_before, result.added, result.removed) == (100, 342, 0, 242)
    assert count_municipalities(database_file) == 100
    assert destination.read_bytes() == server.files["first-100.csv"]


@pytest.mark.parametrize("route, with_total", [("slow", True), ("nolength", False)])
def test_a_slow_download_shows_progress(server, database, destination, route, with_total):
    stream = io.StringIO()
    refresh_directory(
        server.url(f"{route}/good.csv"),
        database_url=database[0],
        destination=destination,
        progress_stream=stream,
        **FAST,
    )
    size = len(server.files["good.csv"])
    lines = stream.getvalue().splitlines()
    assert len(lines) >= 2, lines
    assert all(line.startswith("Downloading the register: ") for line in lines), lines
    assert lines[-1] == f"Downloading the register: {size}{f'/{size}' if with_total else ''} bytes"


# --- Failure: nothing changes -----------------------------------------------------------


def closed_port_url() -> Tuple[socket.socket, str]:
    """A bound port that does not listen: connections are refused, as when offline."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    return sock, f"http://127.0.0.1:{sock.getsockname()[1]}/Gemeenten.csv"


def refused(url: str, database: Tuple[str, Path], destination: Path, **options: object) -> str:
    """The RefreshError message; asserts that the register file and the database are unchanged."""
    database_url, database_file = database
    database_before = database_file.read_bytes()
    with pytest.raises(RefreshError) as error:
        refresh_directory(url, database_url=database_url, destination=destination, **{**FAST, **options})
    assert destination.read_bytes() == SNAPSHOT
    assert [path.name for path in destination.parent.iterdir()] == ["gemeenten.csv"]  # no temporary file left
    assert database_file.read_bytes() == database_before
    assert count_municipalities(database_file) == 342
    return str(error.value)


def test_offline_the_directory_keeps_its_data_and_says_why(database, destination):
    sock, url = closed_port_url()
    with sock:
        message = refused(url, database, destination)
    assert message == (
        f"Cannot reach {url} (are you offline?): the directory keeps its current data (342 municipalities)."
    )


def test_a_server_error_is_retried_then_reported(server, database, destination):
    message = refused(server.url("status-500"), database, destination, retries=3)
    assert server.hits["/status-500"] == 4  # the first try and 3 retries
    assert message.startswith(f"The register answered HTTP 500 Internal Server Error for {server.url('status-500')}:")
    assert message.endswith("the directory keeps its current data (342 municipalities).")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("truncated.csv", "line 200: unexpected end of data"),
        ("cut-after-a-field.csv", "line 201: does not have 46 fields: cut off or broken"),
    ],
)
def test_a_truncated_download_is_refused(server, database, destination, name, reason):
    message = refused(server.url(name), database, destination)
    assert message == f"The download is broken ({reason}): the directory keeps its current data (342 municipalities)."


def test_an_error_page_is_refused(server, database, destination):
    message = refused(server.url("error.html"), database, destination)
    assert message.startswith("The register sent a web page instead of the CSV export:")


def test_fewer_municipalities_are_refused_without_allow_fewer(server, database, destination):
    message = refused(server.url("first-100.csv"), database, destination)
    assert message == (
        "The download has 100 municipalities, the current data 342: the directory keeps its current data "
        "(342 municipalities). Use --allow-fewer if the register really shrank."
    )


def test_an_empty_register_is_refused_even_with_allow_fewer(server, database, destination):
    message = refused(server.url("header-only.csv"), database, destination, allow_fewer=True)
    assert message.startswith("The download lists no municipalities:")


def test_a_failure_leaves_no_file_where_there_was_none(server, database, tmp_path):
    destination = tmp_path / "register" / "gemeenten.csv"
    with pytest.raises(RefreshError):
        refresh_directory(server.url("truncated.csv"), database_url=database[0], destination=destination, **FAST)
    assert not destination.parent.exists()


def test_a_database_that_cannot_be_written_is_reported(server, destination, tmp_path):
    url = f"sqlite:///{tmp_path / 'missing' / 'directory.db'}"
    with pytest.raises(RefreshError, match="cannot import it into .*: the database keeps its current data"):
        refresh_directory(server.url("good.csv"), database_url=url, destination=destination, **FAST)
    assert destination.read_bytes() == server.files["good.csv"]


def test_a_file_that_cannot_be_saved_is_reported_and_cleaned_up(server, database, tmp_path):
    database_url, database_file = database
    destination = tmp_path / "register" / "gemeenten.csv"
    destination.mkdir(parents=True)  # os.replace cannot put a file there
    database_before = database_file.read_bytes()
    with pytest.raises(RefreshError) as error:
        refresh_directory(server.url("good.csv"), database_url=database_url, destination=destination, **FAST)
    assert str(error.value) == (
        f"Cannot save the download as {destination} (Is a directory): "
        "the directory keeps its current data (342 municipalities)."
    )
    assert [path.name for path in destination.parent.iterdir()] == ["gemeenten.csv"]  # no temporary file left
    assert database_file.read_bytes() == database_before
