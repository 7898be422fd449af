"""The eigen bijdrage check: one test per rule, and the maximum per year."""

from datetime import date

import pytest

from assistant.content.facts import load_facts
from assistant.flows.eigen_bijdrage_rules import Household, Provision, Question, Verdict, assess
from municipalities.overrides import LocalContribution

FACTS = load_facts()
ADULT_ALONE = dict(for_child_under_18=False, partner_below_aow=False, already_pays=False)


def verdict(**household):
    return assess(Household(**{"year": 2026, "provision": Provision.HUISHOUDELIJKE_HULP, **household}), FACTS)


@pytest.mark.parametrize(
    "year, amount, period",
    [
        (2019, "17,50", "4 weken"),
        (2020, "19,00", "maand"),
        (2023, "19,00", "maand"),
        (2024, "20,60", "maand"),
        (2025, "21,00", "maand"),
        (2026, "21,80", "maand"),
    ],
)
def test_the_maximum_per_year(year, amount, period):
    result = verdict(year=year, **ADULT_ALONE)
    assert result.verdict is Verdict.PAYS_AT_MOST and result.reason == "abonnementstarief"
    assert (result.tariff.amount, result.tariff.period) == (amount, period)


def test_a_year_without_a_known_tariff_gets_the_verdict_without_an_amount():
    result = verdict(year=2031, **ADULT_ALONE)
    assert result.verdict is Verdict.PAYS_AT_MOST and result.tariff is None
    assert verdict(year=2031, provision=Provision.ROLSTOEL).verdict is Verdict.PAYS_NOTHING


@pytest.mark.parametrize("provision", [Provision.ROLSTOEL, Provision.MANTELZORGONDERSTEUNING, Provision.TEGEMOETKOMING])
def test_these_provisions_are_free_whatever_the_household(provision):
    result = verdict(provision=provision)  # nothing else known
    assert (result.verdict, result.reason) == (Verdict.PAYS_NOTHING, provision.value)


def test_a_provision_for_a_child_under_18_is_free():
    result = verdict(**{**ADULT_ALONE, "for_child_under_18": True})
    assert (result.verdict, result.reason) == (Verdict.PAYS_NOTHING, Question.CHILD.value)


def test_partners_of_whom_one_is_below_the_aow_age_pay_nothing():
    result = verdict(**{**ADULT_ALONE, "partner_below_aow": True})
    assert (result.verdict, result.reason) == (Verdict.PAYS_NOTHING, Question.PARTNER.value)


def test_a_household_that_already_pays_does_not_pay_twice():
    result = verdict(**{**ADULT_ALONE, "already_pays": True})
    assert (result.verdict, result.reason) == (Verdict.PAYS_NOTHING, Question.ALREADY_PAYS.value)


def test_beschermd_wonen_has_its_own_income_dependent_contribution():
    result = verdict(provision=Provision.BESCHERMD_WONEN, **ADULT_ALONE)
    assert result.verdict is Verdict.INCOME_DEPENDENT


def test_weet_ik_niet_leaves_the_questions_that_could_make_it_nothing():
    result = verdict(for_child_under_18=False)
    assert result.verdict is Verdict.DEPENDS
    assert result.open_questions == (Question.PARTNER, Question.ALREADY_PAYS)
    assert result.tariff.amount == "21,80"


def test_one_yes_decides_even_when_other_facts_are_unknown():
    assert verdict(partner_below_aow=True).verdict is Verdict.PAYS_NOTHING


def test_a_lower_local_rate_is_given_for_its_years_only():
    local = LocalContribution(
        years=(2025,), monthly_amount="0,00", for_whom=("inwoners met een laag inkomen",), source="https://example.nl"
    )
    household = dict(provision=Provision.BEGELEIDING, **ADULT_ALONE)
    assert assess(Household(year=2025, **household), FACTS, local).local == local
    assert assess(Household(year=2026, **household), FACTS, local).local is None


def test_every_assessment_names_its_sources():
    result = verdict(**ADULT_ALONE)
    assert [source.organisation for source in result.sources] == ["gemeente Ede", "CAK"]
    assert all(source.url.startswith("https://") and isinstance(source.checked, date) for source in result.sources)
