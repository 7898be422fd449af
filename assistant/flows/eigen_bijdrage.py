"""The guided eigen-bijdrage check: which question comes next, and the verdict in Dutch.

The form `eigen_bijdrage_form` asks the slots below, one at a time. A decisive answer ends
the questions early ("a wheelchair" -> nothing to pay, no more questions). The rules
themselves live in `assistant.flows.eigen_bijdrage_rules`; this module only links them to the answers.
"""

from dataclasses import dataclass
from typing import List, Mapping, Optional, Tuple

from assistant.content.answers import Answer, LocalContext, maximum, message, with_local_contribution
from assistant.content.facts import Facts, Source
from assistant.flows.eigen_bijdrage_rules import (
    FREE_PROVISIONS,
    Assessment,
    Household,
    Provision,
    Question,
    Verdict,
    assess,
)
from assistant.flows.questions import DONT_KNOW

PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS = (
    "eb_voorziening",
    "eb_jaar",
    "eb_voor_kind",
    "eb_partner",
    "eb_onder_aow",
    "eb_betaalt_al",
)
SLOTS = (PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS)
MUNICIPALITY = "gemeente"  # asked last, for a lower local rate; may be skipped
SKIPPED_MUNICIPALITY = "eb_gemeente_overgeslagen"  # the resident chose SKIP_MUNICIPALITY
SKIP_MUNICIPALITY = "Sla deze vraag over"  # the button under the question for the municipality
CAK_SOURCE = "cak_abonnementstarief"


def provision(answers: Mapping[str, Optional[str]]) -> Optional[Provision]:
    value = answers.get(PROVISION)
    if value is None:
        return None
    return Provision.ANDERS if value == DONT_KNOW else Provision(value)


def questions_to_ask(answers: Mapping[str, Optional[str]], municipality_skipped: bool = False) -> List[str]:
    """The slots the form needs, in order, given the answers so far: a question is left
    out when an earlier answer already decides, or makes it irrelevant."""
    chosen = provision(answers)
    if chosen in FREE_PROVISIONS or chosen is Provision.BESCHERMD_WONEN:
        return [PROVISION]
    needed = [PROVISION, YEAR, CHILD]
    if answers.get(CHILD) == "ja":
        return needed
    needed.append(PARTNER)
    if answers.get(PARTNER) == "ja":
        needed.append(BELOW_AOW)
        if answers.get(BELOW_AOW) == "ja":
            return needed
    needed.append(ALREADY_PAYS)
    if answers.get(ALREADY_PAYS) == "ja" or municipality_skipped:
        return needed
    return needed + [MUNICIPALITY]


def year_buttons(facts: Facts, this_year: int) -> List[int]:
    """The years offered as buttons: this year, also when its amount is not known yet (the
    outcome then says so), and last year when its amount is known."""
    return [this_year] + ([this_year - 1] if facts.tariff(this_year - 1) else [])


def year_can_be_checked(year: int, facts: Facts, this_year: int) -> bool:
    """A year with a known amount, or this year or next year: their outcome says when the
    amount is not known yet. Other years are asked again."""
    return facts.tariff(year) is not None or this_year <= year <= this_year + 1


@dataclass(frozen=True)
class YearReading:
    """What a reply to "Over welk jaar gaat het?" gives: a year to check, or what to say."""

    year: Optional[int] = None
    reply: Optional[str] = None  # None with no year: not an answer, the rules handle it


def read_year(
    text: str, named_year: Optional[int], dont_know: bool, is_other_question: bool, facts: Facts, this_year: int
) -> YearReading:
    """A year that can be checked: typed, a button, "dit jaar" or "vorig jaar"; "weet ik niet"
    is this year. `named_year`: the year NLU found in the text (entity `jaar`)."""
    text = text.lower()
    if dont_know or "dit jaar" in text:
        return YearReading(this_year)
    year = this_year - 1 if "vorig jaar" in text else named_year or _year_in(text)
    if year and year_can_be_checked(year, facts, this_year):
        return YearReading(year)
    if not year and is_other_question:
        return YearReading()
    known = facts.known_years()
    if year:
        return YearReading(
            reply=message("eb_jaar_onbekend", jaar=str(year), eerste=str(known[0]), laatste=str(known[-1]))
        )
    return YearReading(reply=message("antwoord_onduidelijk"))


def _year_in(text: str) -> Optional[int]:
    digits = "".join(character for character in text if character.isdigit())
    return int(digits) if len(digits) == 4 else None


def household(answers: Mapping[str, Optional[str]], year: int) -> Household:
    """The answers as a Household: "weet_niet" and unasked questions are unknown (None)."""

    def known(slot: str) -> Optional[bool]:
        return {"ja": True, "nee": False}.get(answers.get(slot) or "")

    partner = known(PARTNER)
    below_aow = partner and known(BELOW_AOW)  # no partner: False; partner, age unknown: None
    return Household(
        year=year,
        provision=provision(answers) or Provision.ANDERS,
        for_child_under_18=known(CHILD),
        partner_below_aow=below_aow,
        already_pays=known(ALREADY_PAYS),
    )


OPEN_QUESTION_MESSAGES = {
    Question.CHILD: "eb_open_kind",
    Question.PARTNER: "eb_open_partner",
    Question.ALREADY_PAYS: "eb_open_betaalt_al",
}


def verdict_answer(
    answers: Mapping[str, Optional[str]], year: int, facts: Facts, local: Optional[LocalContext] = None
) -> Answer:
    """The outcome of the check for the resident, with the reason and its sources; with
    `local`, the municipality's lower rate when it has one for that year."""
    contribution = local.override.contribution if local and local.override else None
    result = assess(household(answers, year), facts, contribution)
    lines, line_sources = _verdict_lines(result, year, facts)
    cak = (facts.sources[CAK_SOURCE],) if result.verdict is not Verdict.PAYS_NOTHING else ()
    sources = result.sources + line_sources + cak
    answer = Answer("\n\n".join(lines), tuple(dict.fromkeys(sources)))
    if result.local and local:
        answer = with_local_contribution(answer, local, result.local, year)
    return answer


def _verdict_lines(result: Assessment, year: int, facts: Facts) -> Tuple[List[str], Tuple[Source, ...]]:
    """The paragraphs of the verdict, and the sources of the amount they name."""
    if result.verdict is Verdict.PAYS_NOTHING:
        return [message(f"eb_uitslag_niets_{result.reason}", leeftijd_kind=facts.facts["leeftijd_kind"].text)], ()
    if result.verdict is Verdict.INCOME_DEPENDENT:
        return [message("eb_uitslag_beschermd_wonen", telefoon_cak=facts.facts["telefoon_cak"].text)], ()
    amount = maximum(year, facts)
    lines = [message("eb_uitslag_maximaal" if result.tariff else "eb_uitslag_bedrag_onbekend", maximum=amount.text)]
    if result.verdict is Verdict.DEPENDS:
        open_items = [
            message(OPEN_QUESTION_MESSAGES[question], leeftijd_kind=facts.facts["leeftijd_kind"].text)
            for question in result.open_questions
        ]
        lines.append(message("eb_uitslag_hangt_af", punten="\n".join(f"- {item}" for item in open_items)))
    return lines, amount.sources
