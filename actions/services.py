"""The plain-Python services the actions use, created once per action server."""

from functools import lru_cache
from typing import Dict, Optional, Tuple

from assistant.content import municipal_directory
from assistant.content.answers import LocalContext
from assistant.content.override_checks import override_store
from municipalities import Directory
from municipalities.aliases import load_aliases
from municipalities.directory import Municipality
from municipalities.overrides import Override, OverrideStore
from municipalities.resolver import Resolver
from municipalities.zorgkantoren import Zorgkantoor, load_zorgkantoren


@lru_cache(maxsize=1)
def directory() -> Directory:
    return municipal_directory.load()


@lru_cache(maxsize=1)
def resolver() -> Resolver:
    return Resolver(directory(), load_aliases())


@lru_cache(maxsize=1)
def overrides() -> OverrideStore:
    """Reads the override files again when one changes: no restart needed after an edit."""
    return override_store(directory())


@lru_cache(maxsize=1)
def zorgkantoren() -> Dict[str, Zorgkantoor]:
    return load_zorgkantoren()


def municipality_named_in(text: str) -> Optional[Municipality]:
    """The one municipality a question names by name, place or postcode ("Hoe lang duurt een
    Wmo-aanvraag in Hoofddorp?"); None when it names none, or several. A bare year ("2026")
    is no postcode there: only a written-out one counts."""
    return resolver().named_in_question(text).municipality


def municipality_and_override(slot_value: Optional[str]) -> Tuple[Optional[Municipality], Optional[Override]]:
    """The municipality in the `gemeente` slot (an official name once the form validated it,
    else the name as typed) and its own data, if any."""
    municipality = resolver().resolve(slot_value).municipality if slot_value else None
    return municipality, overrides().get(municipality.cbs_code) if municipality else None


def local_context(slot_value: Optional[str]) -> Optional[LocalContext]:
    """What the answers may add about the resident's municipality, if it is known."""
    municipality, override = municipality_and_override(slot_value)
    if municipality is None:
        return None
    return LocalContext(municipality.name, override, zorgkantoren().get(municipality.cbs_code))
