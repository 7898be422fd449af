"""How well Wegwijzer answers the questions residents really ask (tests/real_questions/).

Usage: .venv/bin/python -m benchmarks.real_questions [--save FILE] [--compare FILE]

Starts the real servers, sends every question of the set to a fresh conversation over REST
and sorts the first reply into:
  facts          it contains every key fact of the question (each group: any one alternative)
  clarification  it is "Bedoelt u …?": then the first suggestion is clicked, and whether that
                 reply contains the key facts is counted as "after one click"
  wrong          anything else: the facts are missing
Prints the shares overall, per kind (faq, story, municipality, english, other_organisation)
and per topic. --save FILE keeps the figures and each question's outcome as JSON (the replies
themselves go to var/bench/real_questions/last.json); --compare FILE prints a saved run's figures
beside this one. The figures before issue 14 are in benchmarks/figures/.
"""

import argparse
import json
import re
import uuid
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import requests
import yaml

from assistant.content.answers import ENGLISH, message
from assistant.settings import PROJECT_ROOT, VAR_DIR
from benchmarks.servers import running_assistant

QUESTIONS_DIR = PROJECT_ROOT / "tests" / "real_questions"
RESULTS_DIR = VAR_DIR / "bench" / "real_questions"
CLARIFICATIONS = (message("bedoelt_u"), message("bedoelt_u", ENGLISH))  # "Bedoelt u …?", in Dutch or English
KINDS = ("faq", "story", "municipality", "english", "other_organisation")


def load_questions(folder: Path = QUESTIONS_DIR) -> List[dict]:
    """Every question of every YAML file in the set's folder and its parts/."""
    questions = []
    for path in sorted([*folder.glob("*.yml"), *folder.glob("parts/*.yml")]):
        questions += yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return questions


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip().lower()


def has_key_facts(reply: str, key_facts: Iterable[Iterable[str]]) -> bool:
    """Every group has at least one alternative in the reply (case and spacing ignored)."""
    text = normalised(reply)
    return all(any(normalised(str(alternative)) in text for alternative in group) for group in key_facts)


@dataclass
class Result:
    id: str
    kind: str
    topic: str
    outcome: str  # facts | clarification | wrong
    after_click: bool  # the key facts after one click (True too when the first reply had them)
    reply: str


def joined(messages: List[dict]) -> str:
    return "\n".join(part.get("text") or "" for part in messages)


def ask(rest_url: str, question: dict) -> Result:
    sender = f"real-{uuid.uuid4().hex[:10]}"

    def say(text: str) -> List[dict]:
        return requests.post(rest_url, json={"sender": sender, "message": text}, timeout=60).json()

    first = say(question["question"])
    reply = joined(first)
    key_facts = question["key_facts"]
    if has_key_facts(reply, key_facts):
        outcome, after_click = "facts", True
    elif any(part.get("text") in CLARIFICATIONS for part in first):
        outcome = "clarification"
        buttons = [button for part in first for button in part.get("buttons") or []]
        after_click = bool(buttons) and has_key_facts(joined(say(buttons[0]["payload"])), key_facts)
    else:
        outcome, after_click = "wrong", False
    return Result(question["id"], question["kind"], question.get("topic", ""), outcome, after_click, reply)


def shares(results: List[Result]) -> Dict[str, float]:
    count = len(results) or 1
    return {
        "n": len(results),
        "facts": sum(result.outcome == "facts" for result in results) / count,
        "after_click": sum(result.after_click for result in results) / count,
        "clarification": sum(result.outcome == "clarification" for result in results) / count,
        "wrong": sum(result.outcome == "wrong" for result in results) / count,
    }


def figures(results: List[Result]) -> Dict[str, Dict[str, float]]:
    groups: Dict[str, List[Result]] = defaultdict(list)
    for result in results:
        groups[f"kind: {result.kind}"].append(result)
        groups[f"topic: {result.topic}"].append(result)
    return {"all": shares(results), **{name: shares(group) for name, group in sorted(groups.items())}}


def print_table(now: Dict[str, Dict[str, float]], before: Optional[Dict[str, Dict[str, float]]]) -> None:
    columns = ("facts", "after_click", "clarification", "wrong")
    print(f"{'':48} {'n':>4} " + " ".join(f"{name:>13}" for name in columns))
    for name, row in now.items():
        if name.startswith("topic:") and row["n"] < 3:
            continue  # topics with one or two questions say little
        cells = []
        for column in columns:
            cell = f"{row[column]:.0%}"
            if before and name in before:
                cell = f"{before[name][column]:.0%} → {cell}"
            cells.append(f"{cell:>13}")
        print(f"{name[:48]:48} {row['n']:>4} " + " ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--save", type=Path, help="keep the figures and outcomes in this JSON file")
    parser.add_argument("--compare", type=Path, help="print the figures of a saved run beside this one")
    args = parser.parse_args()
    questions = load_questions()
    with running_assistant() as assistant:
        results = [ask(assistant.rest_url, question) for question in questions]
    now = figures(results)
    before = json.loads(args.compare.read_text(encoding="utf-8"))["figures"] if args.compare else None
    print(f"\n{len(results)} real questions, each in a fresh conversation over REST\n")
    print_table(now, before)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    replies = [asdict(result) for result in results]
    (RESULTS_DIR / "last.json").write_text(json.dumps(replies, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.save:
        outcomes = {result.id: [result.outcome, result.after_click] for result in results}
        args.save.write_text(json.dumps({"figures": now, "outcomes": outcomes}, indent=1), encoding="utf-8")
        print(f"\nSaved the figures in {args.save}")


if __name__ == "__main__":
    main()
