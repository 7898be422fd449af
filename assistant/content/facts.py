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
    text_en: Optional[str] = None  # where the English is more than the units translated

    def english(self) -> str:
        """The fact in an English answer: `text_en`, else the text with its Dutch units in
        English ("6 weken" -> "6 weeks", "1 januari 2021" -> "1 January 2021")."""
        return self.text_en or in_english(self.text)


# Dutch words of facts' units and dates, with their English. A word not here stays as it is.
ENGLISH_UNITS = {
    "dag": "day", "dagen": "days", "werkdagen": "working days", "week": "week", "weken": "weeks",
    "maand": "month", "maanden": "months", "jaar": "years", "uur": "hours", "keer": "times",
    "procent": "percent", "personen": "people", "nachten": "nights", "werknemers": "employees",
    "per": "per", "tot": "to", "en": "and", "januari": "January", "februari": "February", "maart": "March",
    "april": "April", "mei": "May", "juni": "June", "juli": "July", "augustus": "August",
    "september": "September", "oktober": "October", "november": "November", "december": "December",
}  # fmt: skip
_SINGULAR = {"years": "year", "days": "day", "weeks": "week", "months": "month", "hours": "hour", "times": "time"}


def in_english(text: str) -> str:
    words = text.split(" ")
    english = [ENGLISH_UNITS.get(word, word) for word in words]
    for index in range(1, len(english)):
        if words[index - 1] == "1":
            english[index] = _SINGULAR.get(english[index], english[index])
    return " ".join(english)


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
            key: Fact(str(value["text"]), sources[value["source"]], value.get("text_en"))
            for key, value in data["facts"].items()
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
