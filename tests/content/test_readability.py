"""Every text a resident reads (answers, messages, flow questions, responses) meets the project's B1
limits (assistant/content/readability.py)."""

import pytest
import yaml

from assistant.content.answers import load_answer_texts, message_templates, topics
from assistant.content.facts import load_facts
from assistant.content.knowledge import entries
from assistant.content.readability import (
    ENGLISH_RESPONSES,
    MAX_WORDS_PER_SENTENCE,
    MIN_FLESCH_DOUMA,
    MIN_WORDS_FOR_SCORE,
    measure,
    resident_texts,
    syllables,
)
from assistant.content.right_doors import load_doors
from assistant.flows.questions import questions
from assistant.settings import DOMAIN_FILE

TEXTS = list(resident_texts())


@pytest.mark.parametrize("name, text", TEXTS, ids=[name for name, _ in TEXTS])
def test_text_is_b1(name, text):
    result = measure(text)
    assert result.words_per_sentence <= MAX_WORDS_PER_SENTENCE, (
        f"{name}: {result.words_per_sentence:.1f} words per sentence"
    )
    if result.words >= MIN_WORDS_FOR_SCORE:
        assert result.flesch_douma >= MIN_FLESCH_DOUMA, f"{name}: Flesch-Douma {result.flesch_douma:.1f}"


def test_every_answer_message_and_response_is_checked():
    """Answers that name the maximum are checked twice: with a known amount and for a year without one;
    every right-door answer and knowledge-base entry once (in Dutch: English is measured by no Dutch formula)."""
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    with_amount = [topic for topic in topics() if "{maximum}" in load_answer_texts()[topic]["text"]]
    unknown_year = load_facts().latest_tariff().year + 1
    dutch_messages = [key for key in message_templates() if not key.endswith("_en")]
    expected = len(topics()) + len(with_amount) + len(dutch_messages) + len(questions()) + len(load_doors())
    expected += len(entries())
    dutch_responses = [variants for name, variants in responses.items() if name not in ENGLISH_RESPONSES]
    assert len(TEXTS) == expected + sum(len(variants) for variants in dutch_responses) > 40
    assert {f"answer {topic} ({unknown_year})" for topic in with_amount} <= {name for name, _ in TEXTS}
    assert len(with_amount) == 5


@pytest.mark.parametrize(
    "word, count",
    [
        ("hulp", 1),
        ("gemeente", 3),
        ("huishouden", 3),
        ("ondersteuning", 4),
        ("zorgverzekeraar", 5),
        ("eeuw", 1),
        ("Wmo", 1),
        ("cliëntondersteuning", 6),
        ("één", 1),
        ("vóór", 1),
        ("cliënt", 2),
        ("geïnteresseerd", 5),
    ],
)
def test_dutch_syllables(word, count):
    assert syllables(word) == count


def test_sentences_urls_and_sources():
    result = measure(
        "Bel de gemeente. Kijk op https://www.example.nl/een/heel/lang/adres.\n\nBron: CAK, https://www.hetcak.nl"
    )
    assert (result.sentences, result.words) == (2, 5)


def test_a_long_sentence_with_long_words_fails_the_limits():
    text = (
        "De onafhankelijke cliëntondersteuningsorganisatie ondersteunt zorgvragers bij de "
        "totstandkoming van maatwerkvoorzieningen overeenkomstig de verordening maatschappelijke ondersteuning."
    )
    result = measure(text)
    assert (
        not result.is_b1()
        and result.words_per_sentence > MAX_WORDS_PER_SENTENCE
        and result.flesch_douma < MIN_FLESCH_DOUMA
    )
