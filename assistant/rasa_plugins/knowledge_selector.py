"""Picks the knowledge-base entry for a message: a linear support vector machine on TF-IDF
word (1-2) and character (2-5) n-grams, trained on the phrasings of each entry (the retrieval
intent kennis/<id>, data/nlu/generated/knowledge.yml) and on its answer texts in Dutch and
English (from the knowledge base itself), which share the words residents use.

It takes the place of Rasa's ResponseSelector and writes its output in the same shape
(`response_selector.kennis.response.intent_response_key`, with a confidence), so the action
reads either. The ResponseSelector trained at 13 s per epoch on the two cores here (about 20
minutes for 100 epochs), this in seconds; BENCHMARKS.md compares how often each picks the
right entry. The confidence is the entry's one-vs-rest score through a logistic curve: 0.5
where the classifier's own boundary lies.

A message classified as a knowledge question whose entry it is not sure of (`threshold`) is
not understood (intent nlu_fallback, as Rasa's FallbackClassifier marks it): the resident is
asked "Bedoelt u …?" with the likeliest entries, instead of getting a wrong answer.
"""

import logging
from typing import Any, Dict, List, Optional, Text, Tuple

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from assistant.content.knowledge import answer_texts

logger = logging.getLogger(__name__)

OUTPUT = "response_selector"  # the key Rasa's ResponseSelector writes, read by actions/answer_question.py
RANKING_LENGTH = 5
CONFIDENCE_STEEPNESS = 4.0
MODEL_FILE = "knowledge_selector.skops"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class KnowledgeSelector(GraphComponent):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"retrieval_intent": "kennis", "C": 1.0, "random_state": 42, "threshold": 0.1}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource) -> None:
        self.config = {**self.get_default_config(), **config}
        self.words: Optional[TfidfVectorizer] = None
        self.characters: Optional[TfidfVectorizer] = None
        self.classifier: Optional[LinearSVC] = None
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KnowledgeSelector":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, labels = self.training_examples(training_data)
        if texts:
            self.words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
            self.characters = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
            matrix = hstack([self.words.fit_transform(texts), self.characters.fit_transform(texts)]).tocsr()
            self.classifier = LinearSVC(C=self.config["C"], random_state=self.config["random_state"])
            self.classifier.fit(matrix, labels)
        self.persist()
        return self._resource

    def training_examples(self, training_data: TrainingData) -> Tuple[List[str], List[str]]:
        """Each phrasing of an entry, and each of its answer texts, labelled kennis/<id>."""
        prefix = f"{self.config['retrieval_intent']}/"
        texts, labels = [], []
        for message in training_data.intent_examples:
            key = str(message.get(INTENT_RESPONSE_KEY) or "")
            if key.startswith(prefix) and message.get(TEXT):
                texts.append(message.get(TEXT).lower())
                labels.append(key)
        trained = set(labels)
        for key, answers in answer_texts().items():
            if key in trained:
                texts += [answer.lower() for answer in answers]
                labels += [key] * len(answers)
        return texts, labels

    def process(self, messages: List[Message]) -> List[Message]:
        if self.classifier is None or not messages:
            return messages
        texts = [str(message.get(TEXT) or "").lower() for message in messages]
        for message, scores in zip(messages, self.scores(texts)):
            output = self._output(scores)
            message.set(OUTPUT, output, add_to_output=True)
            self._not_understood_when_unsure(message, output)
        return messages

    def _not_understood_when_unsure(self, message: Message, output: Dict[Text, Any]) -> None:
        intent = message.get(INTENT) or {}
        confidence = output[self.config["retrieval_intent"]]["response"]["confidence"]
        if intent.get("name") == self.config["retrieval_intent"] and confidence < self.config["threshold"]:
            fallback = {"name": DEFAULT_NLU_FALLBACK_INTENT_NAME, "confidence": confidence}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)

    def scores(self, texts: List[str]) -> np.ndarray:
        assert self.words is not None and self.characters is not None and self.classifier is not None
        matrix = hstack([self.words.transform(texts), self.characters.transform(texts)]).tocsr()
        return np.atleast_2d(self.classifier.decision_function(matrix))

    def _output(self, scores: np.ndarray) -> Dict[Text, Any]:
        assert self.classifier is not None
        confidences = 1.0 / (1.0 + np.exp(-CONFIDENCE_STEEPNESS * scores))
        best = np.argsort(scores)[::-1][:RANKING_LENGTH]
        ranking = [
            {"intent_response_key": str(self.classifier.classes_[index]), "confidence": float(confidences[index])}
            for index in best
        ]
        response = {**ranking[0], "utter_action": f"utter_{ranking[0]['intent_response_key']}"}
        intent = self.config["retrieval_intent"]
        return {"all_retrieval_intents": [intent], intent: {"response": response, "ranking": ranking}}

    def persist(self) -> None:
        import skops.io as sio

        with self._model_storage.write_to(self._resource) as directory:
            if self.classifier is not None:
                sio.dump((self.words, self.characters, self.classifier), directory / MODEL_FILE)

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "KnowledgeSelector":
        import skops.io as sio

        component = cls(config, model_storage, resource)
        try:
            with model_storage.read_from(resource) as directory:
                path = directory / MODEL_FILE
                # Our own model file, written by train(): its sklearn types are the ones above.
                component.words, component.characters, component.classifier = sio.load(
                    path, trusted=sio.get_untrusted_types(file=path)
                )
        except (ValueError, FileNotFoundError):
            logger.warning("The knowledge selector has no trained model: knowledge-base questions are not answered.")
        return component
