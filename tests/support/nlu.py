"""Reading NLU examples for the tests that keep the test sets apart from the training data."""

import re
from pathlib import Path
from typing import Dict, List, Set

from rasa.shared.nlu.training_data.loading import load_data


def normalise(text: str) -> str:
    """Lower case, punctuation as spaces: "Pgb regels?" and "pgb regels" are the same message."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def examples_by_intent(path: Path) -> Dict[str, List[str]]:
    by_intent: Dict[str, List[str]] = {}
    for message in load_data(str(path)).intent_examples:
        by_intent.setdefault(message.get("intent"), []).append(message.get("text"))
    return by_intent


def texts(by_intent: Dict[str, List[str]]) -> Set[str]:
    return {normalise(text) for examples in by_intent.values() for text in examples}
