"""What every guided flow (a Rasa form) shares: asking a question with buttons, reading
the reply, "weet ik niet", "terug", and the municipality question.

A reply that is not an answer (a question about another topic, "stop", "ik wil een mens
spreken") is left to the rules in data/rules/generated/flows.yml: they answer it, or end the
flow, and the form asks its question again. What the resident already said stays.
"""

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from actions.services import directory, resolver
from assistant.content.answers import message
from assistant.content.facts import load_facts
from assistant.flows.dialogue import ENDS_FLOW, FLOW_TRIGGERS, NOT_AN_ANSWER, interrupts
from assistant.flows.gemeente import GEMEENTE, is_a_year, reply_to
from assistant.flows.questions import Question, button_answer, named_option, questions, read_answer
from municipalities.resolver import Outcome


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def interrupts_flow(tracker: Tracker, intents: frozenset = NOT_AN_ANSWER) -> bool:
    """The resident's reply is a question, "stop" or the like, not an answer (assistant.flows.dialogue)."""
    intent = tracker.latest_message.get("intent") or {}
    return interrupts(intent.get("name"), intent.get("confidence") or 0.0, intents)


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message.get("text") or "").strip()


def button(title: str, payload: str) -> Dict[str, str]:
    return {"title": title, "payload": payload}


def question_buttons(question: Question) -> List[Dict[str, str]]:
    """Yes/no buttons send the affirm/deny/dont_know intents; other buttons send their title."""
    intents = {"ja": "/affirm", "nee": "/deny", "weet_niet": "/dont_know"}
    return [
        button(option.title, intents[option.value] if question.yes_no else option.title)
        for option in question.buttons()
    ]


def choice_button(cbs_code: str) -> Dict[str, str]:
    name = directory().by_code(cbs_code).name
    return {"title": name, "payload": f'/inform_gemeente{{"gemeente": "{cbs_code}"}}'}


class AskQuestion(Action, ABC):
    """Asks one question of content/questions.yml with its buttons. Rasa calls
    `action_ask_<slot>` when a form needs that slot; `ask_actions()` makes one per question."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The slot the question fills (a class attribute in subclasses)."""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        question = questions()[self.slot]
        dispatcher.utter_message(text=self.text(question, tracker), buttons=self.buttons(question, tracker))
        return []

    def text(self, question: Question, tracker: Tracker) -> str:
        """The question with its {facts} filled in; subclasses fill in other fields."""
        return question.text.format(**load_facts().texts())

    def buttons(self, question: Question, tracker: Tracker) -> List[Dict[str, str]]:
        return question_buttons(question)


class GemeenteSlot:
    """Reads the municipality from a reply: a name, a place, a postcode or a typo. Mixed
    into the validator of every form that needs the municipality."""

    def extract_gemeente(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The whole reply when the form asked for the municipality; else only a text that
        names a municipality, place or postcode ("waar is het wmo loket in Hoofddorp?")."""
        text = latest_text(tracker)
        if tracker.get_slot(REQUESTED_SLOT) == GEMEENTE and not interrupts_flow(tracker):
            return {GEMEENTE: text}
        if is_a_year(text):
            return {}  # "2026" after an answer about the eigen bijdrage: a year, not postcode 2026
        if resolver().resolve(text).outcome in (Outcome.FOUND, Outcome.AMBIGUOUS):
            return {GEMEENTE: text}
        return {}

    def validate_gemeente(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:
            return {GEMEENTE: None}  # cleared by "terug": ask again, no complaint
        text = value if isinstance(value, str) else ""
        reply = reply_to(resolver().resolve(text), text)
        for reply_text in reply.texts:
            dispatcher.utter_message(text=reply_text)
        return {
            GEMEENTE: reply.municipality.name if reply.municipality else None,
            "gemeente_keuze": [municipality.cbs_code for municipality in reply.choices] or None,
        }


class GuidedFormValidation(GemeenteSlot, FormValidationAction, ABC):
    """Reads the reply to the question the form asked (content/questions.yml), handles
    "weet ik niet" and "terug", and asks again, kindly, when a reply fits no answer."""

    @abstractmethod
    def name(self) -> Text:
        """validate_<form>"""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The slots this flow needs now, in order; flows with skips override this."""
        return domain_slots

    async def next_requested_slot(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Optional[EventType]:
        """The first slot still empty; None when every needed slot is filled (the flow ends)."""
        needed = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        return SlotSet(REQUESTED_SLOT, next((slot for slot in needed if tracker.slots.get(slot) is None), None))

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        if requested and latest_intent(tracker) == "go_back":
            return await self.go_back(requested, dispatcher, tracker, domain)
        if requested and latest_intent(tracker) == FLOW_TRIGGERS.get(self.form_name()):
            return self.opening_again(requested, dispatcher)
        if requested in questions():
            return self.read_reply(requested, dispatcher, tracker)
        named = await self.named_in_first_message(dispatcher, tracker, domain) if requested is None else []
        return named + await super().get_extraction_events(dispatcher, tracker, domain)

    async def named_in_first_message(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Answers the message that started the flow already gives ("wat betaal ik voor huishoudelijke hulp?")."""
        needed = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        text = latest_text(tracker)
        found = {
            slot: named_option(questions()[slot], text)
            for slot in needed
            if slot in questions() and tracker.get_slot(slot) is None
        }
        return [SlotSet(slot, value) for slot, value in found.items() if value]

    def read_reply(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """The answer in the resident's reply; nothing when the reply is no answer at all,
        so that the rules can handle it."""
        intent, text = latest_intent(tracker), latest_text(tracker)
        question = questions()[slot]
        if not question.options and not question.yes_no:
            return (
                [] if interrupts_flow(tracker, ENDS_FLOW) else [SlotSet(slot, text)]
            )  # free text, checked by validate_<slot>
        by_button = button_answer(question, text)
        if by_button:
            return [SlotSet(slot, by_button)]
        if interrupts_flow(tracker):
            return []
        value = read_answer(question, intent, text)
        if value is None:
            dispatcher.utter_message(text=message("antwoord_onduidelijk"))
        return [SlotSet(slot, value)]

    @staticmethod
    def opening_again(requested: str, dispatcher: CollectingDispatcher) -> List[EventType]:
        """The resident starts this flow again while it runs ("wat moet ik betalen?" twice): say
        so and ask the question again. Without an event the form would be rejected, and the
        rules would loop until Rasa's circuit breaker stopped the conversation for good."""
        dispatcher.utter_message(text=message("flow_al_bezig"))
        return [SlotSet(requested, None)]

    async def go_back(
        self, requested: str, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Clears the answer before the current question, so that the form asks it again."""
        needed = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        earlier = needed[: needed.index(requested)] if requested in needed else needed
        answered = [slot for slot in earlier if tracker.get_slot(slot) is not None]
        if not answered:
            dispatcher.utter_message(text=message("terug_eerste_vraag"))
            return [SlotSet(requested, None)]
        dispatcher.utter_message(text=message("terug_vorige_vraag"))
        return [SlotSet(answered[-1], None)]


class ActionStopFlow(Action):
    """Ends the guided flow on "stop". The answers so far stay, so that the resident can
    go on later where they left off."""

    def name(self) -> Text:
        return "action_stop_flow"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        flow = (tracker.active_loop or {}).get("name")
        trigger = FLOW_TRIGGERS.get(flow or "")
        buttons = [button("Later verder met de vragen", f"/{trigger}")] if trigger else []
        dispatcher.utter_message(text=message("stop_vragen"), buttons=buttons)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None)]


def ask_actions(special: Dict[str, type]) -> Dict[str, type]:
    """An `action_ask_<slot>` for every question: the classes in `special`, else a plain AskQuestion."""
    return {slot: special.get(slot) or type(f"Ask_{slot}", (AskQuestion,), {"slot": slot}) for slot in questions()}
