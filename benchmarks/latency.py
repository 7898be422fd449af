"""Latency of a REST round trip through the real servers, for one user and 20 at once.

Usage: .venv/bin/python -m benchmarks.latency [--rounds 30]
Starts the action server and the Rasa server on free ports (temporary tracker
database), then times four kinds of message:
  greeting   no custom action (a rule and a response)
  question   one custom action (action_answer_question): a topic of answers.yml
  knowledge  the same action for a knowledge-base entry (the knowledge selector picks it)
  contact    three custom actions (form validation, form, municipality contact)
"""

import argparse
import statistics
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Dict, List

import requests

from benchmarks.servers import print_memory, running_assistant

MESSAGES = {
    "greeting": "hallo",
    "question": "hoeveel is de eigen bijdrage voor de wmo",
    "knowledge": "kan ik de rekening van het cak in termijnen betalen",
    "contact": "wat is het telefoonnummer van de gemeente Utrecht",
}


def timed_turn(url: str, sender: str, text: str) -> float:
    started = time.perf_counter()
    response = requests.post(url, json={"sender": sender, "message": text}, timeout=60)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def one_user(url: str, rounds: int) -> Dict[str, List[float]]:
    sender = f"bench-{uuid.uuid4().hex[:8]}"
    timings: Dict[str, List[float]] = {kind: [] for kind in MESSAGES}
    for _ in range(rounds):
        for kind, text in MESSAGES.items():
            timings[kind].append(timed_turn(url, sender, text))
    return timings


def percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(label: str, timings: Dict[str, List[float]], seconds: float) -> None:
    turns = sum(len(values) for values in timings.values())
    print(f"\n{label}: {turns} turns in {seconds:.1f} s = {turns / seconds:.1f} turns/s")
    for kind, values in timings.items():
        print(
            f"  {kind:9} p50 {statistics.median(values):6.0f} ms   "
            f"p95 {percentile(values, 0.95):6.0f} ms   (n={len(values)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=30, help="rounds of the four messages per user")
    parser.add_argument("--users", type=int, default=20)
    args = parser.parse_args()
    with running_assistant() as assistant:
        url = assistant.rest_url
        one_user(url, 2)  # warm-up
        started = time.monotonic()
        report("1 user", one_user(url, args.rounds), time.monotonic() - started)
        started = time.monotonic()
        with ThreadPoolExecutor(args.users) as pool:
            results = list(pool.map(lambda _: one_user(url, max(1, args.rounds // 3)), range(args.users)))
        merged = {kind: [value for result in results for value in result[kind]] for kind in MESSAGES}
        report(f"{args.users} users at once", merged, time.monotonic() - started)
        print_memory(assistant.pids)


if __name__ == "__main__":
    main()
