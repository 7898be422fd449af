"""Small pieces of Dutch for answers: dates, counts and lists as a resident reads them."""

from datetime import date
from typing import Sequence

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
NUMBER_WORDS = ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")


def dutch_date(day: date) -> str:
    """date(2026, 11, 22) -> '22 november 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def number_word(count: int) -> str:
    """2 -> 'twee'; numbers above ten stay digits."""
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def join_names(names: Sequence[str], last: str = "en") -> str:
    """['A', 'B', 'C'] -> 'A, B en C'; with last="of": 'A, B of C'."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {last} {names[-1]}"
