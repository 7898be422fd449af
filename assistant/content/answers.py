"""National answers (content/answers.yml) filled in with facts (content/facts.yml),
and the short messages actions send (content/messages.yml).

Every answer ends with the sources it rests on, so a resident can check it.
"""

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from assistant import clock
from assistant.content.dutch import dutch_date
from assistant.content.facts import Facts, Source, in_english, load_facts
from assistant.settings import ANSWERS_FILE, DOMAIN_FILE, MESSAGES_FILE
from municipalities.overrides import LocalContribution, Override
from municipalities.zorgkantoren import Zorgkantoor

MAXIMUM_FIELD = "maximum"  # {maximum} in an answer: the year's maximum eigen bijdrage
CAK_FACTS = ("website_cak", "telefoon_cak")
# Answers that name the maximum eigen bijdrage: a municipality that charges less adds a sentence.
CONTRIBUTION_TOPICS = ("eigen_bijdrage_wat", "eigen_bijdrage_hoeveel", "eigen_bijdrage_wie_betaalt")
WLZ_TOPIC = "wlz_clientondersteuning"
DUTCH, ENGLISH = "nl", "en"
SOURCE_LABELS = {DUTCH: ("Bron", "Bronnen"), ENGLISH: ("Source", "Sources")}


@dataclass(frozen=True)
class Answer:
    text: str
    sources: Tuple[Source, ...]
    language: str = DUTCH

    def render(self) -> str:
        """The text followed by a 'Bron:' line ('Source:' in English) that names each source once."""
        urls_by_organisation: Dict[str, List[str]] = {}
        for source in self.sources:
            urls_by_organisation.setdefault(source.organisation, []).append(source.url)
        singular, plural = SOURCE_LABELS[self.language]
        label = singular if len(urls_by_organisation) == 1 else plural
        joined = " and " if self.language == ENGLISH else " en "
        names = "; ".join(f"{organisation}, {joined.join(urls)}" for organisation, urls in urls_by_organisation.items())
        return f"{self.text}\n\n{label}: {names}" if self.sources else self.text

    def extended(self, text: str, source: Source) -> "Answer":
        """This answer with a local paragraph and its source added."""
        return Answer(f"{self.text}\n\n{text}", tuple(dict.fromkeys(self.sources + (source,))), self.language)


@dataclass(frozen=True)
class LocalContext:
    """What is known about the resident's municipality beyond the national facts."""

    municipality: str
    override: Optional[Override] = None
    zorgkantoor: Optional[Zorgkantoor] = None


@lru_cache(maxsize=1)
def load_answer_texts(path: Path = ANSWERS_FILE) -> Dict[str, dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def topics() -> List[str]:
    """Every topic with a national answer."""
    return list(load_answer_texts())


def follow_ups(topic: str) -> List[str]:
    """The next steps offered with the answer to `topic`, as intents ("eigen_bijdrage_check")."""
    return list(load_answer_texts().get(topic, {}).get("verder", []))


def sends_to_municipality(topic: str) -> bool:
    """Does the answer to `topic` send the resident to the municipality (`gemeente: true`)?"""
    return bool(load_answer_texts().get(topic, {}).get("gemeente"))


def maximum(year: int, facts: Facts, language: str = DUTCH) -> Answer:
    """The maximum eigen bijdrage of `year`. For a year without a known amount: that it is
    not known here, the latest known amount with its own year, and where the CAK gives it."""
    tariff = facts.tariff(year)
    if tariff:
        text = message(
            "maximum_bekend", language, jaar=str(year), bedrag=tariff.amount, periode=_period(tariff.period, language)
        )
        return Answer(text, (tariff.source,), language)
    latest = facts.latest_tariff()
    cak = {name: facts.facts[name] for name in CAK_FACTS}
    text = message(
        "maximum_nog_onbekend" if year > latest.year else "maximum_onbekend",
        language,
        jaar=str(year),
        bekend_jaar=str(latest.year),
        bedrag=latest.amount,
        periode=_period(latest.period, language),
        **{name: fact.text for name, fact in cak.items()},
    )
    return Answer(text, tuple(dict.fromkeys([latest.source, *(fact.source for fact in cak.values())])), language)


def _period(period: str, language: str) -> str:
    return in_english(period) if language == ENGLISH else period


def fields(template: str) -> List[str]:
    """The {placeholders} of a template, in order."""
    return [field for _, field, _, _ in string.Formatter().parse(template) if field]


def fill(template: str, sources: List[Source], year: int, language: str = DUTCH) -> Answer:
    """`template` with its {facts} and {maximum} filled in; the facts' sources follow `sources`."""
    facts = load_facts()
    sources = list(sources)
    values: Dict[str, str] = {}
    for field in fields(template):
        if field == MAXIMUM_FIELD:
            amount = maximum(year, facts, language)
            values[field] = amount.text
            sources += amount.sources
        elif field not in values:
            fact = facts.facts[field]
            values[field] = fact.english() if language == ENGLISH else fact.text
            sources.append(fact.source)
    return Answer(template.format(**values), tuple(dict.fromkeys(sources)), language)


def _fill(topic: str, year: int, language: str = DUTCH) -> Answer:
    entry = load_answer_texts()[topic]
    template = entry["text_en"] if language == ENGLISH else entry["text"]
    return fill(template, [load_facts().sources[key] for key in entry["sources"]], year, language)


def build_answer(
    topic: str, year: Optional[int] = None, local: Optional[LocalContext] = None, language: str = DUTCH
) -> Answer:
    """The answer to `topic`; `year` picks the year of the eigen bijdrage (default: this year).

    With `local` data about the resident's municipality, its own answer text replaces the
    national one, and a lower eigen bijdrage or the region's zorgkantoor is added. In English
    (`text_en`) the national answer is given: the local texts are Dutch.
    """
    year = year or clock.this_year()
    if language == ENGLISH and has_english(topic):
        return _fill(topic, year, ENGLISH)
    override = local.override if local else None
    if override and topic in override.answers:
        return Answer(override.answers[topic], (local_source(local, override.source, override.source_by),))
    answer = _fill(topic, year)
    if local:
        answer = _with_local_facts(answer, topic, year, local)
    return answer


def has_english(topic: str) -> bool:
    return "text_en" in load_answer_texts().get(topic, {})


def _with_local_facts(answer: Answer, topic: str, year: int, local: LocalContext) -> Answer:
    contribution = local.override.contribution if local.override else None
    if contribution and topic in CONTRIBUTION_TOPICS and year in contribution.years:
        answer = with_local_contribution(answer, local, contribution, year)
    zorgkantoor = local.zorgkantoor
    if zorgkantoor and topic == WLZ_TOPIC:
        region = message(
            "wlz_zorgkantoor_regio", gemeente=local.municipality, regio=zorgkantoor.region, zorgkantoor=zorgkantoor.name
        )
        website = f" Website: {zorgkantoor.website}" if zorgkantoor.website else ""
        answer = answer.extended(region + website, zorgkantoor_source(zorgkantoor))
    return answer


def with_local_contribution(answer: Answer, local: LocalContext, contribution: LocalContribution, year: int) -> Answer:
    """`answer` with the municipality's own scheme: for whom, how much, and to ask the municipality."""
    key = "eigen_bijdrage_lokaal_niets" if contribution.monthly_amount == "0,00" else "eigen_bijdrage_lokaal_lager"
    text = message(
        key,
        gemeente=local.municipality,
        jaar=str(year),
        bedrag=contribution.monthly_amount,
        voor_wie="\n".join(f"- {group}" for group in contribution.for_whom),
    )
    return answer.extended(text, local_source(local, contribution.source, contribution.source_by))


def zorgkantoor_source(zorgkantoor: Zorgkantoor) -> Source:
    """The source that names the zorgkantoor of a region (municipalities/data/zorgkantoren.yml)."""
    return Source(f"zorgkantoorregio {zorgkantoor.region}", zorgkantoor.source, zorgkantoor.checked)


def local_source(local: LocalContext, url: str, by: Optional[str] = None) -> Source:
    """The source of a municipality's own data; `by` names the third party it is from."""
    checked = local.override.checked
    according_to = f", volgens {by}" if by else ""
    label = f"lokale gegevens voor de gemeente {local.municipality}, nagekeken op {dutch_date(checked)}{according_to}"
    return Source(label, url, checked)


@lru_cache(maxsize=1)
def message_templates() -> Dict[str, str]:
    return yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def responses() -> Dict[str, List[dict]]:
    """Rasa's responses (domain.yml: utter_greet, ...), the other fixed texts a resident reads."""
    return yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


def message(key: str, language: str = DUTCH, **values: str) -> str:
    """A short message from content/messages.yml, e.g. message("gemeente_onbekend", invoer="Bnk");
    in English the message `key`_en where there is one."""
    templates = message_templates()
    english = f"{key}_{ENGLISH}"
    template = templates[english] if language == ENGLISH and english in templates else templates[key]
    return template.format(**values)
