"""National answers (content/answers.yml) filled in with facts (content/facts.yml),
and the short messages actions send (content/messages.yml).

Every answer ends with the sources it rests on, so a resident can check it.
"""

import string
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from assistant.dutch import dutch_date
from assistant.facts import Facts, Source, Tariff, load_facts
from municipalities.overrides import Override

ANSWERS_FILE = Path(__file__).parent / "content" / "answers.yml"
MESSAGES_FILE = Path(__file__).parent / "content" / "messages.yml"
UNKNOWN_YEAR_TOPIC = "eigen_bijdrage_jaar_onbekend"
# Answers that name the maximum eigen bijdrage: a municipality that charges less adds a sentence.
CONTRIBUTION_TOPICS = ("eigen_bijdrage_wat", "eigen_bijdrage_hoeveel", "eigen_bijdrage_wie_betaalt")


@dataclass(frozen=True)
class Answer:
    text: str
    sources: Tuple[Source, ...]

    def render(self) -> str:
        """The text followed by a 'Bron:' line that names each source once."""
        urls_by_organisation: Dict[str, List[str]] = {}
        for source in self.sources:
            urls_by_organisation.setdefault(source.organisation, []).append(source.url)
        label = "Bron" if len(urls_by_organisation) == 1 else "Bronnen"
        names = "; ".join(f"{organisation}, {' en '.join(urls)}" for organisation, urls in urls_by_organisation.items())
        return f"{self.text}\n\n{label}: {names}" if self.sources else self.text


@lru_cache(maxsize=1)
def load_answer_texts(path: Path = ANSWERS_FILE) -> Dict[str, dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def topics() -> List[str]:
    """Every topic with a national answer."""
    return [topic for topic in load_answer_texts() if topic != UNKNOWN_YEAR_TOPIC]


def _fill(topic: str, facts: Facts, tariff: Tariff, extra: Dict[str, str]) -> Answer:
    entry = load_answer_texts()[topic]
    sources = [facts.sources[key] for key in entry["sources"]]
    values = dict(extra)
    for _, field, _, _ in string.Formatter().parse(entry["text"]):
        if field in ("jaar", "abonnementstarief", "periode"):
            values.update(jaar=str(tariff.year), abonnementstarief=tariff.amount, periode=tariff.period)
            sources.append(tariff.source)
        elif field and field not in values:
            fact = facts.facts[field]
            values[field] = fact.text
            sources.append(fact.source)
    return Answer(entry["text"].format(**values), tuple(dict.fromkeys(sources)))


def build_answer(
    topic: str, year: Optional[int] = None, today: Optional[date] = None,
    municipality: Optional[str] = None, local: Optional[Override] = None,
) -> Answer:
    """The answer to `topic`; `year` picks the year of the eigen bijdrage.

    Asked about a year the facts do not cover, the answer says so and gives the
    current amount instead. With the `local` data of the resident's `municipality`, a
    local answer text replaces the national one, and a lower local eigen bijdrage is added.
    """
    if local and topic in local.answers:
        return Answer(local.answers[topic], (_local_source(municipality, local.source, local),))
    facts = load_facts()
    tariff = facts.tariff(year) if year else None
    answer = _fill(topic, facts, tariff or facts.current_tariff(today), {})
    if year and not tariff and "{jaar}" in load_answer_texts()[topic]["text"]:
        notice = _fill(UNKNOWN_YEAR_TOPIC, facts, facts.current_tariff(today), {"gevraagd_jaar": str(year)})
        answer = Answer(f"{notice.text} {answer.text}", answer.sources)
    contribution = local.contribution if local else None
    answer_year = (tariff or facts.current_tariff(today)).year
    if contribution and topic in CONTRIBUTION_TOPICS and answer_year in contribution.years:
        lower = message(
            "eigen_bijdrage_lokaal", gemeente=municipality, jaar=str(answer_year),
            bedrag=contribution.monthly_amount, voor_wie=contribution.for_whom,
        )
        answer = Answer(f"{answer.text}\n\n{lower}", answer.sources + (_local_source(municipality, contribution.source, local),))
    return answer


def _local_source(municipality: Optional[str], url: str, local: Override) -> Source:
    return Source(f"lokale gegevens voor de gemeente {municipality}, nagekeken op {dutch_date(local.checked)}", url, local.checked)


@lru_cache(maxsize=1)
def _messages() -> Dict[str, str]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


def message(key: str, **values: str) -> str:
    """A short message from content/messages.yml, e.g. message("gemeente_onbekend", invoer="Bnk")."""
    return _messages()[key].format(**values)
