"""The parts of the conversation book: a text as a resident reads it, a question of a flow with
what follows each option, and the municipality a book is for."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, Optional, Tuple

from assistant.content.answers import DUTCH, LocalContext
from assistant.content.facts import Source, load_facts
from assistant.content.readability import Readability, measure
from assistant.helpdesk.callbacks import RETENTION_DAYS
from assistant.rasa_plugins.limits import MAX_MESSAGE_LENGTH
from municipalities.directory import Directory, Municipality
from municipalities.overrides import Override, OverrideStore
from municipalities.zorgkantoren import Zorgkantoor, load_zorgkantoren

# What a message's {field} becomes where the book cannot know it: in words, between brackets.
PLACEHOLDERS = {
    "gemeente": "[uw gemeente]",
    "gemeenten": "[de gemeenten]",
    "telefoon": "[telefoonnummer van de gemeente]",
    "plaats": "[de plaats]",
    "postcode": "[de postcode]",
    "aantal": "[aantal]",
    "naam": "[de naam]",
    "datum": "[de datum]",
    "invoer": "[wat de inwoner typte]",
    "regio": "[de regio]",
    "zorgkantoor": "[het zorgkantoor]",
    "jaar": "[het jaar]",
    "bekend_jaar": "[het laatste bekende jaar]",
    "eerste": "[het eerste jaar]",
    "laatste": "[het laatste jaar]",
    "bedrag": "[het bedrag]",
    "periode": "[maand of 4 weken]",
    "maximum": "[het maximum van dat jaar]",
    "minuten": "[minuten]",
    "tijden": "[de chattijden van de gemeente]",
    "voor_wie": "[voor wie de regeling is]",
    "punten": "[de vragen die nog open zijn]",
    "groep": "[de groep]",
    "open": "[de openingstijden]",
    "referentie": "[het nummer van het verzoek]",
    "regelt": "[wat die organisatie regelt]",
    "website": "[de website]",
}


@dataclass(frozen=True)
class Text:
    """One message as a resident reads it."""

    label: str  # what it is: "Antwoord", "In het Engels", "Uitkomst 2"
    body: str
    buttons: Tuple[str, ...] = ()
    sources: Tuple[Source, ...] = ()
    language: str = DUTCH
    when: str = ""  # when a resident reads it ("Als vraag 1 is: Rolstoel")

    @property
    def readability(self) -> Optional[Readability]:
        """Sentence length and Flesch-Douma: for Dutch only (the formula is Dutch)."""
        return measure(self.body) if self.language == DUTCH else None


@dataclass(frozen=True)
class Step:
    """A question of a guided flow, its buttons, and what follows each of them."""

    slot: str
    question: str
    options: Tuple[Tuple[str, str], ...] = ()  # (button, what follows: "Vraag 3", "Uitkomst 2 en 5")
    note: str = ""  # when Wegwijzer asks it


@dataclass(frozen=True)
class Place:
    """The municipality a book is for, with its own data and its zorgkantoor."""

    municipality: Municipality
    override: Optional[Override] = None
    zorgkantoor: Optional[Zorgkantoor] = None

    @property
    def local(self) -> LocalContext:
        return LocalContext(self.municipality.name, self.override, self.zorgkantoor)


def message_values(place: Optional[Place]) -> Dict[str, str]:
    """The values for messages' {fields}: the facts, the municipality's own where known, else placeholders."""
    values = {**PLACEHOLDERS, **load_facts().texts()}
    values["bewaartermijn"] = f"{RETENTION_DAYS} dagen"
    values["maximum_tekens"] = str(MAX_MESSAGE_LENGTH)
    if place:
        values["gemeente"] = place.municipality.name
        values["telefoon"] = place.municipality.phone_display or PLACEHOLDERS["telefoon"]
    return values


def place_for(code: str, directory: Directory, overrides: OverrideStore) -> Optional[Place]:
    """The municipality with CBS code `code` and its data as the assistant answers with them now."""
    municipality = directory.by_code(code)
    if municipality is None:
        return None
    return Place(municipality, overrides.get(code), _zorgkantoren().get(code))


@lru_cache(maxsize=1)
def _zorgkantoren() -> Dict[str, Zorgkantoor]:
    """Read once: the file ships with the code, and the staff app asks for a place on every book page."""
    return load_zorgkantoren()
