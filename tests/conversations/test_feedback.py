"""The widget's feedback event: only well-formed events are kept, comments masked."""

import pytest

from assistant.conversations.feedback import MAX_COMMENT, Feedback, read_feedback


def test_a_feedback_event_with_a_comment_is_kept_masked():
    event = {"session_id": "s1", "turn": 3, "helped": False, "comment": "  Mijn bsn is 111222333  "}
    assert read_feedback(event) == Feedback("s1", 3, False, "Mijn bsn is [BSN]")
    assert read_feedback({"session_id": "s1", "turn": 3, "helped": True, "comment": "   "}).comment is None


@pytest.mark.parametrize(
    "event",
    [
        None,
        [],
        {"turn": 1, "helped": True},
        {"session_id": "", "turn": 1, "helped": True},
        {"session_id": "s" * 256, "turn": 1, "helped": True},
        {"session_id": "s1", "turn": "1", "helped": True},
        {"session_id": "s1", "turn": True, "helped": True},
        {"session_id": "s1", "turn": 0, "helped": True},
        {"session_id": "s1", "turn": 10_001, "helped": True},
        {"session_id": "s1", "turn": 1, "helped": "ja"},
        {"session_id": "s1", "turn": 1, "helped": True, "comment": 5},
        {"session_id": "s1", "turn": 1, "helped": True, "comment": "x" * (MAX_COMMENT + 1)},
    ],
)
def test_anything_else_is_not_kept(event):
    assert read_feedback(event) is None
