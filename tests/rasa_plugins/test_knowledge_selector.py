"""The knowledge selector (assistant/rasa_plugins/knowledge_selector.py): trained on the
entries' phrasings and answers, it picks an entry for a new message and writes it where Rasa's
ResponseSelector would; a saved model loads back the same."""

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.rasa_plugins import knowledge_selector
from assistant.rasa_plugins.knowledge_selector import KnowledgeSelector

PHRASINGS = {
    "kennis/cak_bellen": ["hoe bel ik het cak", "telefoonnummer van het cak", "cak telefonisch bereiken"],
    "kennis/griffierecht": ["wat kost een beroep bij de rechtbank", "hoeveel griffierecht betaal ik", "kosten rechter"],
    "kennis/valys": ["wat is valys", "vervoer buiten de regio met valys", "hoe reis ik ver met valys"],
}
ANSWERS = {
    "kennis/cak_bellen": ["U belt het CAK gratis."],
    "kennis/griffierecht": ["Voor een beroep betaalt u griffierecht aan de rechtbank."],
    "kennis/valys": ["Valys is vervoer voor lange reizen buiten uw regio."],
}


@pytest.fixture(autouse=True)
def these_answers(monkeypatch):
    """The entries' answers come from the knowledge base; here from ANSWERS."""
    monkeypatch.setattr(knowledge_selector, "answer_texts", lambda: ANSWERS)


def training_data() -> TrainingData:
    examples = [Message.build(text=text, intent=key) for key, texts in PHRASINGS.items() for text in texts] + [
        Message.build(text="hallo", intent="greet")
    ]
    return TrainingData(training_examples=examples)


def selector(tmp_path, load=False):
    storage = LocalModelStorage(tmp_path)
    context = ExecutionContext(GraphSchema({}), "test")
    resource = Resource("knowledge_selector")
    if load:
        return KnowledgeSelector.load({}, storage, resource, context)
    return KnowledgeSelector.create({}, storage, resource, context)


def selected(component, text):
    [message] = component.process([Message.build(text=text)])
    return message.get("response_selector")


def test_it_picks_the_entry_of_a_new_phrasing_where_the_response_selector_writes_it(tmp_path):
    component = selector(tmp_path)
    component.train(training_data())
    output = selected(component, "Wat kost het griffierecht als ik in beroep ga?")
    assert output["all_retrieval_intents"] == ["kennis"]
    response = output["kennis"]["response"]
    assert response["intent_response_key"] == "kennis/griffierecht"
    assert response["utter_action"] == "utter_kennis/griffierecht"
    assert 0.0 < response["confidence"] < 1.0
    assert [entry["intent_response_key"] for entry in output["kennis"]["ranking"]][0] == "kennis/griffierecht"


def test_the_answer_texts_teach_it_words_the_phrasings_lack(tmp_path):
    component = selector(tmp_path)
    component.train(training_data())
    assert selected(component, "lange reizen buiten mijn regio")["kennis"]["response"]["intent_response_key"] == (
        "kennis/valys"
    )


def test_a_saved_model_loads_back_and_answers_the_same(tmp_path):
    trained = selector(tmp_path)
    trained.train(training_data())
    loaded = selector(tmp_path, load=True)
    assert selected(loaded, "cak bellen") == selected(trained, "cak bellen")


def test_without_entries_it_leaves_messages_alone(tmp_path):
    component = selector(tmp_path)
    component.train(TrainingData(training_examples=[Message.build(text="hallo", intent="greet")]))
    assert selected(component, "hallo") is None


def test_a_knowledge_question_it_is_unsure_of_is_not_understood(tmp_path):
    component = KnowledgeSelector.create(
        {"threshold": 0.99}, LocalModelStorage(tmp_path), Resource("ks"), ExecutionContext(GraphSchema({}), "t")
    )
    component.train(training_data())
    message = Message.build(text="hoe bel ik het cak")
    message.set("intent", {"name": "kennis", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "kennis", "confidence": 0.9}])
    [parsed] = component.process([message])
    assert parsed.get("intent")["name"] == "nlu_fallback"
    assert [item["name"] for item in parsed.get("intent_ranking")] == ["nlu_fallback", "kennis"]
    assert parsed.get("response_selector")["kennis"]["response"]["intent_response_key"] == "kennis/cak_bellen"
