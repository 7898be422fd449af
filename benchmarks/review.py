"""How long the Wmo-raad's tools take: building the conversation book (national, and a municipality's
with its own data), writing it as one HTML file, and running the project's test conversations
(tests/scenarios/) against a running assistant, side by side with one knowledge-base answer as the
baseline of what a single text costs.

Usage: .venv/bin/python -m benchmarks.review [--rounds 5] [--url http://localhost:5005]
Without a running assistant at --url, the scenario set is left out (start it with ./wegwijzer start).
"""

import argparse
import statistics
import time
from pathlib import Path
from typing import Callable, List

from assistant.content import municipal_directory
from assistant.content.knowledge import knowledge_answer
from assistant.content.override_checks import override_store
from assistant.review.book import build_book
from assistant.review.book_file import book_html
from assistant.review.scenarios import load, rest_send, run, unreachable
from assistant.review.texts import place_for
from assistant.settings import PROJECT_ROOT, RASA_PORT

SCENARIOS = PROJECT_ROOT / "tests" / "scenarios"


def timed(task: Callable[[], object], rounds: int) -> List[float]:
    seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        task()
        seconds.append(time.perf_counter() - started)
    return seconds


def line(name: str, seconds: List[float]) -> str:
    return f"{name:52} median {statistics.median(seconds) * 1000:9.1f} ms   max {max(seconds) * 1000:9.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--url", default=f"http://localhost:{RASA_PORT.get()}")
    arguments = parser.parse_args()
    directory = municipal_directory.load()
    amsterdam = place_for("GM0363", directory, override_store(directory))
    book = build_book()
    items, texts = sum(1 for _ in book.items()), sum(len(item.texts) for item in book.items())
    size = len(book_html(build_book(amsterdam)))
    print(f"The book: {items} items, {texts} texts; Amsterdam's HTML file {size:,} bytes")
    print(line("baseline: one knowledge-base answer", timed(lambda: knowledge_answer("cak_verhuizen"), 50)))
    print(line("national book", timed(build_book, arguments.rounds)))
    print(line("Amsterdam's book (its own data)", timed(lambda: build_book(amsterdam), arguments.rounds)))
    print(line("Amsterdam's book as one HTML file", timed(lambda: book_html(build_book(amsterdam)), arguments.rounds)))
    problem = unreachable(arguments.url)
    if problem:
        print(f"Scenario set left out: {problem}")
        return
    scenarios = [scenario for path in sorted(SCENARIOS.glob("*.csv")) for scenario in load(Path(path))]
    steps = sum(len(scenario.steps) for scenario in scenarios)
    result = run(scenarios, rest_send(arguments.url))
    print(
        f"project scenario set: {len(scenarios)} conversations, {steps} steps, {result.totals.passed} passed, "
        f"{result.seconds:.1f} s ({result.seconds / steps * 1000:.0f} ms per step)"
    )


if __name__ == "__main__":
    main()
