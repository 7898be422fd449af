"""The zorgkantoor of a municipality's region (data/zorgkantoren.yml), where a source
names it. Residents with a Wlz indication get cliëntondersteuning through their
zorgkantoor, not through the municipality. Coverage is partial: for a municipality
that is not listed there is no answer here, and the assistant does not guess."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Dict, Optional

import yaml

ZORGKANTOREN_FILE = Path(__file__).parent / "data" / "zorgkantoren.yml"


@dataclass(frozen=True)
class Zorgkantoor:
    region: str  # "Twente"
    name: str  # "Menzis Zorgkantoor"
    website: Optional[str]
    source: str  # names the zorgkantoor of the region
    checked: date


def load_zorgkantoren(path: Path = ZORGKANTOREN_FILE) -> Dict[str, Zorgkantoor]:
    """The zorgkantoor per CBS code, for the municipalities of the regions the file lists."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_code = {}
    for entry in data["zorgkantoren"]:
        zorgkantoor = Zorgkantoor(
            region=entry["regio"],
            name=entry["zorgkantoor"],
            website=entry.get("website"),
            source=entry["bron_zorgkantoor"],
            checked=entry["gecontroleerd"],
        )
        for code in entry["gemeenten"]:
            by_code[code] = zorgkantoor
    return by_code
