"""The plain-Python services the actions use, created once per action server."""

from functools import lru_cache

from municipalities import Directory, default_database_url
from municipalities.importer import ensure_imported


@lru_cache(maxsize=1)
def directory() -> Directory:
    url = default_database_url()
    ensure_imported(url)
    return Directory.load(url)
