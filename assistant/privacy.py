"""Mask personal numbers and addresses in what residents type, before it is stored.

Residents type BSNs, phone numbers, e-mail addresses, IBANs and postcodes into a chat.
The tracker store keeps conversations; it keeps them with these masked:
"mijn bsn is 111222333" -> "mijn bsn is [BSN]"; "1011 AB" -> "1011 [..]" (the four
digits are enough to find the municipality; the letters narrow it down to a street).
"""

import re
from typing import Any

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(\s?\d){10}\b", re.IGNORECASE)
# Eight or more digits, possibly with separators or a leading +: BSNs, phone numbers,
# account and customer numbers. Postcodes, years and amounts have fewer digits.
LONG_NUMBER = re.compile(r"[+(]?\d(?:[\s.\-/()]{0,2}\d){7,}")
# A 6-position postcode: capitals ("1011 AB", "1011AB") or small letters right after the
# digits ("1011ab"); "in 2024 en 2025" is not a postcode.
POSTCODE = re.compile(r"\b([1-9]\d{3})(?: ?[A-Z]{2}|[a-z]{2})\b")
FIELDS_WITH_TEXT = {"text", "value"}


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
    """`text` with e-mail addresses, IBANs, BSNs, phone numbers, other long numbers and the
    letters of postcodes masked."""
    text = EMAIL.sub("[e-mail]", text)
    text = IBAN.sub("[IBAN]", text)
    text = LONG_NUMBER.sub(_number_label, text)
    return POSTCODE.sub(r"\1 [..]", text)


def redact_fields(data: Any) -> Any:
    """A copy of a JSON-like structure with every `text` and `value` string redacted."""
    if isinstance(data, dict):
        return {
            key: redact(value) if key in FIELDS_WITH_TEXT and isinstance(value, str) else redact_fields(value)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [redact_fields(item) for item in data]
    return data
