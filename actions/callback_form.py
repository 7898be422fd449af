"""The callback flow's adapter (`callback_form`; its decisions in assistant/flows/callback.py):
asks name, phone number and question, keeps them sealed in slots, and stores the request for
the municipality's helpdesk only with the resident's consent."""

import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT
from rasa_sdk.types import DomainDict

from actions.guided_form import AskQuestion, GuidedFormValidation, button, interrupts_flow, latest_intent, latest_text
from actions.services import municipality_and_override
from assistant.content.answers import message
from assistant.content.contact import contact_card
from assistant.flows.callback import (
    CALLBACK_SLOTS,
    CONSENT,
    NAME,
    NOT_THE_QUESTION,
    OFFERED_QUESTION,
    PHONE,
    QUESTION,
    consent_text,
)
from assistant.flows.gemeente import GEMEENTE
from assistant.flows.questions import Question
from assistant.helpdesk.callbacks import (
    CallbackStore,
    InvalidCallbackRequest,
    clean_name,
    clean_phone,
    clean_question,
    seal,
    unseal,
)

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def callback_store() -> CallbackStore:
    return CallbackStore()


class ActionAskConsent(AskQuestion):
    """The consent question, worded exactly as it is stored with the request."""

    slot = CONSENT

    def text(self, question: Question, tracker: Tracker) -> str:
        return consent_text(tracker.get_slot(GEMEENTE) or "")


class ActionAskCallbackQuestion(AskQuestion):
    """What the call should be about; after a question that was answered during the form,
    whether to pass that question on, or another."""

    slot = QUESTION

    def text(self, question: Question, tracker: Tracker) -> str:
        return message("callback_vraag_doorgeven") if tracker.get_slot(OFFERED_QUESTION) else question.text

    def buttons(self, question: Question, tracker: Tracker) -> List[Dict[str, str]]:
        if not tracker.get_slot(OFFERED_QUESTION):
            return []
        return [button("Ja, geef deze vraag door", "/affirm"), button("Nee, ik weet genoeg", "/stop")]


class ActionKeepCallbackQuestion(Action):
    """Runs after a question answered during the callback form (data/rules/generated/flows.yml): when
    the form had asked what the call is about, keeps that question, sealed, to offer it."""

    def name(self) -> Text:
        return "action_keep_callback_question"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if tracker.get_slot(REQUESTED_SLOT) != QUESTION:
            return []
        try:
            return [SlotSet(OFFERED_QUESTION, seal(clean_question(latest_text(tracker))))]
        except InvalidCallbackRequest:
            return []


class ValidateCallbackForm(GuidedFormValidation):
    """Checks the name, phone number and question; a wrong value is asked again, kindly."""

    def name(self) -> Text:
        return "validate_callback_form"

    def read_reply(self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """The question to pass on: the one offered when the resident says yes, else the reply,
        unless it is a question about a topic or the like (the rules answer it first)."""
        if slot != QUESTION:
            return super().read_reply(slot, dispatcher, tracker)
        offered = tracker.get_slot(OFFERED_QUESTION)
        if offered and latest_intent(tracker) == "affirm":
            return [SlotSet(QUESTION, offered)]
        if interrupts_flow(tracker, NOT_THE_QUESTION):
            return []
        return [SlotSet(QUESTION, latest_text(tracker))]

    def validate_callback_naam(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._checked(NAME, clean_name, value, dispatcher)

    def validate_callback_telefoon(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return self._checked(PHONE, clean_phone, value, dispatcher)

    def validate_callback_vraag(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The offered question is cleaned and sealed already; once a question is chosen, the offer goes."""
        checked = (
            {QUESTION: value}
            if value == tracker.get_slot(OFFERED_QUESTION)
            else self._checked(QUESTION, clean_question, value, dispatcher)
        )
        return {**checked, OFFERED_QUESTION: None} if checked[QUESTION] is not None else checked

    @staticmethod
    def _checked(slot: str, clean: Any, value: Any, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        """The cleaned answer, sealed: the conversation store never holds it in clear text."""
        if value is None:
            return {slot: None}  # cleared by "terug": ask again, no complaint
        try:
            return {slot: seal(clean(value))}
        except InvalidCallbackRequest as problem:
            dispatcher.utter_message(text=message(f"{slot}_{problem.reason}"))
            return {slot: None}


class ActionSubmitCallback(Action):
    """Stores the callback request, encrypted, for the municipality's helpdesk; only with
    the resident's explicit "ja". The answers are cleared from the conversation."""

    def name(self) -> Text:
        return "action_submit_callback"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        municipality, _ = municipality_and_override(tracker.get_slot(GEMEENTE))
        cleared = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]
        if municipality is None:
            return cleared
        if tracker.get_slot(CONSENT) != "ja":
            dispatcher.utter_message(
                text=message(
                    "callback_niet_bewaard", gemeente=municipality.name, telefoon=municipality.phone_display or ""
                ),
                json_message=contact_card(municipality),
            )
            return cleared
        reference = self._store(tracker, municipality.cbs_code, municipality.name)
        if reference is None:
            dispatcher.utter_message(
                text=message("callback_mislukt", gemeente=municipality.name, telefoon=municipality.phone_display or ""),
                json_message=contact_card(municipality),
            )
        else:
            dispatcher.utter_message(
                text=message("callback_bevestiging", gemeente=municipality.name, referentie=reference)
            )
        return cleared

    @staticmethod
    def _store(tracker: Tracker, code: str, name: str) -> Optional[str]:
        try:
            answers = [unseal(tracker.get_slot(slot)) for slot in (NAME, PHONE, QUESTION)]
            request = callback_store().add(code, name, *answers, consent_text(name))
        except Exception:  # noqa: BLE001 - the resident gets the phone number instead of an error
            logger.exception("Storing a callback request failed (the request's content is not logged)")
            return None
        return request.reference
