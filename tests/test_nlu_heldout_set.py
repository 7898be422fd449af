"""Structure of the held-out NLU test set (tests/nlu_heldout/nlu.yml); its scores are a benchmark.

The last test fails when an intent of the test set is missing from domain.yml.
"""

from collections import Counter
from pathlib import Path
from typing import Dict, List, Set

import pytest
import yaml
from rasa.shared.nlu.training_data.loading import load_data

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HELDOUT_FILE = PROJECT_ROOT / "tests" / "nlu_heldout" / "nlu.yml"
TRAINING_DIR = PROJECT_ROOT / "data" / "nlu"

SMALL_TALK = [
    "greet", "goodbye", "thanks", "english", "affirm", "deny", "dont_know", "stop", "go_back",
    "human_handover", "callback_request",
]
TOPICS = [
    "out_of_scope",
    "clientondersteuning_wat", "clientondersteuning_kosten_onafhankelijk", "clientondersteuning_wie",
    "clientondersteuning_aanvragen", "clientondersteuning_keukentafelgesprek", "wlz_clientondersteuning",
    "wmo_aanvragen", "wmo_persoonlijk_plan", "wmo_besluit", "wmo_bezwaar", "wmo_voorzieningen",
    "eigen_bijdrage_wat", "eigen_bijdrage_hoeveel", "eigen_bijdrage_wie_betaalt", "eigen_bijdrage_brief_cak",
    "eigen_bijdrage_inkomen", "eigen_bijdrage_check",
    "pgb_wat", "pgb_voorwaarden", "pgb_aanvragen", "pgb_trekkingsrecht", "pgb_of_zorg_in_natura",
    "pgb_besteden", "pgb_familie", "pgb_check",
    "mantelzorg", "respijtzorg", "jeugdhulp", "wlz_indicatie", "gemeente_contact", "inform_gemeente",
]
MINIMUM = {**{intent: 15 for intent in SMALL_TALK}, **{intent: 20 for intent in TOPICS}}


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def examples_by_intent(path: Path) -> Dict[str, List[str]]:
    by_intent: Dict[str, List[str]] = {}
    for message in load_data(str(path)).intent_examples:
        by_intent.setdefault(message.get("intent"), []).append(message.get("text"))
    return by_intent


@pytest.fixture(scope="module")
def heldout() -> Dict[str, List[str]]:
    return examples_by_intent(HELDOUT_FILE)


def test_the_file_is_rasa_3_1_nlu_yaml():
    content = yaml.safe_load(HELDOUT_FILE.read_text(encoding="utf-8"))
    assert content["version"] == "3.1"
    assert set(content) == {"version", "nlu"}
    assert all(set(block) == {"intent", "examples"} for block in content["nlu"])


def test_every_intent_is_there_and_nothing_else(heldout):
    assert set(heldout) == set(MINIMUM)


@pytest.mark.parametrize("intent, minimum", MINIMUM.items())
def test_each_intent_has_enough_examples(heldout, intent, minimum):
    assert len(heldout.get(intent, [])) >= minimum


def test_no_example_occurs_twice(heldout):
    counts = Counter(normalise(text) for texts in heldout.values() for text in texts)
    assert [text for text, count in counts.items() if count > 1] == []


def test_no_example_is_in_the_training_data(heldout):
    training: Set[str] = {normalise(text) for texts in examples_by_intent(TRAINING_DIR).values() for text in texts}
    leaked = sorted(text for texts in heldout.values() for text in texts if normalise(text) in training)
    assert leaked == [], "held-out examples also in data/nlu (remove them from one of the two)"


def test_every_intent_is_in_the_domain(heldout):
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    declared = {intent if isinstance(intent, str) else next(iter(intent)) for intent in domain["intents"]}
    assert sorted(set(heldout) - declared) == []
