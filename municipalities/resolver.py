"""Find the municipality a resident means, from whatever they type.

    resolver.resolve("ik woon in Hoofddorp")  -> found: Haarlemmermeer (via the place Hoofddorp)
    resolver.resolve("1011AB")                -> found: Amsterdam (via postcode 1011)
    resolver.resolve("Hoenderloo")            -> ambiguous: Apeldoorn or Ede
    resolver.resolve("Bank")                  -> not found
    resolver.named_in_question("Hoe lang duurt een Wmo-aanvraag in Hoofddorp?") -> Haarlemmermeer

What counts, in this order: a CBS code ("GM0363"); a postcode (PC6 "1011 AB" or, on its
own or after the word "postcode", PC4 "1011"); names: official and short name (tier 0),
aliases and places from the register's "Bevat plaatsen" (tier 1); then typos.

A text that is only a name ("Hoofddorp", "ik woon in Hoofddorp", "gemeente Ede") is read
generously. Inside a longer sentence a short place name or alias, or a municipality name
that is an everyday word ("best", "buren"), only counts after a word such as "in" or
"gemeente", or when written with a capital, so that "echt" or "heel" in a question is
not a village.

A question about something else ("Mag de gemeente een pgb weigeren?") is read strictly:
`named_in_question` counts a code, a written-out postcode, a municipality's own name, and a
place or alias only when written with a capital inside a sentence ("in een" is not the
village Een); never a typo.
"""

import re
from dataclasses import dataclass, replace
from enum import Enum
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from municipalities.aliases import Alias
from municipalities.directory import Directory, Municipality
from municipalities.names import COMMON_WORD_NAMES, Word, normalise, words
from municipalities.typos import TypoIndex

MAX_TEXT_LENGTH = 300  # characters; longer texts are not an answer to "where do you live?"
MAX_CANDIDATES = 4  # a choice between more municipalities does not help a resident
LONG_NAME = 8  # letters: a place name this long is rarely an everyday word ("hoofddorp", not "echt")
TYPO_SPAN_WORDS = 3  # typos are looked for in up to this many words after "in", "gemeente", ...

# Words around a name that do not change which municipality is meant: "ik woon in ...",
# "... is mijn gemeente", "postcode ...", provinces ("Hengelo, Overijssel").
FILLER_WORDS = frozenset(
    normalise(
        "ik wij we woon wonen woont woonachtig in de het den te op uit bij mijn onze ons "
        "is zit zitten heet waar daar dat die gemeente gem postcode woonplaats plaats dorp stad "
        "regio provincie nu sinds kort ook en ja nee uh eh ehm hm nou graag dank bedankt "
        "alstublieft aub groningen friesland fryslan drenthe overijssel flevoland gelderland "
        "utrecht noord zuid holland zeeland brabant limburg nederland"
    ).split()
)
# Words after which the next words are taken as a place name: "ik woon in ruinen".
CUE_WORDS = frozenset(normalise("in te uit gemeente gem woonplaats dorp plaats postcode").split())

# Province suffixes the register adds to place names that occur more than once: "Hengelo GLD".
PROVINCES = {
    "DR": "Drenthe",
    "FL": "Flevoland",
    "FR": "Friesland",
    "GN": "Groningen",
    "GLD": "Gelderland",
    "LB": "Limburg",
    "NB": "Noord-Brabant",
    "NH": "Noord-Holland",
    "OV": "Overijssel",
    "UT": "Utrecht",
    "ZH": "Zuid-Holland",
    "ZL": "Zeeland",
}
REGIONS = {normalise(name): name for name in [*PROVINCES.values(), "Fryslân", "Brabant", "Holland", "Nederland"]}
_PROVINCE_SUFFIX = re.compile(rf"^(.+) ({'|'.join(PROVINCES)})$")
_CBS_CODE = re.compile(r"\bGM ?(\d{4})\b", re.IGNORECASE)
_PC6 = re.compile(r"(?<![\dA-Za-z])([1-9]\d{3})( ?)([A-Za-z]{2})(?![\dA-Za-z])")
_PC4 = re.compile(r"(?<![\dA-Za-z])([1-9]\d{3})(?![\dA-Za-z])")
_ONLY_PC6 = re.compile(r"[1-9]\d{3} ?[a-z]{2}")  # normalised words: "1011 ab", "1011ab"
_SENTENCE_END = re.compile(r"(?<=[.?!:;])\s+|\n+")
NO_CORE = (-1, -1)  # a question is not read as a bare name: every name there must count on its own


CountsRule = Optional[Callable[["_Entry", List[Word], int, int], bool]]


class Outcome(str, Enum):
    FOUND = "found"
    AMBIGUOUS = "ambiguous"  # several municipalities fit: ask which one
    EMPTY = "empty"
    TOO_LONG = "too_long"
    UNKNOWN_POSTCODE = "unknown_postcode"
    REGION = "region"  # a province or the country: "Noord-Holland", "Zeeland" (candidates: a village of that name)
    NOT_FOUND = "not_found"


class Via(str, Enum):
    CODE = "code"
    POSTCODE = "postcode"
    NAME = "name"
    ALIAS = "alias"
    PLACE = "place"
    TYPO = "typo"


@dataclass(frozen=True)
class Resolution:
    outcome: Outcome
    candidates: Tuple[Municipality, ...] = ()
    via: Optional[Via] = None
    matched: str = ""  # what was recognised, as the directory writes it: "Hoofddorp", "1011"

    @property
    def municipality(self) -> Optional[Municipality]:
        return self.candidates[0] if self.outcome is Outcome.FOUND else None


@dataclass(frozen=True)
class _Entry:
    """What one normalised name points to."""

    tier: int  # 0: a municipality's own name, 1: an alias or a place
    via: Via
    label: str
    cbs_codes: Tuple[str, ...]
    common_word: bool = False


def place_spellings(place: str) -> List[str]:
    """'Hengelo GLD' -> ['Hengelo GLD', 'Hengelo Gelderland', 'Hengelo']; others as they are."""
    match = _PROVINCE_SUFFIX.match(place)
    if not match:
        return [place]
    base, suffix = match.groups()
    return [place, f"{base} {PROVINCES[suffix]}", base]


def index_keys(spelling: str) -> List[str]:
    """Normalised keys of a name; a leading "'s-" may be left out: 'hertogenbosch'."""
    key = normalise(spelling)
    return [key, key[2:]] if key.startswith("s ") else [key]


class Resolver:
    def __init__(self, directory: Directory, aliases: Iterable[Alias] = ()) -> None:
        self._directory = directory
        self._index: Dict[str, _Entry] = {}
        for municipality in directory.all():
            for name in (municipality.name, municipality.short_name):
                self._add(
                    name, _Entry(0, Via.NAME, municipality.name, (municipality.cbs_code,), name in COMMON_WORD_NAMES)
                )
        for alias in aliases:
            self._add(alias.name, _Entry(1, Via.ALIAS, alias.name, alias.cbs_codes))
        for municipality in directory.all():
            for place in municipality.places:
                for spelling in place_spellings(place):
                    self._add(spelling, _Entry(1, Via.PLACE, spelling, (municipality.cbs_code,)))
        self._longest = max(len(key.split()) for key in self._index)
        self._typos = TypoIndex(self._index)

    def _add(self, spelling: str, entry: _Entry) -> None:
        """A municipality's own name wins over places and aliases; within a tier, names are shared."""
        for key in index_keys(spelling):
            known = self._index.get(key)
            if known is None or known.tier > entry.tier:
                self._index[key] = entry
            elif known.tier == entry.tier:
                codes = tuple(dict.fromkeys(known.cbs_codes + entry.cbs_codes))
                self._index[key] = replace(known, cbs_codes=codes, common_word=known.common_word and entry.common_word)

    def known_names(self) -> List[str]:
        """Every normalised name the resolver knows: for tests and benchmarks."""
        return sorted(self._index)

    def resolve(self, text: Optional[str]) -> Resolution:
        text = " ".join((text or "").split())
        if not text:
            return Resolution(Outcome.EMPTY)
        if len(text) > MAX_TEXT_LENGTH:
            return Resolution(Outcome.TOO_LONG)
        code_match = _CBS_CODE.search(text)
        code = f"GM{code_match.group(1)}" if code_match else ""
        if self._directory.by_code(code):
            return self._found([code], Via.CODE, code)
        text_words = words(text)
        core = _core(text_words)
        postcode = _postcode(text, text_words, core)
        if postcode:
            return self._by_postcode(postcode)
        region = REGIONS.get(" ".join(word.key for word in text_words if word.key != "provincie"))
        if region and not self._is_municipality_name(region):
            return self._region(region)
        named = self._names_in(text_words, core)
        if named:
            return self._decide(named)
        return self._by_typo(text_words, core)

    def named_in_question(self, text: Optional[str]) -> Resolution:
        """The municipality a question names, read strictly, sentence by sentence: found when
        all that is named points to one municipality."""
        codes: List[str] = []
        for sentence in _SENTENCE_END.split(text or ""):
            code_match = _CBS_CODE.search(sentence)
            if code_match and self._directory.by_code(f"GM{code_match.group(1)}"):
                codes.append(f"GM{code_match.group(1)}")
            sentence_words = words(sentence)
            postcode = _written_postcode(sentence, sentence_words)
            if postcode:
                codes += [area.cbs_code for area in self._directory.postcode_areas(postcode)]
            for entry in self._names_in(sentence_words, NO_CORE, _counts_in_question):
                codes += entry.cbs_codes
        unique = list(dict.fromkeys(codes))
        if len(unique) != 1:
            return Resolution(Outcome.NOT_FOUND)
        return self._found(unique, Via.NAME, "")

    def _is_municipality_name(self, name: str) -> bool:
        entry = self._index.get(normalise(name))
        return entry is not None and entry.tier == 0

    def _region(self, region: str) -> Resolution:
        """A province or the country; candidates are the municipalities of a village with
        that name (there is a Zeeland in Maashorst and a Nederland in Steenwijkerland)."""
        village = self._index.get(normalise(region))
        codes = village.cbs_codes if village else ()
        return Resolution(
            Outcome.REGION, tuple(self._directory.by_code(code) for code in codes), Via.PLACE if codes else None, region
        )

    def _names_in(self, text_words: List[Word], core: Tuple[int, int], counts: "CountsRule" = None) -> List[_Entry]:
        """Known names in the text, longest first, not overlapping."""
        counts = counts or _counts_in_sentence
        named: List[_Entry] = []
        taken = [False] * len(text_words)
        for size in range(min(self._longest, len(text_words)), 0, -1):
            for start in range(len(text_words) - size + 1):
                end = start + size
                if any(taken[start:end]):
                    continue
                entry = self._index.get(" ".join(word.key for word in text_words[start:end]))
                covers_core = start <= core[0] and end >= core[1]  # the rest is filler: "ik woon in ..."
                if entry and (covers_core or counts(entry, text_words, start, end)):
                    named.append(entry)
                    taken[start:end] = [True] * size
        return named

    def _decide(self, entries: Sequence[_Entry], via: Optional[Via] = None) -> Resolution:
        """One municipality when all names agree ("Vinkel, gemeente Bernheze"), else a choice,
        where municipality names go before places."""
        shared = set.intersection(*(set(entry.cbs_codes) for entry in entries))
        if len(shared) == 1:
            [code] = shared
            entry = next(entry for entry in entries if code in entry.cbs_codes)
            return self._found([code], via or entry.via, entry.label)
        best = [entry for entry in entries if entry.tier == 0] or list(entries)
        codes = list(dict.fromkeys(code for entry in best for code in entry.cbs_codes))
        label = best[0].label if len(best) == 1 else ""
        if len(codes) == 1:
            return self._found(codes, via or best[0].via, label)
        candidates = sorted(
            (self._directory.by_code(code) for code in codes), key=lambda municipality: municipality.name
        )
        return Resolution(Outcome.AMBIGUOUS, tuple(candidates[:MAX_CANDIDATES]), via or best[0].via, label)

    def _found(self, codes: List[str], via: Via, matched: str) -> Resolution:
        return Resolution(Outcome.FOUND, (self._directory.by_code(codes[0]),), via, matched)

    def _by_postcode(self, pc4: str) -> Resolution:
        areas = self._directory.postcode_areas(pc4)
        if not areas:
            return Resolution(Outcome.UNKNOWN_POSTCODE, via=Via.POSTCODE, matched=pc4)
        municipalities = tuple(self._directory.by_code(area.cbs_code) for area in areas)
        outcome = Outcome.FOUND if len(municipalities) == 1 else Outcome.AMBIGUOUS
        return Resolution(outcome, municipalities, Via.POSTCODE, pc4)

    def _by_typo(self, text_words: List[Word], core: Tuple[int, int]) -> Resolution:
        best_distance, entries = None, []
        for typed in _typo_targets(text_words, core, self._longest):
            distance, names = self._typos.closest(typed)
            if not names or (best_distance is not None and distance > best_distance):
                continue
            if best_distance is None or distance < best_distance:
                best_distance, entries = distance, []
            entries.extend(self._index[name] for name in names)
        if not entries:
            return Resolution(Outcome.NOT_FOUND)
        entries = [entry for entry in entries if entry.tier == 0] or entries
        if len({code for entry in entries for code in entry.cbs_codes}) > MAX_CANDIDATES:
            return Resolution(Outcome.NOT_FOUND)  # too close to too many names to be a useful guess
        return self._decide(entries, Via.TYPO)


def _core(text_words: List[Word]) -> Tuple[int, int]:
    """(start, end) of the words left when filler words are taken off both ends; all words
    when every word is a filler word ("Utrecht" is a province too)."""
    start, end = 0, len(text_words)
    while start < end and text_words[start].key in FILLER_WORDS:
        start += 1
    while end > start and text_words[end - 1].key in FILLER_WORDS:
        end -= 1
    return (start, end) if start < end else (0, len(text_words))


def _counts_in_sentence(entry: _Entry, text_words: List[Word], start: int, end: int) -> bool:
    if entry.tier == 0 and not entry.common_word:
        return True
    if entry.tier == 1 and sum(len(word.key) for word in text_words[start:end]) >= LONG_NAME:
        return True
    after_cue = start > 0 and text_words[start - 1].key in CUE_WORDS
    capital = start > 0 and text_words[start].capital  # the first word has a capital anyway
    return after_cue or capital


def _counts_in_question(entry: _Entry, text_words: List[Word], start: int, end: int) -> bool:
    """In a question: a municipality's own name as it is; an everyday word, a place or an
    alias with a capital, not as the first word of a sentence, or a long one after "in"; a
    province or the country is not its village."""
    if entry.tier == 0 and not entry.common_word:
        return True
    if " ".join(word.key for word in text_words[start:end]) in REGIONS:
        return False  # "in Nederland", "in Zeeland": the country or the province, not the village
    after_cue = start > 0 and text_words[start - 1].key in CUE_WORDS
    long_name = sum(len(word.key) for word in text_words[start:end]) >= LONG_NAME
    return start > 0 and (text_words[start].capital or after_cue and long_name)


def _written_postcode(sentence: str, sentence_words: List[Word]) -> Optional[str]:
    """The PC4 of "1011 AB", "1011AB" or "postcode 1011" in a sentence; not "in 2024 en 2025"."""
    for match in _PC6.finditer(sentence):
        digits, space, letters = match.groups()
        if not space or letters.isupper():
            return digits
    named = any(word.key == "postcode" for word in sentence_words)
    match = _PC4.search(sentence)
    return match.group(1) if named and match else None


def _postcode(text: str, text_words: List[Word], core: Tuple[int, int]) -> Optional[str]:
    """The PC4 of a postcode in the text; "in 2024 en 2025" is not a postcode."""
    named = any(word.key == "postcode" for word in text_words)
    only_postcode = bool(_ONLY_PC6.fullmatch(" ".join(word.key for word in text_words[core[0] : core[1]])))
    for match in _PC6.finditer(text):
        digits, space, letters = match.groups()
        if not space or letters.isupper() or named or only_postcode:
            return digits
    match = _PC4.search(text)
    if match and (named or core[1] - core[0] == 1 and text_words[core[0]].key == match.group(1)):
        return match.group(1)
    return None


def _typo_targets(text_words: List[Word], core: Tuple[int, int], longest: int) -> List[str]:
    """The whole core of a short text; in a sentence, the words after "in", "gemeente", ..."""
    start, end = core
    targets = []
    for first, last in ((0, len(text_words)), core):  # "Den Hellder" as a whole, "ik woon in Amsterdm" without filler
        if 0 < last - first <= longest:
            targets.append(" ".join(word.key for word in text_words[first:last]))
    for index in range(1, len(text_words)):
        if text_words[index - 1].key in CUE_WORDS or (text_words[index].capital and index >= start):
            for size in range(1, TYPO_SPAN_WORDS + 1):
                if index + size <= len(text_words):
                    targets.append(" ".join(word.key for word in text_words[index : index + size]))
    return list(dict.fromkeys(targets))
