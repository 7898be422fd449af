"""The handover flows' adapters (their decisions in assistant/flows/handover.py).

`handover_form` asks the municipality, then says where the resident reaches a person there and
offers a chat (while its helpdesk chats) or a call back. `chat_form` (the chat button, or "ik wil
chatten") asks the municipality too, then puts the resident in the helpdesk's queue and pauses
Wegwijzer until an employee hands the conversation back (assistant/helpdesk/handovers.py)."""

import logging
from datetime import timedelta
from functools import lru_cache
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ConversationPaused, EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.guided_form import GuidedFormValidation
from actions.services import municipality_and_override
from assistant.content.answers import message
from assistant.content.contact import contact_card
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.handover import (
    chat_now,
    chat_refused,
    local_now,
    no_chat_reason,
    person_offer,
    waiting_buttons,
    waiting_state,
    where_to_call,
)
from assistant.helpdesk.handovers import HandoverStore

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def handover_store() -> HandoverStore:
    return HandoverStore()


class ValidateHandoverForm(GuidedFormValidation):
    """Asks the municipality before a resident is pointed to a person there."""

    def name(self) -> Text:
        return "validate_handover_form"


class ValidateChatForm(GuidedFormValidation):
    """Asks the municipality before a resident waits for its helpdesk."""

    def name(self) -> Text:
        return "validate_chat_form"


class ActionOfferHuman(Action):
    """Where the resident reaches a person: the Wmo-loket when the municipality gave its
    number and opening hours, else the general number; then a chat now, or a call back."""

    def name(self) -> Text:
        return "action_offer_human"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        municipality, override = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is None:
            return []
        dispatcher.utter_message(
            text=where_to_call(municipality, override), json_message=contact_card(municipality, override)
        )
        chat = chat_now(override, tracker.get_latest_input_channel(), local_now())
        offer, buttons = person_offer(municipality.name, chat is not None)
        dispatcher.utter_message(text=offer, buttons=buttons)
        return []


class ActionRequestChat(Action):
    """The resident waits for an employee of the municipality's helpdesk: Wegwijzer pauses.
    When the helpdesk does not chat now, or the queue cannot be reached: where to call, and a call back."""

    def name(self) -> Text:
        return "action_request_chat"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        municipality, override = municipality_and_override(tracker.get_slot(GEMEENTE))
        if municipality is None:
            return []
        channel = tracker.get_latest_input_channel()
        chat = chat_now(override, channel, local_now())
        if chat is not None:
            try:
                handover_store().request(
                    tracker.sender_id, municipality.cbs_code, municipality.name, timedelta(minutes=chat.wait_minutes)
                )
            except SQLAlchemyError as error:
                logger.error("The chat queue cannot be reached: %s", type(error).__name__)
                refusal = message("chat_mislukt")
            else:
                dispatcher.utter_message(
                    text=message("chat_wachten", gemeente=municipality.name, minuten=str(chat.wait_minutes)),
                    buttons=waiting_buttons(),
                )
                dispatcher.utter_message(json_message=waiting_state())
                return [ConversationPaused()]
        else:
            refusal = no_chat_reason(municipality, override, channel)
        dispatcher.utter_message(
            text=chat_refused(refusal, municipality, override), json_message=contact_card(municipality, override)
        )
        offer, buttons = person_offer(municipality.name, False)
        dispatcher.utter_message(text=offer, buttons=buttons)
        return []
