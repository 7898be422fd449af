"""The conversation log: turns as stored (masked), their outcome and topic, the municipality a
conversation belongs to, feedback, tags, expiry, and the filters of the staff app."""

import pytest
from sqlalchemy.orm import Session

from assistant.conversations.feedback import FEEDBACK_REQUEST, Feedback
from assistant.conversations.store import REVIEWER_TAG, ConversationFilter, ConversationLog, DayCountRow
from assistant.conversations.turns import ANSWERED, NOT_UNDERSTOOD, PERSON, read_turns, recognised_topic
from tests.support.conversations import (
    action,
    answered,
    asks_to_chat,
    bot,
    from_employee,
    handed_back,
    not_understood,
    record,
    slot,
    user,
    wants_a_person,
)

T0 = 1_796_000_000.0  # 2026-11-30


@pytest.fixture
def log(tmp_path) -> ConversationLog:
    return ConversationLog(f"sqlite:///{tmp_path / 'log.db'}")


def only(log: ConversationLog, wanted: ConversationFilter = ConversationFilter()):
    total, found = log.conversations(wanted)
    assert total == len(found)
    return found


def test_a_turn_keeps_the_message_the_topic_how_sure_and_the_replies(log):
    record(log, "s1", [user("/greet", "greet", T0, confidence=1.0), bot("Hallo")])
    record(log, "s1", answered("Wat is een pgb?", T0 + 5, gemeente="GM0228"))
    [conversation] = only(log)
    view, turns = log.conversation(conversation.reference)
    assert [turn.text for turn in turns] == ["Wat is een pgb?"]  # the widget's opening is not the resident's
    assert (turns[0].position, turns[0].topic, turns[0].confidence) == (2, "pgb_wat", 0.9)
    assert turns[0].replies == ["Antwoord op Wat is een pgb?"] and turns[0].outcome == ANSWERED
    assert (view.municipality_code, view.messages) == ("GM0228", 1)


def test_outcomes_not_understood_and_a_person():
    turns, _ = read_turns([*not_understood("blabla", T0), *wants_a_person(T0 + 1), *answered("pgb", T0 + 2)])
    assert [turn.outcome for turn in turns] == [NOT_UNDERSTOOD, PERSON, ANSWERED]
    offered, _ = read_turns([user("nee", "deny", T0), action("action_offer_human")])
    assert offered[0].outcome == PERSON
    door = {"event": "bot", "text": None, "data": {"custom": FEEDBACK_REQUEST}}
    outside, _ = read_turns([user("asdf", "out_of_scope", T0), bot("Daar kan ik u niet mee helpen.")])
    other_door, _ = read_turns([user("kinderbijslag?", "out_of_scope", T0), bot("Daarvoor kunt u bij de SVB"), door])
    assert (outside[0].outcome, other_door[0].outcome) == (NOT_UNDERSTOOD, ANSWERED)


def test_messages_to_an_employee_count_as_a_person_and_the_employees_replies_are_marked(log):
    """Saved as the tracker store saves them: the request (ends paused), a message while paused
    (a save without pause events), the employee's reply, the hand back, a new question."""
    record(log, "chat", answered("Wat is een pgb?", T0, gemeente="GM0228"))
    record(log, "chat", asks_to_chat(T0 + 10), paused=True)
    record(log, "chat", [user("Mijn moeder heeft hulp nodig", "pgb_wat", T0 + 20)], paused=True)
    record(log, "chat", [from_employee("Ik help u graag.", "Ede")], paused=True)
    record(log, "chat", handed_back())
    record(log, "chat", answered("Wat kost het?", T0 + 60))
    [conversation] = only(log)
    assert conversation.wanted_person and conversation.messages == 4
    turns = log.conversation_of("chat")[1]
    assert [turn.outcome for turn in turns] == [ANSWERED, PERSON, PERSON, ANSWERED]
    assert turns[2].replies == ["Medewerker: Ik help u graag.", "De medewerker heeft het gesprek afgesloten."]
    assert log.conversation_of("another") is None


def test_a_save_that_pauses_or_resumes_tells_the_state_before_it():
    during = [user("Hallo?", "greet", T0), {"event": "resume"}, user("Dank u", "thanks", T0 + 1)]
    assert [turn.to_person for turn in read_turns(during, paused_at_end=False)[0]] == [True, False]
    before = [user("Hallo?", "greet", T0), {"event": "pause"}, user("Dank u", "thanks", T0 + 1)]
    assert [turn.to_person for turn in read_turns(before, paused_at_end=True)[0]] == [False, True]


def test_the_knowledge_base_topic_is_the_entry_from_the_button_or_the_selector():
    selector = {"kennis": {"response": {"intent_response_key": "kennis/cak_termijnen", "confidence": 0.72}}}
    assert recognised_topic({"intent": {"name": "kennis", "confidence": 0.8}, "response_selector": selector}) == (
        "kennis/cak_termijnen",
        0.72,
    )
    button = {"intent": {"name": "kennis", "confidence": 1.0}, "entities": [{"entity": "kennis_vraag", "value": "x"}]}
    assert recognised_topic(button) == ("kennis/x", 1.0)
    assert recognised_topic({}) == ("", 0.0)


def test_replies_saved_after_the_turn_join_it(log):
    record(log, "s1", [user("Wat is een pgb?", "pgb_wat", T0), bot("Een pgb is")])
    record(log, "s1", [bot("Meer weten?")])
    [conversation] = only(log)
    assert log.conversation(conversation.reference)[1][0].replies == ["Een pgb is", "Meer weten?"]


def test_a_conversation_belongs_to_the_first_municipality_it_names(log):
    record(log, "s1", answered("Wat is een pgb?", T0))
    record(log, "s1", [user("Ede", "inform_gemeente", T0 + 1), slot("gemeente", "Ede"), bot("Ede")])
    record(log, "s1", [user("Utrecht", "inform_gemeente", T0 + 2), slot("gemeente", "Utrecht")])
    assert [c.municipality_code for c in only(log)] == ["GM0228"]
    assert only(log, ConversationFilter(scope=["GM0344"])) == []


def test_filters_by_municipality_date_topic_not_understood_person_and_feedback(log):
    record(log, "ede-pgb", answered("Wat is een pgb?", T0, "pgb_wat", "GM0228"))
    record(log, "ede-vaag", not_understood("hoe zit dat", T0 + 86400, "GM0228"))
    record(log, "ede-mens", wants_a_person(T0 + 2 * 86400, "GM0228"))
    record(log, "utrecht", answered("Wat kost het?", T0, "eigen_bijdrage_hoeveel", "GM0344"))
    log.record_feedback(Feedback("ede-pgb", 1, False, "te lang"))

    assert len(only(log, ConversationFilter(scope=["GM0228"]))) == 3
    assert len(only(log, ConversationFilter(scope=["GM0344"]))) == 1
    assert len(only(log, ConversationFilter(scope=["GM0228"], since=T0 + 86400))) == 2
    assert len(only(log, ConversationFilter(until=T0 + 1))) == 2
    assert [c.municipality_code for c in only(log, ConversationFilter(topic="eigen_bijdrage_hoeveel"))] == ["GM0344"]
    assert [c.not_understood for c in only(log, ConversationFilter(not_understood=True))] == [1]
    assert [c.wanted_person for c in only(log, ConversationFilter(wanted_person=True))] == [True]
    assert [c.feedback for c in only(log, ConversationFilter(feedback="nee"))] == ["nee"]
    assert only(log, ConversationFilter(feedback="ja")) == []
    assert len(only(log, ConversationFilter(feedback=""))) == 1


def test_feedback_is_kept_on_its_turn_masked_and_the_latest_wins(log):
    record(log, "s1", [user("/greet", "greet", T0), bot("Hallo")])
    record(log, "s1", answered("Wat is een pgb?", T0 + 1))
    assert log.record_feedback(Feedback("s1", 2, True, None))
    assert log.record_feedback(Feedback("s1", 2, False, "[telefoonnummer] belt niet terug"))
    assert not log.record_feedback(Feedback("s1", 1, True, None))  # the opening is no answer
    assert not log.record_feedback(Feedback("s1", 9, True, None))
    assert not log.record_feedback(Feedback("onbekend", 2, True, None))
    [conversation] = only(log)
    [turn] = log.conversation(conversation.reference)[1]
    assert (turn.helped, turn.comment, conversation.feedback) == (False, "[telefoonnummer] belt niet terug", "nee")


def test_tags_and_the_flagged_messages_of_the_own_municipality(log):
    record(log, "ede", answered("Mag mijn zoon mijn pgb krijgen?", T0, "pgb_wat", "GM0228"))
    record(log, "utrecht", answered("Wat kost de taxi?", T0, "eigen_bijdrage_hoeveel", "GM0344"))
    ede = only(log, ConversationFilter(scope=["GM0228"]))[0].reference
    utrecht = only(log, ConversationFilter(scope=["GM0344"]))[0].reference
    assert log.tag(ede, 1, "fout antwoord", "pgb_familie", "medewerker")
    assert log.tag(utrecht, 1, "onderwerp ontbreekt", "wordt genegeerd", "medewerker")
    assert not log.tag(ede, 5, "goed", None, "medewerker")
    with pytest.raises(ValueError):
        log.tag(ede, 1, "onzin", None, "medewerker")

    [flagged] = log.flagged(["GM0228"])
    assert (flagged.text, flagged.tag, flagged.tag_topic) == (
        "Mag mijn zoon mijn pgb krijgen?",
        "fout antwoord",
        "pgb_familie",
    )
    assert [item.tag_topic for item in log.flagged(None)] == ["pgb_familie", None]
    assert log.tag(ede, 1, None, None, "medewerker")
    assert [item.reference for item in log.flagged(None)] == [utrecht]


def test_an_expired_conversation_loses_its_texts_and_leaves_the_list(log):
    record(log, "s1", answered("Mijn bsn is [BSN]", T0))
    log.record_feedback(Feedback("s1", 1, True, "dank"))
    assert log.expire(["s1", "onbekend"]) == 1
    assert only(log) == []
    record(log, "s1", answered("Ik ben terug", T0 + 40 * 86400))  # the same sender later: a new conversation
    [conversation] = only(log)
    assert [turn.text for turn in log.conversation(conversation.reference)[1]] == ["Ik ben terug"]
    texts = [row for row in log.engine.execute("SELECT text, replies, comment FROM wegwijzer_turns")]
    assert (None, None, None) in texts and not any("bsn" in str(row) for row in texts)


def test_a_reviewers_mark_keeps_its_comment_masked_and_is_a_suggestion(log):
    record(log, "proef-abc", answered("Wat is een pgb?", T0, "pgb_wat", "GM0228"))
    [conversation] = only(log)
    assert conversation.trial
    assert log.tag(conversation.reference, 1, REVIEWER_TAG, None, "raad", "Te lang. Bel 0612345678.")
    _, [turn] = log.conversation(conversation.reference)
    assert (turn.tag, turn.tagged_by) == (REVIEWER_TAG, "raad") and "0612345678" not in turn.comment
    assert [item.tag for item in log.flagged(["GM0228"])] == [REVIEWER_TAG]


def test_try_outs_and_test_conversations_are_kept_but_not_counted(log):
    for sender in ("proef-abc", "testgesprek-0123456789ab", "inwoner"):
        record(log, sender, answered("Wat is een pgb?", T0, "pgb_wat", "GM0228"))
    with Session(log.engine) as session:
        counted = session.query(DayCountRow).filter_by(measure="gesprekken", municipality_code="GM0228").one()
    assert counted.count == 1 and len(only(log)) == 3
