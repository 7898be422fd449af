"""The guided eigen-bijdrage check (assistant/flows/eigen_bijdrage.py): which questions are
asked, how the answers become a Household, and the verdict the resident reads."""

import itertools
import re
from datetime import date

import pytest

from assistant.content.answers import LocalContext, message
from assistant.content.facts import load_facts
from assistant.flows import eigen_bijdrage
from assistant.flows.eigen_bijdrage import ALREADY_PAYS, BELOW_AOW, CHILD, MUNICIPALITY, PARTNER, PROVISION, YEAR
from assistant.flows.eigen_bijdrage_rules import FREE_PROVISIONS, Household, Provision, Question, Verdict, assess
from assistant.flows.questions import DONT_KNOW
from municipalities.overrides import LocalContribution, Override

FACTS = load_facts()
YEARS = list(range(2019, 2027))
ADULT_ALONE = {PROVISION: "huishoudelijke_hulp", YEAR: "2026", CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee"}
GROUP = "inwoners met schulden"
LOCAL = LocalContribution(
    years=(2024, 2025), monthly_amount="0,00", for_whom=(GROUP,), source="https://www.example.nl/eigen-bijdrage"
)


# --- Which questions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, skipped, expected",
    [
        ({}, False, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY]),
        ({PROVISION: "huishoudelijke_hulp"}, False, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY]),
        ({PROVISION: DONT_KNOW}, False, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY]),
        ({PROVISION: "rolstoel"}, False, [PROVISION]),
        ({PROVISION: "rolstoel", YEAR: "2024", CHILD: "nee"}, False, [PROVISION]),  # earlier answers do not matter
        ({PROVISION: "beschermd_wonen"}, False, [PROVISION]),
        ({PROVISION: "begeleiding", YEAR: "2026", CHILD: "ja"}, False, [PROVISION, YEAR, CHILD]),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: DONT_KNOW},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "nee"},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "nee", BELOW_AOW: "ja"},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY],
        ),  # a stale answer
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: DONT_KNOW},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "ja"},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS, MUNICIPALITY],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "ja", BELOW_AOW: "ja"},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "ja", BELOW_AOW: "nee"},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS, MUNICIPALITY],
        ),
        (
            {PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee", PARTNER: "ja", BELOW_AOW: DONT_KNOW},
            False,
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS, MUNICIPALITY],
        ),
        ({**ADULT_ALONE, ALREADY_PAYS: "ja"}, False, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS]),
        (ADULT_ALONE, False, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY]),
        (ADULT_ALONE, True, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS]),
        ({}, True, [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS]),
    ],
)
def test_questions_to_ask(answers, skipped, expected):
    assert eigen_bijdrage.questions_to_ask(answers, skipped) == expected


@pytest.mark.parametrize("provision", [item.value for item in Provision])
def test_the_municipality_is_asked_last_or_not_at_all(provision):
    for answers in ({PROVISION: provision}, {**ADULT_ALONE, PROVISION: provision}):
        needed = eigen_bijdrage.questions_to_ask(answers)
        assert MUNICIPALITY not in needed[:-1]
        assert needed[0] == PROVISION


REPLIES = ["ja", "nee", DONT_KNOW]


def _walk(provision: str, replies: dict) -> dict:
    """Answers the questions one by one, as the form does, until none is left."""
    answers = {PROVISION: provision, YEAR: "2026"}
    while True:
        missing = [
            slot
            for slot in eigen_bijdrage.questions_to_ask(answers, municipality_skipped=True)
            if answers.get(slot) is None
        ]
        if not missing:
            return answers
        answers[missing[0]] = replies[missing[0]]


@pytest.mark.parametrize("provision", ["huishoudelijke_hulp", "rolstoel", "beschermd_wonen", DONT_KNOW])
def test_skipping_questions_never_changes_the_outcome(provision):
    """The verdict after the skips is the verdict had every question been asked."""
    for child, partner, below_aow, already in itertools.product(REPLIES, repeat=4):
        replies = {CHILD: child, PARTNER: partner, BELOW_AOW: below_aow, ALREADY_PAYS: already}
        asked = _walk(provision, replies)
        everything = {PROVISION: provision, YEAR: "2026", **replies}
        short = assess(eigen_bijdrage.household(asked, 2026), FACTS)
        full = assess(eigen_bijdrage.household(everything, 2026), FACTS)
        assert (short.verdict, short.reason, short.open_questions) == (
            full.verdict,
            full.reason,
            full.open_questions,
        ), replies
        if ALREADY_PAYS not in eigen_bijdrage.questions_to_ask(asked, municipality_skipped=True):
            assert short.verdict in (Verdict.PAYS_NOTHING, Verdict.INCOME_DEPENDENT)


# --- The answers as a Household --------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, expected",
    [
        (
            {PROVISION: "huishoudelijke_hulp", CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee"},
            (Provision.HUISHOUDELIJKE_HULP, False, False, False),
        ),
        ({PROVISION: "begeleiding", CHILD: "ja"}, (Provision.BEGELEIDING, True, None, None)),
        (
            {PROVISION: "vervoer", CHILD: DONT_KNOW, PARTNER: DONT_KNOW, ALREADY_PAYS: DONT_KNOW},
            (Provision.VERVOER, None, None, None),
        ),
        (
            {PROVISION: "hulpmiddel", CHILD: "nee", PARTNER: "ja", BELOW_AOW: "ja", ALREADY_PAYS: "nee"},
            (Provision.HULPMIDDEL, False, True, False),
        ),
        (
            {PROVISION: "hulpmiddel", CHILD: "nee", PARTNER: "ja", BELOW_AOW: "nee"},
            (Provision.HULPMIDDEL, False, False, None),
        ),
        (
            {PROVISION: "hulpmiddel", CHILD: "nee", PARTNER: "ja", BELOW_AOW: DONT_KNOW},
            (Provision.HULPMIDDEL, False, None, None),
        ),
        (
            {PROVISION: "hulpmiddel", CHILD: "nee", PARTNER: "ja"},
            (Provision.HULPMIDDEL, False, None, None),
        ),  # age not asked yet
        (
            {PROVISION: "hulpmiddel", CHILD: "nee", PARTNER: "nee", BELOW_AOW: "ja"},
            (Provision.HULPMIDDEL, False, False, None),
        ),  # no partner
        (
            {PROVISION: "woningaanpassing", PARTNER: DONT_KNOW, BELOW_AOW: "ja"},
            (Provision.WONINGAANPASSING, None, None, None),
        ),
        ({PROVISION: DONT_KNOW}, (Provision.ANDERS, None, None, None)),
        ({}, (Provision.ANDERS, None, None, None)),
        ({PROVISION: "rolstoel"}, (Provision.ROLSTOEL, None, None, None)),
        ({PROVISION: "beschermd_wonen"}, (Provision.BESCHERMD_WONEN, None, None, None)),
    ],
)
def test_the_answers_make_the_household_the_rules_assess(answers, expected):
    result = eigen_bijdrage.household(answers, 2024)
    assert isinstance(result, Household) and result.year == 2024
    assert (result.provision, result.for_child_under_18, result.partner_below_aow, result.already_pays) == expected


# --- The verdict the resident reads ----------------------------------------------------------


def rendered(answers, year, municipality=None, local=None):
    """The verdict for a resident of `municipality`, whose own data has the lower rate `local`."""
    override = Override(
        "GM0363", local.source if local else "https://www.example.nl", date(2026, 11, 22), contribution=local
    )
    return eigen_bijdrage.verdict_answer(
        answers, year, FACTS, LocalContext(municipality, override) if municipality else None
    ).render()


def has_sources(text: str) -> bool:
    return re.search(r"\n\nBronn?en?: .*https://", text) is not None


def bullets(text: str) -> list:
    """The open questions listed when the outcome depends on them."""
    return [line for line in text.splitlines() if line.startswith("- ")]


def open_question(question: Question) -> str:
    return "- " + message(
        eigen_bijdrage.OPEN_QUESTION_MESSAGES[question], leeftijd_kind=FACTS.facts["leeftijd_kind"].text
    )


def test_every_year_the_check_may_ask_has_a_tariff():
    assert FACTS.known_years() == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_pays_at_most_names_the_amount_and_period_of_the_year(year):
    tariff = FACTS.tariff(year)
    text = rendered({**ADULT_ALONE, YEAR: str(year)}, year)
    assert f"{year}" in text and f"€ {tariff.amount} per {tariff.period}" in text
    other_amounts = {FACTS.tariff(other).amount for other in YEARS} - {tariff.amount}
    assert not any(f"€ {amount}" in text for amount in other_amounts)
    assert bullets(text) == []
    assert has_sources(text) and FACTS.sources[eigen_bijdrage.CAK_SOURCE].url in text and tariff.source.url in text


@pytest.mark.parametrize("year", YEARS)
def test_depends_names_the_amount_and_each_open_question(year):
    tariff = FACTS.tariff(year)
    answers = {
        PROVISION: "begeleiding",
        YEAR: str(year),
        CHILD: DONT_KNOW,
        PARTNER: "ja",
        BELOW_AOW: DONT_KNOW,
        ALREADY_PAYS: DONT_KNOW,
    }
    text = rendered(answers, year)
    assert f"€ {tariff.amount} per {tariff.period}" in text
    assert bullets(text) == [
        open_question(Question.CHILD),
        open_question(Question.PARTNER),
        open_question(Question.ALREADY_PAYS),
    ]
    assert FACTS.facts["leeftijd_kind"].text in bullets(text)[0] and "{" not in text
    assert has_sources(text)


def test_depends_lists_only_the_unknown_questions():
    assert bullets(rendered({**ADULT_ALONE, CHILD: DONT_KNOW}, 2026)) == [open_question(Question.CHILD)]
    assert bullets(rendered({**ADULT_ALONE, ALREADY_PAYS: DONT_KNOW}, 2026)) == [open_question(Question.ALREADY_PAYS)]
    partner_age_unknown = rendered({**ADULT_ALONE, PARTNER: "ja", BELOW_AOW: DONT_KNOW}, 2026)
    assert bullets(partner_age_unknown) == [open_question(Question.PARTNER)]


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize(
    "answers, reason",
    [
        ({PROVISION: "rolstoel"}, "rolstoel"),
        ({PROVISION: "begeleiding", CHILD: "ja"}, "voor_kind"),
        ({PROVISION: "begeleiding", CHILD: "nee", PARTNER: "ja", BELOW_AOW: "ja"}, "partner_onder_aow"),
        ({PROVISION: "begeleiding", CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "ja"}, "betaalt_al"),
    ],
)
def test_pays_nothing_gives_the_reason_and_no_amount(year, answers, reason):
    text = rendered({**answers, YEAR: str(year)}, year)
    assert text.startswith(
        message(f"eb_uitslag_niets_{reason}", leeftijd_kind=FACTS.facts["leeftijd_kind"].text) + "\n\nBron"
    )
    assert "{" not in text and "€" not in text and bullets(text) == []
    assert has_sources(text) and FACTS.sources["ede_eigen_bijdrage"].url in text


@pytest.mark.parametrize("year", YEARS)
def test_beschermd_wonen_depends_on_income_and_names_the_cak(year):
    text = rendered({PROVISION: "beschermd_wonen"}, year)
    assert FACTS.facts["telefoon_cak"].text in text and "inkomen" in text
    assert f"€ {FACTS.tariff(year).amount}" not in text
    assert has_sources(text)


@pytest.mark.parametrize("provision", [provision.value for provision in FREE_PROVISIONS])
def test_every_free_provision_has_a_verdict_text(provision):
    text = rendered({PROVISION: provision}, 2026)
    assert "geen eigen bijdrage" in text


def test_a_year_before_the_known_ones_gets_an_honest_verdict():
    text = rendered({**ADULT_ALONE, YEAR: "2018"}, 2018)
    assert "Het bedrag voor 2018 weet ik niet." in text and "In 2018 betaalt u" not in text


# --- A lower local rate ------------------------------------------------------------------------


def test_a_lower_local_rate_is_added_for_its_years():
    for year in LOCAL.years:
        text = rendered({**ADULT_ALONE, YEAR: str(year)}, year, "Amsterdam", LOCAL)
        national = f"€ {FACTS.tariff(year).amount} per {FACTS.tariff(year).period}"
        assert national in text
        assert (
            "De gemeente Amsterdam heeft een eigen regeling" in text
            and "niets te betalen" in text
            and f"- {GROUP}" in text
        )
        assert "Vraag de gemeente of het voor u geldt." in text  # a scheme for some residents, not a rate for all
        assert text.index(national) < text.index(GROUP)  # national first, then the local scheme


def test_a_lower_local_rate_is_added_when_the_outcome_depends():
    text = rendered({**ADULT_ALONE, YEAR: "2025", PARTNER: DONT_KNOW}, 2025, "Amsterdam", LOCAL)
    assert bullets(text) == [open_question(Question.PARTNER), f"- {GROUP}"]


@pytest.mark.parametrize(
    "answers, year, municipality",
    [
        (ADULT_ALONE, 2026, "Amsterdam"),  # another year
        (ADULT_ALONE, 2025, None),  # no municipality named
        ({PROVISION: "begeleiding", CHILD: "ja"}, 2025, "Amsterdam"),  # pays nothing anyway
        ({PROVISION: "rolstoel"}, 2025, "Amsterdam"),
        ({PROVISION: "beschermd_wonen"}, 2025, "Amsterdam"),
    ],
)
def test_no_local_rate_where_it_does_not_apply(answers, year, municipality):
    text = rendered(answers, year, municipality, LOCAL)
    assert GROUP not in text and "eigen regeling" not in text


def test_a_lower_local_rate_names_its_source():
    """Every statement rests on a source the resident can check; the local rate's is the
    municipality's page (LocalContribution.source), as in the national answers."""
    text = rendered({**ADULT_ALONE, YEAR: "2025"}, 2025, "Amsterdam", LOCAL)
    assert LOCAL.source in text.split("\n\nBron")[-1]
