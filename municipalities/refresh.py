"""`./wegwijzer refresh-directory`: bring the municipal directory up to date with the live register.

Downloads the export `Gemeenten.csv` of the Register van Overheidsorganisaties, checks it
(UTF-8, every row complete, at least one municipality and not fewer than the current data
unless `allow_fewer`), saves it as `var/register/gemeenten.csv` with a provenance file
beside it, and imports it into the directory database.

A failed download or check raises RefreshError and changes nothing: the register file and
the database keep their current data.
"""

import contextlib
import hashlib
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Dict, List, Optional, TextIO, Tuple

import requests
from requests.adapters import HTTPAdapter
from sqlalchemy.exc import SQLAlchemyError
from urllib3.util.retry import Retry

from municipalities.importer import (
    REGISTER_CSV,
    ImportSummary,
    RegisterError,
    import_directory,
    parse_register,
    read_postcodes,
    read_register,
)
from municipalities.models import MunicipalityRow
from municipalities.progress import Progress

LIVE_URL = "https://organisaties.overheid.nl/export/Gemeenten.csv"
RETRY_STATUSES = (429, 500, 502, 503, 504)
COMPARED_FIELDS = ("name", "short_name", "phone", "email", "website", "register_updated")
CHUNK_BYTES = 64 * 1024


class RefreshError(Exception):
    """The refresh failed; the message says why and that the current data is kept."""


class _Rejected(Exception):
    """Why a download cannot be used; `refresh_directory` adds that the current data is kept."""


@dataclass(frozen=True)
class RefreshResult:
    """What a refresh did: counts before and after, and what changed."""

    url: str
    rows: int  # municipalities now
    rows_before: int
    added: int  # by CBS code
    removed: int
    changed: int  # a different name, short name, phone, email, website or "Laatste mutatie"
    path: Path  # the saved export
    summary: ImportSummary


def refresh_directory(
    url: str = LIVE_URL,
    *,
    allow_fewer: bool = False,
    database_url: str,
    destination: Path,
    timeout: Tuple[float, float] = (10, 60),
    retries: int = 3,
    backoff: float = 0.5,
    progress_stream: TextIO = sys.stderr,
) -> RefreshResult:
    """Download, check, save and import the register export (see the module docstring).

    The current data is the file at `destination` when there is one, else the snapshot in the project.
    """
    previous = _current_rows(destination if destination.is_file() else REGISTER_CSV)
    kept = f"the directory keeps its current data ({len(previous)} municipalities)"
    try:
        body = _download(url, timeout=timeout, retries=retries, backoff=backoff, progress_stream=progress_stream)
        rows = _check(body)
    except _Rejected as problem:
        raise RefreshError(f"{problem}: {kept}.") from None
    if len(rows) < len(previous) and not allow_fewer:
        raise RefreshError(
            f"The download has {len(rows)} municipalities, the current data {len(previous)}: {kept}. "
            "Use --allow-fewer if the register really shrank."
        )
    added, removed, changed = _compare(previous, rows)
    try:
        _save({destination: body, provenance_path(destination): _provenance(url, body, len(rows))})
    except OSError as error:
        raise RefreshError(f"Cannot save the download as {destination} ({error.strerror}): {kept}.") from error
    try:
        summary = import_directory(database_url, rows, read_postcodes())
    except SQLAlchemyError as error:
        raise RefreshError(
            f"Saved the new register export to {destination}, but cannot import it into {database_url} "
            f"({getattr(error, 'orig', None) or error}): the database keeps its current data. "
            "Run the refresh again once the database can be written."
        ) from error
    return RefreshResult(url, len(rows), len(previous), added, removed, changed, destination, summary)


def _download(
    url: str, *, timeout: Tuple[float, float], retries: int, backoff: float, progress_stream: TextIO
) -> bytes:
    """The body of a GET, retried on connection errors and on HTTP 429, 500, 502, 503 and 504."""
    retry = Retry(
        total=retries,
        backoff_factor=backoff,
        status_forcelist=RETRY_STATUSES,
        allowed_methods={"GET"},
        raise_on_status=False,
    )
    with requests.Session() as session:
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        try:
            with session.get(url, timeout=timeout, stream=True) as response:
                if response.status_code != 200:
                    raise _Rejected(f"The register answered HTTP {response.status_code} {response.reason} for {url}")
                return _read_body(response, progress_stream)
        except requests.ConnectionError:  # also a connect timeout, or read timeouts after the retries
            raise _Rejected(f"Cannot reach {url} (are you offline?)") from None
        except requests.RequestException as error:
            raise _Rejected(f"The download from {url} failed ({error})") from None


def _read_body(response: requests.Response, progress_stream: TextIO) -> bytes:
    length = response.headers.get("Content-Length")
    progress = Progress("Downloading the register", int(length) if length else None, "bytes", progress_stream)
    chunks = []
    for chunk in response.iter_content(CHUNK_BYTES):
        chunks.append(chunk)
        progress.advance(len(chunk))
    progress.finish()
    return b"".join(chunks)


def _check(body: bytes) -> List[MunicipalityRow]:
    """The municipalities of a downloaded export; _Rejected when it is not a usable export."""
    try:
        text = body.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        raise _Rejected("The download is not UTF-8 text, so not the register export") from None
    if text.lstrip().startswith("<"):
        raise _Rejected("The register sent a web page instead of the CSV export")
    try:
        rows = parse_register(text)
    except RegisterError as error:
        raise _Rejected(f"The download is broken ({error})") from None
    if not rows:
        raise _Rejected("The download lists no municipalities")
    return rows


def _compare(before: List[MunicipalityRow], after: List[MunicipalityRow]) -> Tuple[int, int, int]:
    """How many municipalities were added, removed and changed, by CBS code."""
    old = {row.cbs_code: _compared(row) for row in before}
    new = {row.cbs_code: _compared(row) for row in after}
    changed = sum(old[code] != new[code] for code in old.keys() & new.keys())
    return len(new.keys() - old.keys()), len(old.keys() - new.keys()), changed


def _compared(row: MunicipalityRow) -> Tuple[Optional[str], ...]:
    return tuple(getattr(row, field) for field in COMPARED_FIELDS)


def _current_rows(path: Path) -> List[MunicipalityRow]:
    """The current register's municipalities; none when the file is broken, so a refresh repairs it."""
    try:
        return read_register(path)
    except RegisterError:
        return []


def provenance_path(register: Path) -> Path:
    """var/register/gemeenten.csv -> var/register/gemeenten.provenance.json."""
    return register.with_name(f"{register.stem}.provenance.json")


def _provenance(url: str, body: bytes, rows: int) -> bytes:
    record = {
        "url": url,
        "downloaded_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "sha256": hashlib.sha256(body).hexdigest(),
        "rows": rows,
    }
    return (json.dumps(record, indent=2) + "\n").encode("utf-8")


def _save(files: Dict[Path, bytes]) -> None:
    """Write every file beside its destination first, then move them in place: never a half-written file."""
    temporaries: List[Tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
            temporaries.append((temporary, path))
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
        for temporary, path in temporaries:
            os.replace(temporary, path)
    finally:
        for temporary, _ in temporaries:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)


def describe(result: RefreshResult) -> str:
    """What `./wegwijzer refresh-directory` prints after a refresh."""
    summary = result.summary
    lines = [
        f"Directory refreshed from {result.url}: {result.rows} municipalities (before: {result.rows_before}); "
        f"{result.changed} changed, {result.added} added, {result.removed} removed.",
        f"Saved the export to {result.path}; imported {summary.places} places and {summary.postcodes} postcode rows.",
    ]
    if summary.postcodes_skipped:
        lines.append(f"Left out {summary.postcodes_skipped} postcode rows of municipalities no longer in the register.")
    return "\n".join(lines)
