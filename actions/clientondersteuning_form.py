from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import ask_if_it_helped
from actions.guided_form import GuidedFormValidation
from actions.services import local_context, municipality_and_override
from assistant.flows.clientondersteuning import has_organisations_per_group, support_messages
from assistant.flows.gemeente import GEMEENTE

KIND_OF_QUESTION = "co_soort"


class ValidateClientondersteuningForm(GuidedFormValidation):
    def name(self) -> Text:
        return "validate_clientondersteuning_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[Text]:
        """The kind of question only where the municipality has organisations per group."""
        municipality, override = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is not None and not has_organisations_per_group(override):
            return [slot for slot in domain_slots if slot != KIND_OF_QUESTION]
        return domain_slots


class ActionGiveClientondersteuning(Action):
    """The best contact for cliëntondersteuning in the resident's municipality, for their
    kind of question, with the municipality's own data where it provided them."""

    def name(self) -> Text:
        return "action_give_clientondersteuning"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        municipality, override = municipality_and_override(tracker.get_slot(GEMEENTE))
        local = local_context(tracker.get_slot(GEMEENTE))
        if municipality is None or local is None:
            return [SlotSet(KIND_OF_QUESTION, None)]
        for item in support_messages(municipality, override, tracker.get_slot(KIND_OF_QUESTION) or "iedereen", local):
            dispatcher.utter_message(text=item.text, json_message=item.card)
        ask_if_it_helped(dispatcher)
        return [SlotSet(KIND_OF_QUESTION, None)]
