"""The right door: the organisations residents confuse with the municipality (right_doors.yml),
what each handles, where to find it, and the source of that. A question about income tax,
child benefit or a residence permit is answered with "Daarvoor kunt u terecht bij ..." instead of
"ask your municipality", as regelhulp.nl and Het Juiste Loket did."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from assistant.content.answers import DUTCH, ENGLISH, Answer, message
from assistant.content.facts import Source
from assistant.settings import RIGHT_DOORS_FILE


@dataclass(frozen=True)
class Door:
    name: str
    in_sentence: str  # with its article: "de SVB", "het UWV", "uw zorgverzekeraar"
    handles: str  # fits "Die regelt <handles>."
    in_sentence_en: str  # "the Social Insurance Bank (SVB)"
    handles_en: str  # fits "They handle <handles_en>."
    words: Tuple[str, ...]  # lower case: words a resident uses for this organisation's subject
    own_subject: bool  # Wegwijzer answers this subject itself (the CAK's eigen bijdrage): no words
    source: Source
    website: Optional[str] = None
    phone: Optional[str] = None


@lru_cache(maxsize=1)
def load_doors(path: Path = RIGHT_DOORS_FILE) -> Dict[str, Door]:
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: _door(entry) for key, entry in entries.items()}


def _door(entry: dict) -> Door:
    checked = entry["nagekeken"]
    source = Source(
        entry["bron_naam"], entry["bron"], checked if isinstance(checked, date) else date.fromisoformat(checked)
    )
    return Door(
        name=entry["naam"],
        in_sentence=entry["in_zin"],
        handles=entry["regelt"],
        in_sentence_en=entry["in_zin_en"],
        handles_en=entry["regelt_en"],
        words=tuple(word.lower() for word in entry["woorden"]),
        own_subject=bool(entry.get("eigen_onderwerp")),
        source=source,
        website=entry.get("website"),
        phone=str(entry["telefoon"]) if entry.get("telefoon") else None,
    )


def door_for(text: str) -> Optional[Door]:
    """The organisation whose subject the text names (a whole word or phrase); the longest
    matching phrase decides when several do. None when none does."""
    lowered = (text or "").lower()
    found = [
        (len(word), door)
        for door in load_doors().values()
        for word in door.words
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", lowered)
    ]
    return max(found, key=lambda item: item[0])[1] if found else None


def door_answer(door: Door, language: str = DUTCH) -> Answer:
    """Where to go, what that organisation handles, and how to reach it, with the source."""
    english = language == ENGLISH
    name, handles = (door.in_sentence_en, door.handles_en) if english else (door.in_sentence, door.handles)
    lines = [message("juiste_loket", language, naam=name, regelt=handles)]
    if door.website:
        lines.append(message("juiste_loket_website", language, website=door.website))
    if door.phone:
        lines.append(message("juiste_loket_telefoon", language, telefoon=door.phone))
    return Answer("\n".join(lines), (door.source,), language)
