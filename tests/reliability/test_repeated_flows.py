"""Starting a guided flow again while it runs, two or three times, against the real servers:
every message gets an answer, and the conversation goes on. Before, the second time tripped
Rasa's circuit breaker (ten fallback messages), and from then on every message in that
conversation, /restart included, got an empty reply."""

import pytest

from assistant.content.answers import message_templates
from assistant.flows.dialogue import FLOWS
from tests.support.replies import joined

AGAIN = message_templates()["flow_al_bezig"]


@pytest.mark.parametrize("times", [2, 3])
@pytest.mark.parametrize("trigger", sorted(flow.trigger for flow in FLOWS.values()))
def test_a_flow_started_again_asks_its_question_again(chat, trigger, times):
    first = chat(f"/{trigger}")
    assert joined(first)
    for _ in range(times - 1):
        replies = chat(f"/{trigger}")
        assert AGAIN in joined(replies) and len(replies) <= 3, joined(replies)
    assert "persoonsgebonden budget" in joined(chat("wat is een pgb"))  # the conversation lives on


def test_the_same_question_typed_twice(chat):
    chat("wat moet ik betalen in mijn situatie?")
    replies = chat("wat moet ik betalen in mijn situatie?")
    assert AGAIN in joined(replies) and "Voor welke hulp" in joined(replies)
    assert "Hallo, ik ben Wegwijzer" in joined(chat("hallo"))
