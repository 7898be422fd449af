"""The turn of the year, with a frozen clock: on 31 December 2026 the answers give the 2026
amount; from 1 January 2027, while facts.yml has no 2027 amount, every answer, message and
flow says that the amount for 2027 is not known here, gives the last known amount with its
own year and points to the CAK. One year's amount is never presented as another's."""

import asyncio
import re
from datetime import date
from typing import Dict, List

import pytest
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions.answer_question import ActionAnswerQuestion
from actions.eigen_bijdrage_form import ActionAskYear, ActionEigenBijdrageUitslag, ValidateEigenBijdrageForm
from assistant import clock
from assistant.content.answers import Answer, LocalContext, build_answer, load_answer_texts, topics
from assistant.content.facts import load_facts
from assistant.flows.eigen_bijdrage import ALREADY_PAYS, CHILD, PARTNER, PROVISION, YEAR
from assistant.flows.questions import DONT_KNOW
from assistant.settings import TODAY
from municipalities.overrides import LocalContribution, Override
from tests.support.trackers import DOMAIN, make_tracker, texts

FACTS = load_facts()
LAST_KNOWN = FACTS.latest_tariff()
NEW_YEAR_EVE, NEW_YEAR, LATER = date(2026, 12, 31), date(2027, 1, 1), date(2028, 6, 1)
DAYS = [NEW_YEAR_EVE, NEW_YEAR, LATER]
AMOUNT_TOPICS = [topic for topic in topics() if "{maximum}" in load_answer_texts()[topic]["text"]]
CAK_WEBSITE, CAK_PHONE = FACTS.facts["website_cak"].text, FACTS.facts["telefoon_cak"].text
PAYS_AT_MOST = {
    PROVISION: "huishoudelijke_hulp",
    CHILD: "nee",
    PARTNER: "nee",
    ALREADY_PAYS: "nee",
    "eb_gemeente_overgeslagen": True,
}


def amounts_have_their_own_year(text: str) -> None:
    """Every '€ x,yy' stands in a sentence that names a year whose known amount it is."""
    for sentence in re.split(r"(?<=[.?!])\s+|\n", text):
        for amount in re.findall(r"€ (\d+,\d{2})", sentence):
            years = {int(year) for year in re.findall(r"\b20\d\d\b", sentence)}
            assert any(FACTS.tariff(year) and FACTS.tariff(year).amount == amount for year in years), sentence


def says_not_known_yet(text: str, year: int) -> None:
    assert f"Het bedrag voor {year} weet ik nog niet." in text
    assert (
        f"Het laatste bedrag dat ik ken, is van {LAST_KNOWN.year}: "
        f"maximaal € {LAST_KNOWN.amount} per {LAST_KNOWN.period}." in text
    )
    assert CAK_WEBSITE in text and CAK_PHONE in text
    assert f"In {year} betaalt u" not in text


def answer_action(topic: str, slots: Dict[str, str] = None) -> str:
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, make_tracker(topic, slots=slots), DOMAIN)
    [reply] = texts(dispatcher)
    return reply


def verdict(slots: Dict[str, str]) -> str:
    dispatcher = CollectingDispatcher()
    ActionEigenBijdrageUitslag().run(dispatcher, make_tracker("affirm", slots=slots), DOMAIN)
    [reply] = texts(dispatcher)
    return reply


def read_year(intent: str, text: str) -> List[dict]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        intent, text, slots={REQUESTED_SLOT: YEAR, PROVISION: "vervoer"}, active_loop="eigen_bijdrage_form"
    )
    events = asyncio.run(ValidateEigenBijdrageForm().run(dispatcher, tracker, DOMAIN))
    return [event["value"] for event in events if event.get("name") == YEAR], texts(dispatcher)


def test_the_facts_file_has_no_2027_amount_yet():
    """These tests are about a year without an amount. When the 2027 amount is added (one line
    in facts.yml, with its source), move the later days of this module on by a year."""
    assert LAST_KNOWN.year == 2026 and FACTS.tariff(2027) is None


# --- Answers ---------------------------------------------------------------------------------


def test_the_answers_that_name_the_maximum():
    assert sorted(AMOUNT_TOPICS) == [
        "eigen_bijdrage_check",
        "eigen_bijdrage_hoeveel",
        "eigen_bijdrage_inkomen",
        "eigen_bijdrage_wat",
        "eigen_bijdrage_wie_betaalt",
    ]


@pytest.mark.parametrize("topic", AMOUNT_TOPICS)
def test_on_new_years_eve_the_answer_gives_this_years_amount(topic, freeze_today):
    freeze_today(NEW_YEAR_EVE)
    text = answer_action(topic)
    assert f"In 2026 betaalt u maximaal € {FACTS.tariff(2026).amount} per maand." in text
    amounts_have_their_own_year(text)


@pytest.mark.parametrize("day", [NEW_YEAR, LATER])
@pytest.mark.parametrize("topic", AMOUNT_TOPICS)
def test_from_new_year_the_answer_says_the_amount_is_not_known_yet(topic, day, freeze_today):
    freeze_today(day)
    text = answer_action(topic)
    says_not_known_yet(text, day.year)
    amounts_have_their_own_year(text)
    assert FACTS.sources["cak_2026"].url in text  # the source of the last known amount


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("topic", topics())
def test_no_answer_presents_one_years_amount_as_another_s(topic, day, freeze_today):
    freeze_today(day)
    amounts_have_their_own_year(build_answer(topic).render())
    for year in (2019, 2025, day.year, day.year + 1):
        amounts_have_their_own_year(build_answer(topic, year).render())


def test_a_year_the_resident_names_is_answered_for_that_year(freeze_today):
    freeze_today(NEW_YEAR)
    assert "In 2026 betaalt u maximaal € 21,80 per maand." in build_answer("eigen_bijdrage_hoeveel", 2026).text
    says_not_known_yet(build_answer("eigen_bijdrage_hoeveel", 2028).text, 2028)


def test_a_local_rate_is_not_added_to_a_year_it_was_not_given_for(freeze_today):
    freeze_today(NEW_YEAR)
    contribution = LocalContribution(
        (2026,), "0,00", ("inwoners met een laag inkomen",), "https://www.example.nl/eigen-bijdrage"
    )
    local = LocalContext(
        "Voorbeeld", Override("GM0363", "https://www.example.nl", date(2026, 11, 1), contribution=contribution)
    )
    text = build_answer("eigen_bijdrage_hoeveel", local=local).text
    says_not_known_yet(text, 2027)
    assert "inwoners met een laag inkomen" not in text
    assert "- inwoners met een laag inkomen" in build_answer("eigen_bijdrage_hoeveel", 2026, local=local).text


# --- The eigen-bijdrage check ----------------------------------------------------------------


@pytest.mark.parametrize(
    "day, buttons", [(NEW_YEAR_EVE, ["2026", "2025"]), (NEW_YEAR, ["2027", "2026"]), (LATER, ["2028"])]
)
def test_the_year_question_offers_this_year_and_last_year_with_a_known_amount(day, buttons, freeze_today):
    freeze_today(day)
    dispatcher = CollectingDispatcher()
    ActionAskYear().run(dispatcher, make_tracker("affirm"), DOMAIN)
    [asked] = dispatcher.messages
    assert [button["title"] for button in asked["buttons"]] == buttons


@pytest.mark.parametrize("day", DAYS)
@pytest.mark.parametrize("intent, text", [("nlu_fallback", "dit jaar"), ("dont_know", "weet ik niet")])
def test_this_year_is_this_year_also_without_a_known_amount(intent, text, day, freeze_today):
    freeze_today(day)
    assert read_year(intent, text) == ([str(day.year)], [])


def test_a_typed_year_without_an_amount_is_taken_when_it_is_this_year_or_next_year(freeze_today):
    freeze_today(NEW_YEAR_EVE)
    assert read_year("nlu_fallback", "2027") == (["2027"], [])
    freeze_today(LATER)
    assert read_year("nlu_fallback", "2029") == (["2029"], [])
    values, [reply] = read_year("nlu_fallback", "vorig jaar")  # 2027: no amount, and not this year
    assert values == [None] and reply.startswith("Het bedrag voor 2027 ken ik niet.")


@pytest.mark.parametrize("day", [NEW_YEAR, LATER])
def test_the_check_gives_an_honest_verdict_for_a_year_without_an_amount(day, freeze_today):
    freeze_today(day)
    for slots in (PAYS_AT_MOST, {**PAYS_AT_MOST, YEAR: str(day.year)}):
        text = verdict(slots)
        assert text.startswith("U betaalt een eigen bijdrage, één keer voor uw hele huishouden.")
        says_not_known_yet(text, day.year)
        amounts_have_their_own_year(text)


def test_the_check_still_gives_the_amount_of_a_known_year(freeze_today):
    freeze_today(NEW_YEAR)
    text = verdict({**PAYS_AT_MOST, YEAR: "2026"})
    assert text.startswith("In 2026 betaalt u maximaal € 21,80 per maand.")


@pytest.mark.parametrize("day", DAYS)
def test_when_the_outcome_depends_the_open_questions_stay_and_the_amount_is_honest(day, freeze_today):
    freeze_today(day)
    text = verdict({**PAYS_AT_MOST, CHILD: DONT_KNOW})
    assert "Misschien betaalt u niets." in text
    amounts_have_their_own_year(text)
    if FACTS.tariff(day.year) is None:
        says_not_known_yet(text, day.year)


@pytest.mark.parametrize("day", DAYS)
def test_a_verdict_of_nothing_to_pay_needs_no_amount(day, freeze_today):
    freeze_today(day)
    text = verdict({PROVISION: "rolstoel"})
    assert "geen eigen bijdrage" in text and "€" not in text and "weet ik" not in text


def test_the_check_starts_with_a_year_from_the_first_message_only_when_it_can_be_checked(freeze_today):
    freeze_today(NEW_YEAR)
    form = ValidateEigenBijdrageForm()
    for typed, expected in (("2027", {YEAR: "2027"}), ("2025", {YEAR: "2025"}), ("2031", {})):
        tracker = make_tracker(
            "eigen_bijdrage_check", f"wat betaal ik in {typed}", [{"entity": "jaar", "value": typed}]
        )
        assert form.extract_eb_jaar(CollectingDispatcher(), tracker, DOMAIN) == expected


def test_every_unknown_year_answer_names_the_cak_as_a_source(freeze_today):
    freeze_today(NEW_YEAR)
    rendered = Answer.render(build_answer("eigen_bijdrage_hoeveel"))
    sources = rendered.split("\n\nBron")[-1]
    assert FACTS.facts["telefoon_cak"].source.url in sources and FACTS.facts["website_cak"].source.url in sources


# --- Previewing another day ------------------------------------------------------------------


def test_a_preview_day_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv(TODAY.name, raising=False)
    assert clock.preview_day() is None
    monkeypatch.setenv(TODAY.name, "2027-01-01")
    assert clock.preview_day() == NEW_YEAR
    monkeypatch.setenv(TODAY.name, "1 januari")
    with pytest.raises(ValueError):
        clock.preview_day()
