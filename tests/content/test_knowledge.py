"""The knowledge base (assistant/content/knowledge/): every entry complete, sourced and B1,
its training data current, and the checks that hold it to that."""

import textwrap

import pytest

from assistant.content.answers import DUTCH, ENGLISH, fields, has_english, load_answer_texts, topics
from assistant.content.facts import ENGLISH_UNITS, load_facts
from assistant.content.knowledge import entries, entry_files, knowledge_answer, training_data_yaml
from assistant.content.knowledge.checks import problems
from assistant.settings import DATA_DIR, GENERATED_KNOWLEDGE_FILE
from tests.support.nlu import examples_by_intent, normalise, texts

MINIMUM_ENTRIES = 200


def test_every_entry_passes_the_checks():
    assert problems(entry_files()) == []


def test_the_knowledge_base_has_at_least_200_entries():
    assert len(entries()) >= MINIMUM_ENTRIES


def test_the_generated_training_data_is_current():
    assert GENERATED_KNOWLEDGE_FILE.read_text(encoding="utf-8") == training_data_yaml(), (
        "run ./wegwijzer generate after changing the knowledge base"
    )


@pytest.mark.parametrize("entry_id", list(entries()))
def test_an_entry_renders_in_dutch_and_english_with_its_sources(entry_id):
    dutch, english = knowledge_answer(entry_id, DUTCH).render(), knowledge_answer(entry_id, ENGLISH).render()
    assert "\n\nBron" in dutch and "\n\nSource" in english
    assert "{" not in dutch + english and "}" not in dutch + english


def test_no_phrasing_is_also_an_example_of_another_intent():
    """A phrasing that trains both an entry and a topic intent teaches the classifier nothing."""
    hand_written = {text for path in DATA_DIR.glob("nlu/*.yml") for text in texts(examples_by_intent(path))}
    clashes = [
        (entry.id, phrasing)
        for entry in entries().values()
        for phrasing in entry.vragen + entry.questions
        if normalise(phrasing) in hand_written
    ]
    assert clashes == []


def check(tmp_path, text):
    path = tmp_path / "thema.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return problems([path])


VALID = """
    thema_cak_bellen:
      vragen: [wat is het nummer van het cak, cak bellen, hoe bel ik het cak, nummer cak, cak telefoon, cak nummer]
      questions: [what is the phone number of the CAK, how do I call the CAK]
      antwoord: U kunt het CAK gratis bellen op {telefoon_cak}.
      answer: You can call the CAK for free on {telefoon_cak}.
      bronnen: [bergendal_cak]
"""


def test_a_complete_entry_passes(tmp_path):
    assert check(tmp_path, VALID) == []


@pytest.mark.parametrize(
    "change, problem",
    [
        (("{telefoon_cak}.\n", "0800 1925.\n"), "types the fact telefoon_cak"),
        (("gratis bellen op {telefoon_cak}", "bellen op {onbekend_nummer}"), "unknown facts: onbekend_nummer"),
        (("[bergendal_cak]", "[geen_bron]"), "unknown source key geen_bron"),
        (
            (
                "U kunt het CAK gratis bellen op {telefoon_cak}.",
                "U kunt het CAK, dat namens de gemeenten de eigen "
                "bijdrage voor de maatschappelijke ondersteuning int, gratis bellen op {telefoon_cak}.",
            ),
            "not B1",
        ),
        (("cak nummer]", "cak nummer]\n      gerelateerd: [thema_bestaat_niet]"), "unknown gerelateerd"),
        (("hoe bel ik het cak, nummer cak,", ""), "at least 6 Dutch phrasings"),
    ],
)
def test_the_checks_find_each_problem(tmp_path, change, problem):
    old, new = change
    assert old in VALID
    found = check(tmp_path, VALID.replace(old, new))
    assert any(problem in line for line in found), found


def test_two_entries_with_the_same_phrasing_are_found(tmp_path):
    twice = VALID + VALID.replace("thema_cak_bellen", "thema_cak_opbellen")
    assert any("is also a phrasing of thema_cak_bellen" in line for line in check(tmp_path, twice))


def test_every_fact_an_english_answer_uses_reads_english():
    dutch_units = {word for word, english in ENGLISH_UNITS.items() if word != english}
    templates = [entry.answer for entry in entries().values()]
    templates += [load_answer_texts()[topic]["text_en"] for topic in topics() if has_english(topic)]
    facts = load_facts().facts
    used = {field for template in templates for field in fields(template) if field in facts}
    still_dutch = {name: facts[name].english() for name in used if dutch_units & set(facts[name].english().split())}
    assert still_dutch == {}
