"""The callback flow (`callback_form`): a name, a phone number and a question, passed on to
the municipality's helpdesk only with the resident's consent (stored by assistant/helpdesk)."""

from assistant.flows.dialogue import ENDS_FLOW, FLOW_TRIGGERS, question_topics
from assistant.flows.questions import questions
from assistant.helpdesk.callbacks import RETENTION_DAYS

NAME, PHONE, QUESTION, CONSENT = "callback_naam", "callback_telefoon", "callback_vraag", "callback_toestemming"
# A question the resident asked when the form asked what the call is about: answered, and
# kept (sealed) to be passed on when the resident wants that after reading the answer.
OFFERED_QUESTION = "callback_vraag_voorstel"
CALLBACK_SLOTS = (NAME, PHONE, QUESTION, CONSENT, OFFERED_QUESTION)
# Replies to "Waar gaat uw vraag over?" that are not the question to pass on: a question
# about a topic (answered first), another flow, "stop". Wanting a person is what this form
# is for, and English or an off-topic question is passed on as it is.
NOT_THE_QUESTION = frozenset({*question_topics(), *FLOW_TRIGGERS.values(), *ENDS_FLOW}) - {
    "human_handover",
    "callback_request",
}


def consent_text(municipality: str) -> str:
    """The consent question exactly as the resident reads it (stored with the request)."""
    return questions()[CONSENT].text.format(gemeente=municipality, bewaartermijn=f"{RETENTION_DAYS} dagen")
