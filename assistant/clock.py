"""Today's date for what residents read ("this year", the year's amount) and for the facts
check. One place, so that tests freeze it instead of depending on the calendar, and so that
a Wmo-raad or content editor can preview the assistant as on another day:
`WEGWIJZER_TODAY=2027-01-01 ./wegwijzer start` (never set it in production)."""

from datetime import date
from typing import Optional

from assistant.settings import TODAY


def preview_day() -> Optional[date]:
    """The day set in WEGWIJZER_TODAY (YYYY-MM-DD), if any; ValueError when it is no date."""
    value = TODAY.get()
    return date.fromisoformat(value) if value else None


def today() -> date:
    return preview_day() or date.today()


def this_year() -> int:
    return today().year
