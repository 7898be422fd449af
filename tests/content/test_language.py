"""Which language a message is in (assistant/content/language.py)."""

import pytest

from assistant.content.language import conversation_language, language_of


@pytest.mark.parametrize(
    "text, language",
    [
        ("Wat is een pgb?", "nl"),
        ("kan ik een traplift krijgen", "nl"),
        ("Ik woon in Utrecht", "nl"),
        ("how much is the eigen bijdrage?", "en"),  # Dutch terms in an English question
        ("What is a pgb", "en"),
        ("I don't speak dutch", "en"),
        ("what is jeugdhulp", "en"),
        ("Zaltbommel", None),
        ("pgb", None),
        ("Is cliëntondersteuning gratis?", None),
    ],
)
def test_the_language_of_a_message(text, language):
    assert language_of(text) == language


def test_a_message_without_a_clear_language_keeps_the_conversations():
    assert conversation_language("Zaltbommel", "en") == "en"
    assert conversation_language("Zaltbommel", None) == "nl"
    assert conversation_language("Wat kost dat?", "en") == "nl"  # switching back is one Dutch question
