"""The `gemeente` lookup table and regexes, applied the way Rasa's RegexEntityExtractor does."""

import re
from typing import Dict, List

import pytest
from rasa.nlu.utils.pattern_utils import extract_patterns
from rasa.shared.nlu.training_data.loading import load_data

from assistant.settings import GENERATED_LOOKUP_FILE
from municipalities.importer import REGISTER_CSV, read_register
from municipalities.nlu_lookup import COMMON_WORD_NAMES, lookup_yaml


def spellings_to_recognise():
    """Each municipality's official and short name, and their lower case unless a common word."""
    for row in read_register(REGISTER_CSV):
        names = {row.name, row.short_name}
        names |= {name.lower() for name in names if name not in COMMON_WORD_NAMES}
        for name in sorted(names):
            yield pytest.param(row.cbs_code, name, id=f"{row.cbs_code}:{name}")


@pytest.fixture(scope="module")
def patterns() -> List[Dict[str, str]]:
    training_data = load_data(str(GENERATED_LOOKUP_FILE))
    return extract_patterns(training_data, use_lookup_tables=True, use_regexes=True, use_word_boundaries=True)


def gemeente_entities(patterns: List[Dict[str, str]], text: str) -> List[str]:
    """The `gemeente` texts RegexEntityExtractor(case_sensitive=False) finds in `text`."""
    return [
        match.group()
        for pattern in patterns
        if pattern["name"] == "gemeente"
        for match in re.finditer(pattern["pattern"], text, flags=re.IGNORECASE)
    ]


def test_lookup_file_is_up_to_date_with_the_directory(directory):
    committed = GENERATED_LOOKUP_FILE.read_text(encoding="utf-8")
    assert committed == lookup_yaml(directory), (
        "data/nlu/generated/lookup_gemeente.yml is out of date: run `./wegwijzer generate`"
    )


@pytest.mark.parametrize("cbs_code, name", spellings_to_recognise())
def test_municipality_is_recognised_in_a_sentence(patterns, resolver, cbs_code, name):
    found = [
        resolver.resolve(entity).municipality
        for entity in gemeente_entities(patterns, f"ik woon in {name}, wat is het nummer")
    ]
    assert cbs_code in {municipality.cbs_code for municipality in found if municipality}, found


@pytest.mark.parametrize("text", ["het best", "mijn buren", "bij de beek", "de sluis"])
def test_common_words_in_lower_case_are_not_municipalities(patterns, text):
    assert gemeente_entities(patterns, text) == []


def test_a_common_word_name_with_a_capital_is_a_municipality(patterns):
    assert gemeente_entities(patterns, "ik woon in Best") == ["Best"]


@pytest.mark.parametrize(
    "text",
    [
        "kan een pgb leiden tot een hogere eigen bijdrage",
        "wij hebben twee huizen",
        "een houten trap in huis",
        "wij kampen met schulden",
    ],
)
def test_other_common_dutch_words_are_not_municipalities(patterns, text):
    assert gemeente_entities(patterns, text) == []


def test_places_are_a_feature_not_an_entity(patterns):
    plaats = next(pattern["pattern"] for pattern in patterns if pattern["name"] == "plaats")
    assert re.search(plaats, "ik woon in Hoofddorp", flags=re.IGNORECASE)
    assert gemeente_entities(patterns, "ik woon in Hoofddorp") == []
