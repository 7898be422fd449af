"""The turn of the year against the real servers, over REST: the action server and the Rasa
server run as on 1 January 2027 (WEGWIJZER_TODAY), while facts.yml has no 2027 amount."""

import pytest

from assistant.content.facts import load_facts
from tests.support.replies import button_titles, joined
from tests.support.resident import Say, resident

FACTS = load_facts()
LAST_KNOWN = FACTS.latest_tariff()


@pytest.fixture
def chat_in_january(january_servers) -> Say:
    return resident(january_servers, prefix="e2e-january")


def test_the_amount_question_says_2027_is_not_known_yet(chat_in_january):
    assert FACTS.tariff(2027) is None, "move this test on a year once facts.yml has the 2027 amount"
    text = joined(chat_in_january("hoeveel is de eigen bijdrage voor de wmo"))
    assert "Het bedrag voor 2027 weet ik nog niet." in text
    assert f"Het laatste bedrag dat ik ken, is van {LAST_KNOWN.year}: maximaal € {LAST_KNOWN.amount}" in text
    assert FACTS.facts["telefoon_cak"].text in text and "In 2026 betaalt u" not in text


def test_the_check_offers_2027_and_gives_an_honest_verdict(chat_in_january):
    replies = chat_in_january("ik wil nagaan wat ik zelf moet betalen voor huishoudelijke hulp")
    assert button_titles(replies)[:2] == ["2027", "2026"]
    chat_in_january("2027")
    chat_in_january("/deny")  # not for a child
    chat_in_january("/deny")  # no partner
    chat_in_january("/deny")  # nobody pays already
    text = joined(chat_in_january("/dont_know"))  # skip the municipality
    assert "U betaalt een eigen bijdrage, één keer voor uw hele huishouden." in text
    assert "Het bedrag voor 2027 weet ik nog niet." in text and "In 2027 betaalt u" not in text
