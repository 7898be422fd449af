"""How residents' spellings of a municipality or place are compared.

'  Gemeente ’s-Hertogenbosch ' and "s hertogenbosch" both become 's hertogenbosch';
'Súdwest-Fryslân' becomes 'sudwest fryslan'; 'Nijmegen' and 'Nymegen' both 'nymegen'
(Dutch "ij" is often typed as "y").
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import List

# Municipality names that are also everyday Dutch words ("het best", "mijn buren",
# "wij kampen met", "dat kan leiden tot"): inside a sentence they only count as a
# municipality with a capital, and as an NLU entity only with a capital.
COMMON_WORD_NAMES = frozenset(
    {
        "Assen",
        "Beek",
        "Best",
        "Buren",
        "Duiven",
        "Goes",
        "Hoorn",
        "Houten",
        "Huizen",
        "Hulst",
        "Kampen",
        "Leiden",
        "Putten",
        "Sluis",
        "Stein",
        "Weert",
    }
)

_WORD = re.compile(r"[^\W_]+")
_MUNICIPALITY_PREFIX = re.compile(r"^(de )?gemeente ")


def _ascii_lower(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().replace("ij", "y")


def normalise(text: str) -> str:
    """Lower case, no accents, "ij" as "y", punctuation as spaces, without a leading 'gemeente'."""
    words = " ".join(_WORD.findall(_ascii_lower(text)))
    return _MUNICIPALITY_PREFIX.sub("", words)


@dataclass(frozen=True)
class Word:
    key: str  # normalised: "hertogenbosch"
    capital: bool  # written with a capital letter: "Hertogenbosch"


def words(text: str) -> List[Word]:
    """The words of a resident's text, normalised, with whether each had a capital."""
    result = []
    for token in _WORD.findall(text):
        key = _ascii_lower(token)
        if key:
            result.append(Word(key, token[:1].isupper()))
    return result
