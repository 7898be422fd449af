"""Short titles for intents (labels.yml): buttons when Wegwijzer is not sure, and topic names
in the staff app."""

from functools import lru_cache
from typing import Dict

import yaml

from assistant.content.answers import DUTCH, ENGLISH
from assistant.settings import LABELS_FILE


@lru_cache(maxsize=None)  # labels(), labels("nl") and labels("en") are three keys: with room for two, each missed
def labels(language: str = DUTCH) -> Dict[str, str]:
    """Button titles per intent; in English the `en` mapping's, where it has one."""
    titles = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    english = titles.pop(ENGLISH, None) or {}
    return {**titles, **english} if language == ENGLISH else titles
