"""The guided eigen-bijdrage check (assistant/flows/eigen_bijdrage.py): which questions are
asked, how the answers become a Household, and the verdict the resident reads."""

import itertools
import re
from datetime import date

import pytest

from assistant.flows import eigen_bijdrage as check
from assistant.content.answers import Local, message
from assistant.flows.eigen_bijdrage_rules import FREE_PROVISIONS, Household, Provision, Question, Verdict, assess
from assistant.content.facts import load_facts
from assistant.flows.questions import DONT_KNOW
from municipalities.overrides import LocalContribution, Override

FACTS = load_facts()
YEARS = list(range(2019, 2027))
P, Y, C, PA, AOW, AL, G = check.PROVISION, check.YEAR, check.CHILD, check.PARTNER, check.BELOW_AOW, check.ALREADY_PAYS, check.MUNICIPALITY
ADULT_ALONE = {P: "huishoudelijke_hulp", Y: "2026", C: "nee", PA: "nee", AL: "nee"}
GROUP = "inwoners met schulden"
LOCAL = LocalContribution(years=(2024, 2025), monthly_amount="0,00", for_whom=(GROUP,), source="https://www.example.nl/eigen-bijdrage")


# --- Which questions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, skipped, expected",
    [
        ({}, False, [P, Y, C, PA, AL, G]),
        ({P: "huishoudelijke_hulp"}, False, [P, Y, C, PA, AL, G]),
        ({P: DONT_KNOW}, False, [P, Y, C, PA, AL, G]),
        ({P: "rolstoel"}, False, [P]),
        ({P: "rolstoel", Y: "2024", C: "nee"}, False, [P]),  # earlier answers do not matter
        ({P: "beschermd_wonen"}, False, [P]),
        ({P: "begeleiding", Y: "2026", C: "ja"}, False, [P, Y, C]),
        ({P: "begeleiding", Y: "2026", C: DONT_KNOW}, False, [P, Y, C, PA, AL, G]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "nee"}, False, [P, Y, C, PA, AL, G]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "nee", AOW: "ja"}, False, [P, Y, C, PA, AL, G]),  # a stale answer
        ({P: "begeleiding", Y: "2026", C: "nee", PA: DONT_KNOW}, False, [P, Y, C, PA, AL, G]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "ja"}, False, [P, Y, C, PA, AOW, AL, G]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "ja", AOW: "ja"}, False, [P, Y, C, PA, AOW]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "ja", AOW: "nee"}, False, [P, Y, C, PA, AOW, AL, G]),
        ({P: "begeleiding", Y: "2026", C: "nee", PA: "ja", AOW: DONT_KNOW}, False, [P, Y, C, PA, AOW, AL, G]),
        ({**ADULT_ALONE, AL: "ja"}, False, [P, Y, C, PA, AL]),
        (ADULT_ALONE, False, [P, Y, C, PA, AL, G]),
        (ADULT_ALONE, True, [P, Y, C, PA, AL]),
        ({}, True, [P, Y, C, PA, AL]),
    ],
)
def test_questions_to_ask(answers, skipped, expected):
    assert check.questions_to_ask(answers, skipped) == expected


@pytest.mark.parametrize("provision", [item.value for item in Provision])
def test_the_municipality_is_asked_last_or_not_at_all(provision):
    for answers in ({P: provision}, {**ADULT_ALONE, P: provision}):
        needed = check.questions_to_ask(answers)
        assert G not in needed[:-1]
        assert needed[0] == P


REPLIES = ["ja", "nee", DONT_KNOW]


def _walk(provision: str, replies: dict) -> dict:
    """Answers the questions one by one, as the form does, until none is left."""
    answers = {P: provision, Y: "2026"}
    while True:
        missing = [slot for slot in check.questions_to_ask(answers, municipality_skipped=True) if answers.get(slot) is None]
        if not missing:
            return answers
        answers[missing[0]] = replies[missing[0]]


@pytest.mark.parametrize("provision", ["huishoudelijke_hulp", "rolstoel", "beschermd_wonen", DONT_KNOW])
def test_skipping_questions_never_changes_the_outcome(provision):
    """The verdict after the skips is the verdict had every question been asked."""
    for child, partner, below_aow, already in itertools.product(REPLIES, repeat=4):
        replies = {C: child, PA: partner, AOW: below_aow, AL: already}
        asked = _walk(provision, replies)
        everything = {P: provision, Y: "2026", **replies}
        short = assess(check.household(asked, 2026), FACTS)
        full = assess(check.household(everything, 2026), FACTS)
        assert (short.verdict, short.reason, short.open_questions) == (full.verdict, full.reason, full.open_questions), replies
        if AL not in check.questions_to_ask(asked, municipality_skipped=True):
            assert short.verdict in (Verdict.PAYS_NOTHING, Verdict.INCOME_DEPENDENT)


# --- The answers as a Household --------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, expected",
    [
        ({P: "huishoudelijke_hulp", C: "nee", PA: "nee", AL: "nee"}, (Provision.HUISHOUDELIJKE_HULP, False, False, False)),
        ({P: "begeleiding", C: "ja"}, (Provision.BEGELEIDING, True, None, None)),
        ({P: "vervoer", C: DONT_KNOW, PA: DONT_KNOW, AL: DONT_KNOW}, (Provision.VERVOER, None, None, None)),
        ({P: "hulpmiddel", C: "nee", PA: "ja", AOW: "ja", AL: "nee"}, (Provision.HULPMIDDEL, False, True, False)),
        ({P: "hulpmiddel", C: "nee", PA: "ja", AOW: "nee"}, (Provision.HULPMIDDEL, False, False, None)),
        ({P: "hulpmiddel", C: "nee", PA: "ja", AOW: DONT_KNOW}, (Provision.HULPMIDDEL, False, None, None)),
        ({P: "hulpmiddel", C: "nee", PA: "ja"}, (Provision.HULPMIDDEL, False, None, None)),  # age not asked yet
        ({P: "hulpmiddel", C: "nee", PA: "nee", AOW: "ja"}, (Provision.HULPMIDDEL, False, False, None)),  # no partner
        ({P: "woningaanpassing", PA: DONT_KNOW, AOW: "ja"}, (Provision.WONINGAANPASSING, None, None, None)),
        ({P: DONT_KNOW}, (Provision.ANDERS, None, None, None)),
        ({}, (Provision.ANDERS, None, None, None)),
        ({P: "rolstoel"}, (Provision.ROLSTOEL, None, None, None)),
        ({P: "beschermd_wonen"}, (Provision.BESCHERMD_WONEN, None, None, None)),
    ],
)
def test_household(answers, expected):
    result = check.household(answers, 2024)
    assert isinstance(result, Household) and result.year == 2024
    assert (result.provision, result.for_child_under_18, result.partner_below_aow, result.already_pays) == expected


# --- The verdict the resident reads ----------------------------------------------------------


def rendered(answers, year, municipality=None, local=None):
    """The verdict for a resident of `municipality`, whose own data has the lower rate `local`."""
    override = Override("GM0363", local.source if local else "https://www.example.nl", date(2026, 11, 22), contribution=local)
    return check.verdict_answer(answers, year, FACTS, Local(municipality, override) if municipality else None).render()


def has_sources(text: str) -> bool:
    return re.search(r"\n\nBronn?en?: .*https://", text) is not None


def bullets(text: str) -> list:
    """The open questions listed when the outcome depends on them."""
    return [line for line in text.splitlines() if line.startswith("- ")]


def open_question(question: Question) -> str:
    return "- " + message(check.OPEN_QUESTION_MESSAGES[question], leeftijd_kind=FACTS.facts["leeftijd_kind"].text)


def test_every_year_the_check_may_ask_has_a_tariff():
    assert FACTS.known_years() == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_pays_at_most_names_the_amount_and_period_of_the_year(year):
    tariff = FACTS.tariff(year)
    text = rendered({**ADULT_ALONE, Y: str(year)}, year)
    assert f"{year}" in text and f"€ {tariff.amount} per {tariff.period}" in text
    other_amounts = {FACTS.tariff(other).amount for other in YEARS} - {tariff.amount}
    assert not any(f"€ {amount}" in text for amount in other_amounts)
    assert bullets(text) == []
    assert has_sources(text) and FACTS.sources[check.CAK_SOURCE].url in text and tariff.source.url in text


@pytest.mark.parametrize("year", YEARS)
def test_depends_names_the_amount_and_each_open_question(year):
    tariff = FACTS.tariff(year)
    answers = {P: "begeleiding", Y: str(year), C: DONT_KNOW, PA: "ja", AOW: DONT_KNOW, AL: DONT_KNOW}
    text = rendered(answers, year)
    assert f"€ {tariff.amount} per {tariff.period}" in text
    assert bullets(text) == [open_question(Question.CHILD), open_question(Question.PARTNER), open_question(Question.ALREADY_PAYS)]
    assert FACTS.facts["leeftijd_kind"].text in bullets(text)[0] and "{" not in text
    assert has_sources(text)


def test_depends_lists_only_the_unknown_questions():
    assert bullets(rendered({**ADULT_ALONE, C: DONT_KNOW}, 2026)) == [open_question(Question.CHILD)]
    assert bullets(rendered({**ADULT_ALONE, AL: DONT_KNOW}, 2026)) == [open_question(Question.ALREADY_PAYS)]
    partner_age_unknown = rendered({**ADULT_ALONE, PA: "ja", AOW: DONT_KNOW}, 2026)
    assert bullets(partner_age_unknown) == [open_question(Question.PARTNER)]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(
    "answers, reason",
    [
        ({P: "rolstoel"}, "rolstoel"),
        ({P: "begeleiding", C: "ja"}, "voor_kind"),
        ({P: "begeleiding", C: "nee", PA: "ja", AOW: "ja"}, "partner_onder_aow"),
        ({P: "begeleiding", C: "nee", PA: "nee", AL: "ja"}, "betaalt_al"),
    ],
)
def test_pays_nothing_gives_the_reason_and_no_amount(year, answers, reason):
    text = rendered({**answers, Y: str(year)}, year)
    assert text.startswith(message(f"eb_uitslag_niets_{reason}", leeftijd_kind=FACTS.facts["leeftijd_kind"].text) + "\n\nBron")
    assert "{" not in text and "€" not in text and bullets(text) == []
    assert has_sources(text) and FACTS.sources["ede_eigen_bijdrage"].url in text


@pytest.mark.parametrize("year", YEARS)
def test_beschermd_wonen_depends_on_income_and_names_the_cak(year):
    text = rendered({P: "beschermd_wonen"}, year)
    assert FACTS.facts["telefoon_cak"].text in text and "inkomen" in text
    assert f"€ {FACTS.tariff(year).amount}" not in text
    assert has_sources(text)


@pytest.mark.parametrize("provision", [provision.value for provision in FREE_PROVISIONS])
def test_every_free_provision_has_a_verdict_text(provision):
    text = rendered({P: provision}, 2026)
    assert "geen eigen bijdrage" in text


def test_a_year_before_the_known_ones_gets_an_honest_verdict():
    text = rendered({**ADULT_ALONE, Y: "2018"}, 2018)
    assert "Het bedrag voor 2018 weet ik niet." in text and "In 2018 betaalt u" not in text


# --- A lower local rate ------------------------------------------------------------------------


def test_a_lower_local_rate_is_added_for_its_years():
    for year in LOCAL.years:
        text = rendered({**ADULT_ALONE, Y: str(year)}, year, "Amsterdam", LOCAL)
        national = f"€ {FACTS.tariff(year).amount} per {FACTS.tariff(year).period}"
        assert national in text
        assert "De gemeente Amsterdam heeft een eigen regeling" in text and "niets te betalen" in text and f"- {GROUP}" in text
        assert "Vraag de gemeente of het voor u geldt." in text  # a scheme for some residents, not a rate for all
        assert text.index(national) < text.index(GROUP)  # national first, then the local scheme


def test_a_lower_local_rate_is_added_when_the_outcome_depends():
    text = rendered({**ADULT_ALONE, Y: "2025", PA: DONT_KNOW}, 2025, "Amsterdam", LOCAL)
    assert bullets(text) == [open_question(Question.PARTNER), f"- {GROUP}"]


@pytest.mark.parametrize(
    "answers, year, municipality",
    [
        (ADULT_ALONE, 2026, "Amsterdam"),  # another year
        (ADULT_ALONE, 2025, None),  # no municipality named
        ({P: "begeleiding", C: "ja"}, 2025, "Amsterdam"),  # pays nothing anyway
        ({P: "rolstoel"}, 2025, "Amsterdam"),
        ({P: "beschermd_wonen"}, 2025, "Amsterdam"),
    ],
)
def test_no_local_rate_where_it_does_not_apply(answers, year, municipality):
    text = rendered(answers, year, municipality, LOCAL)
    assert GROUP not in text and "eigen regeling" not in text


def test_a_lower_local_rate_names_its_source():
    """Every statement rests on a source the resident can check; the local rate's is the
    municipality's page (LocalContribution.source), as in the national answers."""
    text = rendered({**ADULT_ALONE, Y: "2025"}, 2025, "Amsterdam", LOCAL)
    assert LOCAL.source in text.split("\n\nBron")[-1]
