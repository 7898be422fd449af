"""The facts data file (content/facts.yml): each fact once, with its source and check date."""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from assistant.settings import FACTS_FILE


@dataclass(frozen=True)
class Source:
    organisation: str
    url: str
    checked: date


@dataclass(frozen=True)
class Fact:
    text: str
    source: Source


@dataclass(frozen=True)
class Tariff:
    """Maximum Wmo eigen bijdrage (abonnementstarief) per household in one year."""

    year: int
    amount: str  # Dutch notation: "21,80"
    period: str  # "maand" or "4 weken"
    source: Source


class Facts:
    def __init__(self, sources: Dict[str, Source], facts: Dict[str, Fact], tariffs: Dict[int, Tariff]) -> None:
        self.sources = sources
        self.facts = facts
        self.tariffs = tariffs

    @classmethod
    def from_file(cls, path: Path = FACTS_FILE) -> "Facts":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        sources = {key: Source(**value) for key, value in data["sources"].items()}
        facts = {
            key: Fact(text=str(value["text"]), source=sources[value["source"]]) for key, value in data["facts"].items()
        }
        tariffs = {
            int(year): Tariff(int(year), value["amount"], value["period"], sources[value["source"]])
            for year, value in data["abonnementstarief"].items()
        }
        return cls(sources, facts, tariffs)

    def texts(self) -> Dict[str, str]:
        """Every single fact as {name: text}, to fill in a template's {fields}."""
        return {key: fact.text for key, fact in self.facts.items()}

    def known_years(self) -> List[int]:
        return sorted(self.tariffs)

    def tariff(self, year: int) -> Optional[Tariff]:
        return self.tariffs.get(year)

    def latest_tariff(self) -> Tariff:
        """The tariff of the latest year with a known amount: never to be shown as another year's."""
        return self.tariffs[max(self.tariffs)]


@lru_cache(maxsize=1)
def load_facts() -> Facts:
    return Facts.from_file()
