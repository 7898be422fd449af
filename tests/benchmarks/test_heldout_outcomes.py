"""How benchmarks.heldout_outcomes sorts a parsed message into the conversation's outcomes."""

import pytest

from benchmarks.heldout_outcomes import outcome


def parsed(intent: str, *ranking: tuple) -> dict:
    return {
        "intent": {"name": intent},
        "intent_ranking": [{"name": name, "confidence": confidence} for name, confidence in ranking],
    }


@pytest.mark.parametrize(
    "expected, message, found",
    [
        ("pgb_wat", parsed("pgb_wat", ("pgb_wat", 0.9)), "direct"),
        ("pgb_wat", parsed("pgb_voorwaarden", ("pgb_voorwaarden", 0.9)), "wrong"),
        (
            "pgb_wat",
            parsed("nlu_fallback", ("nlu_fallback", 0.5), ("pgb_voorwaarden", 0.4), ("pgb_wat", 0.3)),
            "clarified",
        ),
        (
            "pgb_wat",
            parsed(
                "nlu_fallback",
                ("nlu_fallback", 0.5),
                ("mantelzorg", 0.4),
                ("jeugdhulp", 0.3),
                ("respijtzorg", 0.2),
                ("pgb_wat", 0.1),
            ),
            "unclear",
        ),
        (
            "goodbye",
            parsed("nlu_fallback", ("nlu_fallback", 0.5), ("goodbye", 0.45)),
            "unclear",
        ),  # no button for a goodbye
    ],
)
def test_each_parse_counts_as_direct_after_a_click_unclear_or_wrong(expected, message, found):
    assert outcome(expected, message) == found
