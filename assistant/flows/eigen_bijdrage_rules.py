"""Does a household pay the Wmo eigen bijdrage (the abonnementstarief), and at most how much?

The rules of the Uitvoeringsbesluit Wmo 2015, as municipalities explain them (gemeente
Ede, facts.yml source `ede_eigen_bijdrage`). No eigen bijdrage:
  - for a wheelchair, for mantelzorgondersteuning, for a financial compensation
    (tegemoetkoming);
  - for a provision meant for a child under 18;
  - for married or living-together partners of whom at least one has not reached the
    AOW age;
  - when someone in the household already pays a Wmo or Wlz eigen bijdrage (the
    household pays once).
Otherwise the household pays at most the year's abonnementstarief (when facts.yml knows
that year's amount); a municipality may ask less (an override). Beschermd wonen has its
own, income-dependent contribution.

Plain Python: the guided flow of the assistant asks the facts; this module decides.
"""

from dataclasses import dataclass
from enum import Enum
from typing import Optional, Tuple

from assistant.content.facts import Facts, Source, Tariff
from municipalities.overrides import LocalContribution

EXEMPTIONS_SOURCE = "ede_eigen_bijdrage"


class Provision(str, Enum):
    HUISHOUDELIJKE_HULP = "huishoudelijke_hulp"
    BEGELEIDING = "begeleiding"  # also dagbesteding
    HULPMIDDEL = "hulpmiddel"  # a scootmobiel, a traplift
    WONINGAANPASSING = "woningaanpassing"
    VERVOER = "vervoer"
    ROLSTOEL = "rolstoel"
    MANTELZORGONDERSTEUNING = "mantelzorgondersteuning"
    TEGEMOETKOMING = "tegemoetkoming"  # money towards costs, not a provision in kind
    BESCHERMD_WONEN = "beschermd_wonen"
    ANDERS = "anders"  # another maatwerkvoorziening, or the resident does not know which


FREE_PROVISIONS = (Provision.ROLSTOEL, Provision.MANTELZORGONDERSTEUNING, Provision.TEGEMOETKOMING)


class Verdict(str, Enum):
    PAYS_AT_MOST = "pays_at_most"
    PAYS_NOTHING = "pays_nothing"
    DEPENDS = "depends"  # a fact the resident did not know decides
    INCOME_DEPENDENT = "income_dependent"  # beschermd wonen: not the abonnementstarief


class Question(str, Enum):
    """The facts that decide, in the order the guided flow asks them."""

    CHILD = "voor_kind"  # is the provision for a child under 18?
    PARTNER = "partner_onder_aow"  # married or living together, and one of you below the AOW age?
    ALREADY_PAYS = "betaalt_al"  # does someone in the household already pay a Wmo or Wlz eigen bijdrage?


@dataclass(frozen=True)
class Household:
    """What the resident told; None is "weet ik niet"."""

    year: int
    provision: Provision
    for_child_under_18: Optional[bool] = None
    partner_below_aow: Optional[bool] = None
    already_pays: Optional[bool] = None


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reason: str  # the rule that decided: a provision, a Question, or "abonnementstarief"
    tariff: Optional[Tariff]  # the maximum of the year; None when its amount is not known here
    open_questions: Tuple[Question, ...] = ()  # unknown facts that could make it nothing
    local: Optional[LocalContribution] = None  # the municipality asks less (for some residents)
    sources: Tuple[Source, ...] = ()


def assess(household: Household, facts: Facts, local: Optional[LocalContribution] = None) -> Assessment:
    """The verdict for one household. The rules do not depend on the amount, so a year
    without a known amount gets a verdict too, with `tariff` None."""
    tariff = facts.tariff(household.year)
    sources = (facts.sources[EXEMPTIONS_SOURCE],) + ((tariff.source,) if tariff else ())
    if household.provision is Provision.BESCHERMD_WONEN:
        return Assessment(Verdict.INCOME_DEPENDENT, household.provision.value, tariff, sources=sources)
    if household.provision in FREE_PROVISIONS:
        return Assessment(Verdict.PAYS_NOTHING, household.provision.value, tariff, sources=sources)
    answers = {
        Question.CHILD: household.for_child_under_18,
        Question.PARTNER: household.partner_below_aow,
        Question.ALREADY_PAYS: household.already_pays,
    }
    for question, answer in answers.items():
        if answer:
            return Assessment(Verdict.PAYS_NOTHING, question.value, tariff, sources=sources)
    lower = local if local and household.year in local.years else None
    open_questions = tuple(question for question, answer in answers.items() if answer is None)
    verdict = Verdict.DEPENDS if open_questions else Verdict.PAYS_AT_MOST
    return Assessment(verdict, "abonnementstarief", tariff, open_questions, lower, sources)
