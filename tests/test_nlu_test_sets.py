"""Structure of the two NLU test sets that are never trained on; their scores are a benchmark.

tests/nlu_heldout holds the figure we report; tests/nlu_dev is the set to study errors on and to
compare configs with (benchmarks.nlu_heldout --test-set dev). Neither may share a message with
data/nlu or with the other.
"""

from collections import Counter
from typing import Dict, List

import pytest
import yaml

from assistant.settings import PROJECT_ROOT
from tests.support.nlu import examples_by_intent, normalise, texts

TEST_SETS = {name: PROJECT_ROOT / "tests" / f"nlu_{name}" / "nlu.yml" for name in ("heldout", "dev")}
TRAINING_DIR = PROJECT_ROOT / "data" / "nlu"

SMALL_TALK = [
    "greet",
    "goodbye",
    "thanks",
    "english",
    "affirm",
    "deny",
    "dont_know",
    "stop",
    "go_back",
    "human_handover",
    "callback_request",
]
TOPICS = [
    "out_of_scope",
    "clientondersteuning_wat",
    "clientondersteuning_kosten_onafhankelijk",
    "clientondersteuning_wie",
    "clientondersteuning_aanvragen",
    "clientondersteuning_keukentafelgesprek",
    "wlz_clientondersteuning",
    "wmo_aanvragen",
    "wmo_persoonlijk_plan",
    "wmo_besluit",
    "wmo_bezwaar",
    "wmo_voorzieningen",
    "eigen_bijdrage_wat",
    "eigen_bijdrage_hoeveel",
    "eigen_bijdrage_wie_betaalt",
    "eigen_bijdrage_brief_cak",
    "eigen_bijdrage_inkomen",
    "eigen_bijdrage_check",
    "pgb_wat",
    "pgb_voorwaarden",
    "pgb_aanvragen",
    "pgb_trekkingsrecht",
    "pgb_of_zorg_in_natura",
    "pgb_besteden",
    "pgb_familie",
    "pgb_check",
    "mantelzorg",
    "respijtzorg",
    "jeugdhulp",
    "wlz_indicatie",
    "gemeente_contact",
    "inform_gemeente",
]
MINIMUM = {
    # english: 4, since issue 14 moved its topical questions to their topics (tests/nlu_heldout/README.md).
    "heldout": {**{intent: 15 for intent in SMALL_TALK}, **{intent: 20 for intent in TOPICS}, "english": 4},
    # Short messages that were also in the training data or the held-out set were taken out.
    "dev": {**{intent: 1 for intent in SMALL_TALK}, **{intent: 8 for intent in TOPICS}},
}


@pytest.fixture(scope="module", params=TEST_SETS)
def test_set(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def examples(test_set) -> Dict[str, List[str]]:
    return examples_by_intent(TEST_SETS[test_set])


def test_the_file_is_rasa_3_1_nlu_yaml(test_set):
    content = yaml.safe_load(TEST_SETS[test_set].read_text(encoding="utf-8"))
    assert content["version"] == "3.1"
    assert set(content) == {"version", "nlu"}
    assert all(set(block) == {"intent", "examples"} for block in content["nlu"])


def test_every_intent_is_there_and_nothing_else(test_set, examples):
    assert set(examples) == set(MINIMUM[test_set])


def test_each_intent_has_enough_examples(test_set, examples):
    too_few = {
        intent: len(examples.get(intent, []))
        for intent, minimum in MINIMUM[test_set].items()
        if len(examples.get(intent, [])) < minimum
    }
    assert too_few == {}


def test_no_example_occurs_twice(examples):
    counts = Counter(normalise(text) for texts in examples.values() for text in texts)
    assert [text for text, count in counts.items() if count > 1] == []


def test_no_example_is_in_the_training_data(examples):
    leaked = sorted(texts(examples) & texts(examples_by_intent(TRAINING_DIR)))
    assert leaked == [], "test examples also in data/nlu (remove them from one of the two)"


def test_the_two_test_sets_share_no_example():
    heldout, dev = (texts(examples_by_intent(path)) for path in TEST_SETS.values())
    assert sorted(heldout & dev) == []


def test_every_intent_is_in_the_domain(examples):
    domain = yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text(encoding="utf-8"))
    declared = {intent if isinstance(intent, str) else next(iter(intent)) for intent in domain["intents"]}
    assert sorted(set(examples) - declared) == []
