"""Topic names as staff read them: the intent's label ("Een pgb aanvragen"), a knowledge-base
entry's first question, or a plain description of what Wegwijzer did with the message."""

from typing import List, Tuple

from assistant.content.knowledge import RETRIEVAL_INTENT, entries
from assistant.content.labels import labels

OTHER_NAMES = {
    "nlu_fallback": "Niet zeker wat de inwoner bedoelde",
    "out_of_scope": "Buiten de onderwerpen van Wegwijzer",
    "greet": "Begroeting",
    "goodbye": "Afscheid",
    "thanks": "Bedankt",
    "english": "Engels",
    "inform_gemeente": "Noemt een gemeente",
    "affirm": "Ja",
    "deny": "Nee",
    "dont_know": "Weet ik niet",
    "stop": "Stoppen",
    "go_back": "Terug",
}


def topic_name(topic: str) -> str:
    """ "pgb_aanvragen" -> "Een pgb aanvragen"; "kennis/<id>" -> the entry's first question."""
    intent, _, entry_id = topic.partition("/")
    if intent == RETRIEVAL_INTENT and entry_id:
        entry = entries().get(entry_id)
        return f"Kennisbank: {entry.title()}" if entry else f"Kennisbank: {entry_id}"
    return labels().get(topic) or OTHER_NAMES.get(topic) or topic or "Onbekend"


def topic_choices() -> List[Tuple[str, str]]:
    """Every topic an answer can have, (topic, name), the intents first: for the staff's
    "which topic should it have been"."""
    intents = sorted(labels().items(), key=lambda item: item[1])
    knowledge = [(f"{RETRIEVAL_INTENT}/{key}", topic_name(f"{RETRIEVAL_INTENT}/{key}")) for key in entries()]
    return intents + sorted(knowledge, key=lambda item: item[1])
