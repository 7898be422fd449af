"""The try-out page's explanation of each turn, read from stored events, and the coverage ids of
what conversations reached."""

import asyncio
from datetime import datetime
from typing import Any, Dict, List, Sequence

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.content.answers import build_answer, message, message_templates
from assistant.content.facts import load_facts
from assistant.content.knowledge import entries, knowledge_answer
from assistant.content.labels import labels
from assistant.conversations.store import TIME_ZONE
from assistant.flows.questions import questions
from assistant.review.explain import (
    AS_ANSWER,
    FROM_POSTCODE,
    NAMED,
    ActiveFlow,
    AskedQuestion,
    ChosenEntry,
    FoundMunicipality,
    Intent,
    TurnExplanation,
    UsedFact,
    UsedSource,
    everything,
    explain,
    explain_conversation,
    reached,
    read_events,
)
from tests.support.conversations import action, bot, slot, user

AT = datetime(2026, 3, 2, 10, 0, tzinfo=TIME_ZONE).timestamp()
ENTRY = "cak_bezwaar"
UNKNOWN_URL = "https://www.example-gemeente.nl/wmo"


def session_start(gemeente: str) -> List[Dict[str, Any]]:
    """What Rasa stores before the first message: the session start presets the widget's municipality."""
    return [
        slot("session_started_metadata", {"gemeente": "GM0363"}),
        action("action_session_start"),
        {"event": "session_started"},
        slot("gemeente", gemeente),
        action("action_listen"),
    ]


def reply(text: str, buttons: Sequence[str] = (), response: str = "") -> Dict[str, Any]:
    data = {"buttons": [{"title": title, "payload": f"/{title}"} for title in buttons]}
    return {"event": "bot", "text": text, "data": data, "metadata": {"utter_action": response} if response else {}}


def asks(requested: str) -> Dict[str, Any]:
    return slot("requested_slot", requested)


def by_selector(text: str, entry_id: str, confidence: float) -> Dict[str, Any]:
    selected = {"response": {"intent_response_key": f"kennis/{entry_id}", "confidence": confidence}}
    return user(text, "kennis", AT, confidence=0.8, response_selector={"kennis": selected})


def by_button(entry_id: str) -> Dict[str, Any]:
    entity = {"entity": "kennis_vraag", "value": entry_id}
    return user(f'/kennis{{"kennis_vraag": "{entry_id}"}}', "kennis", AT, confidence=1.0, entities=[entity])


def only(events: List[Dict[str, Any]]) -> TurnExplanation:
    [turn] = explain(events)
    return turn


# --- What Wegwijzer understood ------------------------------------------------------------------


def test_the_three_likeliest_intents_with_their_confidence_and_a_dutch_label():
    ranking = [
        {"name": "pgb_wat", "confidence": 0.61},
        {"name": "kennis", "confidence": 0.2},
        {"name": "nlu_fallback", "confidence": 0.1},
        {"name": "greet", "confidence": 0.05},
    ]
    turn = only([user("wat is een pgb", "pgb_wat", AT, confidence=0.61, intent_ranking=ranking)])

    assert turn.intents == (
        Intent("pgb_wat", 0.61, labels()["pgb_wat"]),
        Intent("kennis", 0.2, "Een vraag uit de kennisbank"),
        Intent("nlu_fallback", 0.1, "Niet zeker genoeg"),
    )
    assert (turn.position, turn.opening, turn.button) == (1, False, False)


def test_an_intent_without_a_ranking_or_a_label_is_shown_by_its_name():
    assert only([user("hallo", "greet", AT)]).intents == (Intent("greet", 0.9, "greet"),)


def test_an_entry_chosen_by_the_selector_with_its_title_and_confidence():
    turn = only([by_selector("kan ik bezwaar maken tegen de rekening", ENTRY, 0.83), action("action_answer_question")])
    assert turn.entry == ChosenEntry(ENTRY, entries()[ENTRY].title(), 0.83)
    assert (turn.button, turn.topic) == (False, None)


def test_an_entry_named_by_a_button():
    turn = only([by_button(ENTRY), action("action_answer_question")])
    assert turn.entry == ChosenEntry(ENTRY, entries()[ENTRY].title(), 1.0)
    assert turn.button


def test_the_widgets_opening_is_a_turn_of_its_own():
    turn = only([*session_start("Amsterdam"), user("/greet", "greet", AT, gemeente="GM0363"), action("utter_greet")])
    assert (turn.position, turn.opening, turn.button, turn.actions) == (1, True, False, ("utter_greet",))


# --- Flows ------------------------------------------------------------------------------------


def eigen_bijdrage_check() -> List[Dict[str, Any]]:
    """The check starts with its answer, reads "huishoudelijke hulp" from the first message and asks the year."""
    return [
        user("wat betaal ik voor huishoudelijke hulp", "eigen_bijdrage_check", AT),
        action("action_answer_question"),
        bot(build_answer("eigen_bijdrage_check").render()),
        action("eigen_bijdrage_form"),
        {"event": "active_loop", "name": "eigen_bijdrage_form"},
        asks("eb_voorziening"),
        slot("eb_voorziening", "huishoudelijke_hulp"),
        asks("eb_jaar"),
        action("action_ask_eb_jaar"),
        reply("Over welk jaar gaat het?", ["2026", "2025"]),
        action("action_listen"),
    ]


def test_a_flow_with_the_question_it_asks_next_and_every_question_it_asked():
    turn = only(eigen_bijdrage_check())
    assert turn.flow == ActiveFlow("eigen_bijdrage_form", labels()["eigen_bijdrage_check"], ended=False)
    assert turn.question == AskedQuestion("eb_jaar", questions()["eb_jaar"].text)
    assert turn.asked == ("eb_voorziening", "eb_jaar")
    assert turn.topic == "eigen_bijdrage_check"
    assert turn.actions == ("action_answer_question", "eigen_bijdrage_form", "action_ask_eb_jaar")
    assert turn.replies[-1].buttons == ("2026", "2025")


def test_a_flow_that_ends_in_a_turn_and_one_that_goes_on_from_an_earlier_turn():
    ending = [
        user("2026", "inform", AT),
        action("eigen_bijdrage_form"),
        {"event": "active_loop", "name": None},
        asks(None),
        action("action_eigen_bijdrage_uitslag"),
    ]
    first, last = explain([*eigen_bijdrage_check(), *ending])
    assert first.flow.ended is False and last.flow.ended is True
    assert (last.question, last.asked) == (None, ())


def test_a_question_with_a_fact_in_it_is_shown_filled_in():
    turn = only([user("/eigen_bijdrage_check", "eigen_bijdrage_check", AT), asks("eb_voor_kind")])
    assert turn.question.text == f"Is de hulp voor een kind jonger dan {load_facts().facts['leeftijd_kind'].text}?"


def test_rasas_two_stage_fallback_loop_is_no_flow():
    turn = only([user("bnk", "nlu_fallback", AT), {"event": "active_loop", "name": "action_two_stage_fallback"}])
    assert turn.flow is None


# --- The municipality ---------------------------------------------------------------------------


def test_the_municipality_from_the_widget_is_explained_once():
    events = [
        *session_start("Amsterdam"),
        user("/greet", "greet", AT, gemeente="GM0363"),
        action("utter_greet"),
        user("wat is een pgb", "pgb_wat", AT, gemeente="GM0363"),
        action("action_answer_question"),
    ]
    opening, question = explain(events)
    assert opening.municipality == FoundMunicipality(
        "Amsterdam", "De website van de gemeente gaf de gemeente mee (GM0363)"
    )
    assert question.municipality is None
    assert question.known_municipality == "Amsterdam"


def asked_for_the_municipality() -> List[Dict[str, Any]]:
    return [
        user("/gemeente_contact", "gemeente_contact", AT),
        action("gemeente_form"),
        {"event": "active_loop", "name": "gemeente_form"},
        asks("gemeente"),
        action("action_ask_gemeente"),
        reply(message("gemeente_vraag")),
    ]


def answer(text: str, *values: str) -> List[Dict[str, Any]]:
    """The reply to the municipality question: the slot as typed, then the validated name."""
    return [user(text, "inform_gemeente", AT), action("gemeente_form"), *(slot("gemeente", value) for value in values)]


def test_the_municipality_typed_as_the_answer_to_the_question():
    asking, answered = explain([*asked_for_the_municipality(), *answer("Hoofddorp", "Hoofddorp", "Haarlemmermeer")])
    assert asking.question == AskedQuestion("gemeente", message("gemeente_vraag"))
    assert asking.municipality is None
    assert answered.municipality == FoundMunicipality("Haarlemmermeer", AS_ANSWER)
    assert answered.known_municipality == "Haarlemmermeer"


@pytest.mark.parametrize("text", ["1011 [..]", "1011AB", "2131", "mijn postcode is 2131"])
def test_the_municipality_from_a_postcode(text):
    _, answered = explain([*asked_for_the_municipality(), *answer(text, text, "Haarlemmermeer")])
    assert answered.municipality == FoundMunicipality("Haarlemmermeer", FROM_POSTCODE)


def test_the_municipality_named_in_a_question_and_a_year_is_no_postcode():
    events = [
        user("Wat betaal ik in 2026 in Utrecht?", "eigen_bijdrage_hoeveel", AT),
        action("action_answer_question"),
        slot("gemeente", "Utrecht"),
    ]
    assert only(events).municipality == FoundMunicipality("Utrecht", NAMED)


def test_a_municipality_set_again_to_what_was_known_is_not_found_again():
    events = [*answer("Ede", "Ede"), *answer("/gemeente_contact", "Ede")]
    assert [turn.municipality for turn in explain(events)] == [FoundMunicipality("Ede", NAMED), None]


def test_a_new_session_forgets_the_flow_and_the_municipality_it_does_not_carry_over():
    events = [*asked_for_the_municipality(), action("action_session_start"), {"event": "session_started"}]
    events += [user("hallo", "greet", AT)]
    asking, later = explain(events)
    assert asking.flow.ended is False and later.flow is None and later.known_municipality is None


# --- Replies, sources and facts -----------------------------------------------------------------


def test_the_sources_a_reply_names_with_their_organisation_and_check_date():
    text = knowledge_answer(ENTRY).render() + f"\n\nMeer bij uw gemeente: {UNKNOWN_URL}."
    turn = only([by_selector("bezwaar tegen het cak", ENTRY, 0.9), action("action_answer_question"), bot(text)])

    by_url = {source.url: source for source in turn.sources}
    for source in entries()[ENTRY].sources:
        assert by_url[source.url] == UsedSource(source.url, source.organisation, source.checked)
    assert by_url[UNKNOWN_URL] == UsedSource(UNKNOWN_URL)
    assert len(turn.sources) == len(by_url)


def test_the_facts_of_an_answer_and_the_tariff_of_the_year_it_is_about():
    turn = only([user("wie betaalt niets", "eigen_bijdrage_wie_betaalt", AT), action("action_answer_question")])
    facts = load_facts()
    tariff = facts.tariff(2026)
    kind = facts.facts["leeftijd_kind"]
    assert turn.facts == (
        UsedFact("leeftijd_kind", kind.text, kind.source),
        UsedFact("abonnementstarief 2026", f"€ {tariff.amount} per {tariff.period}", tariff.source),
    )


def test_the_year_a_question_names_picks_the_tariff():
    year = {"entity": "jaar", "value": "2024"}
    events = [user("en in 2024?", "eigen_bijdrage_hoeveel", AT, entities=[year]), action("action_answer_question")]
    [tariff] = only(events).facts
    assert (tariff.name, tariff.source) == ("abonnementstarief 2024", load_facts().tariff(2024).source)


def test_the_facts_of_an_entry_and_none_without_an_answer():
    answered = only([by_button(ENTRY), action("action_answer_question")])
    assert [fact.name for fact in answered.facts] == ["termijn_bezwaar", "telefoon_cak"]
    assert only([by_button(ENTRY)]).facts == ()


def test_a_handover_pauses_and_an_employee_replies():
    employee = {"event": "bot", "text": "Goedemiddag", "data": {}, "metadata": {"medewerker": "GM0228"}}
    events = [user("/chat_request", "chat_request", AT), action("action_request_chat"), {"event": "pause"}, employee]
    turn = only(events)
    assert turn.paused and turn.replies[-1].by_employee


def test_the_feedback_request_is_no_reply():
    feedback = {"event": "bot", "text": None, "data": {"custom": {"type": "feedback_request"}}}
    assert only([user("wat is een pgb", "pgb_wat", AT), bot("Een pgb is…"), feedback]).replies[-1].text == "Een pgb is…"


# --- Coverage ---------------------------------------------------------------------------------


def test_reached_names_each_kind_of_part():
    local = message("eigen_bijdrage_lokaal_lager", gemeente="Ede", jaar="2026", bedrag="0,00", voor_wie="- a\n- b")
    events = [
        user("wat is een pgb", "pgb_wat", AT),
        action("action_answer_question"),
        bot(build_answer("pgb_wat").render()),
        by_button(ENTRY),
        action("action_answer_question"),
        *eigen_bijdrage_check(),
        user("hallo", "greet", AT),
        action("utter_greet"),
        user("bnk", "nlu_fallback", AT),
        action("action_answer_question"),
        reply("Waar gaat uw vraag over?", response="utter_fallback_topics"),
        *answer("Hoofddorp", "Haarlemmermeer"),
        bot(message("gemeente_via_plaats", plaats="Hoofddorp", gemeente="Haarlemmermeer")),
        bot(f"Ja, dat kan.\n\n{local}"),
        reply(message("chat_aanbod", gemeente="Ede"), buttons=[message("chat_knop")]),
    ]
    assert reached(explain(events)) == {
        "antwoord/pgb_wat",
        f"kennis/{ENTRY}",
        "antwoord/eigen_bijdrage_check",
        "vraag/eb_voorziening",
        "vraag/eb_jaar",
        "reactie/utter_greet",
        "reactie/utter_fallback_topics",
        "tekst/gemeente_via_plaats",
        "tekst/eigen_bijdrage_lokaal_lager",
        "tekst/chat_aanbod",
        "tekst/chat_knop",
        "tekst/maximum_bekend",  # the check's answer says the year's maximum
    }


def test_an_entry_that_did_not_answer_is_not_reached():
    assert reached(explain([by_button(ENTRY)])) == set()


def test_a_short_message_does_not_match_a_reply_by_accident():
    contact = "Zo bereikt u de gemeente Ede:\nTelefoon: 14 0318\nOpen: ma-vr 9-17 uur."
    assert reached(explain([user("nummer van ede", "gemeente_contact", AT), bot(contact)])) == {
        "tekst/contact_in_antwoord_kop"
    }


def test_everything_holds_every_message_entry_question_and_response():
    ids = everything()
    dutch = [key for key in message_templates() if not key.endswith("_en")]
    assert {f"tekst/{key}" for key in dutch} <= set(ids)
    assert not any(key.startswith("tekst/") and key.endswith("_en") for key in ids)
    assert {f"kennis/{entry_id}" for entry_id in entries()} <= set(ids)
    assert {f"vraag/{slot_name}" for slot_name in questions()} | {"vraag/gemeente"} <= set(ids)
    assert "antwoord/pgb_wat" in ids and "antwoord/kennis" not in ids and "reactie/utter_greet" in ids
    assert ids[f"kennis/{ENTRY}"] == entries()[ENTRY].title()
    assert ids["vraag/gemeente"] == message("gemeente_vraag")
    assert ids["tekst/gemeente_vraag"].startswith("gemeente_vraag: In welke gemeente woont u?")
    assert ids["reactie/utter_thanks"].startswith("utter_thanks: Graag gedaan.")


def test_what_reached_ids_name_is_in_everything():
    events = [*eigen_bijdrage_check(), user("hallo", "greet", AT), action("utter_greet"), by_button(ENTRY)]
    events.append(action("action_answer_question"))
    assert reached(explain(events)) - {"antwoord/eigen_bijdrage_check"} <= set(everything())


# --- The conversation store ---------------------------------------------------------------------


@pytest.fixture
def store_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def store(url: str, sender: str, events: List[Dict[str, Any]]) -> None:
    """The events as Rasa's own SQL tracker store writes them."""
    tracker_store = SQLTrackerStore(dialect="sqlite", db=sa.engine.make_url(url).database)
    asyncio.run(tracker_store.save(DialogueStateTracker.from_dict(sender, events, [])))
    tracker_store.engine.dispose()


def test_a_stored_conversation_is_read_back_in_order_and_explained(store_url):
    events = [*session_start("Amsterdam"), user("/greet", "greet", AT, gemeente="GM0363"), action("utter_greet")]
    events += eigen_bijdrage_check()
    store(store_url, "inwoner", events)
    store(store_url, "iemand-anders", [user("hallo", "greet", AT)])

    read = read_events(store_url, "inwoner")
    assert [event["event"] for event in read] == [event["event"] for event in events]
    opening, check = explain_conversation(sa.create_engine(store_url), "inwoner")
    assert opening.municipality.name == "Amsterdam" and opening.opening
    assert check.question.slot == "eb_jaar" and check.known_municipality == "Amsterdam"


def test_a_store_without_events_has_no_turns(tmp_path, store_url):
    assert read_events(store_url, "inwoner") == []
    assert not (tmp_path / "tracker.db").exists()  # reading does not create the database
    engine = sa.create_engine(store_url)
    with engine.connect():
        pass  # an empty database: no events table yet
    assert explain_conversation(engine, "inwoner") == []
