"""How easy a Dutch text is to read: average sentence length and the Flesch-Douma score,
for every text a resident reads. `python -m assistant.content.readability` prints the table; the
tests hold every text to the project's B1 limits.

Flesch-Douma (Douma 1960, the Dutch form of Flesch's reading ease):
    206.84 - 0.77 * (syllables per 100 words) - 0.93 * (words per sentence)
60-70 is "fairly easy", 70-80 "easy". Syllables are counted as groups of vowels, with the
Dutch double vowels and diphthongs ("aa", "ij", "oe", "eeu", ...) as one.

Web addresses, e-mail addresses and "Bron:" lines are not prose and are left out.
"""

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, List, Tuple

from assistant.content.answers import ENGLISH, build_answer, message_templates, responses, topics
from assistant.content.facts import load_facts
from assistant.content.knowledge import entries, knowledge_answer
from assistant.content.right_doors import door_answer, load_doors
from assistant.flows.questions import questions

# The project's B1 limits for every text a resident reads. Flesch-Douma says little about
# a text of a few words ("Gratis cliëntondersteuning in Ede:"), so it counts from 20 words.
MAX_WORDS_PER_SENTENCE = 12.0
MIN_FLESCH_DOUMA = 60.0
MIN_WORDS_FOR_SCORE = 20
# Responses in English: a Dutch readability formula says nothing about them.
ENGLISH_RESPONSES = ("utter_english",)
# Realistic values for the {fields} of messages, so that they are measured as residents read them.
EXAMPLE_VALUES = {
    "gemeente": "Haarlemmermeer",
    "plaats": "Hoofddorp",
    "postcode": "1011",
    "aantal": "twee",
    "gemeenten": "Apeldoorn en Ede",
    "naam": "Hoenderloo",
    "datum": "22 november 2026",
    "invoer": "Bnk",
    "regio": "Twente",
    "zorgkantoor": "Menzis Zorgkantoor",
    "jaar": "2026",
    "bedrag": "0,00",
    "minuten": "5",
    "tijden": "maandag 09:00-17:00, woensdag 13:00-16:00",
    "voor_wie": "- inwoners met een laag inkomen\n- inwoners met schulden",
    "eerste": "2019",
    "laatste": "2026",
    "periode": "maand",
    "punten": "- Is de hulp voor een kind?\n- Betaalt iemand in uw huis al een eigen bijdrage?",
    "groep": "ouderen",
    "telefoon": "14 020",
    "open": "maandag tot en met vrijdag van 9 tot 17 uur",
    "referentie": "WW-7K3P9Q",
    "bewaartermijn": "30 dagen",
    "bekend_jaar": "2026",
    "maximum": "In 2026 betaalt u maximaal € 21,80 per maand.",
    "maximum_tekens": "1000",
    "regelt": "de kinderbijslag en de AOW",
    "website": "https://www.svb.nl",
}

_NOT_PROSE = re.compile(r"(https?://\S+|www\.\S+|\S+@\S+|^Bronn?e?n?:.*$)", re.MULTILINE | re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)*")
STRESS_ACCENTS = {"\u0300", "\u0301"}  # combining grave and acute
_VOWEL_GROUP = re.compile(r"eeu|ieu|oei|aai|ooi|aa|ee|oo|uu|ie|oe|eu|ei|ij|ui|ou|au|[aeiouyáéíóúàèëïöü]", re.IGNORECASE)


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def flesch_douma(self) -> float:
        if not self.words:
            return 100.0
        return 206.84 - 77 * self.syllables / self.words - 0.93 * self.words_per_sentence

    def is_b1(self) -> bool:
        short = self.words < MIN_WORDS_FOR_SCORE
        return self.words_per_sentence <= MAX_WORDS_PER_SENTENCE and (short or self.flesch_douma >= MIN_FLESCH_DOUMA)


def syllables(word: str) -> int:
    """Vowel groups, at least one: 'ondersteuning' -> 4, 'huishouden' -> 3. An accent that
    stresses ('één', 'vóór') is read as the plain vowel; a trema ('cliënt') still splits."""
    return max(1, len(_VOWEL_GROUP.findall(_without_stress_accents(word)))) if word[:1].isalpha() else 1


def _without_stress_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize(
        "NFC", "".join(character for character in decomposed if character not in STRESS_ACCENTS)
    )


def measure(text: str) -> Readability:
    prose = _NOT_PROSE.sub(" ", text)
    sentences: List[List[str]] = [_WORD.findall(part) for part in _SENTENCE_END.split(prose)]
    sentences = [words for words in sentences if words]
    all_words = [word for words in sentences for word in words]
    return Readability(len(sentences), len(all_words), sum(syllables(word) for word in all_words))


def resident_texts() -> Iterator[Tuple[str, str]]:
    """(name, text) of every answer, message and response, as a resident reads it; answers
    for the latest year with a known amount and for the year after it, which has none."""
    latest = load_facts().latest_tariff().year
    for topic in topics():
        known, unknown = build_answer(topic, latest).text, build_answer(topic, latest + 1).text
        yield f"answer {topic}", known
        if unknown != known:
            yield f"answer {topic} ({latest + 1})", unknown
    values = {**load_facts().texts(), **EXAMPLE_VALUES}
    for key, template in message_templates().items():
        if not key.endswith(f"_{ENGLISH}"):
            yield f"message {key}", template.format(**values)
    for slot, question in questions().items():
        yield f"question {slot}", question.text.format(**values)
    for name, variants in responses().items():
        for variant in variants if name not in ENGLISH_RESPONSES else ():
            yield f"response {name}", variant["text"]
    for key, door in load_doors().items():
        yield f"right door {key}", door_answer(door).text
    for entry_id in entries():
        yield f"knowledge {entry_id}", knowledge_answer(entry_id, year=latest).text


if __name__ == "__main__":
    print(f"{'text':50} {'words':>5} {'w/sent':>6} {'Flesch-Douma':>12}  B1")
    for name, text in resident_texts():
        result = measure(text)
        score = f"{result.flesch_douma:12.1f}" if result.words >= MIN_WORDS_FOR_SCORE else f"{'(short)':>12}"
        print(
            f"{name:50} {result.words:5} {result.words_per_sentence:6.1f} {score}  {'ok' if result.is_b1() else 'NO'}"
        )
