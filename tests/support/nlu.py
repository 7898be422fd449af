"""Reading NLU examples for the tests that keep the test sets apart from the training data."""

from pathlib import Path
from typing import Dict, List, Set

from rasa.shared.nlu.training_data.loading import load_data

from assistant.content.knowledge.checks import normalised as normalise


def examples_by_intent(path: Path) -> Dict[str, List[str]]:
    by_intent: Dict[str, List[str]] = {}
    for message in load_data(str(path)).intent_examples:
        by_intent.setdefault(message.get("intent"), []).append(message.get("text"))
    return by_intent


def texts(by_intent: Dict[str, List[str]]) -> Set[str]:
    return {normalise(text) for examples in by_intent.values() for text in examples}
