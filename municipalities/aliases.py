"""Other names for a municipality (data/aliases.yml): former municipalities that merged
into it, other official names, everyday short names. Each entry names its source."""

from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

import yaml

ALIASES_FILE = Path(__file__).parent / "data" / "aliases.yml"


@dataclass(frozen=True)
class Alias:
    name: str  # "Zederik"
    cbs_codes: Tuple[str, ...]  # several when a former municipality was split
    kind: str  # "voormalige gemeente", "andere naam" or "bijnaam"
    note: str
    source: str


def load_aliases(path: Path = ALIASES_FILE) -> List[Alias]:
    if not path.exists():
        return []
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [
        Alias(
            name=str(entry["naam"]),
            cbs_codes=tuple(code.upper() for code in entry["gemeenten"]),
            kind=entry["soort"],
            note=entry.get("toelichting", ""),
            source=entry["bron"],
        )
        for entry in entries
    ]
