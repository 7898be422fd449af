"""The local data form of the staff app, and the document it stands for.

The form is a view of one document in the override files' format (municipalities/overrides.py):
the form's fields are named after the document's ("wmo_loket.telefoon",
"clientondersteuning.2.voor"), a filled-in form becomes a document, and that document is
checked by the same parser as a file, with the same Dutch errors. Saving stores the document
as a new version; the history compares versions field by field. No Rasa, no web framework.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from assistant.conversations.topics import topic_name
from municipalities.overrides import (
    CHAT_FIELDS,
    CONTACT_FIELDS,
    CONTRIBUTION_FIELDS,
    WEEKDAYS,
    Override,
    OverrideError,
    Rules,
    parse_document,
)

Document = Dict[str, Any]
FormValues = Callable[[str], List[str]]  # every value the form sent for one field name

MAX_ORGANISATIONS = 20
SECTIONS = {
    "": "Algemeen",
    "wmo_loket": "Wmo-loket",
    "clientondersteuning": "Cliëntondersteuning",
    "eigen_bijdrage": "Lagere eigen bijdrage",
    "antwoorden": "Eigen tekst",
    "chat": "Chatten met een medewerker",
}
FIELD_NAMES = {
    "gemeente": "gemeente",
    "bron": "bron (webadres)",
    "volgens": "volgens",
    "bron_datum": "datum van de bron",
    "gecontroleerd": "nagekeken op",
    "naam": "naam",
    "telefoon": "telefoon",
    "email": "e-mail",
    "website": "website",
    "openingstijden": "openingstijden",
    "adres": "adres",
    "voor": "voor wie",
    "jaar": "jaar",
    "bedrag_per_maand": "bedrag per maand",
    "voor_wie": "voor wie",
    **{day: day for day in WEEKDAYS},
    "wachten_minuten": "hoogstens wachten (minuten)",
}
_INDEX = re.compile(r"^clientondersteuning\[(\d+)\]")


@dataclass(frozen=True)
class FormProblem:
    """The first problem the parser found, named by the form's field."""

    field: str  # a form field name ("clientondersteuning.2.telefoon"), a section, or ""
    label: str  # "Cliëntondersteuning 2, telefoon"
    problem: str


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


# --- From the form to a document ----------------------------------------------------------


def document_from_form(values: FormValues, cbs_code: str, checked: date, topics: Sequence[str]) -> Document:
    """The document the form describes, checked on `checked`. Empty and removed organisation
    blocks are left out: the form shown again is made from the document, so the parser's
    "clientondersteuning[2]" is block 2 of that form."""
    document: Document = {"gemeente": cbs_code}
    for key in ("bron", "volgens"):
        _put(document, key, _one(values, key))
    _put(document, "bron_datum", _day(_one(values, "bron_datum")))
    document["gecontroleerd"] = checked
    _put(document, "wmo_loket", _contact(values, "wmo_loket"))
    organisations = []
    for block in range(1, _count(values) + 1):
        organisation = _contact(values, f"clientondersteuning.{block}")
        if organisation and not _one(values, f"clientondersteuning.{block}.verwijderen"):
            organisations.append(organisation)
    _put(document, "clientondersteuning", organisations)
    _put(document, "eigen_bijdrage", _contribution(values))
    _put(document, "antwoorden", _answers(values, topics))
    _put(document, "chat", _chat(values))
    return document


def _one(values: FormValues, name: str) -> str:
    given = values(name)
    return given[0].strip() if given else ""


def _put(document: Document, key: str, value: Any) -> None:
    if value:
        document[key] = value


def _day(text: str) -> Any:
    """A date when the text is one (the date field sends 2026-11-22); else the text, which the
    parser then refuses with its own message."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return text


def _count(values: FormValues) -> int:
    given = _one(values, "organisaties")
    return min(int(given), MAX_ORGANISATIONS) if given.isdigit() else 0


def _contact(values: FormValues, prefix: str) -> Document:
    contact: Document = {}
    for key in CONTACT_FIELDS:
        _put(contact, key, _one(values, f"{prefix}.{key}"))
    if prefix.startswith("clientondersteuning"):
        _put(contact, "voor", [item for item in values(f"{prefix}.voor") if item])
    return contact


def _contribution(values: FormValues) -> Document:
    contribution: Document = {}
    years = [int(year) if year.isdigit() else year for year in values("eigen_bijdrage.jaar") if year]
    _put(contribution, "jaar", years)
    _put(contribution, "bedrag_per_maand", _one(values, "eigen_bijdrage.bedrag_per_maand"))
    groups = [line.strip() for line in _one(values, "eigen_bijdrage.voor_wie").splitlines() if line.strip()]
    _put(contribution, "voor_wie", groups)
    for key in ("bron", "volgens"):
        _put(contribution, key, _one(values, f"eigen_bijdrage.{key}"))
    return contribution


def _chat(values: FormValues) -> Document:
    """The chat times; the wait only with times (alone it would be a section without days)."""
    chat: Document = {}
    for day in WEEKDAYS:
        _put(chat, day, _one(values, f"chat.{day}"))
    wait = _one(values, "chat.wachten_minuten")
    if chat and wait:
        chat["wachten_minuten"] = int(wait) if wait.isdigit() else wait
    return chat


def _answers(values: FormValues, topics: Sequence[str]) -> Document:
    answers = {topic: _one(values, f"antwoorden.{topic}") for topic in topics}
    new_topic, new_text = _one(values, "nieuw_antwoord.onderwerp"), _one(values, "nieuw_antwoord.tekst")
    if new_topic and new_text:
        answers[new_topic] = new_text  # a topic that is not known is refused by the parser
    return {topic: text for topic, text in answers.items() if text}


# --- Checking ------------------------------------------------------------------------------


def as_text(document: Document) -> str:
    """The document as a file would hold it (the format the developers and the seed files use)."""
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)


def check(document: Document, rules: Rules) -> Tuple[Optional[Override], Optional[FormProblem]]:
    """The Override the document gives, or the first problem named by the form's field."""
    try:
        return parse_document(as_text(document), document["gemeente"], "formulier", rules), None
    except OverrideError as error:
        field = _INDEX.sub(lambda match: f"clientondersteuning.{match[1]}", error.field)
        return None, FormProblem(field, field_label(field), error.problem)


def field_label(field: str) -> str:
    """ "clientondersteuning.2.telefoon" -> "Cliëntondersteuning 2, telefoon"."""
    parts = field.replace("[", ".").replace("]", "").split(".") if field else []
    section = parts[0] if parts and parts[0] in SECTIONS else ""
    rest = parts[1:] if section else parts
    words = [SECTIONS[section]] if section else []
    if rest and rest[0].isdigit():
        words[-1] = f"{words[-1]} {rest.pop(0)}"
    if section == "antwoorden":
        words += [topic_name(part) for part in rest]
    else:
        words += [FIELD_NAMES.get(part, part) for part in rest]
    label = ", ".join(words)
    return label[:1].upper() + label[1:] if label else "Het formulier"


# --- From a document to the form -----------------------------------------------------------


def form_values(document: Mapping[str, Any]) -> Dict[str, Any]:
    """The form's fields filled in from a document: text per field name, lists for the
    checkboxes (`voor`, `jaar`) and the groups of `voor_wie` one per line."""
    values: Dict[str, Any] = {key: _shown(document.get(key)) for key in ("bron", "volgens", "bron_datum")}
    for key in CONTACT_FIELDS:
        values[f"wmo_loket.{key}"] = _shown((document.get("wmo_loket") or {}).get(key))
    for number, organisation in enumerate(document.get("clientondersteuning") or [], start=1):
        for key in CONTACT_FIELDS:
            values[f"clientondersteuning.{number}.{key}"] = _shown(organisation.get(key))
        values[f"clientondersteuning.{number}.voor"] = _listed(organisation.get("voor"))
    contribution = document.get("eigen_bijdrage") or {}
    for key in CONTRIBUTION_FIELDS:
        values[f"eigen_bijdrage.{key}"] = _shown(contribution.get(key))
    values["eigen_bijdrage.jaar"] = [str(year) for year in _listed(contribution.get("jaar"))]
    values["eigen_bijdrage.voor_wie"] = "\n".join(str(group) for group in _listed(contribution.get("voor_wie")))
    for topic, text in (document.get("antwoorden") or {}).items():
        values[f"antwoorden.{topic}"] = _shown(text)
    for key in CHAT_FIELDS:
        values[f"chat.{key}"] = _shown((document.get("chat") or {}).get(key))
    return values


def _shown(value: Any) -> str:
    return "" if value is None else value.isoformat() if isinstance(value, date) else str(value)


def _listed(value: Any) -> List[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def organisation_count(document: Mapping[str, Any]) -> int:
    return len(document.get("clientondersteuning") or [])


def read_document(text: Optional[str]) -> Document:
    """A stored document (a seed file or a saved version) as a mapping; {} when there is none
    or it is no mapping (the form then starts empty, and the page says the file has a problem)."""
    try:
        loaded = yaml.safe_load(text) if text else None
    except yaml.YAMLError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


# --- History -------------------------------------------------------------------------------


def flatten(document: Mapping[str, Any]) -> Dict[str, str]:
    """Every field of a document by its label, as text: what the history compares."""
    fields: Dict[str, str] = {}
    for key, value in document.items():
        if key == "clientondersteuning" and isinstance(value, list):
            for number, organisation in enumerate(value, start=1):
                for name, item in (organisation or {}).items():
                    fields[field_label(f"clientondersteuning.{number}.{name}")] = _text(item)
        elif isinstance(value, dict):  # wmo_loket, eigen_bijdrage, antwoorden, chat
            fields.update({field_label(f"{key}.{name}"): _text(item) for name, item in value.items()})
        elif key != "gemeente":
            fields[field_label(key)] = _text(value)
    return fields


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_text(item) for item in value)
    return " ".join(_shown(value).split())


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> List[Change]:
    """What differs between two documents, field by field, in the order of the newer one."""
    old, new = flatten(before), flatten(after)
    labels = list(new) + [label for label in old if label not in new]
    return [
        Change(label, old.get(label, ""), new.get(label, "")) for label in labels if old.get(label) != new.get(label)
    ]
