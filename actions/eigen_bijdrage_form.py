from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.answer_question import requested_year
from actions.feedback import ask_if_it_helped
from actions.guided_form import AskQuestion, GuidedFormValidation, button, interrupts_flow, latest_intent, latest_text
from actions.services import local_context
from assistant import clock
from assistant.content.facts import load_facts
from assistant.flows import eigen_bijdrage
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.questions import Question


def answers(tracker: Tracker) -> Dict[str, Optional[str]]:
    return {slot: tracker.get_slot(slot) for slot in eigen_bijdrage.SLOTS}


class ActionAskYear(AskQuestion):
    """Which year: buttons for this year and last year."""

    slot = eigen_bijdrage.YEAR

    def buttons(self, question: Question, tracker: Tracker) -> List[Dict[str, str]]:
        return [button(str(year), str(year)) for year in eigen_bijdrage.year_buttons(load_facts(), clock.this_year())]


class ValidateEigenBijdrageForm(GuidedFormValidation):
    """The eigen-bijdrage check: asks only the questions that can still change the outcome."""

    def name(self) -> Text:
        return "validate_eigen_bijdrage_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        return eigen_bijdrage.questions_to_ask(
            answers(tracker), bool(tracker.get_slot(eigen_bijdrage.SKIPPED_MUNICIPALITY))
        )

    def extract_eb_jaar(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Optional[str]]:
        """A year in the message that started the check ("wat betaal ik in 2025?"), when it can be checked."""
        year = requested_year(tracker)
        if (
            year
            and tracker.get_slot(REQUESTED_SLOT) is None
            and eigen_bijdrage.year_can_be_checked(year, load_facts(), clock.this_year())
        ):
            return {eigen_bijdrage.YEAR: str(year)}
        return {}

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Keeps "sla over" for the municipality: rasa-sdk only returns required slots."""
        events = await super().get_validation_events(dispatcher, tracker, domain)
        if tracker.slots_to_validate().get(eigen_bijdrage.SKIPPED_MUNICIPALITY):
            events.append(SlotSet(eigen_bijdrage.SKIPPED_MUNICIPALITY, True))
        return events

    def read_reply(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        if slot == eigen_bijdrage.YEAR:
            return self.read_year(dispatcher, tracker)
        return super().read_reply(slot, dispatcher, tracker)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if tracker.get_slot(REQUESTED_SLOT) == GEMEENTE and latest_intent(tracker) in ("dont_know", "deny"):
            return [SlotSet(eigen_bijdrage.SKIPPED_MUNICIPALITY, True)]
        return await super().get_extraction_events(dispatcher, tracker, domain)

    def read_year(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        reading = eigen_bijdrage.read_year(
            latest_text(tracker),
            requested_year(tracker),
            dont_know=latest_intent(tracker) == "dont_know",
            is_other_question=interrupts_flow(tracker),
            facts=load_facts(),
            this_year=clock.this_year(),
        )
        if reading.year:
            return [SlotSet(eigen_bijdrage.YEAR, str(reading.year))]
        if reading.reply is None:
            return []  # a question in between: the rules answer it
        dispatcher.utter_message(text=reading.reply)
        return [SlotSet(eigen_bijdrage.YEAR, None)]


class ActionEigenBijdrageUitslag(Action):
    """The outcome of the check, with the reason and the source. The answers are cleared,
    so that a new check starts fresh; the municipality stays."""

    def name(self) -> Text:
        return "action_eigen_bijdrage_uitslag"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        given = answers(tracker)
        year = int(given.get(eigen_bijdrage.YEAR) or clock.this_year())
        result = eigen_bijdrage.verdict_answer(given, year, load_facts(), local_context(tracker.get_slot(GEMEENTE)))
        dispatcher.utter_message(text=result.render())
        ask_if_it_helped(dispatcher)
        return [SlotSet(slot, None) for slot in (*eigen_bijdrage.SLOTS, eigen_bijdrage.SKIPPED_MUNICIPALITY)]
