"""The knowledge base: short, sourced answers to the questions residents ask around the
Wmo, one entry per question, in the YAML files of this folder (one file per theme).

An entry has an id, the question in Dutch (`vragen`) and English (`questions`) phrasings,
a B1 Dutch answer (`antwoord`) and a plain English one (`answer`) with {facts} from
facts.yml, its sources (`bronnen`: a facts.yml source key, or organisation, URL and check
date), related entries (`gerelateerd`) and whether the answer sends the resident to the
municipality (`gemeente`: then the local contact is added). The phrasings and answers train
the knowledge selector (assistant/rasa_plugins/knowledge_selector.py; retrieval intent
`kennis`, see `generated_training_data`); the answer is built here, so that amounts, sources
and local contacts are filled in.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from assistant import clock
from assistant.content.answers import DUTCH, ENGLISH, Answer, fill
from assistant.content.facts import Source, load_facts
from assistant.settings import KNOWLEDGE_DIR

RETRIEVAL_INTENT = "kennis"
ENTRY_ENTITY = "kennis_vraag"  # a button to an entry names it in this entity; typed questions go through the selector
REQUIRED_FIELDS = ("vragen", "questions", "antwoord", "answer", "bronnen")


@dataclass(frozen=True)
class Entry:
    id: str
    vragen: Tuple[str, ...]
    questions: Tuple[str, ...]
    antwoord: str
    answer: str
    sources: Tuple[Source, ...]
    related: Tuple[str, ...]
    sends_to_municipality: bool
    theme: str  # the file it is in, without .yml: "cak", "mantelzorg"

    def template(self, language: str) -> str:
        return self.answer if language == ENGLISH else self.antwoord

    def title(self, language: str = DUTCH) -> str:
        """The first phrasing: the entry's name on a button ("Kan ik het CAK in delen betalen?")."""
        return (self.questions if language == ENGLISH else self.vragen)[0]


def _source(raw: object) -> Source:
    if isinstance(raw, str):
        return load_facts().sources[raw]
    assert isinstance(raw, dict)
    return Source(str(raw["organisatie"]), str(raw["url"]), raw["nagekeken"])


def _entry(entry_id: str, raw: dict, theme: str) -> Entry:
    return Entry(
        id=entry_id,
        vragen=tuple(str(text) for text in raw["vragen"]),
        questions=tuple(str(text) for text in raw["questions"]),
        antwoord=str(raw["antwoord"]).strip(),
        answer=str(raw["answer"]).strip(),
        sources=tuple(_source(source) for source in raw["bronnen"]),
        related=tuple(raw.get("gerelateerd") or ()),
        sends_to_municipality=bool(raw.get("gemeente")),
        theme=theme,
    )


def read_file(path: Path) -> Dict[str, dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def entry_files(directory: Path = KNOWLEDGE_DIR) -> List[Path]:
    return sorted(directory.glob("*.yml"))


@lru_cache(maxsize=1)
def entries() -> Dict[str, Entry]:
    """Every entry by id, from every file of the knowledge base."""
    loaded: Dict[str, Entry] = {}
    for path in entry_files():
        for entry_id, raw in read_file(path).items():
            loaded[entry_id] = _entry(entry_id, raw, path.stem)
    return loaded


def knowledge_answer(entry_id: str, language: str = DUTCH, year: Optional[int] = None) -> Answer:
    """The entry's answer in `language` with its facts filled in and every source named."""
    entry = entries()[entry_id]
    return fill(entry.template(language), list(entry.sources), year or clock.this_year(), language)


def training_data_yaml() -> str:
    """The generated NLU file (data/nlu/generated/knowledge.yml)."""
    header = "# Generated from assistant/content/knowledge/ by `./wegwijzer generate`: edit the entries there.\n"
    return header + yaml.dump(
        generated_training_data(), Dumper=_BlockDumper, allow_unicode=True, sort_keys=False, width=1000
    )


class _BlockDumper(yaml.SafeDumper):
    """Writes a text of several lines as a YAML block ("|"), as Rasa's own data files do."""


_BlockDumper.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None),
)


def generated_training_data() -> dict:
    """Rasa NLU data: the retrieval intent kennis/<id> per entry, with its Dutch and English
    phrasings. The answers are not in it: Rasa would send them to the action server with the
    domain on every action call (218 kB); the knowledge selector reads them from here."""
    nlu = []
    for entry in entries().values():
        examples = "".join(f"- {phrasing}\n" for phrasing in entry.vragen + entry.questions)
        nlu.append({"intent": f"{RETRIEVAL_INTENT}/{entry.id}", "examples": examples})
    return {"version": "3.1", "nlu": nlu}


def answer_texts() -> Dict[str, List[str]]:
    """kennis/<id> -> the entry's answer in Dutch and in English, as a resident reads them."""
    return {
        f"{RETRIEVAL_INTENT}/{entry.id}": [knowledge_answer(entry.id, language).text for language in (DUTCH, ENGLISH)]
        for entry in entries().values()
    }
