"""The questions of the guided flows (content/questions.yml) and how to read an answer.

A resident answers with a button or types. `read_answer` turns both into the slot's value:
the intent for yes/no ("ja", "klopt" -> affirm), else the option whose words the text
contains. An answer that fits no option, or several, is None: the form asks again.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from assistant.settings import QUESTIONS_FILE

DONT_KNOW = "weet_niet"
YES_NO_INTENTS = {"affirm": "ja", "deny": "nee", "dont_know": DONT_KNOW}
_YES_NO_WORDS = {"ja": ("ja", "jazeker", "jawel", "klopt", "zeker", "yes"), "nee": ("nee", "neen", "niet", "no")}
_DONT_KNOW_TEXT = re.compile(r"\b(weet (ik )?(het )?niet|geen idee|onbekend|twijfel)", re.IGNORECASE)


@dataclass(frozen=True)
class Option:
    value: str
    title: str
    words: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    slot: str
    text: str  # may hold {fields}, filled in by the action that asks
    options: Tuple[Option, ...] = ()
    yes_no: bool = False
    from_first_message: bool = False  # the message that starts the flow may answer it

    def buttons(self) -> Tuple[Option, ...]:
        """The options as buttons, with "Weet ik niet" where the resident may not know."""
        if self.yes_no:
            return (Option("ja", "Ja"), Option("nee", "Nee"), Option(DONT_KNOW, "Weet ik niet"))
        return self.options


@lru_cache(maxsize=1)
def questions(path: Path = QUESTIONS_FILE) -> Dict[str, Question]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {slot: _question(slot, entry) for slot, entry in raw.items()}


def _question(slot: str, entry: dict) -> Question:
    options = entry.get("options")
    if options == "yes_no":
        return Question(slot, entry["text"], yes_no=True)
    parsed = tuple(Option(item["value"], item["title"], tuple(item.get("words", ()))) for item in options or ())
    return Question(slot, entry["text"], parsed, from_first_message=bool(entry.get("from_first_message")))


def button_answer(question: Question, text: str) -> Optional[str]:
    """The option whose button title the reply is, whatever NLU made of it."""
    lowered = " ".join(text.lower().split())
    return next((option.value for option in question.buttons() if option.title.lower() == lowered), None)


def read_answer(question: Question, intent: Optional[str], text: str) -> Optional[str]:
    """The value a reply gives `question`, or None when the reply does not answer it."""
    if intent == "dont_know" or _DONT_KNOW_TEXT.search(text):
        return DONT_KNOW
    if question.yes_no:
        return YES_NO_INTENTS.get(intent or "") or _yes_no_from_words(text)
    by_intent = YES_NO_INTENTS.get(intent or "")
    if by_intent and any(option.value == by_intent for option in question.options):
        return by_intent
    return _option_from_words(question.options, text)


def _yes_no_from_words(text: str) -> Optional[str]:
    first_word = re.match(r"\W*(\w+)", text.lower())
    for value, words in _YES_NO_WORDS.items():
        if first_word and first_word.group(1) in words:
            return value
    return None


def named_option(question: Question, text: str) -> Optional[str]:
    """The option a sentence names, for a question not asked yet: "wat betaal ik voor
    huishoudelijke hulp?" answers the provision question before it is asked."""
    return _option_from_words(question.options, text) if question.from_first_message else None


def _option_from_words(options: Tuple[Option, ...], text: str) -> Optional[str]:
    """The option the text names: by its button title, else the option with the longest
    word in the text ("kan ik niet" beats "kan ik"); None when options tie."""
    lowered = " ".join(text.lower().split())
    by_title = [option.value for option in options if option.title.lower() == lowered or option.value == lowered]
    if by_title:
        return by_title[0]
    longest = {
        option.value: max((len(word) for word in option.words if word in lowered), default=0) for option in options
    }
    best = max(longest.values(), default=0)
    winners = [value for value, length in longest.items() if length == best]
    return winners[0] if best and len(winners) == 1 else None
