"""Het gespreksboek (the conversation book): every text Wegwijzer can send, as a resident reads it,
for the Wmo-raad to read, print and sign off.

It is built from the same files and functions the assistant answers with (answers.yml, the
knowledge base, messages.yml, questions.yml, domain.yml's responses, the flows' decisions), never
from a copy: a test checks that every message, question, response, answer and entry is in it. A
municipality's book has its own texts and contacts in place; the national one shows placeholders
("[uw gemeente]") where a municipality's data would go.

The book is divided into chapters of items. An item is what a reviewer signs off (an answer, an
entry, a flow, a group of texts); its fingerprint changes when any of its texts changes, so that
a sign-off given to an earlier text can say so.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import AbstractSet, Dict, Iterator, List, Optional, Tuple

from assistant import clock
from assistant.content.answers import (
    DUTCH,
    ENGLISH,
    Answer,
    LocalContext,
    build_answer,
    follow_ups,
    has_english,
    message_templates,
    responses,
    sends_to_municipality,
)
from assistant.content.contact import answer_contact_text
from assistant.content.knowledge import RETRIEVAL_INTENT, entries, knowledge_answer
from assistant.content.labels import labels
from assistant.content.readability import ENGLISH_RESPONSES
from assistant.content.right_doors import door_answer, load_doors
from assistant.flows.dialogue import FLOWS, question_topics
from assistant.review.explain import Reply, matching_messages
from assistant.review.flow_scripts import flow_script
from assistant.review.texts import Place, Step, Text, message_values
from assistant.runtime.model import fingerprint, training_files

CONTACT_NOTE = "Daarna volgen de contactgegevens van de gemeente van de inwoner."

# The messages of messages.yml by the item they belong to: the longest matching key prefix wins.
MESSAGE_GROUPS: Dict[str, Tuple[str, ...]] = {
    "gesprek/gemeente_form": ("gemeente_", "postcode_", "contact_"),
    "gesprek/eigen_bijdrage_form": ("eb_", "maximum_", "eigen_bijdrage_lokaal_", "gemeente_vraag_eigen_bijdrage"),
    "gesprek/pgb_form": ("pgb_",),
    "gesprek/clientondersteuning_form": ("co_", "wlz_zorgkantoor_"),
    "gesprek/handover_form": ("mens_", "terugbellen_knop", "nee_dank_u_knop"),
    "gesprek/chat_form": ("chat_",),
    "gesprek/callback_form": ("callback_",),
    "teksten/niet_begrepen": ("bedoelt_u", "iets_anders", "niet_begrepen_mens", "buiten_onderwerp_"),
    "teksten/ander_loket": ("juiste_loket",),
    "teksten/tijdens_vragen": ("antwoord_onduidelijk", "flow_al_bezig", "terug_", "stop_vragen"),
    "teksten/storingen": ("storing", "invoer_"),
}
# Rasa's responses (domain.yml) by item; the rest are "vaste reacties".
RESPONSE_GROUPS = {"utter_fallback_topics": "teksten/niet_begrepen", "utter_out_of_scope": "teksten/niet_begrepen"}
RESPONSES_ITEM = "teksten/reacties"
FLOW_TITLES = {
    "gemeente_form": "De contactgegevens van de gemeente",
    "clientondersteuning_form": "Cliëntondersteuning zoeken",
    "eigen_bijdrage_form": "Nagaan wat u betaalt (eigen bijdrage)",
    "pgb_form": "Past een pgb bij u?",
    "handover_form": "Een mens spreken",
    "chat_form": "Chatten met een medewerker",
    "callback_form": "Teruggebeld worden",
}
TEXT_ITEMS = {
    "teksten/niet_begrepen": ("Als Wegwijzer de vraag niet begrijpt", "Wat Wegwijzer zegt als het niet zeker is."),
    "teksten/ander_loket": ("Vragen voor een ander loket", "Waar Wegwijzer de inwoner heen stuurt."),
    "teksten/tijdens_vragen": ("Tijdens de vragen", "Teksten die in elk gesprek met vragen kunnen komen."),
    "teksten/storingen": ("Storingen en invoer", "Als er iets misgaat, of de inwoner te veel of niets typt."),
    RESPONSES_ITEM: ("Vaste reacties", "Groeten, bedanken en afscheid."),
}


@dataclass(frozen=True)
class Item:
    """What a reviewer signs off: an answer, an entry, a flow or a group of texts."""

    id: str  # "antwoord/pgb_wat", "kennis/cak_termijnen", "gesprek/pgb_form", "teksten/storingen"
    title: str
    texts: Tuple[Text, ...]
    steps: Tuple[Step, ...] = ()
    about: str = ""  # one line for the reader: when a resident gets this

    @property
    def fingerprint(self) -> str:
        """Changes when any text, button, source or step of the item changes."""
        content = {
            "texts": [
                [text.label, text.body, text.buttons, [s.url for s in text.sources], text.when] for text in self.texts
            ],
            "steps": [[step.question, [list(option) for option in step.options]] for step in self.steps],
        }
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Chapter:
    id: str
    title: str
    about: str
    items: Tuple[Item, ...]


@dataclass(frozen=True)
class Version:
    """Which assistant the book shows: the model (a hash of what training reads) and the content."""

    model: str
    content: str
    made_on: date

    def __str__(self) -> str:
        return f"model {self.model[:8]}, inhoud {self.content[:8]}"


@dataclass(frozen=True)
class Book:
    chapters: Tuple[Chapter, ...]
    version: Version
    municipality: Optional[str] = None  # the name, for a municipality's book
    municipality_code: Optional[str] = None

    def items(self) -> Iterator[Item]:
        for chapter in self.chapters:
            yield from chapter.items

    def item(self, item_id: str) -> Optional[Item]:
        return next((item for item in self.items() if item.id == item_id), None)


def build_book(place: Optional[Place] = None, today: Optional[date] = None) -> Book:
    """The whole book: nationally, or with `place`'s own texts and contacts."""
    year = (today or clock.today()).year
    chapters = (
        Chapter(
            "antwoorden", "Antwoorden", "Het antwoord op een vraag over een onderwerp.", tuple(_answers(place, year))
        ),
        Chapter(
            "kennisbank", "Kennisbank", "Korte antwoorden op losse vragen, per thema.", tuple(_entries(place, year))
        ),
        Chapter(
            "gesprekken",
            "Gesprekken met vragen",
            "Hier stelt Wegwijzer vragen en geeft het daarna een uitkomst.",
            tuple(_flow_item(form, place, year) for form in FLOWS),
        ),
        Chapter("teksten", "Andere teksten", "Teksten buiten de onderwerpen en gesprekken.", tuple(_text_items(place))),
    )
    content = hashlib.sha256("".join(item.fingerprint for c in chapters for item in c.items).encode()).hexdigest()
    version = Version(fingerprint(training_files()), content[:12], today or clock.today())
    municipality = place.municipality if place else None
    return Book(
        chapters, version, municipality.name if municipality else None, municipality.cbs_code if municipality else None
    )


def _answer_texts(answer: Answer, buttons: Tuple[str, ...], label: str) -> Text:
    return Text(label, answer.render(), buttons, answer.sources, answer.language)


def _contact(place: Optional[Place], language: str) -> Text:
    if place is None:
        return Text("Daarna", CONTACT_NOTE, language=DUTCH)
    return Text("Daarna", answer_contact_text(place.municipality, place.override, language), language=language)


def _answers(place: Optional[Place], year: int) -> Iterator[Item]:
    local = place.local if place else None
    for topic in question_topics():
        if topic != RETRIEVAL_INTENT:  # the knowledge base has a chapter of its own
            yield _topic_item(topic, place, local, year)


def _topic_item(topic: str, place: Optional[Place], local: Optional[LocalContext], year: int) -> Item:
    texts: List[Text] = []
    for language, label in ((DUTCH, "Antwoord"), (ENGLISH, "In het Engels")):
        if language == ENGLISH and not has_english(topic):
            continue
        answer = build_answer(topic, year, local, language)
        buttons = tuple(labels(language)[intent] for intent in follow_ups(topic))
        texts.append(_answer_texts(answer, buttons, label))
        if sends_to_municipality(topic):
            texts.append(_contact(place, language))
    return Item(f"antwoord/{topic}", labels()[topic], tuple(texts), about=f"Als de inwoner vraagt: {labels()[topic]}")


def _entries(place: Optional[Place], year: int) -> Iterator[Item]:
    for entry_id, entry in entries().items():  # by theme: in the order of the files
        texts = []
        for language, label in ((DUTCH, "Antwoord"), (ENGLISH, "In het Engels")):
            buttons = tuple(entries()[related].title(language) for related in entry.related if related in entries())
            texts.append(_answer_texts(knowledge_answer(entry_id, language, year), buttons, label))
            if entry.sends_to_municipality:
                texts.append(_contact(place, language))
        about = (
            f"Thema {entry.theme}. Ook gevraagd als: " + "; ".join(entry.vragen[1:3])
            if len(entry.vragen) > 1
            else f"Thema {entry.theme}."
        )
        yield Item(f"kennis/{entry_id}", entry.title(), tuple(texts), about=about)


def _flow_item(form: str, place: Optional[Place], year: int) -> Item:
    script = flow_script(form, place, year)
    item_id = f"gesprek/{form}"
    bodies = [text.body for text in script.texts] + [step.question for step in script.steps]
    shown = {key for body in bodies for key in matching_messages(Reply(body))}
    others = tuple(_group_texts(item_id, place, shown))
    start = f"Start als de inwoner vraagt: {labels().get(FLOWS[form].trigger, FLOW_TITLES[form])}"
    return Item(item_id, FLOW_TITLES[form], script.texts + others, script.steps, about=start)


def _text_items(place: Optional[Place]) -> Iterator[Item]:
    for item_id, (title, about) in TEXT_ITEMS.items():
        texts = list(_group_texts(item_id, place))
        texts += _responses(item_id)
        if item_id == "teksten/ander_loket":
            texts += [_answer_texts(door_answer(door), (), f"Ander loket: {key}") for key, door in load_doors().items()]
        yield Item(item_id, title, tuple(texts), about=about)


def _responses(item_id: str) -> Iterator[Text]:
    for name, variants in responses().items():
        if RESPONSE_GROUPS.get(name, RESPONSES_ITEM) != item_id:
            continue
        language = ENGLISH if name in ENGLISH_RESPONSES else DUTCH
        for variant in variants:
            buttons = tuple(button["title"] for button in variant.get("buttons", ()))
            yield Text(f"Reactie {name}", variant["text"].strip(), buttons, language=language)


def message_group(key: str) -> Optional[str]:
    """The item a message of messages.yml belongs to (English variants with their Dutch key)."""
    base = key[: -len(f"_{ENGLISH}")] if key.endswith(f"_{ENGLISH}") else key
    matches = [
        (len(prefix), item)
        for item, prefixes in MESSAGE_GROUPS.items()
        for prefix in prefixes
        if base.startswith(prefix)
    ]
    return max(matches)[1] if matches else None


def _group_texts(item_id: str, place: Optional[Place], shown: AbstractSet[str] = frozenset()) -> Iterator[Text]:
    """The messages of an item's group, filled in; without the keys `shown` (in the flow's script already)."""
    values = message_values(place)
    for key, template in message_templates().items():
        if message_group(key) != item_id or key in shown:
            continue
        language = ENGLISH if key.endswith(f"_{ENGLISH}") else DUTCH
        yield Text(f"Tekst {key}", template.format(**values).strip(), language=language)
