"""Which language a resident writes: Dutch (the default) or English.

Counted from common words that belong to one language only ("the", "what", "my" against
"de", "wat", "mijn"), so that Dutch terms inside an English question ("how much is the eigen
bijdrage?") do not make it Dutch. A message with no clear sign (a button, "pgb", "Zaltbommel")
keeps the language the conversation had.
"""

import re
from typing import Optional

from assistant.content.answers import DUTCH, ENGLISH

ENGLISH_WORDS = frozenset(
    "the a an what how who where when why which are am do does did can could would should will i i'm my "
    "you your it its this that there their they we our to for from with about and or not no yes please "
    "need get pay have has much many municipality care support apply english hello thanks speak dutch don't "
    "pls call opening hours town hall who's what's where's i've".split()
)
DUTCH_WORDS = frozenset(
    "de het een wat hoe wie waar wanneer waarom welke ben zijn doe doet kan kun kunt mag moet wil ik mijn mij "
    "u uw jij je jou ons onze dat dit die er hun voor met en niet geen ja nee graag hulp betalen heb "
    "heeft hebben krijg krijgen gemeente zorg ondersteuning aanvragen nederlands hallo dank bedankt".split()
)
LANGUAGE = "taal"  # the slot that keeps the conversation's language
_WORD = re.compile(r"[a-zà-ÿ']+")


def language_of(text: str) -> Optional[str]:
    """DUTCH or ENGLISH when the words say so clearly, else None."""
    words = _WORD.findall(text.lower())
    english = sum(word in ENGLISH_WORDS for word in words)
    dutch = sum(word in DUTCH_WORDS for word in words)
    if english > dutch:
        return ENGLISH
    if dutch > english:
        return DUTCH
    return None


def conversation_language(text: str, previous: Optional[str]) -> str:
    """The language to answer this message in: the message's own, else the conversation's."""
    return language_of(text) or previous or DUTCH
