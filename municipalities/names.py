"""How residents' spellings of a municipality are compared.

'  Gemeente ’s-Hertogenbosch ' and "s hertogenbosch" both become 's hertogenbosch';
'Súdwest-Fryslân' becomes 'sudwest fryslan'.
"""

import re
import unicodedata
from typing import Iterator

# Municipality names that are also everyday Dutch words ("het best", "mijn buren",
# "wij kampen met", "dat kan leiden tot"): they only count as a municipality when
# nothing else in the text is one, and as an NLU entity only with a capital.
COMMON_WORD_NAMES = frozenset(
    {"Assen", "Beek", "Best", "Buren", "Duiven", "Goes", "Hoorn", "Houten", "Huizen",
     "Hulst", "Kampen", "Leiden", "Putten", "Sluis", "Stein", "Weert"}
)
_COMMON_WORD_KEYS = frozenset(name.lower() for name in COMMON_WORD_NAMES)

_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")
_MUNICIPALITY_PREFIX = re.compile(r"^(de )?gemeente ")


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, without a leading 'gemeente'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = _NOT_ALPHANUMERIC.sub(" ", ascii_text.lower()).strip()
    return _MUNICIPALITY_PREFIX.sub("", words)


def is_common_word(key: str) -> bool:
    """True for the normalised name of a municipality that is also an everyday word."""
    return key in _COMMON_WORD_KEYS


def word_spans(text: str, longest: int) -> Iterator[str]:
    """Every run of 1..longest consecutive words of a normalised text, longest first."""
    words = text.split()
    for size in range(min(longest, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            yield " ".join(words[start : start + size])
