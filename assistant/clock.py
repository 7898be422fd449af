"""Today's date for what residents read ("this year", the year's amount) and for the
facts check. One place, so that tests freeze it instead of depending on the calendar."""

from datetime import date


def today() -> date:
    return date.today()


def this_year() -> int:
    return today().year
