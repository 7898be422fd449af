"""Each custom action with a real rasa-sdk Tracker and CollectingDispatcher."""

from typing import Any, Dict, List, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.municipality_contact import ActionGiveMunicipalityContact
from actions.municipality_form import ActionAskGemeente, ValidateGemeenteForm
from assistant.answers import build_answer, topics

DOMAIN = yaml.safe_load(open("domain.yml", encoding="utf-8"))


def make_tracker(
    intent: str, text: str = "", entities: Optional[List[Dict[str, Any]]] = None, slots: Optional[Dict[str, Any]] = None,
    active_loop: Optional[str] = None,
) -> Tracker:
    latest = {"intent": {"name": intent, "confidence": 0.99}, "entities": entities or [], "text": text}
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message=latest,
        events=[{"event": "user", "text": text, "parse_data": latest}],
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


def texts(dispatcher: CollectingDispatcher) -> List[str]:
    return [message["text"] for message in dispatcher.messages if message.get("text")]


@pytest.mark.parametrize("topic", topics())
def test_answer_question_sends_the_answer_for_the_intent(topic):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, make_tracker(topic), DOMAIN)
    assert events == []
    assert texts(dispatcher) == [build_answer(topic).render()]


def test_answer_question_uses_the_year_entity():
    tracker = make_tracker("eigen_bijdrage_hoeveel", "hoeveel in 2024", [{"entity": "jaar", "value": "2024"}])
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN)
    assert "In 2024 betaalt u" in texts(dispatcher)[0] and "€ 20,60" in texts(dispatcher)[0]


def test_answer_question_without_a_known_topic_offers_the_topics():
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, make_tracker("greet"), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_fallback_topics"


@pytest.mark.parametrize("typed, official", [("Zwolle", "Zwolle"), ("den bosch", "'s-Hertogenbosch"), ("ik woon in Amsterdm", "Amsterdam")])
def test_validate_gemeente_accepts_a_municipality(typed, official, directory):
    dispatcher = CollectingDispatcher()
    result = ValidateGemeenteForm().validate_gemeente(typed, dispatcher, make_tracker("inform_gemeente", typed), DOMAIN)
    assert result == {"gemeente": official}
    assert dispatcher.messages == []


@pytest.mark.parametrize("typed", ["Bnk", "<script>alert(1)</script>", "🏠" * 50, "x" * 10_000])
def test_validate_gemeente_explains_and_asks_again(typed):
    dispatcher = CollectingDispatcher()
    result = ValidateGemeenteForm().validate_gemeente(typed, dispatcher, make_tracker("inform_gemeente", typed), DOMAIN)
    assert result == {"gemeente": None}
    [reply] = texts(dispatcher)
    assert reply.startswith("Ik ken geen gemeente met de naam") and len(reply) < 400


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_validate_gemeente_handles_empty_input(typed):
    dispatcher = CollectingDispatcher()
    result = ValidateGemeenteForm().validate_gemeente(typed, dispatcher, make_tracker("inform_gemeente"), DOMAIN)
    assert result == {"gemeente": None}
    assert texts(dispatcher)[0].startswith("Ik heb de naam van uw gemeente niet gezien")


def test_ask_gemeente_asks_in_dutch():
    dispatcher = CollectingDispatcher()
    ActionAskGemeente().run(dispatcher, make_tracker("gemeente_contact"), DOMAIN)
    assert texts(dispatcher) == ["In welke gemeente woont u?"]


def test_contact_gives_the_municipality_data_and_its_source(directory):
    zwolle = directory.find("Zwolle")
    dispatcher = CollectingDispatcher()
    ActionGiveMunicipalityContact().run(dispatcher, make_tracker("inform_gemeente", slots={"gemeente": "Zwolle"}), DOMAIN)
    [message] = dispatcher.messages
    assert f"gemeente Zwolle" in message["text"] and f"Telefoon: {zwolle.phone}" in message["text"]
    assert "Bron: Register van Overheidsorganisaties" in message["text"]
    card = message["custom"]
    assert card["type"] == "contact_card" and card["cbs_code"] == zwolle.cbs_code and card["phone_link"].startswith("tel:")


def test_contact_without_a_municipality_asks_for_it():
    dispatcher = CollectingDispatcher()
    ActionGiveMunicipalityContact().run(dispatcher, make_tracker("gemeente_contact"), DOMAIN)
    assert texts(dispatcher) == ["In welke gemeente woont u?"]


def test_every_action_in_the_domain_is_implemented():
    implemented = {action().name() for action in (ActionAnswerQuestion, ActionGiveMunicipalityContact, ActionAskGemeente, ValidateGemeenteForm)}
    assert set(DOMAIN["actions"]) == implemented
