"""What the assistant says when a resident names their municipality, place or postcode:
a short confirmation ("Hoofddorp ligt in de gemeente Haarlemmermeer."), a choice with
buttons when several municipalities fit, or a kind request to try again."""

from dataclasses import dataclass
from typing import Optional, Tuple

from assistant.answers import message
from assistant.dutch import join_names, number_word
from municipalities.directory import Municipality
from municipalities.resolver import Outcome, Resolution, Via

ECHO_LIMIT = 60  # characters of the resident's text repeated in an answer


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
            texts.append(message("gemeente_regio_dorp", regio=resolution.matched, gemeente=resolution.candidates[0].name))
        return Reply(choices=resolution.candidates, texts=tuple(texts))
    if outcome is Outcome.UNKNOWN_POSTCODE:
        return Reply(texts=(message("postcode_onbekend", postcode=resolution.matched),))
    if outcome is Outcome.TOO_LONG:
        return Reply(texts=(message("gemeente_te_lang"),))
    shown = " ".join(typed.split())[:ECHO_LIMIT]
    if outcome is Outcome.EMPTY or not any(character.isalnum() for character in shown):  # "", "🏠🏠", "???"
        return Reply(texts=(message("gemeente_leeg"),))
    return Reply(texts=(message("gemeente_onbekend", invoer=shown),))


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
