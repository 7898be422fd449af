"""Progress lines for work that takes more than a second (imports, downloads)."""

import sys
import time
from typing import Optional, TextIO


class Progress:
    """Prints "<label>: 1200/7000 rows" now and then, but only once the work has taken a second.

    Quick work prints nothing, so tests and fast machines stay quiet.
    """

    def __init__(
        self,
        label: str,
        total: Optional[int] = None,
        unit: str = "",
        stream: TextIO = sys.stderr,
        delay: float = 1.0,
        interval: float = 0.5,
    ) -> None:
        self.label, self.total, self.unit, self.stream = label, total, unit, stream
        self.delay, self.interval = delay, interval
        self.count = 0
        self._started = time.monotonic()
        self._last_shown: Optional[float] = None

    def advance(self, amount: int = 1) -> None:
        self.count += amount
        now = time.monotonic()
        if now - self._started < self.delay:
            return
        if self._last_shown is None or now - self._last_shown >= self.interval:
            self._show()
            self._last_shown = now

    def finish(self) -> None:
        """Prints the final count, if anything was shown before."""
        if self._last_shown is not None:
            self._show()

    def _show(self) -> None:
        total = f"/{self.total}" if self.total else ""
        unit = f" {self.unit}" if self.unit else ""
        print(f"{self.label}: {self.count}{total}{unit}", file=self.stream, flush=True)
