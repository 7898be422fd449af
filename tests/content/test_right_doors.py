"""The right door (assistant/content/right_doors.py): which organisation a question belongs to,
and what the resident is told."""

import re

import pytest

from assistant.content.right_doors import door_answer, door_for, load_doors

# Words of Wegwijzer's own subjects: a question with only these is never sent elsewhere.
OWN_SUBJECTS = ["pgb", "wmo", "eigen bijdrage", "gemeente", "zorg", "hulp", "mantelzorg", "cliëntondersteuning"]


def test_every_door_names_its_source_and_how_to_reach_it():
    for key, door in load_doors().items():
        assert door.source.url.startswith("http") and door.source.organisation, key
        assert bool(door.words) != door.own_subject and all(word == word.lower() for word in door.words), key
        assert door.website or key in ("zorgverzekeraar", "zorgkantoor"), key


def test_no_word_belongs_to_two_doors_or_to_wegwijzers_own_subjects():
    words = [word for door in load_doors().values() for word in door.words]
    assert len(words) == len(set(words))
    assert set(words).isdisjoint(OWN_SUBJECTS)


@pytest.mark.parametrize(
    "question, organisation",
    [
        ("Wanneer krijg je kinderbijslag?", "SVB"),
        ("Hoe vraag ik zorgtoeslag aan?", "Dienst Toeslagen"),
        ("Ik heb een vraag over mijn WW-uitkering", "UWV"),
        ("Hoe verleng ik mijn verblijfsvergunning?", "IND"),
        ("Do I need to file my income tax return?", "Belastingdienst"),
    ],
)
def test_a_question_about_another_organisations_subject_finds_it(question, organisation):
    assert door_for(question).name == organisation


@pytest.mark.parametrize(
    "question",
    [
        "Wat is de eigen bijdrage voor de Wmo?",
        "Hoe vraag ik een pgb aan?",
        "Is cliëntondersteuning gratis?",
        "Mijn partner heeft de AOW-leeftijd nog niet. Betaal ik een eigen bijdrage?",
        "Hoe werkt het trekkingsrecht?",
        "Hoe hoog wordt de eigen bijdrage voor het CAK?",
        "Mijn pgb-zorgverleners zijn al maanden niet betaald door de SVB",
        "Welke zorg kunt u regelen met een Zvw-pgb?",
        "",
        "kind",
    ],
)
def test_wegwijzers_own_questions_find_no_other_door(question):
    assert door_for(question) is None


def test_a_word_inside_another_word_is_no_match():
    assert door_for("de zorgtoeslagpartner") is None  # not 'zorgtoeslag', not 'toeslagpartner'
    assert door_for("werkwijzer") is None  # has no 'wia' or 'ww' of its own


def test_the_answer_says_where_to_go_not_the_municipality_with_the_source():
    answer = door_answer(door_for("Wanneer krijg je kinderbijslag?")).render()
    assert answer.startswith("Daarvoor kunt u terecht bij de SVB, niet bij de gemeente.")
    assert "https://www.svb.nl" in answer and re.search(r"\nBron: .+https?://", answer)
