"""What happens to each held-out message in the conversation, in the terms of Gem's pilot
(60% answered directly, 37% after one clarifying question, 3% not understood).

Usage: .venv/bin/python -m benchmarks.heldout_outcomes [--model models/wegwijzer-<hash>.tar.gz]
Parses every message of tests/nlu_heldout/nlu.yml with the trained model (default: the
current one, trained if needed) and sorts it into one of four outcomes:
  direct      the classifier is sure (no fallback) and right;
  clarified   the classifier is unsure; "Bedoelt u …?" (actions/fallback.py) offers the
              right question among its buttons;
  unclear     unsure, and the right question is not among the buttons: the resident is
              asked to put it differently, then offered a person;
  wrong       sure, and wrong: the resident gets another answer.
"""

import argparse
import asyncio
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data

from actions.fallback import suggestions
from assistant.content.labels import labels
from assistant.runtime.model import ensure_model
from benchmarks.nlu_heldout import TEST_SETS

HELDOUT = TEST_SETS["heldout"]
OUTCOMES = ("direct", "clarified", "unclear", "wrong")


def outcome(expected: str, parsed: Dict) -> str:
    predicted = parsed["intent"]["name"]
    if predicted != "nlu_fallback":
        return "direct" if predicted == expected else "wrong"
    offered = [button["payload"] for button in suggestions(parsed)]
    return "clarified" if f"/{expected}" in offered else "unclear"


async def classify(model: Path) -> List[Tuple[str, str]]:
    """(intent, outcome) for every held-out message."""
    agent = Agent.load(str(model))
    results = []
    for example in load_data(str(HELDOUT)).intent_examples:
        parsed = await agent.parse_message(example.get("text"))
        results.append((example.get("intent"), outcome(example.get("intent"), parsed)))
    return results


def print_table(results: List[Tuple[str, str]]) -> None:
    total = Counter(found for _, found in results)
    print(
        f"{len(results)} held-out messages: "
        + ", ".join(f"{name} {100 * total[name] / len(results):.1f}%" for name in OUTCOMES)
    )
    with_buttons = [(intent, found) for intent, found in results if intent in labels()]
    shares = Counter(found for _, found in with_buttons)
    print(
        f"of which {len(with_buttons)} with a button label (topics, flows, a person): "
        + ", ".join(f"{name} {100 * shares[name] / len(with_buttons):.1f}%" for name in OUTCOMES)
    )
    per_intent: Dict[str, Counter] = defaultdict(Counter)
    for intent, found in results:
        per_intent[intent][found] += 1
    worst = sorted(per_intent.items(), key=lambda item: item[1]["direct"] / sum(item[1].values()))[:8]
    print(
        "fewest answered directly: "
        + ", ".join(f"{intent} {counts['direct']}/{sum(counts.values())}" for intent, counts in worst)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", type=Path)
    args = parser.parse_args()
    print_table(asyncio.run(classify(args.model or ensure_model())))


if __name__ == "__main__":
    main()
