"""What every knowledge-base entry must satisfy (the tests hold all files to it):
complete fields, known facts and sources, no fact typed out, B1 Dutch, distinct phrasings.

`python -m assistant.content.knowledge check FILE [FACTS_FILE]` prints the problems of one
file; FACTS_FILE holds facts that are not in facts.yml yet (same shape).
"""

import re
from datetime import date
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Set

import yaml

from assistant.content.answers import MAXIMUM_FIELD, fields
from assistant.content.knowledge import REQUIRED_FIELDS, entry_files, read_file
from assistant.content.readability import EXAMPLE_VALUES, measure
from assistant.settings import FACTS_FILE

MIN_DUTCH_PHRASINGS = 6
MIN_ENGLISH_PHRASINGS = 2
MAX_ID_LENGTH = 50
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
# Facts that must never be typed out: a phone number, a web address or an amount is a placeholder.
_TYPED_FACT = re.compile(r"(telefoon|website|bedrag|griffierecht|www|€)", re.IGNORECASE)


def _facts_and_sources(extra_facts: Optional[Path]) -> Dict[str, Dict[str, dict]]:
    known = yaml.safe_load(FACTS_FILE.read_text(encoding="utf-8"))
    merged = {"sources": dict(known["sources"]), "facts": dict(known["facts"])}
    if extra_facts and extra_facts.exists():
        extra = yaml.safe_load(extra_facts.read_text(encoding="utf-8")) or {}
        merged["sources"].update(extra.get("sources") or {})
        merged["facts"].update(extra.get("facts") or {})
    return merged


def normalised(text: str) -> str:
    """Lower case, punctuation as spaces: "Pgb regels?" and "pgb regels" are the same message."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def problems(paths: Iterable[Path], extra_facts: Optional[Path] = None) -> List[str]:
    """Every problem of the entries in `paths`, checked against all entries of the knowledge base."""
    known = _facts_and_sources(extra_facts)
    all_ids = {entry_id for path in entry_files() for entry_id in read_file(path)}
    found: List[str] = []
    seen_phrasings: Dict[str, str] = {}
    seen_ids: Set[str] = set()
    for path in paths:
        for entry_id, raw in read_file(path).items():
            all_ids.add(entry_id)
            if entry_id in seen_ids:
                found.append(f"{entry_id}: the id is used twice")
            seen_ids.add(entry_id)
            found += [f"{entry_id}: {problem}" for problem in entry_problems(entry_id, raw, known, all_ids)]
            for phrasing in (raw.get("vragen") or []) + (raw.get("questions") or []):
                other = seen_phrasings.setdefault(normalised(str(phrasing)), entry_id)
                if other != entry_id:
                    found.append(f"{entry_id}: the phrasing '{phrasing}' is also a phrasing of {other}")
    return found


def entry_problems(entry_id: str, raw: object, known: Dict[str, Dict[str, dict]], all_ids: Set[str]) -> List[str]:
    if not isinstance(raw, dict):
        return ["not a mapping"]
    missing = [name for name in REQUIRED_FIELDS if not raw.get(name)]
    if missing:
        return [f"missing {', '.join(missing)}"]
    found = _id_problems(entry_id) + _phrasing_problems(raw) + _source_problems(raw["bronnen"], known["sources"])
    for name in ("antwoord", "answer"):
        found += _text_problems(name, str(raw[name]), known["facts"])
    if set(fields(str(raw["antwoord"]))) != set(fields(str(raw["answer"]))):
        found.append("antwoord and answer use different {facts}")
    unknown_related = [related for related in raw.get("gerelateerd") or [] if related not in all_ids]
    if unknown_related:
        found.append(f"unknown gerelateerd: {', '.join(unknown_related)}")
    if not isinstance(raw.get("gemeente", False), bool):
        found.append("gemeente must be true or false")
    return found + _readability_problems(str(raw["antwoord"]), known["facts"])


def _id_problems(entry_id: str) -> List[str]:
    if not _ID.match(entry_id) or len(entry_id) > MAX_ID_LENGTH:
        return [f"the id must be snake_case, at most {MAX_ID_LENGTH} characters"]
    return []


def _phrasing_problems(raw: dict) -> List[str]:
    found = []
    if len(raw["vragen"]) < MIN_DUTCH_PHRASINGS:
        found.append(f"at least {MIN_DUTCH_PHRASINGS} Dutch phrasings (vragen)")
    if len(raw["questions"]) < MIN_ENGLISH_PHRASINGS:
        found.append(f"at least {MIN_ENGLISH_PHRASINGS} English phrasings (questions)")
    if any("{" in str(text) or "}" in str(text) for text in raw["vragen"] + raw["questions"]):
        found.append("a phrasing holds curly braces")
    return found


def _source_problems(sources: object, known_sources: Dict[str, dict]) -> List[str]:
    if not isinstance(sources, list):
        return ["bronnen must be a list"]
    found = []
    for source in sources:
        if isinstance(source, str):
            if source not in known_sources:
                found.append(f"unknown source key {source}")
        elif not isinstance(source, dict) or not source.get("organisatie"):
            found.append("a source needs organisatie, url and nagekeken")
        elif not str(source.get("url", "")).startswith("https://"):
            found.append(f"the source of {source['organisatie']} needs an https:// address")
        elif not isinstance(source.get("nagekeken"), date):
            found.append(f"the source of {source['organisatie']} needs nagekeken: YYYY-MM-DD")
    return found


def _text_problems(name: str, text: str, known_facts: Dict[str, dict]) -> List[str]:
    found = []
    try:
        placeholders = fields(text)
    except ValueError:
        return [f"{name} has an unmatched curly brace"]
    unknown = [field for field in placeholders if field != MAXIMUM_FIELD and field not in known_facts]
    if unknown:
        found.append(f"{name} uses unknown facts: {', '.join(unknown)}")
    if re.search(r"^\s*(bron|bronnen|source|sources)\s*:", text, re.IGNORECASE | re.MULTILINE):
        found.append(f"{name} has its own source line (Wegwijzer adds it)")
    for fact_name, fact in known_facts.items():
        value = str(fact["text"])
        if _TYPED_FACT.search(fact_name + value) and value in text:
            found.append(f"{name} types the fact {fact_name} ('{value}'): write {{{fact_name}}}")
    if re.search(r"(https?://|www\.)", text):
        found.append(f"{name} types a web address: make it a fact")
    return found


def _readability_problems(antwoord: str, known_facts: Dict[str, dict]) -> List[str]:
    values = {name: str(fact["text"]) for name, fact in known_facts.items()}
    values[MAXIMUM_FIELD] = EXAMPLE_VALUES[MAXIMUM_FIELD]
    try:
        result = measure(antwoord.format(**values))
    except (KeyError, ValueError, IndexError):
        return []  # reported as unknown facts
    if not result.is_b1():
        return [
            f"antwoord is not B1: {result.words_per_sentence:.1f} words per sentence (max 12), "
            f"Flesch-Douma {result.flesch_douma:.0f} (min 60)"
        ]
    return []
