from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import ask_if_it_helped
from actions.guided_form import GuidedFormValidation, button
from actions.services import municipality_and_override, zorgkantoren
from assistant.content.facts import load_facts
from assistant.content.labels import labels
from assistant.flows import pgb
from assistant.flows.gemeente import GEMEENTE


class ValidatePgbForm(GuidedFormValidation):
    def name(self) -> Text:
        return "validate_pgb_form"


class ActionPgbAdvies(Action):
    """Pgb guidance from the three answers, with the municipality's number or the region's
    zorgkantoor when known. The answers are cleared for a next time."""

    def name(self) -> Text:
        return "action_pgb_advies"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        answers = {slot: tracker.get_slot(slot) for slot in pgb.SLOTS}
        municipality, _ = municipality_and_override(tracker.get_slot(GEMEENTE))
        zorgkantoor = zorgkantoren().get(municipality.cbs_code) if municipality else None
        messages = pgb.advice(
            answers,
            load_facts(),
            municipality.name if municipality else None,
            municipality.phone_display if municipality else None,
            zorgkantoor,
        )
        for answer in messages[:-1]:
            dispatcher.utter_message(text=answer.render())
        buttons = [button(title, payload) for title, payload in pgb.FOLLOW_UPS]
        if municipality is None:
            buttons.append(button(labels()["gemeente_contact"], "/gemeente_contact"))
        dispatcher.utter_message(text=messages[-1].render(), buttons=buttons)
        ask_if_it_helped(dispatcher)
        return [SlotSet(slot, None) for slot in pgb.SLOTS]
