"""Redaction time on long and adversarial inputs: the patterns of assistant/privacy.py on
inputs up to 1 MB, side by side with the e-mail pattern before issue 12 (an unbounded
`[\\w.+-]+@`, quadratic on a long word) as the baseline, on inputs it can finish.

    .venv/bin/python -m benchmarks.redaction
"""

import re
import time
from typing import Callable, Dict

from assistant.privacy import redact

OLD_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")  # the baseline: quadratic on a long word
SIZES = (10_000, 20_000, 40_000, 1_000_000)
BASELINE_UP_TO = 40_000  # characters: larger inputs take the old pattern minutes
KINDS: Dict[str, Callable[[int], str]] = {
    "one long word": lambda size: "a" * size,
    "dots": lambda size: "a." * (size // 2),
    "local parts and @": lambda size: ("x" * 63 + "@") * (size // 64),
    "digits and dashes": lambda size: "1-" * (size // 2),
    "Dutch text with numbers": lambda size: (
        "Mijn bsn is 111222333 en mijn nummer 06-12345678, 1011 AB. " * (size // 60 + 1)
    )[:size],
}


def seconds(function: Callable[[str], object], text: str) -> float:
    started = time.perf_counter()
    function(text)
    return time.perf_counter() - started


def main() -> None:
    print(f"{'input':26} {'characters':>10} {'redact() now':>13} {'old e-mail pattern':>19}")
    for kind, make in KINDS.items():
        for size in SIZES:
            text = make(size)
            now = seconds(redact, text)
            baseline = seconds(lambda value: OLD_EMAIL.sub("[e-mail]", value), text) if size <= BASELINE_UP_TO else None
            old = f"{baseline:18.3f}s" if baseline is not None else f"{'(not run)':>19}"
            print(f"{kind:26} {len(text):>10,} {now:12.3f}s {old}")


if __name__ == "__main__":
    main()
