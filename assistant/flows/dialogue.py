"""The shape of the dialogue: which intents are questions, which start a guided flow, and
how a resident may interrupt a flow. The rules in data/rules/generated/flows.yml follow from it:
`./wegwijzer generate` writes that file, and a test checks that it is current.

A guided flow is a Rasa form. During a flow the resident may:
  - ask a question about any topic: it is answered, and the flow asks its question again
    (asked as what a call back should be about, it is also offered to be passed on);
  - greet, thank, write English or ask something off-topic: answered, the flow goes on;
  - start another flow, ask for a person or for a call back: the flow ends, the other starts;
  - say "stop" or goodbye: the flow ends; what was said stays for later.
"""

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import yaml

from assistant.content.answers import topics
from assistant.content.knowledge import RETRIEVAL_INTENT


@dataclass(frozen=True)
class Flow:
    trigger: str  # the intent that starts the flow (or resumes it after "stop")
    result: str  # the action that gives the outcome once every question is answered
    intro: Optional[str] = None  # an action before the first question
    also_started_by: Tuple[str, ...] = ()  # other intents that start it outside a flow
    after_question: Optional[str] = None  # an action after a question answered during the flow


FLOWS: Dict[str, Flow] = {
    "gemeente_form": Flow("gemeente_contact", "action_give_municipality_contact", also_started_by=("inform_gemeente",)),
    "clientondersteuning_form": Flow(
        "clientondersteuning_aanvragen", "action_give_clientondersteuning", "action_answer_question"
    ),
    # The check first says the maximum and who pays nothing, then asks (answers.yml: eigen_bijdrage_check).
    "eigen_bijdrage_form": Flow("eigen_bijdrage_check", "action_eigen_bijdrage_uitslag", "action_answer_question"),
    "pgb_form": Flow("pgb_check", "action_pgb_advies"),
    "handover_form": Flow("human_handover", "action_offer_human"),
    # Waits for an employee of the helpdesk (actions/handover_form.py: the chat button, or "ik wil chatten").
    "chat_form": Flow("chat_request", "action_request_chat"),
    # A question asked when the form asks what the call should be about is answered, then
    # offered to be passed on (actions/callback_form.py).
    "callback_form": Flow("callback_request", "action_submit_callback", after_question="action_keep_callback_question"),
}
FLOW_TRIGGERS: Dict[str, str] = {form: flow.trigger for form, flow in FLOWS.items()}
# Answered by a response or an action, after which a running flow goes on.
SIDE_REPLIES: Dict[str, str] = {
    "greet": "utter_greet",
    "thanks": "utter_thanks",
    "english": "action_answer_question",  # an English question about a topic, else the English introduction
    "out_of_scope": "action_answer_out_of_scope",
}
ENDS_FLOW = frozenset({"stop", "goodbye"})


def question_topics() -> List[str]:
    """Intents answered with a text (answers.yml, or the knowledge base), not by starting a flow."""
    return [topic for topic in topics() if topic not in FLOW_TRIGGERS.values()] + [RETRIEVAL_INTENT]


# While a flow asks a question, a reply with one of these intents is not an answer...
NOT_AN_ANSWER = frozenset({*question_topics(), *SIDE_REPLIES, *FLOW_TRIGGERS.values(), *ENDS_FLOW})
# ...when the classifier is this sure. Below it, the reply is read as an answer: a typo
# such as "Bnk" may come out as "thanks" with 0.63, and the question asked is the
# likelier context.
INTERRUPTION_CONFIDENCE = 0.8


def interrupts(intent: Optional[str], confidence: float, intents: frozenset = NOT_AN_ANSWER) -> bool:
    """Is a reply with this intent something else than an answer to the flow's question?"""
    return intent in intents and confidence >= INTERRUPTION_CONFIDENCE


def _or(intents: List[str]) -> dict:
    return {"or": [{"intent": intent} for intent in intents]} if len(intents) > 1 else {"intent": intents[0]}


def _start(form: str, flow: Flow) -> List[dict]:
    intro = [{"action": flow.intro}] if flow.intro else []
    return [*intro, {"action": form}, {"active_loop": form}]


def rules() -> List[dict]:
    """Rules outside flows (answer a question, start a flow) and within each flow."""
    generated = [
        {
            "rule": "Beantwoord een vraag over een onderwerp",
            "steps": [_or(question_topics()), {"action": "action_answer_question"}],
        }
    ]
    for form, flow in FLOWS.items():
        generated.append(
            {"rule": f"Start {form}", "steps": [_or([flow.trigger, *flow.also_started_by]), *_start(form, flow)]}
        )
        generated.append(
            {
                "rule": f"{form} klaar: geef de uitkomst",
                "condition": [{"active_loop": form}],
                "steps": [
                    {"action": form},
                    {"active_loop": None},
                    {"slot_was_set": [{"requested_slot": None}]},
                    {"action": flow.result},
                ],
            }
        )
        generated += _interruptions(form, flow)
    return generated


def _interruptions(form: str, flow: Flow) -> List[dict]:
    during = [{"active_loop": form}]
    resume = [{"action": form}, {"active_loop": form}]
    after_question = [{"action": flow.after_question}] if flow.after_question else []
    found = [
        {
            "rule": f"{form}: een vraag tussendoor",
            "condition": during,
            "steps": [_or(question_topics()), {"action": "action_answer_question"}, *after_question, *resume],
        }
    ]
    for intent, reply in SIDE_REPLIES.items():
        found.append(
            {
                "rule": f"{form}: {intent} tussendoor",
                "condition": during,
                "steps": [{"intent": intent}, {"action": reply}, *resume],
            }
        )
    found.append(
        {
            "rule": f"{form}: stop",
            "condition": during,
            "steps": [{"intent": "stop"}, {"action": "action_stop_flow"}, {"active_loop": None}],
        }
    )
    found.append(
        {
            "rule": f"{form}: afscheid",
            "condition": during,
            "steps": [
                {"intent": "goodbye"},
                {"action": "action_deactivate_loop"},
                {"active_loop": None},
                {"action": "utter_goodbye"},
            ],
        }
    )
    for other, flow in FLOWS.items():
        steps = (
            resume
            if other == form
            else [{"action": "action_deactivate_loop"}, {"active_loop": None}, *_start(other, flow)]
        )
        found.append(
            {"rule": f"{form}: {flow.trigger}", "condition": during, "steps": [{"intent": flow.trigger}, *steps]}
        )
    return found


def rules_yaml() -> str:
    header = "# Written by `./wegwijzer generate` from assistant/flows/dialogue.py: do not edit by hand.\n"
    return header + yaml.safe_dump({"version": "3.1", "rules": rules()}, allow_unicode=True, sort_keys=False, width=120)
