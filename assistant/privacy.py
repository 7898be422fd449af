"""Mask personal numbers and addresses in what residents type, before it is stored.

Residents type BSNs, phone numbers, e-mail addresses, IBANs and postcodes into a chat.
The tracker store keeps conversations; it keeps them with these masked:
"mijn bsn is 111222333" -> "mijn bsn is [BSN]"; "1011 AB" -> "1011 [..]" (the four
digits are enough to find the municipality; the letters narrow it down to a street).

The callback form (terugbelverzoek) asks for a name, a phone number and a question; those
are hidden completely: the slots' values, the resident's answers while the form asks for
them, and bot texts that repeat them are stored as "[verborgen]".
"""

import re
from typing import Any, Callable, Iterator, List, Optional, Set

# Every pattern runs in time linear in the text: each quantifier that could scan a long word is
# bounded (an e-mail's local part has at most 64 characters, a domain label at most 63), so a
# start position costs at most a constant. An unbounded `[\w.+-]+@` took 51 s on 100,000 letters.
EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(\s?\d){10}\b", re.IGNORECASE)
# Eight or more digits, possibly with separators or a leading +: BSNs, phone numbers,
# account and customer numbers. Postcodes, years and amounts have fewer digits.
LONG_NUMBER = re.compile(r"[+(]?\d(?:[\s.\-/()]{0,2}\d){7,}")
# A 6-position postcode: capitals ("1011 AB", "1011AB"), small letters right after the
# digits ("1011ab"), or small letters after a space ("3511 ab") unless they are a common
# two-letter word: "in 2024 en 2025" is not a postcode.
TWO_LETTER_WORDS = "en|of|in|op|te|is|al|na|om|ik|je|we|ze|ja|nu|zo|de|ho|zij|u"
POSTCODE = re.compile(rf"\b([1-9]\d{{3}})(?: ?[A-Z]{{2}}|[a-z]{{2}}| (?!(?:{TWO_LETTER_WORDS})\b)[a-z]{{2}})\b")
# A street and house number: "Dorpsstraat 12", "Lange Nieuwstraat 112-2", "Kerkweg 3a".
STREET_SUFFIXES = (
    "straat|laan|weg|plein|singel|gracht|kade|dijk|hof|pad|steeg|dreef|park|baan|markt|ring|wal|"
    "plantsoen|boulevard|erf|veld|hoek|burcht|haven|kanaal|pier|oord|zoom|rade|horst|akker|brink"
)
ADDRESS = re.compile(
    rf"\b[A-Z]?[\w'-]{{0,40}}(?:{STREET_SUFFIXES})\s+\d{{1,5}}(?:\s?[a-zA-Z]\b|[-/]\d{{1,4}})?", re.IGNORECASE
)
# A date with a year, in words or in numbers: a birth date identifies ("12 maart 1948", "12-3-1948").
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
DATE = re.compile(
    rf"\b\d{{1,2}}\s*(?:{MONTHS})\.?\s*(?:19|20)\d{{2}}\b|\b\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}\b",
    re.IGNORECASE,
)
FIELDS_WITH_TEXT = {"text", "value"}
HIDDEN = "[verborgen]"
# A Fernet token (version byte 0x80 in base64url): how the callback form keeps its answers
# in slots (assistant.helpdesk.callbacks.seal).
SEALED = re.compile(r"gAAAAA[A-Za-z0-9_\-]{50,}={0,2}")
# The callback form's slots: stored sealed, anything else in them is hidden; callback_toestemming (ja/nee) is kept.
HIDDEN_SLOTS = frozenset({"callback_naam", "callback_telefoon", "callback_vraag", "callback_vraag_voorstel"})
REQUESTED_SLOT = "requested_slot"


def passes_eleven_test(digits: str) -> bool:
    """The BSN 'elfproef': 9 digits, weights 9..2 and -1, sum divisible by 11."""
    if len(digits) != 9:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits, range(9, 1, -1)))
    return (total - int(digits[-1])) % 11 == 0


def _number_label(match: re.Match) -> str:
    digits = re.sub(r"\D", "", match.group())
    if passes_eleven_test(digits):
        return "[BSN]"
    if match.group().startswith(("+", "0", "(")):
        return "[telefoonnummer]"
    return "[nummer]"


def redact(text: str) -> str:
    """`text` with e-mail addresses, IBANs, dates with a year, BSNs, phone numbers, other long
    numbers, streets with a house number and the letters of postcodes masked. Words about
    health are kept: the question needs them, and privacy.html says so."""
    text = EMAIL.sub("[e-mail]", text)
    text = IBAN.sub("[IBAN]", text)
    text = DATE.sub("[datum]", text)
    text = LONG_NUMBER.sub(_number_label, text)
    text = ADDRESS.sub("[adres]", text)
    return POSTCODE.sub(r"\1 [..]", text)


def _map_fields(data: Any, change: Callable[[str], str]) -> Any:
    """A copy of a JSON-like structure with `change` applied to every `text` and `value` string."""
    if isinstance(data, dict):
        return {
            key: change(value) if key in FIELDS_WITH_TEXT and isinstance(value, str) else _map_fields(value, change)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_map_fields(item, change) for item in data]
    return data


def redact_fields(data: Any) -> Any:
    """A copy of a JSON-like structure with every `text` and `value` string redacted."""
    return _map_fields(data, redact)


def protect_events(events: List[dict], requested_slot: Optional[str]) -> Iterator[dict]:
    """Rasa events (as dicts) as they may be stored: the callback slots' values hidden, the
    resident's message hidden while `requested_slot` (the form's question at that moment) is
    one of them, the slots' values hidden in every other text, personal numbers masked.
    `requested_slot`: its value before the first of `events`."""
    values = _hidden_values(events)  # a custom action's bot messages come before its SlotSet events
    for data in events:
        if data.get("event") == "slot" and data.get("name") == REQUESTED_SLOT:
            requested_slot = data.get("value")
        yield _protect_event(data, requested_slot, values)


def _hidden_values(events: List[dict]) -> Set[str]:
    """The clear values that `events` set the hidden slots to."""
    slot_values = (
        data.get("value") for data in events if data.get("event") == "slot" and data.get("name") in HIDDEN_SLOTS
    )
    return {value.strip() for value in slot_values if isinstance(value, str) and value.strip() not in ("", HIDDEN)}


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and bool(SEALED.fullmatch(value))


def _protect_event(data: dict, requested_slot: Optional[str], hidden_values: Set[str]) -> dict:
    if data.get("event") == "slot" and data.get("name") in HIDDEN_SLOTS:
        value = data.get("value")  # sealed values and None stay as they are: the form needs them
        return data if value is None or is_sealed(value) else {**data, "value": HIDDEN}
    if data.get("event") == "user" and requested_slot in HIDDEN_SLOTS:
        return _map_fields(data, lambda _: HIDDEN)
    return _map_fields(data, lambda text: redact(_without(text, hidden_values)))


def _without(text: str, hidden_values: Set[str]) -> str:
    """`text` with each of `hidden_values` that stands as a whole word or words replaced by HIDDEN."""
    for value in sorted(hidden_values, key=len, reverse=True):
        text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", HIDDEN, text)
    return text
