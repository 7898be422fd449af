"""The day every test runs on, unless it freezes another: no test depends on the calendar."""

from datetime import date

TEST_DAY = date(2026, 11, 22)
