"""The facts file and the answers built from it."""

import re
from datetime import date

import pytest
import yaml

from assistant.content.answers import (
    ANSWERS_FILE,
    MESSAGES_FILE,
    build_answer,
    follow_ups,
    load_answer_texts,
    message,
    topics,
)
from assistant.content.facts import FACTS_FILE, load_facts
from assistant.settings import DOMAIN_FILE

DUTCH_AMOUNT = re.compile(r"€ \d+,\d{2}")


def test_every_source_has_an_https_url_and_a_check_date():
    for key, source in load_facts().sources.items():
        assert source.url.startswith("https://"), key
        assert isinstance(source.checked, date), key


def test_tariffs_cover_2019_to_2026_in_dutch_notation():
    facts = load_facts()
    assert facts.known_years() == list(range(2019, 2027))
    assert facts.tariff(2019).period == "4 weken"
    assert all(re.fullmatch(r"\d+,\d{2}", facts.tariff(year).amount) for year in facts.known_years())


@pytest.mark.parametrize(
    "year, amount",
    [(2019, "17,50"), (2020, "19,00"), (2023, "19,00"), (2024, "20,60"), (2025, "21,00"), (2026, "21,80")],
)
def test_tariff_per_year(year, amount):
    assert load_facts().tariff(year).amount == amount


def test_the_latest_tariff_is_the_one_of_the_latest_known_year():
    facts = load_facts()
    assert facts.latest_tariff() == facts.tariff(max(facts.known_years()))


@pytest.mark.parametrize("topic", topics())
def test_every_answer_is_filled_in_and_names_its_source(topic):
    rendered = build_answer(topic).render()
    assert "{" not in rendered and "}" not in rendered
    assert re.search(r"\n\n(Bron|Bronnen): .+https://", rendered)


@pytest.mark.parametrize("year", range(2019, 2027))
def test_amount_answer_uses_the_year_asked_for(year):
    tariff = load_facts().tariff(year)
    text = build_answer("eigen_bijdrage_hoeveel", year).text
    assert f"In {year} " in text and f"€ {tariff.amount} per {tariff.period}" in text


def test_an_unknown_year_is_said_with_the_latest_known_amount_and_its_year():
    text = build_answer("eigen_bijdrage_hoeveel", 2031).text
    assert text.startswith("Het bedrag voor 2031 weet ik nog niet.")
    assert "Het laatste bedrag dat ik ken, is van 2026: maximaal € 21,80 per maand." in text
    assert "In 2031 betaalt u" not in text


def test_a_year_before_the_known_ones_is_not_called_not_yet_known():
    text = build_answer("eigen_bijdrage_hoeveel", 2015).text
    assert text.startswith("Het bedrag voor 2015 weet ik niet.") and "weet ik nog niet" not in text


def test_a_year_does_not_change_answers_without_an_amount():
    assert build_answer("pgb_wat", 2031) == build_answer("pgb_wat")


def test_answer_and_message_texts_contain_no_typed_numbers():
    """Amounts, deadlines and phone numbers come from facts.yml, never typed into a text."""
    texts = [entry["text"] for entry in load_answer_texts().values()]
    texts += list(yaml.safe_load(MESSAGES_FILE.read_text(encoding="utf-8")).values())
    for text in texts:
        assert not re.search(r"\d", text), text


def test_facts_and_answers_files_are_valid_yaml():
    for path in (FACTS_FILE, ANSWERS_FILE, MESSAGES_FILE):
        assert yaml.safe_load(path.read_text(encoding="utf-8"))


def test_message_fills_in_values():
    assert '"Bnk"' in message("gemeente_onbekend", invoer="Bnk")


def test_domain_responses_contain_no_typed_numbers():
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    for name, variants in responses.items():
        for variant in variants:
            assert not re.search(r"\d", variant["text"]), name


NUMBER = re.compile(r"\d+(?:,\d+)?")


def numbers_in_facts():
    """Every number the facts file holds: amounts, years, deadlines, phone numbers."""
    facts = load_facts()
    values = [fact.text for fact in facts.facts.values()]
    values += [f"{tariff.year} {tariff.amount} {tariff.period}" for tariff in facts.tariffs.values()]
    return {number for value in values for number in NUMBER.findall(value)}


@pytest.mark.parametrize("year", [None, *range(2019, 2027), 2031])
@pytest.mark.parametrize("topic", topics())
def test_every_number_in_an_answer_comes_from_the_facts(topic, year):
    text = re.sub(r"https?://\S+|www\.\S+", "", build_answer(topic, year).text)
    typed = set(NUMBER.findall(text)) - numbers_in_facts() - {str(year)}
    assert not typed, f"{topic}: numbers not from facts.yml: {typed}"


def test_every_next_step_is_an_intent_with_a_button_title():
    domain = yaml.safe_load((ANSWERS_FILE.parent.parent.parent / "domain.yml").read_text(encoding="utf-8"))
    labels = yaml.safe_load((ANSWERS_FILE.parent / "labels.yml").read_text(encoding="utf-8"))
    steps = {intent for topic in topics() for intent in follow_ups(topic)}
    assert steps and steps <= set(domain["intents"]) and steps <= set(labels)
    assert "eigen_bijdrage_check" in follow_ups("eigen_bijdrage_wie_betaalt")


def test_what_clientondersteuning_is_says_first_that_it_is_free_and_independent():
    """What residents most need to hear comes first (issue 14)."""
    first_sentence = build_answer("clientondersteuning_wat").text.split(". ")[0]
    assert "gratis" in first_sentence and "onafhankelijk" in first_sentence
