"""How long a large message takes over REST, and what it does to the Rasa server's memory.

Usage: .venv/bin/python -m benchmarks.large_messages [--rounds 5]
Starts the real servers on free ports (temporary tracker database) and times, per kind of
message, a round trip; a short question is the baseline in the same run. Before issue 12 a
100 kB message went through NLU (23-101 s, Rasa server 1 GB -> 9 GB); now a message over
MAX_MESSAGE_LENGTH characters gets a kind refusal, and a body over MAX_REQUEST_BYTES a 413.
"""

import argparse
import statistics
import time
import uuid
from typing import Dict

import requests

from assistant.rasa_plugins.limits import MAX_MESSAGE_LENGTH
from benchmarks.servers import print_memory, running_assistant

SENTENCE = "Mijn moeder van 84 woont alleen en heeft hulp nodig in het huishouden, wat kost dat? "
MESSAGES: Dict[str, str] = {
    "short question (baseline)": "wat is een pgb",
    f"Dutch story, {MAX_MESSAGE_LENGTH} characters": (SENTENCE * 20)[:MAX_MESSAGE_LENGTH].strip(),
    f"one word, {MAX_MESSAGE_LENGTH} characters": "a" * MAX_MESSAGE_LENGTH,
    f"Dutch story, {MAX_MESSAGE_LENGTH + 1} characters": "x" + (SENTENCE * 20)[:MAX_MESSAGE_LENGTH],
    "Dutch story, 100 kB": (SENTENCE * 1200)[:100_000],
    "one word, 1,000,000 characters": "a" * 1_000_000,
}


def round_trip(url: str, text: str) -> tuple:
    started = time.perf_counter()
    response = requests.post(url, json={"sender": f"bench-{uuid.uuid4().hex[:8]}", "message": text}, timeout=600)
    return (time.perf_counter() - started) * 1000, response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with running_assistant() as assistant:
        url = assistant.rest_url
        round_trip(url, "hallo")  # warm up
        print("Before:")
        print_memory(assistant.pids)
        print(f"\n{'message':38} {'p50':>9} {'max':>9}  status")
        for kind, text in MESSAGES.items():
            results = [round_trip(url, text) for _ in range(rounds)]
            times = [milliseconds for milliseconds, _ in results]
            statuses = sorted({status for _, status in results})
            print(f"{kind:38} {statistics.median(times):7.0f} ms {max(times):7.0f} ms  {statuses}")
        print("\nAfter:")
        print_memory(assistant.pids)


if __name__ == "__main__":
    main()
