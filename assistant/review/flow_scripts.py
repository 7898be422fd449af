"""Each guided flow as a readable script: its questions in order, each button with what follows
it, and the outcomes with when a resident reads them.

The scripts are found by walking every path of buttons through the flows' own decisions (which
question comes next, what the outcome says: assistant/flows/), so the book cannot drift from what
the assistant does. "When" names only the questions that matter for an outcome: a question whose
every answer leads to it is left out.
"""

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Tuple

from assistant.content.answers import build_answer, message
from assistant.content.contact import contact_messages
from assistant.content.facts import load_facts
from assistant.flows import clientondersteuning, eigen_bijdrage, pgb
from assistant.flows.callback import CONSENT, NAME, PHONE, QUESTION, consent_text
from assistant.flows.dialogue import FLOWS
from assistant.flows.handover import (
    CHAT_CHANNEL,
    chat_refused,
    no_chat_reason,
    person_offer,
    waiting_buttons,
    where_to_call,
)
from assistant.flows.questions import questions
from assistant.review.texts import PLACEHOLDERS, Place, Step, Text, message_values

Answers = Dict[str, str]
Option = Tuple[str, str]  # (value, button title)
GEMEENTE = "gemeente"
CONTACT = "[de contactgegevens van de gemeente]"


@dataclass(frozen=True)
class Script:
    steps: Tuple[Step, ...]
    texts: Tuple[Text, ...]


@dataclass
class _Walk:
    """What walking every path found: per question its buttons and where they lead, per outcome text its paths."""

    next_slot: Callable[[Answers], Optional[str]]
    options: Callable[[str, Answers], List[Option]]
    outcome: Callable[[Answers], List[Text]]
    leads_to: Dict[str, Dict[str, List[str]]] = field(default_factory=dict)  # slot -> title -> targets
    outcomes: Dict[str, Tuple[Text, List[Dict[str, str]]]] = field(default_factory=dict)  # body -> text, paths

    def walk(self, answers: Answers, path: Dict[str, str]) -> List[str]:
        """Walks every path on from `answers`; returns what comes next: the question's slot, or the outcomes' bodies."""
        slot = self.next_slot(answers)
        if slot is None:
            bodies = []
            for text in self.outcome(answers):
                self.outcomes.setdefault(text.body, (text, []))[1].append(path)
                bodies.append(text.body)
            return bodies
        buttons = self.leads_to.setdefault(slot, {})
        for value, title in self.options(slot, answers):
            targets = self.walk({**answers, slot: value}, {**path, slot: title})
            known = buttons.setdefault(title, [])
            known += [target for target in targets if target not in known]
        return [slot]

    def script(self, question_text: Callable[[str], str], notes: Dict[str, str]) -> Script:
        self.walk({}, {})
        number = {slot: index for index, slot in enumerate(self.leads_to, 1)}
        outcome_number = {body: index for index, body in enumerate(self.outcomes, 1)}

        def follows(targets: List[str]) -> str:
            questions_next = [f"vraag {number[name]}" for name in targets if name in number]
            outcomes = [outcome_number[name] for name in targets if name in outcome_number]
            return _joined(questions_next + ([f"uitkomst {_numbers(outcomes)}"] if outcomes else []))

        steps = tuple(
            Step(
                slot, question_text(slot), tuple((t, follows(goes)) for t, goes in buttons.items()), notes.get(slot, "")
            )
            for slot, buttons in self.leads_to.items()
        )
        texts = tuple(
            Text(
                f"Uitkomst {outcome_number[body]}",
                text.body,
                text.buttons,
                text.sources,
                text.language,
                self._when(paths, number),
            )
            for body, (text, paths) in self.outcomes.items()
        )
        return Script(steps, texts)

    def _when(self, paths: List[Dict[str, str]], number: Dict[str, int]) -> str:
        """The answers that lead to an outcome, per question that matters: a question that was not
        asked, or whose every button leads here, is left out ("vraag 3: Ja")."""
        parts = []
        for slot, index in number.items():
            offered = list(self.leads_to[slot])
            here = [title for title in offered if any(path.get(slot) == title for path in paths)]
            if not here or len(here) == len(offered):
                continue
            others = [title for title in offered if title not in here]
            named = _joined(here, "of") if len(here) <= len(others) else f"niet {_joined(others, 'of')}"
            parts.append(f"vraag {index}: {named}")
        return "Als " + "; ".join(parts) if parts else "Altijd"


def _joined(words: List[str], last: str = "en") -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {last} {words[-1]}"


def _numbers(numbers: List[int]) -> str:
    """[4, 5, 6, 9] -> "4 tot en met 6 en 9": runs of three or more as a range."""
    runs: List[List[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [f"{run[0]} tot en met {run[-1]}" for run in runs if len(run) > 2]
    parts += [str(number) for run in runs if len(run) <= 2 for number in run]
    return _joined(sorted(parts, key=lambda part: int(part.split()[0])))


def _question(slot: str, place: Optional[Place]) -> str:
    """A question as the form asks it, with the book's municipality (or a placeholder) filled in."""
    if slot == GEMEENTE:
        return message("gemeente_vraag")
    if slot == CONSENT:
        return consent_text(place.municipality.name if place else PLACEHOLDERS["gemeente"])
    return questions()[slot].text.format(**message_values(place))


def _buttons(slot: str) -> List[Option]:
    return [(option.value, option.title) for option in questions()[slot].buttons()]


def _municipality(place: Optional[Place]) -> List[Option]:
    """The answer to "In welke gemeente woont u?": the book's municipality, or the placeholder."""
    return [(place.municipality.name if place else PLACEHOLDERS["gemeente"],) * 2]


def _text(body: str, label: str = "", buttons: Tuple[str, ...] = (), sources=()) -> Text:
    return Text(label, body, buttons, tuple(sources))


# --- The flows -------------------------------------------------------------------------------


def _eigen_bijdrage(place: Optional[Place], year: int) -> Script:
    facts = load_facts()
    skip = eigen_bijdrage.SKIP_MUNICIPALITY

    def next_slot(answers: Answers) -> Optional[str]:
        needed = eigen_bijdrage.questions_to_ask(answers, answers.get(GEMEENTE) == skip)
        return next((slot for slot in needed if slot not in answers), None)

    def options(slot: str, answers: Answers) -> List[Option]:
        if slot == eigen_bijdrage.YEAR:
            return [(str(y), str(y)) for y in eigen_bijdrage.year_buttons(facts, year)]
        if slot == GEMEENTE:
            return _municipality(place) + [(skip, skip)]
        return _buttons(slot)

    def outcome(answers: Answers) -> List[Text]:
        local = place.local if place and answers.get(GEMEENTE) != skip else None
        checked_year = int(answers.get(eigen_bijdrage.YEAR, year))  # no year asked: a free provision
        answer = eigen_bijdrage.verdict_answer(answers, checked_year, facts, local)
        return [_text(answer.render(), sources=answer.sources)]

    def question_text(slot: str) -> str:
        return message("gemeente_vraag_eigen_bijdrage") if slot == GEMEENTE else _question(slot, place)

    notes = {GEMEENTE: "Alleen als het bedrag nog kan verschillen: een gemeente kan een lagere bijdrage hebben."}
    return _Walk(next_slot, options, outcome).script(question_text, notes)


def _pgb(place: Optional[Place], year: int) -> Script:
    facts = load_facts()
    municipality = place.municipality if place else None

    def next_slot(answers: Answers) -> Optional[str]:
        return next((slot for slot in pgb.SLOTS if slot not in answers), None)

    def outcome(answers: Answers) -> List[Text]:
        name = municipality.name if municipality else None
        phone = municipality.phone_display if municipality else None
        parts = pgb.advice(dict(answers), facts, name, phone, place.zorgkantoor if place else None)
        buttons = tuple(title for title, _ in pgb.FOLLOW_UPS)
        return [
            _text(part.render(), buttons=buttons if index == len(parts) - 1 else (), sources=part.sources)
            for index, part in enumerate(parts)
        ]

    return _Walk(next_slot, lambda slot, _: _buttons(slot), outcome).script(lambda slot: _question(slot, place), {})


def _clientondersteuning(place: Optional[Place], year: int) -> Script:
    kind = "co_soort"
    asks_kind = place is None or clientondersteuning.has_organisations_per_group(place.override)

    def next_slot(answers: Answers) -> Optional[str]:
        needed = [GEMEENTE, kind] if asks_kind else [GEMEENTE]
        return next((slot for slot in needed if slot not in answers), None)

    def options(slot: str, answers: Answers) -> List[Option]:
        return _municipality(place) if slot == GEMEENTE else _buttons(slot)

    def outcome(answers: Answers) -> List[Text]:
        audience = answers.get(kind, clientondersteuning.EVERYONE)
        if place is None and audience == clientondersteuning.WLZ:
            answer = build_answer("wlz_clientondersteuning")
            return [_text(answer.render(), sources=answer.sources)]
        if place is None:
            return [_text(message(f"co_tip_{audience}")), _text(CONTACT)]
        found = clientondersteuning.support_messages(place.municipality, place.override, audience, place.local)
        return [_text(item.text) for item in found]

    notes = {kind: "Alleen als de gemeente organisaties per groep heeft opgegeven."} if place is None else {}
    return _Walk(next_slot, options, outcome).script(lambda slot: _question(slot, place), notes)


def _one_question(place: Optional[Place], outcome: Callable[[], List[Text]]) -> Script:
    """A flow that only needs the municipality: gemeente_form, handover_form, chat_form."""
    walk = _Walk(
        lambda answers: None if GEMEENTE in answers else GEMEENTE,
        lambda slot, answers: _municipality(place),
        lambda answers: outcome(),
    )
    note = "Alleen als Wegwijzer de gemeente nog niet weet."
    return walk.script(lambda slot: _question(slot, place), {GEMEENTE: note})


def _contact(place: Optional[Place]) -> List[Text]:
    if place is None:
        return [_text(CONTACT)]
    return [_text(item.text) for item in contact_messages(place.municipality, place.override)]


def _titles(buttons: List[dict]) -> Tuple[str, ...]:
    return tuple(button["title"] for button in buttons)


def _handover(place: Optional[Place]) -> List[Text]:
    """Where to call, then the offer: a chat only while the helpdesk chats."""
    name = place.municipality.name if place else PLACEHOLDERS["gemeente"]
    texts = [_text(where_to_call(place.municipality, place.override) if place else CONTACT)]
    chats = place is None or bool(place.override and place.override.chat)
    for chat_open in (True, False) if chats else (False,):
        offer, buttons = person_offer(name, chat_open)
        when = "Tijdens de chattijden, in de chat op de website" if chat_open else "Buiten de chattijden"
        texts.append(Text("", offer, _titles(buttons), when=when if chats else ""))
    return texts


def _chat(place: Optional[Place]) -> List[Text]:
    """Waiting for an employee while the helpdesk chats; else why not, and where to call."""
    name = place.municipality.name if place else PLACEHOLDERS["gemeente"]
    chat = place.override.chat if place and place.override else None
    texts = []
    if place is None or chat:
        minutes = str(chat.wait_minutes) if chat else PLACEHOLDERS["minuten"]
        waiting = message("chat_wachten", gemeente=name, minuten=minutes)
        texts.append(Text("", waiting, _titles(waiting_buttons()), when="Tijdens de chattijden"))
    if place is None:
        closed = message("chat_gesloten", gemeente=name, tijden=PLACEHOLDERS["tijden"])
        texts.append(Text("", f"{closed} {CONTACT}", when="Buiten de chattijden"))
    else:
        reason = no_chat_reason(place.municipality, place.override, CHAT_CHANNEL)
        texts.append(Text("", chat_refused(reason, place.municipality, place.override), when="Buiten de chattijden"))
    return texts


def _callback(place: Optional[Place]) -> Script:
    """Four typed answers and the consent; the outcome texts are the form's messages (callback_*)."""
    slots = (GEMEENTE, NAME, PHONE, QUESTION, CONSENT)
    steps = []
    for index, slot in enumerate(slots):
        follows = f"vraag {index + 2}" if index + 1 < len(slots) else "de bevestiging met een nummer"
        options = (
            (("Ja", follows), ("Nee", "Wegwijzer geeft niets door")) if slot == CONSENT else (("(typt)", follows),)
        )
        steps.append(Step(slot, _question(slot, place), options))
    return Script(tuple(steps), ())


def flow_script(form: str, place: Optional[Place], year: int) -> Script:
    """The script of one flow of FLOWS."""
    scripts: Dict[str, Callable[[], Script]] = {
        "gemeente_form": lambda: _one_question(place, lambda: _contact(place)),
        "clientondersteuning_form": lambda: _clientondersteuning(place, year),
        "eigen_bijdrage_form": lambda: _eigen_bijdrage(place, year),
        "pgb_form": lambda: _pgb(place, year),
        "handover_form": lambda: _one_question(place, lambda: _handover(place)),
        "chat_form": lambda: _one_question(place, lambda: _chat(place)),
        "callback_form": lambda: _callback(place),
    }
    assert set(scripts) == set(FLOWS), "every flow has a script"
    return scripts[form]()
