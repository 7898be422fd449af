"""Find names within a few typing errors of what a resident typed, in well under a millisecond.

A deletion index (the SymSpell idea): every name is stored under each string that can be
made from it by deleting up to its allowed number of letters. Two strings within that
many edits share such a deletion, so a lookup only generates the deletions of the typed
word and checks the few names found there with a real edit distance.

Allowed edits grow with the length of the longer of the two words: a short word is too
easily close to another ("Bank" is one letter from the village "Baak", "hallo" from
"Halle"), so names under 6 letters must be typed exactly.
"""

from itertools import combinations
from typing import Dict, Iterable, List, Set, Tuple

PREFIX = 8  # only the first letters are indexed; the full distance is checked afterwards
MAX_EDITS = 2


def allowed_edits(length: int) -> int:
    """0 below 6 letters, 1 for 6 to 8, 2 from 9: "Zwole" -> Zwolle, "Amsterdm" -> Amsterdam."""
    if length < 6:
        return 0
    return 1 if length < 9 else MAX_EDITS


def _deletions(word: str, edits: int) -> Set[str]:
    prefix = word[:PREFIX]
    return {
        "".join(letter for index, letter in enumerate(prefix) if index not in removed)
        for count in range(edits + 1)
        for removed in combinations(range(len(prefix)), count)
    }


def edit_distance(first: str, second: str, limit: int) -> int:
    """Insertions, deletions, substitutions and swaps of neighbours (optimal string
    alignment); any result above `limit` is returned as limit + 1."""
    if abs(len(first) - len(second)) > limit:
        return limit + 1
    previous_row: List[int] = []
    row = list(range(len(second) + 1))
    for i, letter in enumerate(first, start=1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j, other in enumerate(second, start=1):
            cost = letter != other
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if i > 1 and j > 1 and letter == second[j - 2] and first[i - 2] == other:
                row[j] = min(row[j], before[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
    return min(row[-1], limit + 1)


class TypoIndex:
    def __init__(self, names: Iterable[str]) -> None:
        self._by_deletion: Dict[str, List[str]] = {}
        for name in set(names):
            for deletion in _deletions(name, allowed_edits(len(name))):
                self._by_deletion.setdefault(deletion, []).append(name)

    def closest(self, typed: str) -> Tuple[int, List[str]]:
        """(edits, names) of the nearest names within the allowed edits; (0, []) if none."""
        if not allowed_edits(len(typed) + MAX_EDITS):
            return 0, []
        deletions = _deletions(typed, min(MAX_EDITS, len(typed)))
        candidates = {name for deletion in deletions for name in self._by_deletion.get(deletion, ())}
        best, nearest = MAX_EDITS + 1, []
        for name in candidates:
            limit = allowed_edits(max(len(typed), len(name)))
            distance = edit_distance(typed, name, limit)
            if distance > limit:
                continue
            if distance < best:
                best, nearest = distance, [name]
            elif distance == best:
                nearest.append(name)
        return (best, sorted(nearest)) if nearest else (0, [])
