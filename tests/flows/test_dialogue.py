"""The shape of the dialogue (assistant/flows/dialogue.py) against domain.yml and the generated rules."""

import yaml

from assistant.content.knowledge import RETRIEVAL_INTENT
from assistant.flows.dialogue import (
    ENDS_FLOW,
    FLOW_TRIGGERS,
    FLOWS,
    NOT_AN_ANSWER,
    SIDE_REPLIES,
    question_topics,
    rules,
    rules_yaml,
)
from assistant.settings import DOMAIN_FILE, GENERATED_RULES_FILE

DOMAIN = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
INTENTS = set(DOMAIN["intents"]) | {RETRIEVAL_INTENT}  # Rasa adds the retrieval intent from the NLU data
ACTIONS = set(DOMAIN["actions"])
RESPONSES = set(DOMAIN["responses"])
FORMS = set(DOMAIN["forms"])
RASA_ACTIONS = {"action_deactivate_loop", "action_listen", "action_restart", "action_two_stage_fallback"}


def test_the_rules_file_is_current():
    assert GENERATED_RULES_FILE.read_text(encoding="utf-8") == rules_yaml(), (
        "data/rules/generated/flows.yml is out of date: run `./wegwijzer generate`"
    )


def test_every_form_has_a_flow_and_every_flow_a_form():
    assert FORMS == set(FLOWS)


def test_every_trigger_and_topic_is_a_domain_intent():
    triggers = {flow.trigger for flow in FLOWS.values()} | {
        intent for flow in FLOWS.values() for intent in flow.also_started_by
    }
    assert triggers - INTENTS == set()
    assert set(question_topics()) - INTENTS == set()
    assert set(SIDE_REPLIES) - INTENTS == set() and set(ENDS_FLOW) - INTENTS == set()


def test_every_action_of_a_flow_is_in_the_domain():
    assert {flow.result for flow in FLOWS.values()} - ACTIONS == set()
    assert {flow.intro for flow in FLOWS.values() if flow.intro} - ACTIONS == set()
    assert {reply for reply in SIDE_REPLIES.values()} - ACTIONS - RESPONSES == set()


def test_every_action_in_the_rules_exists():
    named = {step["action"] for rule in rules() for step in rule["steps"] if "action" in step}
    assert named - ACTIONS - RESPONSES - FORMS - RASA_ACTIONS == set()


def test_every_intent_in_the_rules_is_in_the_domain():
    def intents(step):
        if "intent" in step:
            yield step["intent"]
        for alternative in step.get("or", []):
            yield alternative["intent"]

    named = {intent for rule in rules() for step in rule["steps"] for intent in intents(step)}
    assert named - INTENTS == set()


def test_triggers_are_unique_and_not_question_topics():
    triggers = list(FLOW_TRIGGERS.values())
    assert len(triggers) == len(set(triggers))
    assert set(triggers) & set(question_topics()) == set()


def test_not_an_answer():
    assert {"stop", "goodbye"} <= NOT_AN_ANSWER
    assert set(question_topics()) <= NOT_AN_ANSWER
    assert set(FLOW_TRIGGERS.values()) <= NOT_AN_ANSWER
    # Replies that answer a question must never be taken for an interruption.
    assert {"affirm", "deny", "dont_know", "go_back", "inform_gemeente"} & NOT_AN_ANSWER == set()


def test_each_flow_can_be_stopped_and_resumed():
    by_name = {rule["rule"]: rule for rule in rules()}
    for form, flow in FLOWS.items():
        stop = by_name[f"{form}: stop"]
        assert stop["condition"] == [{"active_loop": form}]
        assert {"action": "action_stop_flow"} in stop["steps"]
        resume = by_name[f"{form}: {flow.trigger}"]["steps"]
        assert resume[1:] == [{"action": form}, {"active_loop": form}]
