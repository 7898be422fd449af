"""The handover flow's adapter (`handover_form`; its decisions in assistant/flows/handover.py):
asks the municipality, then says where the resident reaches a person there and offers a call back."""

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.guided_form import GuidedFormValidation, button
from actions.services import municipality_and_override
from assistant.content.answers import message
from assistant.content.contact import contact_card
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.handover import where_to_call


class ValidateHandoverForm(GuidedFormValidation):
    """Asks the municipality before a resident is pointed to a person there."""

    def name(self) -> Text:
        return "validate_handover_form"


class ActionOfferHuman(Action):
    """Where the resident reaches a person: the Wmo-loket when the municipality gave its
    number and opening hours, else the general number; and the offer to be called back."""

    def name(self) -> Text:
        return "action_offer_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        municipality, override = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is None:
            return []
        dispatcher.utter_message(
            text=where_to_call(municipality, override), json_message=contact_card(municipality, override)
        )
        dispatcher.utter_message(
            text=message("mens_terugbellen_aanbod", gemeente=municipality.name),
            buttons=[button("Ja, bel mij terug", "/callback_request"), button("Nee, dank u", "/deny")],
        )
        return []
