"""The municipal directory as Wegwijzer uses it: the library in municipalities/ with this
project's database (settings.DIRECTORY_URL) and register file (the refreshed export in var/
when there is one, else the library's snapshot)."""

from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional

from assistant.settings import DIRECTORY_URL, REFRESHED_REGISTER_FILE
from municipalities import Directory
from municipalities.importer import ImportSummary, build_directory, ensure_imported, register_file


def active_register() -> Path:
    return register_file(REFRESHED_REGISTER_FILE)


def build() -> ImportSummary:
    """Import the active register and the postcodes into the directory's database."""
    return build_directory(DIRECTORY_URL.get(), active_register())


def load() -> Directory:
    """The directory in memory, imported first when its database is missing or incomplete."""
    url = DIRECTORY_URL.get()
    ensure_imported(url, active_register())
    return Directory.load(url)


@lru_cache(maxsize=1)
def shared() -> Directory:
    """The directory loaded once for this process, for servers that only look things up in it."""
    return load()


@lru_cache(maxsize=1)
def _codes_by_name() -> Dict[str, str]:
    return {municipality.name: municipality.cbs_code for municipality in shared().all()}


def municipality_code(name: str) -> Optional[str]:
    """ "Ede" -> "GM0228": the CBS code for a municipality's official name (the slot `gemeente`)."""
    return _codes_by_name().get(name)
