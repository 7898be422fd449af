"""The municipality flow (`gemeente_form`), asked in every flow that needs it: what the
assistant says when a resident names their municipality, place or postcode. A short
confirmation ("Hoofddorp ligt in de gemeente Haarlemmermeer."), a choice with buttons when
several municipalities fit, or a kind request to try again."""

import re
from dataclasses import dataclass
from typing import Optional, Tuple

from assistant.content.answers import message
from assistant.content.dutch import join_names, number_word
from assistant.privacy import redact
from municipalities.directory import Municipality
from municipalities.resolver import Outcome, Resolution, Via

GEMEENTE = "gemeente"  # the slot: the official name once the form validated it
GEMEENTE_CHOICES = "gemeente_keuze"  # the CBS codes offered when several municipalities fit
ECHO_LIMIT = 30  # characters of the resident's text repeated in an answer
# What may be repeated of it: letters, digits, spaces and the marks in place names
# ("'s-Hertogenbosch", "Bergen (NH)"); never markup, and never what redaction masks.
_NOT_ECHOED = re.compile(r"[^\w\s'().-]")
_YEAR = re.compile(r"\s*(en |in |en in |voor |en voor )?20[1-3][0-9]\s*\??\s*", re.IGNORECASE)


def is_a_year(text: str) -> bool:
    """ "2026" or "en in 2025?" on its own: a year (data/nlu/regex.yml: jaar), not a postcode,
    unless the municipality was asked for."""
    return bool(_YEAR.fullmatch(text or ""))


@dataclass(frozen=True)
class Reply:
    municipality: Optional[Municipality] = None  # None when not (yet) known
    choices: Tuple[Municipality, ...] = ()  # offered as buttons
    texts: Tuple[str, ...] = ()


def reply_to(resolution: Resolution, typed: str) -> Reply:
    outcome = resolution.outcome
    if outcome is Outcome.FOUND:
        return Reply(resolution.municipality, texts=_confirmation(resolution))
    if outcome is Outcome.AMBIGUOUS:
        return Reply(choices=resolution.candidates, texts=(_choice(resolution),))
    if outcome is Outcome.REGION:
        texts = [message("gemeente_regio", regio=resolution.matched)]
        if resolution.candidates:
            texts.append(
                message("gemeente_regio_dorp", regio=resolution.matched, gemeente=resolution.candidates[0].name)
            )
        return Reply(choices=resolution.candidates, texts=tuple(texts))
    if outcome is Outcome.UNKNOWN_POSTCODE:
        return Reply(texts=(message("postcode_onbekend", postcode=resolution.matched),))
    if outcome is Outcome.TOO_LONG:
        return Reply(texts=(message("gemeente_te_lang"),))
    shown = echo(typed)
    if outcome is Outcome.EMPTY or not any(
        character.isalnum() for character in " ".join(typed.split())
    ):  # "", "🏠🏠", "???"
        return Reply(texts=(message("gemeente_leeg"),))
    if shown is None:
        return Reply(texts=(message("gemeente_onbekend_zonder_invoer"),))
    return Reply(texts=(message("gemeente_onbekend", invoer=shown),))


def echo(typed: str) -> Optional[str]:
    """A short, clean fragment of what the resident typed, to repeat in an answer; None when
    it holds personal data (a phone number, a BSN, an e-mail address) or nothing readable."""
    if redact(typed) != typed:
        return None
    cleaned = " ".join(_NOT_ECHOED.sub(" ", typed).split())
    if not any(character.isalnum() for character in cleaned):
        return None
    return cleaned if len(cleaned) <= ECHO_LIMIT else cleaned[:ECHO_LIMIT].rstrip() + "…"


def _confirmation(resolution: Resolution) -> Tuple[str, ...]:
    """Only when the resident did not type the municipality's own name or code."""
    name = resolution.municipality.name
    if resolution.via is Via.PLACE and resolution.matched != name:
        return (message("gemeente_via_plaats", plaats=resolution.matched, gemeente=name),)
    if resolution.via is Via.POSTCODE:
        return (message("gemeente_via_postcode", postcode=resolution.matched, gemeente=name),)
    if resolution.via in (Via.ALIAS, Via.TYPO):
        return (message("gemeente_bedoeld", gemeente=name),)
    return ()


def _choice(resolution: Resolution) -> str:
    candidates = [municipality.name for municipality in resolution.candidates]
    names, count = join_names(candidates), number_word(len(candidates))
    if resolution.via is Via.POSTCODE:
        return message("gemeente_keuze_postcode", postcode=resolution.matched, aantal=count, gemeenten=names)
    if resolution.via is Via.TYPO:
        return message("gemeente_keuze_typo", gemeenten=join_names(candidates, last="of"))
    if resolution.matched:
        return message("gemeente_keuze_plaats", naam=resolution.matched, aantal=count, gemeenten=names)
    return message("gemeente_keuze_namen", aantal=count, gemeenten=names)
