"""The real-questions set (tests/real_questions/) that benchmarks.real_questions measures with:
every question sourced and well-formed, and none of it in the training data."""

import re

import pytest

from assistant.settings import DATA_DIR
from benchmarks.real_questions import KINDS, load_questions
from tests.support.nlu import examples_by_intent, normalise, texts

QUESTIONS = load_questions()
URL = re.compile(r"https?://[^\s/]+\.[^\s]+")


def test_the_set_has_every_kind_of_question():
    kinds = {question["kind"] for question in QUESTIONS}
    assert kinds == set(KINDS) and len(QUESTIONS) >= 300


def test_ids_and_questions_are_unique():
    ids = [question["id"] for question in QUESTIONS]
    texts = [normalise(question["question"]) for question in QUESTIONS]
    assert len(ids) == len(set(ids)) and len(texts) == len(set(texts))


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda question: question["id"])
def test_every_question_is_sourced_and_says_what_a_right_answer_contains(question):
    assert question["question"].strip() and question["language"] in ("nl", "en")
    assert question["kind"] in KINDS and URL.fullmatch(question["source"])
    assert question["key_facts"] and all(
        group and all(str(item).strip() for item in group) for group in question["key_facts"]
    )
    assert (question["kind"] == "english") <= (question["language"] == "en")
    assert (question["kind"] == "other_organisation") == bool(question.get("right_door"))


def test_no_real_question_is_in_the_training_data():
    training = texts(examples_by_intent(DATA_DIR / "nlu"))
    assert [question["id"] for question in QUESTIONS if normalise(question["question"]) in training] == []
