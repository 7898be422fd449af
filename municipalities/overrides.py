"""Local data that a municipality keeps itself: one YAML file per municipality in
`municipalities/overrides/`, named by CBS code (GM0394.yml). See the README there.

Files are written by helpdesks and Wmo-raden, not programmers, so every problem is
reported in Dutch with the file, the field and what is wrong. A file with a problem is
left out as a whole: the assistant then gives the national data, never half a file.
The staff app saves a municipality's data as a new version of the same document
(municipalities/override_versions.py); a saved version wins over the file, which is the seed.
`OverrideStore` reads both again when one changes, so a running assistant picks up an edit
without a restart.
"""

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Dict, Hashable, List, Mapping, Optional, Protocol, Set, Tuple

import yaml
from sqlalchemy.exc import SQLAlchemyError

from municipalities.phone import PhoneNumber, parse_phone

OVERRIDES_DIR = Path(__file__).parent / "overrides"
AUDIENCES = {
    "ouderen": "ouderen",
    "beperking": "mensen met een beperking",
    "ggz": "mensen met psychische problemen",
    "jeugd": "kinderen, jongeren en ouders",
    "werk_en_inkomen": "vragen over werk en inkomen",
    "iedereen": "iedereen",
}
MAX_ANSWER_LENGTH = 1500
DOCUMENT_FIELDS = {
    "gemeente",
    "bron",
    "volgens",
    "bron_datum",
    "gecontroleerd",
    "wmo_loket",
    "clientondersteuning",
    "eigen_bijdrage",
    "antwoorden",
    "chat",
}
CONTACT_FIELDS = ("naam", "telefoon", "email", "website", "openingstijden", "adres", "bron", "volgens")
CONTRIBUTION_FIELDS = ("jaar", "bedrag_per_maand", "voor_wie", "bron", "volgens")
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
CHAT_FIELDS = (*WEEKDAYS, "wachten_minuten")
DEFAULT_WAIT_MINUTES = 5
MAX_WAIT_MINUTES = 30
_HOURS = re.compile(r"(\d{1,2})[:.](\d{2})\s*-\s*(\d{1,2})[:.](\d{2})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.IGNORECASE)
_AMOUNT = re.compile(r"\d{1,3},\d{2}")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Contact:
    """The Wmo-loket, or an organisation that gives cliëntondersteuning."""

    name: Optional[str]  # required for an organisation; a Wmo-loket may go without
    phone: Optional[PhoneNumber] = None
    email: Optional[str] = None
    website: Optional[str] = None
    opening_hours: Optional[str] = None
    address: Optional[str] = None
    audiences: Tuple[str, ...] = ()  # keys of AUDIENCES
    source: Optional[str] = None  # when it differs from the file's source
    source_by: Optional[str] = None  # the third party `source` is from: "Flakkee Nieuws (mei 2021)"


@dataclass(frozen=True)
class LocalContribution:
    """A Wmo eigen bijdrage below the national maximum for some residents (a scheme of the
    municipality for the groups in `for_whom`, not a lower rate for everyone)."""

    years: Tuple[int, ...]
    monthly_amount: str  # Dutch notation: "0,00"
    for_whom: Tuple[str, ...]  # the groups it is for: ("inwoners met een laag inkomen",)
    source: str
    source_by: Optional[str] = None


@dataclass(frozen=True)
class LiveChat:
    """When the helpdesk chats with residents in Wegwijzer: from and until per weekday
    (0 is Monday), and how long a resident waits for an employee before a call back is offered."""

    hours: Mapping[int, Tuple[time, time]]
    wait_minutes: int = DEFAULT_WAIT_MINUTES

    def is_open(self, moment: datetime) -> bool:
        """Open at this local time (the municipality's: Europe/Amsterdam)."""
        hours = self.hours.get(moment.weekday())
        return hours is not None and hours[0] <= moment.time() < hours[1]


@dataclass(frozen=True)
class Override:
    cbs_code: str
    source: str
    checked: date  # when someone compared the file with its source
    source_date: Optional[date] = None  # the date of the source itself, when it shows one
    source_by: Optional[str] = None
    wmo_desk: Optional[Contact] = None
    support: Tuple[Contact, ...] = ()
    contribution: Optional[LocalContribution] = None
    answers: Mapping[str, str] = field(default_factory=dict)  # topic -> local text
    chat: Optional[LiveChat] = None  # None: residents are not handed over in a chat


@dataclass
class OverrideError(Exception):
    """A problem in one file: raised while checking it, listed when loading them all."""

    file: str
    field: str
    problem: str

    def __str__(self) -> str:
        where = f", veld {self.field}" if self.field else ""
        return f"{self.file}{where}: {self.problem}"


@dataclass(frozen=True)
class Rules:
    """What a file is checked against: the national facts the assistant knows."""

    cbs_codes: Set[str]
    topics: Set[str]
    national_maximum: Mapping[int, Decimal]  # maximum eigen bijdrage per month, per year
    today: Callable[[], date] = date.today


class _Invalid(Exception):
    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(problem)
        self.field, self.problem = field_name, problem


# --- Checking one file -------------------------------------------------------------------


def _mapping(value: Any, name: str, allowed: Set[str]) -> Dict[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(name, "hier hoort een lijstje velden (naam: waarde)")
    unknown = sorted(str(key) for key in value if key not in allowed)
    if unknown:
        raise _Invalid(
            f"{name}.{unknown[0]}" if name else unknown[0],
            f"onbekend veld; toegestaan zijn: {', '.join(sorted(allowed))}",
        )
    return value


def _text(value: Any, name: str, required: bool = False, longest: int = 300) -> Optional[str]:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Invalid(name, "dit veld is verplicht")
        return None
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise _Invalid(name, "hier hoort een tekst")
    text = " ".join(str(value).split())
    if len(text) > longest:
        raise _Invalid(name, f"de tekst is te lang ({len(text)} tekens, hoogstens {longest})")
    return text


def _url(value: Any, name: str, required: bool = False) -> Optional[str]:
    url = _text(value, name, required)
    if url is not None and not re.fullmatch(r"https://[^\s/]+\.[^\s]+", url):
        raise _Invalid(name, f"'{url}' is geen veilige webadres; het moet beginnen met https://")
    return url


def _phone(value: Any, name: str) -> Optional[PhoneNumber]:
    text = _text(value, name)
    if text is None:
        return None
    try:
        return parse_phone(text)
    except ValueError:
        raise _Invalid(name, f"'{text}' is geen geldig Nederlands telefoonnummer (voorbeeld: 020 123 45 67 of 14 020)")


def _email(value: Any, name: str) -> Optional[str]:
    text = _text(value, name)
    if text is not None and not _EMAIL.fullmatch(text):
        raise _Invalid(name, f"'{text}' is geen geldig e-mailadres")
    return text


def _date(value: Any, name: str, rules: Rules) -> date:
    if not isinstance(value, date):
        raise _Invalid(name, "schrijf de datum als jaar-maand-dag, bijvoorbeeld 2026-11-22")
    if value > rules.today():
        raise _Invalid(name, f"de datum {value.isoformat()} ligt in de toekomst")
    return value


def cite(url: str, by: Optional[str]) -> str:
    """A source as a resident reads it: 'volgens Flakkee Nieuws (mei 2021), https://…' when it
    is not the municipality's, a national body's or the organisation's own page."""
    return f"volgens {by}, {url}" if by else url


def _source_by(data: Mapping[str, Any], name: str) -> Optional[str]:
    """`volgens`: who published the source, when that is not the body the fact is about."""
    by = _text(data.get("volgens"), name, longest=100)
    if by is not None and not data.get("bron"):
        raise _Invalid(name, "'volgens' hoort bij een bron: zet ook het webadres bij 'bron'")
    return by


def _contact(value: Any, name: str, with_audiences: bool) -> Contact:
    data = _mapping(value, name, set(CONTACT_FIELDS) | ({"voor"} if with_audiences else set()))
    contact = Contact(
        name=_text(data.get("naam"), f"{name}.naam", required=with_audiences),
        phone=_phone(data.get("telefoon"), f"{name}.telefoon"),
        email=_email(data.get("email"), f"{name}.email"),
        website=_url(data.get("website"), f"{name}.website"),
        opening_hours=_text(data.get("openingstijden"), f"{name}.openingstijden"),
        address=_text(data.get("adres"), f"{name}.adres"),
        audiences=_audiences(data.get("voor"), f"{name}.voor") if with_audiences else (),
        source=_url(data.get("bron"), f"{name}.bron"),
        source_by=_source_by(data, f"{name}.volgens"),
    )
    if not with_audiences and not (contact.phone or contact.email or contact.website):
        raise _Invalid(name, "geef minstens een telefoonnummer, een e-mailadres of een website")
    return contact


def _audiences(value: Any, name: str) -> Tuple[str, ...]:
    values = [value] if isinstance(value, str) else value or []
    if not isinstance(values, list):
        raise _Invalid(name, "hier hoort een lijst, bijvoorbeeld [ouderen, beperking]")
    unknown = [str(item) for item in values if item not in AUDIENCES]
    if unknown:
        raise _Invalid(name, f"'{unknown[0]}' ken ik niet; kies uit: {', '.join(AUDIENCES)}")
    return tuple(values)


def _contribution(value: Any, rules: Rules) -> LocalContribution:
    data = _mapping(value, "eigen_bijdrage", set(CONTRIBUTION_FIELDS))
    years = data.get("jaar") if isinstance(data.get("jaar"), list) else [data.get("jaar")]
    unknown = [year for year in years if year not in rules.national_maximum]
    if unknown or not years:
        known = ", ".join(str(known_year) for known_year in sorted(rules.national_maximum))
        raise _Invalid(
            "eigen_bijdrage.jaar",
            f"'{unknown[0] if unknown else ''}' is geen jaar met een bekend landelijk bedrag ({known})",
        )
    amount = _text(data.get("bedrag_per_maand"), "eigen_bijdrage.bedrag_per_maand", required=True)
    if not _AMOUNT.fullmatch(amount):
        raise _Invalid(
            "eigen_bijdrage.bedrag_per_maand", f'\'{amount}\' is geen bedrag; schrijf bijvoorbeeld "0,00" of "17,50"'
        )
    for year in years:
        maximum = rules.national_maximum[year]
        if Decimal(amount.replace(",", ".")) >= maximum:
            shown = f"{maximum:.2f}".replace(".", ",")
            raise _Invalid(
                "eigen_bijdrage.bedrag_per_maand",
                f"€ {amount} is niet lager dan het landelijke maximum in {year} (€ {shown})",
            )
    return LocalContribution(
        years=tuple(years),
        monthly_amount=amount,
        for_whom=_groups(data.get("voor_wie"), "eigen_bijdrage.voor_wie"),
        source=_url(data.get("bron"), "eigen_bijdrage.bron", required=True),
        source_by=_source_by(data, "eigen_bijdrage.volgens"),
    )


def _groups(value: Any, name: str) -> Tuple[str, ...]:
    """One group ("inwoners met een laag inkomen") or a list of groups."""
    values = value if isinstance(value, list) else [value]
    groups = tuple(_text(item, name, longest=120) for item in values)
    if not groups or None in groups:
        raise _Invalid(name, "dit veld is verplicht: voor wie geldt de lagere bijdrage?")
    return groups


def _answers(value: Any, rules: Rules) -> Dict[str, str]:
    data = _mapping(value, "antwoorden", rules.topics)
    return {
        topic: _text(text, f"antwoorden.{topic}", required=True, longest=MAX_ANSWER_LENGTH)
        for topic, text in data.items()
    }


def _chat(value: Any) -> LiveChat:
    """`chat`: times per weekday ("09:00-17:00") and the longest wait (minutes)."""
    data = _mapping(value, "chat", set(CHAT_FIELDS))
    hours = {day: _hours(data[name], f"chat.{name}") for day, name in enumerate(WEEKDAYS) if data.get(name)}
    if not hours:
        raise _Invalid("chat", "geef voor minstens één dag de tijden, bijvoorbeeld maandag: 09:00-17:00")
    wait = data.get("wachten_minuten", DEFAULT_WAIT_MINUTES)
    if isinstance(wait, str) and wait.strip().isdigit():
        wait = int(wait)
    if not isinstance(wait, int) or isinstance(wait, bool) or not 1 <= wait <= MAX_WAIT_MINUTES:
        raise _Invalid("chat.wachten_minuten", f"hier hoort een aantal minuten van 1 tot en met {MAX_WAIT_MINUTES}")
    return LiveChat(hours, wait)


def _hours(value: Any, name: str) -> Tuple[time, time]:
    """ "09:00-17:00" (or 9.00 - 17.00); until 24:00 is until the end of the day."""
    text = _text(value, name, longest=20) or ""
    match = _HOURS.fullmatch(text)
    try:
        start = time(int(match[1]), int(match[2])) if match else None
        end = (time.max if match.group(3, 4) == ("24", "00") else time(int(match[3]), int(match[4]))) if match else None
    except ValueError:  # 25:00, 9:75
        start = end = None
    if start is None or end is None or start >= end:
        raise _Invalid(name, f"'{text}' zijn geen tijden; schrijf bijvoorbeeld 09:00-17:00 (van - tot)")
    return start, end


def parse_override(path: Path, rules: Rules) -> Override:
    """One file as an Override; OverrideError (raised) names the first problem."""
    try:
        if not re.fullmatch(r"GM\d{4}", path.stem):
            raise OverrideError(path.name, "", "de bestandsnaam moet de CBS-code zijn, bijvoorbeeld GM0394.yml")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise OverrideError(path.name, "", f"het bestand kan niet gelezen worden: {error}") from None
    return parse_document(text, path.stem.upper(), path.name, rules)


def parse_document(text: str, cbs_code: str, name: str, rules: Rules) -> Override:
    """One document in the file format (a file, or a version saved in the staff app) as the
    Override of municipality `cbs_code`; OverrideError names `name` and the first problem."""
    try:
        return _override(yaml.safe_load(text), cbs_code, name, rules)
    except _Invalid as invalid:
        raise OverrideError(name, invalid.field, invalid.problem) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (regel {mark.line + 1})" if mark else ""
        raise OverrideError(name, "", f"het bestand is geen geldige YAML{where}") from None


def _override(data: Any, cbs_code: str, name: str, rules: Rules) -> Override:
    data = _mapping(data, "", DOCUMENT_FIELDS)
    code = _text(data.get("gemeente"), "gemeente", required=True).upper()
    if code not in rules.cbs_codes:
        raise _Invalid("gemeente", f"'{code}' is geen bestaande CBS-code van een gemeente")
    if code != cbs_code:
        raise _Invalid("gemeente", f"'{code}' past niet bij de bestandsnaam {name}")
    support = data.get("clientondersteuning") or []
    if not isinstance(support, list):
        raise _Invalid("clientondersteuning", "hier hoort een lijst van organisaties (elk begint met '- naam:')")
    return Override(
        cbs_code=code,
        source=_url(data.get("bron"), "bron", required=True),
        checked=_date(data.get("gecontroleerd"), "gecontroleerd", rules),
        source_date=_date(data["bron_datum"], "bron_datum", rules) if data.get("bron_datum") else None,
        source_by=_source_by(data, "volgens"),
        wmo_desk=_contact(data["wmo_loket"], "wmo_loket", with_audiences=False) if data.get("wmo_loket") else None,
        support=tuple(
            _contact(item, f"clientondersteuning[{index + 1}]", with_audiences=True)
            for index, item in enumerate(support)
        ),
        contribution=_contribution(data["eigen_bijdrage"], rules) if data.get("eigen_bijdrage") else None,
        answers=_answers(data["antwoorden"], rules) if data.get("antwoorden") else {},
        chat=_chat(data["chat"]) if data.get("chat") else None,
    )


def load_overrides(folder: Path, rules: Rules) -> Tuple[Dict[str, Override], List[OverrideError]]:
    """Every valid file by CBS code, and the problems of the others."""
    overrides: Dict[str, Override] = {}
    errors: List[OverrideError] = []
    for path in sorted(folder.glob("*.yml")):
        try:
            override = parse_override(path, rules)
        except OverrideError as error:
            errors.append(error)
        else:
            overrides[override.cbs_code] = override
    return overrides, errors


class SavedDocuments(Protocol):
    """Documents saved outside the folder (the staff app's versions), newest per CBS code."""

    def signature(self) -> Hashable: ...

    def documents(self) -> Dict[str, str]: ...


SAVED = "opgeslagen in het beheer"  # how errors name a saved document


class OverrideStore:
    """The overrides of a folder and of the saved documents, read again when a file is added,
    changed or removed, or a document is saved. A saved document wins over the file of the
    same municipality: the file is only the seed."""

    def __init__(self, folder: Path, rules: Rules, saved: Optional[SavedDocuments] = None) -> None:
        self.folder, self.rules, self.saved = folder, rules, saved
        self._signature: Optional[Tuple[Hashable, ...]] = None
        self._overrides: Dict[str, Override] = {}
        self.errors: List[OverrideError] = []

    def get(self, cbs_code: str) -> Optional[Override]:
        self._refresh()
        return self._overrides.get(cbs_code)

    def all(self) -> Dict[str, Override]:
        self._refresh()
        return dict(self._overrides)

    def _refresh(self) -> None:
        try:
            saved_signature = self.saved.signature() if self.saved else None
            files = tuple((path.name, path.stat().st_mtime_ns) for path in sorted(self.folder.glob("*.yml")))
            signature = (files, saved_signature)
            if signature == self._signature:
                return
            overrides, errors = load_overrides(self.folder, self.rules)
            self._put_saved(overrides, errors)
        except (OSError, SQLAlchemyError) as error:  # keep what was read last; try again next time
            logger.warning("Local data not read again: %s", error)
            return
        self._overrides, self.errors, self._signature = overrides, errors, signature
        for problem in self.errors:
            logger.warning("Local data not used: %s", problem)

    def _put_saved(self, overrides: Dict[str, Override], errors: List[OverrideError]) -> None:
        """Put the saved documents over the files' overrides. One that the rules no longer
        accept (a year without a known maximum) leaves the municipality without local data, as
        a broken file does."""
        for code, document in (self.saved.documents() if self.saved else {}).items():
            try:
                overrides[code] = parse_document(document, code, f"{code} ({SAVED})", self.rules)
            except OverrideError as error:
                errors.append(error)
                overrides.pop(code, None)
