"""Why Wegwijzer replied as it did, turn by turn: for the try-out page, where a Wmo-raad member
chats with Wegwijzer and reads beside each reply what it understood (its three likeliest
intents), which answer, knowledge-base entry or flow question replied, which facts and sources
it used and which municipality it found and how. `reached` turns the same explanations into the
parts of the assistant a set of conversations reached, and `everything` lists all of them: the
scenario runner's coverage.

It reads the events the tracker store keeps (assistant/rasa_plugins/tracker_store.py: Rasa's
`events` table, texts masked) with SQLAlchemy, without Rasa, as assistant/conversations/turns.py
reads them for the staff app.

Every resident message is a turn, also the widget's automatic opening ("/greet"): it is marked
`opening`, and `position` counts it, as the widget numbers its messages (feedback names a turn by
that number). A turn runs until the next resident message or the start of a new session. Events
before the first message belong to no turn: there the session start sets the municipality that
the widget presets, which the first message then explains ("De website van de gemeente …").
"""

import json
import re
import string
import textwrap
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, Iterator, List, Optional, Pattern, Sequence, Set, Tuple, Union

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from assistant import clock
from assistant.content.answers import (
    DUTCH,
    ENGLISH,
    MAXIMUM_FIELD,
    fields,
    load_answer_texts,
    message_templates,
    responses,
    topics,
)
from assistant.content.facts import Source, load_facts
from assistant.content.knowledge import RETRIEVAL_INTENT, entries
from assistant.content.labels import labels
from assistant.conversations.store import local_day
from assistant.conversations.turns import EMPLOYEE, NOT_SURE_INTENT, WIDGET_OPENING, recognised_topic
from assistant.flows.dialogue import FLOWS, question_topics
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.questions import questions
from assistant.flows.session_start import METADATA_KEY
from assistant.privacy import POSTCODE, REQUESTED_SLOT
from assistant.settings import conversation_store_url

# Rasa's table of events (rasa.core.tracker_store.SQLTrackerStore.SQLEvent): `data` is the event's dict as JSON.
EVENTS = sa.Table(
    "events",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("sender_id", sa.String(255), nullable=False),
    sa.Column("type_name", sa.String(255), nullable=False),
    sa.Column("timestamp", sa.Float),
    sa.Column("intent_name", sa.String(255)),
    sa.Column("action_name", sa.String(255)),
    sa.Column("data", sa.Text),
)

ANSWER_ACTION = "action_answer_question"
SESSION_START_ACTION = "action_session_start"
NOT_SHOWN_ACTIONS = frozenset({"action_listen", SESSION_START_ACTION})
NEW_SESSION_EVENTS = frozenset({"session_started", "restart"})  # Rasa forgets the slots and the active flow
TOP_INTENTS = 3
YEAR_ENTITY = "jaar"  # the year a question asks about (data/nlu/regex.yml), as action_answer_question reads it
GEMEENTE_QUESTION = "gemeente_vraag"  # messages.yml: how a flow asks for the municipality

INTENT_LABELS = {RETRIEVAL_INTENT: "Een vraag uit de kennisbank", NOT_SURE_INTENT: "Niet zeker genoeg"}
FROM_WIDGET = "De website van de gemeente gaf de gemeente mee ({code})"
AS_ANSWER = "U noemde de gemeente als antwoord op de vraag"
NAMED = "U noemde een plaats of gemeente in uw bericht"
FROM_POSTCODE = "Uit de postcode"

# A postcode in a stored message: privacy.redact keeps the digits of "1011 AB" ("1011 [..]"); an
# unmasked one as privacy.POSTCODE finds it. Four digits alone count only as the whole message (the
# answer to the question) or after the word "postcode": "in 2026 in Utrecht" names a year.
MASKED_POSTCODE = re.compile(r"\b[1-9]\d{3} \[\.\.\]")
FOUR_DIGITS = re.compile(r"\b[1-9]\d{3}\b")
URL = re.compile(r"https?://[^\s;]+")
URL_END = ".,:)"  # punctuation after a URL in a sentence, not part of it

# Ids of what a conversation can reach, for coverage: "<kind>/<name>".
ANSWER_ID, QUESTION_ID, MESSAGE_ID, RESPONSE_ID = "antwoord", "vraag", "tekst", "reactie"
ENTRY_ID = RETRIEVAL_INTENT  # kennis/<entry id>, as recognised_topic names an entry
RESPONSE_PREFIX = "utter_"
ENGLISH_SUFFIX = "_en"  # messages.yml: the English variant of a message
ANY_TEXT = ".*?"  # a {field} in a message: any text, also over several lines (re.DOTALL)
MIN_LITERAL = 12  # characters of fixed text a message needs before a reply can count as that message
TITLE_WIDTH = 60  # characters of a message or response shown as its title in everything()


@dataclass(frozen=True)
class Intent:
    name: str
    confidence: float  # 0..1
    label: str  # Dutch: the button title of labels.yml, else the name


@dataclass(frozen=True)
class ChosenEntry:
    """The knowledge-base entry the message asked for: named by a button, or chosen by the selector."""

    id: str
    title: str
    confidence: float  # 1.0 for a button


@dataclass(frozen=True)
class ActiveFlow:
    form: str  # "eigen_bijdrage_form"
    title: str  # Dutch: the label of the intent that starts it
    ended: bool  # the flow ended in this turn (its outcome given, stopped, or another flow started)


@dataclass(frozen=True)
class AskedQuestion:
    slot: str
    text: str  # as questions.yml (or messages.yml for the municipality) words it; unknown {fields} stay


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: Tuple[str, ...] = ()  # titles
    response: Optional[str] = None  # the domain response it came from (utter_*), when it did
    by_employee: bool = False  # written by an employee of the municipality during a handover


@dataclass(frozen=True)
class UsedSource:
    url: str
    organisation: Optional[str] = None  # None: the URL is in no source of facts.yml or the knowledge base
    checked: Optional[date] = None


@dataclass(frozen=True)
class UsedFact:
    name: str  # the {field} of facts.yml, or "abonnementstarief <year>" for {maximum}
    text: str
    source: Source


@dataclass(frozen=True)
class FoundMunicipality:
    name: str  # the value the municipality slot got (an official name once a form checked it)
    how: str  # Dutch: FROM_WIDGET, AS_ANSWER, NAMED or FROM_POSTCODE


@dataclass(frozen=True)
class TurnExplanation:
    """One resident message: what Wegwijzer understood, what replied, with which facts and sources."""

    text: str  # as stored: masked
    position: int  # 1-based among the resident's messages, the opening included
    opening: bool  # the widget's automatic "/greet", not typed by the resident
    button: bool  # a payload ("/..."), not the opening: the resident clicked a button
    intents: Tuple[Intent, ...]  # the three likeliest, likeliest first
    entry: Optional[ChosenEntry]
    topic: Optional[str]  # the answers.yml topic that answered
    actions: Tuple[str, ...]
    flow: Optional[ActiveFlow]
    question: Optional[AskedQuestion]  # what the flow asks next
    asked: Tuple[str, ...]  # every slot the flow asked for in this turn, in order
    replies: Tuple[Reply, ...]
    sources: Tuple[UsedSource, ...]
    facts: Tuple[UsedFact, ...]
    municipality: Optional[FoundMunicipality]  # found in this turn
    known_municipality: Optional[str]  # the conversation's municipality after this turn
    paused: bool  # handed to a person: Wegwijzer paused


# --- Reading the store -------------------------------------------------------------------------


def read_events(engine_or_url: Union[Engine, str], sender_id: str) -> List[Dict[str, Any]]:
    """The stored events of a conversation (all its sessions), in the order they happened; []
    when the store has no events table yet. A URL's engine is closed again; an SQLite file that
    does not exist is not created."""
    if isinstance(engine_or_url, Engine):
        return _read(engine_or_url, sender_id)
    url = sa.engine.make_url(engine_or_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        if not Path(url.database).exists():
            return []
    engine = sa.create_engine(url)
    try:
        return _read(engine, sender_id)
    finally:
        engine.dispose()


def _read(engine: Engine, sender_id: str) -> List[Dict[str, Any]]:
    if not sa.inspect(engine).has_table(EVENTS.name):
        return []
    query = sa.select(EVENTS.c.data).where(EVENTS.c.sender_id == sender_id).order_by(EVENTS.c.id)
    with engine.connect() as connection:
        return [json.loads(data) for data in connection.execute(query).scalars() if data]


def explain_conversation(engine_or_url: Union[Engine, str], sender_id: str) -> List[TurnExplanation]:
    return explain(read_events(engine_or_url, sender_id))


# --- Explaining turns --------------------------------------------------------------------------


@dataclass
class _Draft:
    """A turn being read, with the conversation's state when it began."""

    user: Dict[str, Any]
    position: int
    requested_before: Optional[str]
    known_before: Optional[str]
    active_before: Optional[str]
    preset: Optional[str]  # the municipality the session start set just before, from the widget's code
    actions: List[str] = field(default_factory=list)
    replies: List[Reply] = field(default_factory=list)
    loops: List[Optional[str]] = field(default_factory=list)  # active_loop events
    requested: List[Optional[str]] = field(default_factory=list)  # requested_slot values set
    gemeente: List[Optional[str]] = field(default_factory=list)  # values the municipality slot got
    paused: bool = False

    @property
    def text(self) -> str:
        return str(self.user.get("text") or "")

    @property
    def code(self) -> Optional[str]:
        """The municipality code the widget sent with this message (it sends it with every message)."""
        code = (self.user.get("metadata") or {}).get(METADATA_KEY)
        return code if isinstance(code, str) and code else None


class _Reader:
    """Reads the events once, in order, keeping the state between turns: the slots the
    explanations need (requested_slot, gemeente) and the active flow."""

    def __init__(self) -> None:
        self.requested: Optional[str] = None
        self.known: Optional[str] = None
        self.active: Optional[str] = None
        self.preset: Optional[str] = None
        self.codes: Set[str] = set()  # the widget's codes seen in earlier messages
        self.draft: Optional[_Draft] = None
        self.turns: List[TurnExplanation] = []

    def read(self, event: Dict[str, Any]) -> None:
        kind = event.get("event")
        if kind == "user":
            self.start_turn(event)
        elif kind in NEW_SESSION_EVENTS or (kind == "action" and event.get("name") == SESSION_START_ACTION):
            self.end_turn()
            if kind in NEW_SESSION_EVENTS:
                self.requested = self.known = self.active = None
        elif kind == "slot":
            self.slot(event.get("name"), event.get("value"))
        elif kind == "active_loop":
            self.active = event.get("name")
            if self.draft:
                self.draft.loops.append(self.active)
        elif self.draft:
            self.within_turn(kind, event)

    def start_turn(self, event: Dict[str, Any]) -> None:
        self.end_turn()
        self.draft = _Draft(event, len(self.turns) + 1, self.requested, self.known, self.active, self.preset)
        self.preset = None

    def end_turn(self) -> None:
        if self.draft:
            code = self.draft.code
            self.turns.append(_explanation(self.draft, bool(code) and code not in self.codes, self.known, self.active))
            if code:
                self.codes.add(code)
        self.draft = None

    def slot(self, name: Any, value: Any) -> None:
        if name == REQUESTED_SLOT:
            self.requested = value
            if self.draft:
                self.draft.requested.append(value)
        elif name == GEMEENTE:
            self.known = value
            if self.draft:
                self.draft.gemeente.append(value)
            else:
                self.preset = value

    def within_turn(self, kind: Any, event: Dict[str, Any]) -> None:
        assert self.draft is not None
        if kind == "action" and isinstance(event.get("name"), str) and event["name"] not in NOT_SHOWN_ACTIONS:
            self.draft.actions.append(event["name"])
        elif kind == "bot":
            reply = _reply(event)
            if reply:
                self.draft.replies.append(reply)
        elif kind == "pause":
            self.draft.paused = True


def explain(events: Sequence[Dict[str, Any]]) -> List[TurnExplanation]:
    """One explanation per resident message in `events` (stored event dicts, in order)."""
    reader = _Reader()
    for event in events:
        reader.read(event)
    reader.end_turn()
    return reader.turns


def _explanation(
    draft: _Draft, new_code: bool, known_after: Optional[str], active_after: Optional[str]
) -> TurnExplanation:
    parse_data = draft.user.get("parse_data") or {}
    entry = _chosen_entry(parse_data)
    answered = ANSWER_ACTION in draft.actions
    intent = str((parse_data.get("intent") or {}).get("name") or "")
    topic = intent if answered and entry is None and intent in topics() else None
    asked = tuple(dict.fromkeys(slot for slot in draft.requested if slot))
    last_asked = draft.requested[-1] if draft.requested else None
    return TurnExplanation(
        text=draft.text,
        position=draft.position,
        opening=draft.text == WIDGET_OPENING,
        button=draft.text.startswith("/") and draft.text != WIDGET_OPENING,
        intents=_intents(parse_data),
        entry=entry,
        topic=topic,
        actions=tuple(draft.actions),
        flow=_flow([draft.active_before, *draft.loops], active_after),
        question=AskedQuestion(last_asked, question_texts().get(last_asked, last_asked)) if last_asked else None,
        asked=asked,
        replies=tuple(draft.replies),
        sources=_sources(draft.replies),
        facts=_facts(topic, entry if answered else None, _year(draft.user, parse_data)),
        municipality=_municipality(draft, new_code),
        known_municipality=known_after,
        paused=draft.paused,
    )


def _intents(parse_data: Dict[str, Any]) -> Tuple[Intent, ...]:
    ranking = parse_data.get("intent_ranking") or [parse_data.get("intent") or {}]
    found = [(str(item.get("name") or ""), float(item.get("confidence") or 0.0)) for item in ranking]
    return tuple(Intent(name, confidence, intent_label(name)) for name, confidence in found[:TOP_INTENTS] if name)


def intent_label(name: str) -> str:
    """What a reviewer reads for an intent: its button title in labels.yml, else the name."""
    return INTENT_LABELS.get(name) or labels().get(name) or name


def _chosen_entry(parse_data: Dict[str, Any]) -> Optional[ChosenEntry]:
    topic, confidence = recognised_topic(parse_data)
    kind, _, entry_id = topic.partition("/")
    if kind != RETRIEVAL_INTENT or entry_id not in entries():
        return None
    return ChosenEntry(entry_id, entries()[entry_id].title(), confidence)


def _flow(loops: List[Optional[str]], active_after: Optional[str]) -> Optional[ActiveFlow]:
    """The guided flow that was active during the turn, the latest if several. Other active
    loops (Rasa's two-stage fallback is one) are no flow."""
    forms = [loop for loop in loops if loop in FLOWS]
    if not forms:
        return None
    form = forms[-1]
    return ActiveFlow(form, labels().get(FLOWS[form].trigger, form), ended=active_after != form)


def _reply(event: Dict[str, Any]) -> Optional[Reply]:
    """A bot message with its buttons; None for one without either (the feedback request)."""
    data, metadata = event.get("data") or {}, event.get("metadata") or {}
    buttons = tuple(str(button.get("title") or "") for button in data.get("buttons") or [])
    text = event.get("text") or ""
    if not text and not buttons:
        return None
    response = metadata.get("utter_action")
    return Reply(text, buttons, response if isinstance(response, str) else None, bool(metadata.get(EMPLOYEE)))


def _sources(replies: Iterable[Reply]) -> Tuple[UsedSource, ...]:
    """The sources whose URLs the replies name, each once, with their organisation and check date."""
    urls = (match.rstrip(URL_END) for reply in replies for match in URL.findall(reply.text))
    found = []
    for url in dict.fromkeys(urls):
        source = _known_sources().get(url.rstrip("/"))
        found.append(UsedSource(url, source.organisation, source.checked) if source else UsedSource(url))
    return tuple(found)


@lru_cache(maxsize=1)
def _known_sources() -> Dict[str, Source]:
    """Every source of facts.yml and of the knowledge base by URL (without a final "/")."""
    sources = [*load_facts().sources.values(), *(source for entry in entries().values() for source in entry.sources)]
    found: Dict[str, Source] = {}
    for source in sources:
        found.setdefault(source.url.rstrip("/"), source)
    return found


def _year(user: Dict[str, Any], parse_data: Dict[str, Any]) -> int:
    """The year the answer was about: the one the message names, else the year it was sent in."""
    named = next((e.get("value") for e in parse_data.get("entities") or [] if e.get("entity") == YEAR_ENTITY), None)
    if isinstance(named, str) and named.isdigit():
        return int(named)
    timestamp = user.get("timestamp")
    return local_day(float(timestamp)).year if timestamp else clock.this_year()


def _facts(topic: Optional[str], entry: Optional[ChosenEntry], year: int) -> Tuple[UsedFact, ...]:
    """The facts of the template that answered (its Dutch and English text); for {maximum} the
    year's tariff, or the latest known one, which the answer then names with its own year."""
    if topic:
        answer = load_answer_texts()[topic]
        templates = [answer["text"], answer.get("text_en", "")]
    elif entry:
        templates = [entries()[entry.id].template(DUTCH), entries()[entry.id].template(ENGLISH)]
    else:
        return ()
    facts = load_facts()
    used = []
    for name in dict.fromkeys(name for template in templates for name in fields(template)):
        if name == MAXIMUM_FIELD:
            tariff = facts.tariff(year) or facts.latest_tariff()
            used.append(
                UsedFact(f"abonnementstarief {tariff.year}", f"€ {tariff.amount} per {tariff.period}", tariff.source)
            )
        elif name in facts.facts:
            used.append(UsedFact(name, facts.facts[name].text, facts.facts[name].source))
    return tuple(used)


def _municipality(draft: _Draft, new_code: bool) -> Optional[FoundMunicipality]:
    """The municipality found in this turn, and how. The widget's code counts when it is new in
    the conversation and the session start set the municipality from it; else the slot must
    have got another value than it had (a form also sets a known one again). A postcode is
    named as such, also when it was the answer to the question."""
    if new_code and draft.preset:
        return FoundMunicipality(draft.preset, FROM_WIDGET.format(code=draft.code))
    value = draft.gemeente[-1] if draft.gemeente else None
    if value is None or value == draft.known_before:
        return None
    if _names_a_postcode(draft.text):
        return FoundMunicipality(value, FROM_POSTCODE)
    return FoundMunicipality(value, AS_ANSWER if draft.requested_before == GEMEENTE else NAMED)


def _names_a_postcode(text: str) -> bool:
    if MASKED_POSTCODE.search(text) or POSTCODE.search(text) or FOUR_DIGITS.fullmatch(text.strip()):
        return True
    return "postcode" in text.lower() and bool(FOUR_DIGITS.search(text))


# --- Coverage ----------------------------------------------------------------------------------


def reached(explanations: Iterable[TurnExplanation]) -> Set[str]:
    """The ids (as everything() names them) of what these turns reached."""
    return {found for turn in explanations for found in _reached_in(turn)}


def reached_by(senders: Iterable[str], store_url: Optional[str] = None) -> Set[str]:
    """What these conversations reached, read from the conversation store (this machine's, by default)."""
    url = store_url or conversation_store_url()
    return {found for sender in senders for found in reached(explain_conversation(url, sender))}


def _reached_in(turn: TurnExplanation) -> Iterator[str]:
    if turn.topic:
        yield f"{ANSWER_ID}/{turn.topic}"
    if turn.entry and ANSWER_ACTION in turn.actions:
        yield f"{ENTRY_ID}/{turn.entry.id}"
    yield from (f"{QUESTION_ID}/{slot}" for slot in turn.asked)
    responses = [*turn.actions, *(reply.response for reply in turn.replies if reply.response)]
    yield from (f"{RESPONSE_ID}/{name}" for name in responses if name.startswith(RESPONSE_PREFIX))
    for reply in turn.replies:
        yield from (f"{MESSAGE_ID}/{key}" for key in matching_messages(reply))


def matching_messages(reply: Reply) -> Iterator[str]:
    """The keys of messages.yml that a reply shows: in its text (a template long enough not
    to match by accident), or as a button whose title is the whole message ("Chat met een medewerker")."""
    for key, pattern in _message_patterns().items():
        if pattern.search(reply.text):
            yield key
    for title in reply.buttons:
        yield from _message_buttons().get(title, ())


@lru_cache(maxsize=1)
def _message_patterns() -> Dict[str, Pattern[str]]:
    """messages.yml as regexes: the fixed text, with each {field} as any text (also over lines)."""
    patterns = {key: _pattern(template) for key, template in message_templates().items()}
    return {key: pattern for key, pattern in patterns.items() if pattern}


def _pattern(template: str) -> Optional[Pattern[str]]:
    parts = list(string.Formatter().parse(template))
    if sum(len(literal.strip()) for literal, *_ in parts) < MIN_LITERAL:
        return None
    pieces: List[str] = []
    for literal, name, _, _ in parts:
        pieces += [r"\s+".join(re.escape(word) for word in literal.split()), ANY_TEXT if name is not None else ""]
    pieces = [piece for piece in pieces if piece]
    while pieces and pieces[0] == ANY_TEXT:  # any text before the first or after the last fixed text:
        pieces.pop(0)  # search() allows it anyway
    while pieces and pieces[-1] == ANY_TEXT:
        pieces.pop()
    return re.compile("".join(pieces), re.DOTALL)


@lru_cache(maxsize=1)
def _message_buttons() -> Dict[str, Tuple[str, ...]]:
    """Messages without fields by their text: a button titled so shows them."""
    found: Dict[str, List[str]] = {}
    for key, template in message_templates().items():
        if not fields(template):
            found.setdefault(" ".join(template.split()), []).append(key)
    return {text: tuple(keys) for text, keys in found.items()}


def everything() -> Dict[str, str]:
    """Every id the assistant has, with a Dutch title: the answers asked as questions, the
    knowledge-base entries, the flows' questions, the Dutch messages and the domain's responses."""
    return dict(_everything())


@lru_cache(maxsize=1)
def _everything() -> Dict[str, str]:
    answered = [topic for topic in question_topics() if topic != RETRIEVAL_INTENT]
    found = {f"{ANSWER_ID}/{topic}": labels().get(topic, topic) for topic in answered}
    found.update({f"{ENTRY_ID}/{entry_id}": entry.title() for entry_id, entry in entries().items()})
    found.update({f"{QUESTION_ID}/{slot}": text for slot, text in question_texts().items()})
    messages = message_templates().items()
    found.update({f"{MESSAGE_ID}/{k}": f"{k}: {_short(t)}" for k, t in messages if not k.endswith(ENGLISH_SUFFIX)})
    for name, variants in responses().items():
        first = next((variant.get("text") for variant in variants if variant.get("text")), "")
        found[f"{RESPONSE_ID}/{name}"] = f"{name}: {_short(first)}" if first else name
    return found


def _short(text: str) -> str:
    return textwrap.shorten(text, TITLE_WIDTH, placeholder=" …")


@lru_cache(maxsize=1)
def question_texts() -> Dict[str, str]:
    """Each slot a flow asks for, with its question (questions.yml's with the facts filled in)."""
    known = _KeepUnknown(load_facts().texts())
    texts = {slot: question.text.format_map(known) for slot, question in questions().items()}
    texts[GEMEENTE] = message_templates()[GEMEENTE_QUESTION]
    return texts


class _KeepUnknown(dict):
    """Values for str.format_map that leave a {field} without a value as it is ("{gemeente}")."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
