"""The actions of the guided flows, run with a real rasa-sdk Tracker and CollectingDispatcher
(helpers from tests/test_actions.py), without a Rasa server."""

import ast
import asyncio
import re
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from cryptography.fernet import Fernet
from rasa_sdk.events import ActiveLoop, SlotSet, UserUtteranceReverted
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT

from actions import callback_form
from actions.ask_actions import ASK_ACTIONS
from actions.callback_form import ActionKeepCallbackQuestion, ActionSubmitCallback, ValidateCallbackForm
from actions.clientondersteuning_form import ActionGiveClientondersteuning, ValidateClientondersteuningForm
from actions.eigen_bijdrage_form import ActionAskYear, ActionEigenBijdrageUitslag, ValidateEigenBijdrageForm
from actions.fallback import ActionAskWhatYouMean, ActionOfferAPerson
from actions.gemeente_form import ActionAskGemeente, ActionAskGemeenteForEigenBijdrage, ValidateGemeenteForm
from actions.guided_form import ActionStopFlow
from actions.handover_form import ActionOfferHuman, ValidateChatForm, ValidateHandoverForm
from actions.pgb_form import ActionPgbAdvies, ValidatePgbForm
from actions.services import overrides
from assistant.content.answers import message_templates
from assistant.content.facts import load_facts
from assistant.content.knowledge import entries
from assistant.content.labels import labels
from assistant.flows import eigen_bijdrage, pgb
from assistant.flows.callback import CALLBACK_SLOTS, OFFERED_QUESTION, consent_text
from assistant.flows.dialogue import FLOWS
from assistant.flows.eigen_bijdrage import ALREADY_PAYS, BELOW_AOW, CHILD, MUNICIPALITY, PARTNER, PROVISION, YEAR
from assistant.flows.eigen_bijdrage_rules import FREE_PROVISIONS, Question
from assistant.flows.questions import DONT_KNOW, questions
from assistant.helpdesk import callbacks
from assistant.helpdesk.callbacks import CallbackStore, seal, unseal
from assistant.rasa_plugins.limits import Refusal
from assistant.settings import CALLBACK_KEY, PROJECT_ROOT
from municipalities.zorgkantoren import load_zorgkantoren
from tests.support.clock import TEST_DAY
from tests.support.trackers import DOMAIN, answer, make_tracker, texts

FACTS = load_facts()
NOT_SENT = object()


def validate(
    action, intent: str, text: str, slots: Dict[str, Any], entities: Optional[List[dict]] = None
) -> Tuple[List[dict], List[str]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(intent, text, entities, slots=slots, active_loop=action.form_name())
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, texts(dispatcher)


def run(action, slots: Dict[str, Any], intent: str = "affirm", text: str = "", active_loop: Optional[str] = None):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, make_tracker(intent, text, slots=slots, active_loop=active_loop), DOMAIN)
    return events, dispatcher.messages


def filled(events: List[dict]) -> Dict[str, Any]:
    """The answer slots an action set (not requested_slot)."""
    return {
        event["name"]: event["value"]
        for event in events
        if event.get("event") == "slot" and event["name"] != REQUESTED_SLOT
    }


def requested(events: List[dict]) -> Any:
    values = [event["value"] for event in events if event.get("event") == "slot" and event["name"] == REQUESTED_SLOT]
    return values[-1] if values else NOT_SENT


def asked_next(events: List[dict], slots: Dict[str, Any], form: str = "eigen_bijdrage_form") -> Optional[str]:
    """The slot Rasa asks next: the validator's requested_slot, or, when it sends none (its
    required slots equal the domain's), the first empty slot of the form in the domain."""
    sent = requested(events)
    if sent is not NOT_SENT:
        return sent
    now = {**slots, **filled(events)}
    return next((slot for slot in DOMAIN["forms"][form]["required_slots"] if now.get(slot) is None), None)


def eb(**slots) -> Dict[str, Any]:
    return {REQUESTED_SLOT: None, **slots}


EB_SO_FAR = {PROVISION: "begeleiding", YEAR: "2026"}


# --- The eigen-bijdrage form -----------------------------------------------------------------


def test_eb_reads_a_button_reply():
    events, replies = validate(
        ValidateEigenBijdrageForm(), "nlu_fallback", "Huishoudelijke hulp", eb(requested_slot=PROVISION)
    )
    assert filled(events) == {PROVISION: "huishoudelijke_hulp"} and requested(events) == YEAR and replies == []


def test_eb_reads_a_yes_no_button():
    slots = eb(requested_slot=PARTNER, **EB_SO_FAR, **{CHILD: "nee"})
    events, replies = validate(ValidateEigenBijdrageForm(), "affirm", "/affirm", slots)
    assert filled(events) == {PARTNER: "ja"} and asked_next(events, slots) == BELOW_AOW and replies == []


@pytest.mark.parametrize("intent", ["dont_know", "nlu_fallback"])
def test_eb_reads_dont_know(intent):
    events, replies = validate(
        ValidateEigenBijdrageForm(), intent, "weet ik niet", eb(requested_slot=CHILD, **EB_SO_FAR)
    )
    assert filled(events) == {CHILD: DONT_KNOW} and requested(events) == PARTNER and replies == []


@pytest.mark.parametrize(
    "intent, text, entities, year",
    [
        ("nlu_fallback", "2024", [], 2024),
        ("nlu_fallback", "in 2019 denk ik", [], 2019),
        ("nlu_fallback", "2023", [{"entity": "jaar", "value": "2023"}], 2023),
        ("nlu_fallback", "dit jaar", [], TEST_DAY.year),
        ("nlu_fallback", "vorig jaar", [], TEST_DAY.year - 1),
        ("dont_know", "weet ik niet", [], TEST_DAY.year),
    ],
)
def test_eb_reads_a_year(intent, text, entities, year):
    events, replies = validate(
        ValidateEigenBijdrageForm(), intent, text, eb(requested_slot=YEAR, **{PROVISION: "vervoer"}), entities
    )
    assert filled(events) == {YEAR: str(year)} and requested(events) == CHILD and replies == []


@pytest.mark.parametrize("typed", ["2015", "2031"])
def test_eb_an_unknown_year_is_explained_and_asked_again(typed):
    events, replies = validate(
        ValidateEigenBijdrageForm(), "nlu_fallback", typed, eb(requested_slot=YEAR, **{PROVISION: "vervoer"})
    )
    assert filled(events) == {YEAR: None} and requested(events) == YEAR
    [reply] = replies
    known = FACTS.known_years()
    assert typed in reply and str(known[0]) in reply and str(known[-1]) in reply


def test_eb_an_unreadable_reply_is_asked_again_kindly():
    events, replies = validate(ValidateEigenBijdrageForm(), "nlu_fallback", "blabla", eb(requested_slot=PROVISION))
    assert filled(events) == {PROVISION: None} and requested(events) == PROVISION
    assert replies == [message_templates()["antwoord_onduidelijk"]]


def test_eb_back_clears_the_previous_answer():
    events, replies = validate(
        ValidateEigenBijdrageForm(), "go_back", "terug", eb(requested_slot=PARTNER, **EB_SO_FAR, **{CHILD: "nee"})
    )
    assert filled(events) == {CHILD: None} and requested(events) == CHILD
    assert replies == [message_templates()["terug_vorige_vraag"]]


def test_eb_back_skips_questions_that_were_not_asked():
    slots = eb(requested_slot=ALREADY_PAYS, **EB_SO_FAR, **{CHILD: "nee", PARTNER: "nee"})
    events, _ = validate(ValidateEigenBijdrageForm(), "go_back", "terug", slots)
    assert filled(events) == {PARTNER: None} and requested(events) == PARTNER


def test_eb_back_at_the_first_question_asks_it_again():
    events, replies = validate(ValidateEigenBijdrageForm(), "go_back", "terug", eb(requested_slot=PROVISION))
    assert filled(events) == {PROVISION: None} and requested(events) == PROVISION
    assert replies == [message_templates()["terug_eerste_vraag"]]


@pytest.mark.parametrize(
    "intent, text", [("pgb_wat", "wat is een pgb?"), ("stop", "stop"), ("human_handover", "ik wil een mens")]
)
@pytest.mark.parametrize("asked", [PROVISION, CHILD, PARTNER])
def test_eb_a_reply_that_is_no_answer_sets_no_slot(intent, text, asked):
    slots = (
        eb(requested_slot=asked, **{PROVISION: "begeleiding", YEAR: "2026", CHILD: "nee"})
        if asked == PARTNER
        else eb(requested_slot=asked)
    )
    if asked == CHILD:
        slots.update(EB_SO_FAR)
    events, replies = validate(ValidateEigenBijdrageForm(), intent, text, slots)
    assert filled(events) == {} and replies == []  # Rasa rejects the form: the rules answer


def test_eb_a_question_in_between_while_the_year_is_asked_sets_no_slot():
    events, replies = validate(
        ValidateEigenBijdrageForm(), "pgb_wat", "wat is een pgb?", eb(requested_slot=YEAR, **{PROVISION: "vervoer"})
    )
    assert filled(events) == {} and replies == []


def test_eb_a_year_in_the_first_message_is_kept():
    events, _ = validate(
        ValidateEigenBijdrageForm(),
        "eigen_bijdrage_check",
        "wat betaal ik in 2025",
        {},
        [{"entity": "jaar", "value": "2025"}],
    )
    assert filled(events) == {YEAR: "2025"} and requested(events) == PROVISION


@pytest.mark.parametrize(
    "text, provision, next_slot",
    [
        ("wat betaal ik voor huishoudelijke hulp?", "huishoudelijke_hulp", YEAR),
        ("moet ik betalen voor een rolstoel?", "rolstoel", None),
    ],
)
def test_eb_a_provision_in_the_first_message_is_kept(text, provision, next_slot):
    events, _ = validate(ValidateEigenBijdrageForm(), "eigen_bijdrage_check", text, {})
    assert filled(events) == {PROVISION: provision} and requested(events) == next_slot


def test_eb_a_municipality_typed_when_asked():
    slots = eb(requested_slot=MUNICIPALITY, **EB_SO_FAR, **{CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee"})
    events, _ = validate(ValidateEigenBijdrageForm(), "inform_gemeente", "Zwolle", slots)
    assert filled(events)[MUNICIPALITY] == "Zwolle" and requested(events) is None


@pytest.mark.parametrize("intent", ["dont_know", "deny"])
def test_eb_skipping_the_municipality_ends_the_form_and_is_remembered(intent):
    """The skip must come back to Rasa as a slot event: else the form is rejected (only
    requested_slot was set) and the next run asks for the municipality again."""
    slots = eb(requested_slot=MUNICIPALITY, **EB_SO_FAR, **{CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee"})
    events, _ = validate(ValidateEigenBijdrageForm(), intent, "/dont_know", slots)
    assert requested(events) is None
    assert filled(events).get(eigen_bijdrage.SKIPPED_MUNICIPALITY) is True


REPLIES = {"yes": ("affirm", "/affirm"), "no": ("deny", "/deny"), "?": ("dont_know", "/dont_know")}


@pytest.mark.parametrize(
    "replies, asked",
    [
        (
            {
                PROVISION: ("nlu_fallback", "Huishoudelijke hulp"),
                YEAR: ("nlu_fallback", "2026"),
                CHILD: REPLIES["no"],
                PARTNER: REPLIES["yes"],
                BELOW_AOW: REPLIES["no"],
                ALREADY_PAYS: REPLIES["no"],
                MUNICIPALITY: ("inform_gemeente", "Zwolle"),
            },
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW, ALREADY_PAYS, MUNICIPALITY],
        ),
        ({PROVISION: ("nlu_fallback", "Rolstoel")}, [PROVISION]),
        ({PROVISION: ("nlu_fallback", "Beschermd wonen")}, [PROVISION]),
        (
            {PROVISION: ("nlu_fallback", "begeleiding"), YEAR: ("nlu_fallback", "2025"), CHILD: REPLIES["yes"]},
            [PROVISION, YEAR, CHILD],
        ),
        (
            {
                PROVISION: REPLIES["?"],
                YEAR: REPLIES["?"],
                CHILD: REPLIES["no"],
                PARTNER: REPLIES["?"],
                ALREADY_PAYS: REPLIES["yes"],
            },
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS],
        ),
        (
            {
                PROVISION: ("nlu_fallback", "vervoer"),
                YEAR: ("nlu_fallback", "2019"),
                CHILD: REPLIES["no"],
                PARTNER: REPLIES["yes"],
                BELOW_AOW: REPLIES["yes"],
            },
            [PROVISION, YEAR, CHILD, PARTNER, BELOW_AOW],
        ),
        (
            {
                PROVISION: ("nlu_fallback", "traplift"),
                YEAR: ("nlu_fallback", "2024"),
                CHILD: REPLIES["no"],
                PARTNER: REPLIES["no"],
                ALREADY_PAYS: REPLIES["no"],
                MUNICIPALITY: ("inform_gemeente", "1011 AB"),
            },
            [PROVISION, YEAR, CHILD, PARTNER, ALREADY_PAYS, MUNICIPALITY],
        ),
    ],
)
def test_eb_the_next_question_follows_questions_to_ask(replies, asked):
    form = ValidateEigenBijdrageForm()
    events, _ = validate(form, "eigen_bijdrage_check", "wat betaal ik zelf?", {})
    slots: Dict[str, Any] = {}
    seen = []
    while True:
        next_slot = asked_next(events, slots)
        slots.update(filled(events))
        missing = [
            slot
            for slot in eigen_bijdrage.questions_to_ask(slots, bool(slots.get(eigen_bijdrage.SKIPPED_MUNICIPALITY)))
            if slots.get(slot) is None
        ]
        assert next_slot == (missing[0] if missing else None), (seen, slots)
        if next_slot is None:
            break
        seen.append(next_slot)
        intent, text = replies[next_slot]
        events, _ = validate(form, intent, text, {**slots, REQUESTED_SLOT: next_slot})
    assert seen == asked


# --- The eigen-bijdrage outcome ---------------------------------------------------------------


def test_eb_outcome_renders_the_verdict_and_clears_the_answers():
    slots = {**EB_SO_FAR, CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee", eigen_bijdrage.SKIPPED_MUNICIPALITY: True}
    events, messages = run(ActionEigenBijdrageUitslag(), slots)
    [reply] = answer(messages)
    tariff = FACTS.tariff(2026)
    assert f"€ {tariff.amount} per {tariff.period}" in reply["text"] and "Bron" in reply["text"]
    assert {event["name"] for event in events if event["value"] is None} == {
        *eigen_bijdrage.SLOTS,
        eigen_bijdrage.SKIPPED_MUNICIPALITY,
    }
    assert all(event["event"] == "slot" and event["value"] is None for event in events)
    assert "gemeente" not in {event["name"] for event in events}  # the municipality stays


def test_eb_outcome_with_a_lower_local_rate():
    amsterdam = overrides().get("GM0363")
    [year, *_] = amsterdam.contribution.years
    slots = {
        PROVISION: "huishoudelijke_hulp",
        YEAR: str(year),
        CHILD: "nee",
        PARTNER: "nee",
        ALREADY_PAYS: "nee",
        "gemeente": "Amsterdam",
    }
    [reply] = answer(run(ActionEigenBijdrageUitslag(), slots)[1])
    assert f"€ {FACTS.tariff(year).amount}" in reply["text"]
    assert "Amsterdam" in reply["text"] and all(
        f"- {group}" in reply["text"] for group in amsterdam.contribution.for_whom
    )
    [elsewhere] = answer(run(ActionEigenBijdrageUitslag(), {**slots, "gemeente": "Zwolle"})[1])
    assert "eigen regeling" not in elsewhere["text"]


def test_eb_outcome_pays_nothing():
    [reply] = answer(run(ActionEigenBijdrageUitslag(), {PROVISION: "rolstoel"})[1])
    assert "geen eigen bijdrage" in reply["text"] and "€" not in reply["text"]


def test_eb_outcome_without_a_year_uses_this_years_amount():
    slots = {PROVISION: "vervoer", CHILD: "nee", PARTNER: "nee", ALREADY_PAYS: "nee"}
    [reply] = answer(run(ActionEigenBijdrageUitslag(), slots)[1])
    assert f"In {TEST_DAY.year} betaalt u maximaal € {FACTS.tariff(TEST_DAY.year).amount}" in reply["text"]


def test_ask_year_offers_this_year_and_last_year():
    _, [asked] = run(ActionAskYear(), {})
    expected = [str(TEST_DAY.year), str(TEST_DAY.year - 1)]
    assert [button["title"] for button in asked["buttons"]] == expected
    assert [button["payload"] for button in asked["buttons"]] == expected


# --- Stop --------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", list(FLOWS))
def test_stop_ends_the_flow_and_offers_to_resume_it(form):
    events, [reply] = run(ActionStopFlow(), {REQUESTED_SLOT: "x"}, "stop", "stop", active_loop=form)
    assert ActiveLoop(None) in events and SlotSet(REQUESTED_SLOT, None) in events
    assert [button["payload"] for button in reply["buttons"]] == [f"/{FLOWS[form].trigger}"]
    assert reply["text"]


def test_stop_outside_a_flow_offers_nothing_to_resume():
    events, [reply] = run(ActionStopFlow(), {}, "stop", "stop")
    assert ActiveLoop(None) in events and reply["buttons"] == []


def test_stop_keeps_the_answers():
    events, _ = run(ActionStopFlow(), {PROVISION: "vervoer"}, "stop", "stop", active_loop="eigen_bijdrage_form")
    assert PROVISION not in filled(events)


# --- Pgb and cliëntondersteuning ---------------------------------------------------------------


def test_pgb_reads_the_three_answers():
    form = ValidatePgbForm()
    events, _ = validate(form, "nlu_fallback", "Hulp thuis of begeleiding", {REQUESTED_SLOT: "pgb_wet"})
    assert filled(events) == {"pgb_wet": "wmo"}
    events, _ = validate(form, "nlu_fallback", "kan ik niet", {REQUESTED_SLOT: "pgb_vaardig", "pgb_wet": "wmo"})
    assert filled(events) == {"pgb_vaardig": "nee"}
    events, _ = validate(
        form,
        "nlu_fallback",
        "mijn moeder",
        {REQUESTED_SLOT: "pgb_zorgverlener", "pgb_wet": "wmo", "pgb_vaardig": "nee"},
    )
    assert filled(events) == {"pgb_zorgverlener": "familie"}


def test_pgb_the_kind_of_care_in_the_first_message_is_kept():
    events, _ = validate(ValidatePgbForm(), "pgb_check", "een pgb voor de zorg van mijn kind", {})
    assert filled(events) == {"pgb_wet": "jeugdwet"}


@pytest.mark.parametrize(
    "text",
    [
        "ik wil een pgb voor mijn zoon",  # the son gets the care; he does not give it
        "kan ik een pgb krijgen voor mijn moeder",  # "kan ik" is not "I can do the pgb tasks"
        "ik wil een pgb voor hulp thuis",  # "hulp" is not "someone helps me with the pgb"
        "ik weet niet of een pgb bij mij past",  # not "I do not know a care provider yet"
    ],
)
def test_pgb_the_first_message_does_not_answer_the_personal_questions(text):
    """Whether the resident can do the pgb tasks, and who should give the care, are asked:
    a word in the message that started the check does not answer them."""
    events, _ = validate(ValidatePgbForm(), "pgb_check", text, {})
    assert "pgb_vaardig" not in filled(events) and "pgb_zorgverlener" not in filled(events)


@pytest.mark.parametrize(
    "form, slot, title, intent",
    [
        (ValidatePgbForm, "pgb_wet", "Jeugdhulp voor een kind", "jeugdhulp"),
        (ValidatePgbForm, "pgb_wet", "Zorg de hele dag (Wlz)", "wlz_indicatie"),
        (ValidatePgbForm, "pgb_vaardig", "Iemand helpt mij", "human_handover"),
        (ValidateClientondersteuningForm, "co_soort", "Ik krijg zorg uit de Wlz", "wlz_clientondersteuning"),
        (ValidateEigenBijdrageForm, PROVISION, "Hulpmiddel (scootmobiel of traplift)", "wmo_voorzieningen"),
    ],
)
def test_a_button_is_an_answer_whatever_intent_nlu_gives_its_title(form, slot, title, intent):
    """Option buttons send their title as text, so NLU classifies it; a title that looks like
    a topic must still count as the answer, not as a question in between."""
    expected = next(option.value for option in questions()[slot].options if option.title == title)
    slots = {REQUESTED_SLOT: slot, "gemeente": "Goeree-Overflakkee"}  # it lists organisations per group
    events, _ = validate(form(), intent, title, slots)
    assert filled(events).get(slot) == expected


@pytest.mark.parametrize("municipality, asked", [("Goeree-Overflakkee", True), ("Zwolle", False)])
def test_the_kind_of_question_is_asked_only_where_the_municipality_has_organisations_per_group(municipality, asked):
    tracker = make_tracker("inform_gemeente", slots={"gemeente": municipality})
    form = ValidateClientondersteuningForm()
    slots = asyncio.run(form.required_slots(["gemeente", "co_soort"], CollectingDispatcher(), tracker, DOMAIN))
    assert ("co_soort" in slots) == asked


def test_pgb_advice_with_the_municipality_and_the_buttons(directory):
    slots = {"pgb_wet": "wmo", "pgb_vaardig": "ja", "pgb_zorgverlener": "familie", "gemeente": "Zwolle"}
    events, sent = run(ActionPgbAdvies(), slots)
    messages = answer(sent)
    assert len(messages) == 3
    assert directory.by_code("GM0193").phone_display in messages[0]["text"]
    assert {button["payload"] for button in messages[-1]["buttons"]} == {"/pgb_familie", "/pgb_besteden"}
    assert all("\n\nBron" in message["text"] for message in messages)  # every message names its sources
    assert "Register van Overheidsorganisaties" in messages[0]["text"]  # the source of the phone number
    assert events == [SlotSet(slot, None) for slot in pgb.SLOTS]


def test_pgb_advice_names_the_zorgkantoor_for_wlz():
    zorgkantoor = load_zorgkantoren()["GM0153"]
    _, messages = run(ActionPgbAdvies(), {"pgb_wet": "wlz", "pgb_vaardig": "met_hulp", "gemeente": "Enschede"})
    assert zorgkantoor.name in messages[0]["text"]


def test_pgb_advice_without_a_municipality_offers_to_find_it():
    _, messages = run(ActionPgbAdvies(), {"pgb_wet": DONT_KNOW, "pgb_vaardig": DONT_KNOW})
    assert "/gemeente_contact" in {button["payload"] for button in answer(messages)[-1]["buttons"]}


@pytest.mark.parametrize("kind", ["beperking", DONT_KNOW, None])
def test_clientondersteuning_for_a_kind_of_question(kind):
    events, messages = run(ActionGiveClientondersteuning(), {"gemeente": "Westerwolde", "co_soort": kind})
    expected = "MEE Noord" if kind == "beperking" else "Stichting Welzijn Westerwolde"
    assert expected in messages[0]["text"]
    assert events == [SlotSet("co_soort", None)]


def test_clientondersteuning_without_a_municipality_sends_nothing():
    events, messages = run(ActionGiveClientondersteuning(), {"co_soort": "ouderen"})
    assert messages == [] and events == [SlotSet("co_soort", None)]


# --- A person and a callback request -------------------------------------------------------------


@pytest.fixture(autouse=True)
def callback_key(monkeypatch):
    """The key that seals the callback answers in their slots: never var/callback.key."""
    monkeypatch.setenv(CALLBACK_KEY.name, Fernet.generate_key().decode())


def callback_slots(**changes):
    """The slots of a completed callback form; the form keeps name, phone and question sealed."""
    return {
        REQUESTED_SLOT: None,
        "gemeente": "Zwolle",
        "callback_naam": seal("Jan de Vries"),
        "callback_telefoon": seal("06 1234 5678"),
        "callback_vraag": seal("Ik wil hulp bij het huishouden aanvragen."),
        "callback_toestemming": "ja",
        **changes,
    }


@pytest.mark.parametrize(
    "typed, reason",
    [("12345", "invalid"), ("bel me maar", "invalid"), ("0800 1234", "not_personal"), ("14 038", "not_personal")],
)
def test_callback_refuses_a_bad_phone_number(typed, reason):
    slots = {REQUESTED_SLOT: "callback_telefoon", "gemeente": "Zwolle", "callback_naam": "Jan"}
    events, replies = validate(ValidateCallbackForm(), "nlu_fallback", typed, slots)
    assert filled(events) == {"callback_telefoon": None} and requested(events) in ("callback_telefoon", NOT_SENT)
    assert replies == [message_templates()[f"callback_telefoon_{reason}"]]
    assert "telefoonnummer" in replies[0] or "nummer" in replies[0]


@pytest.mark.parametrize("typed", ["06 12345678", "0612345678", "bel me op 06-12345678"])
def test_callback_accepts_a_mobile_number(typed):
    slots = {REQUESTED_SLOT: "callback_telefoon", "gemeente": "Zwolle", "callback_naam": "Jan"}
    events, replies = validate(ValidateCallbackForm(), "nlu_fallback", typed, slots)
    assert set(filled(events)) == {"callback_telefoon"} and replies == []
    sealed = filled(events)["callback_telefoon"]
    assert "1234" not in sealed and unseal(sealed) == "06 1234 5678"  # never in clear text in the tracker


def test_callback_refuses_an_empty_name():
    events, replies = validate(
        ValidateCallbackForm(), "nlu_fallback", "!!!", {REQUESTED_SLOT: "callback_naam", "gemeente": "Zwolle"}
    )
    assert filled(events) == {"callback_naam": None} and replies == [message_templates()["callback_naam_invalid"]]


def test_callback_takes_the_consent_as_yes_or_no():
    slots = {k: v for k, v in callback_slots(callback_toestemming=None).items()}
    events, _ = validate(ValidateCallbackForm(), "affirm", "ja", {**slots, REQUESTED_SLOT: "callback_toestemming"})
    assert filled(events) == {"callback_toestemming": "ja"}


@pytest.mark.parametrize("asked", ["callback_naam", "callback_telefoon"])
def test_callback_stop_is_not_taken_as_an_answer(asked):
    """ "stop" must reach the stop rule; a form that fills the slot with it is not rejected."""
    slots = {
        REQUESTED_SLOT: asked,
        "gemeente": "Zwolle",
        "callback_naam": seal("Jan") if asked != "callback_naam" else None,
    }
    events, _ = validate(ValidateCallbackForm(), "stop", "stop", slots)
    assert asked not in filled(events)


def test_callback_back_only_says_it_goes_back():
    slots = {REQUESTED_SLOT: "callback_telefoon", "gemeente": "Zwolle", "callback_naam": seal("Jan")}
    events, replies = validate(ValidateCallbackForm(), "go_back", "terug", slots)
    assert filled(events) == {"callback_naam": None} and requested(events) == "callback_naam"
    assert replies == [message_templates()["terug_vorige_vraag"]]


PGB_QUESTION = "ik wil hulp bij het aanvragen van een pgb"
ASKED_FOR_THE_QUESTION = {
    REQUESTED_SLOT: "callback_vraag",
    "gemeente": "Zwolle",
    "callback_naam": "Jan",
    "callback_telefoon": "06",
}


@pytest.mark.parametrize("intent", ["pgb_aanvragen", "eigen_bijdrage_check", "stop"])
def test_a_topic_question_asked_for_the_callback_question_is_answered_first(intent):
    """Not taken as the question to pass on: the form is rejected, so that the rules answer it."""
    events, replies = validate(ValidateCallbackForm(), intent, PGB_QUESTION, ASKED_FOR_THE_QUESTION)
    assert filled(events) == {} and replies == []


@pytest.mark.parametrize("intent", ["human_handover", "english", "out_of_scope", "nlu_fallback"])
def test_other_replies_to_the_callback_question_are_passed_on(intent):
    """Wanting a person is what the form is for; English or off-topic text is the resident's question."""
    events, _ = validate(ValidateCallbackForm(), intent, "Can someone call me about my care?", ASKED_FOR_THE_QUESTION)
    assert unseal(filled(events)["callback_vraag"]) == "Can someone call me about my care?"


def test_a_question_answered_during_the_callback_question_is_kept_sealed():
    events, messages = run(
        ActionKeepCallbackQuestion(), ASKED_FOR_THE_QUESTION, "pgb_aanvragen", PGB_QUESTION, "callback_form"
    )
    [kept] = events
    assert (
        kept["name"] == OFFERED_QUESTION and PGB_QUESTION not in kept["value"] and unseal(kept["value"]) == PGB_QUESTION
    )
    assert messages == []


def test_a_question_answered_during_another_callback_question_is_not_kept():
    slots = {**ASKED_FOR_THE_QUESTION, REQUESTED_SLOT: "callback_naam"}
    assert run(ActionKeepCallbackQuestion(), slots, "pgb_aanvragen", PGB_QUESTION, "callback_form") == ([], [])


def test_the_callback_question_offers_to_pass_on_the_answered_question():
    _, [plain] = run(ASK_ACTIONS["callback_vraag"](), ASKED_FOR_THE_QUESTION)
    assert plain["text"] == questions()["callback_vraag"].text and plain["buttons"] == []
    _, [offer] = run(ASK_ACTIONS["callback_vraag"](), {**ASKED_FOR_THE_QUESTION, OFFERED_QUESTION: seal(PGB_QUESTION)})
    assert offer["text"] == message_templates()["callback_vraag_doorgeven"]
    assert [button["payload"] for button in offer["buttons"]] == ["/affirm", "/stop"]


def test_yes_passes_on_the_offered_question():
    offered = seal(PGB_QUESTION)
    events, replies = validate(
        ValidateCallbackForm(),
        "affirm",
        "Ja, geef deze vraag door",
        {**ASKED_FOR_THE_QUESTION, OFFERED_QUESTION: offered},
    )
    assert filled(events) == {"callback_vraag": offered, OFFERED_QUESTION: None} and replies == []


def test_another_question_typed_after_the_offer_is_passed_on_instead():
    slots = {**ASKED_FOR_THE_QUESTION, OFFERED_QUESTION: seal(PGB_QUESTION)}
    events, _ = validate(ValidateCallbackForm(), "nlu_fallback", "Kan ik een traplift krijgen?", slots)
    assert (
        unseal(filled(events)["callback_vraag"]) == "Kan ik een traplift krijgen?"
        and filled(events)[OFFERED_QUESTION] is None
    )


@pytest.fixture
def store(tmp_path, monkeypatch):
    made = CallbackStore(url=f"sqlite:///{tmp_path / 'callbacks.db'}", key=Fernet.generate_key())
    monkeypatch.setattr(callback_form, "callback_store", lambda: made)
    return made


CLEARED = [SlotSet(slot, None) for slot in CALLBACK_SLOTS]


def test_submit_callback_with_consent_stores_it(store):
    events, [reply] = run(ActionSubmitCallback(), callback_slots())
    [stored] = store.list()
    assert (stored.municipality_code, stored.name, stored.phone) == ("GM0193", "Jan de Vries", "06 1234 5678")
    assert stored.question == "Ik wil hulp bij het huishouden aanvragen."
    assert "Zwolle" in stored.consent_text and "30 dagen" in stored.consent_text
    assert stored.reference in reply["text"]
    assert events == CLEARED


@pytest.mark.parametrize("consent", ["nee", DONT_KNOW, None])
def test_submit_callback_without_consent_stores_nothing(store, directory, consent):
    events, [reply] = run(ActionSubmitCallback(), callback_slots(callback_toestemming=consent))
    assert store.list() == []
    assert directory.by_code("GM0193").phone_display in reply["text"] and reply["custom"]["cbs_code"] == "GM0193"
    assert events == CLEARED


def test_submit_callback_that_fails_gives_the_phone_number(store, directory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(store, "add", broken)
    events, [reply] = run(ActionSubmitCallback(), callback_slots())
    assert directory.by_code("GM0193").phone_display in reply["text"]
    assert events == CLEARED


def test_submit_callback_without_a_municipality_clears_the_slots(store):
    events, messages = run(ActionSubmitCallback(), callback_slots(gemeente=None))
    assert store.list() == [] and events == CLEARED


def offer(slot_value):
    events, messages = run(ActionOfferHuman(), {"gemeente": slot_value})
    assert events == []
    return messages


def _callback_buttons(messages):
    return [button["payload"] for message in messages for button in message.get("buttons") or []]


def test_offer_human_names_the_wmo_loket_of_a_municipality_that_gave_one():
    haarlemmermeer = overrides().get("GM0394")
    number = haarlemmermeer.wmo_desk.phone.display
    person, callback = offer("Haarlemmermeer")
    assert number in person["text"] and "Wmo-loket" in person["text"]
    assert person["custom"]["cbs_code"] == "GM0394"
    assert "/callback_request" in _callback_buttons([callback]) and "Haarlemmermeer" in callback["text"]


def test_offer_human_adds_the_opening_hours():
    diemen = overrides().get("GM0384").wmo_desk
    person, _ = offer("Diemen")
    assert diemen.phone.display in person["text"] and diemen.opening_hours in person["text"]


@pytest.mark.parametrize(
    "name, code", [("Zwolle", "GM0193"), ("Oostzaan", "GM0431")]
)  # no override; a desk without a phone
def test_offer_human_gives_the_general_number_otherwise(directory, name, code):
    person, callback = offer(name)
    assert directory.by_code(code).phone_display in person["text"]
    assert _callback_buttons([callback]) == ["/callback_request", "/deny"]


# --- The two-stage fallback ------------------------------------------------------------------------


LABELS = labels()


def ask_what_you_mean(ranking, selected=(), text="iets onduidelijks"):
    tracker = make_tracker("nlu_fallback", text)
    tracker.latest_message["intent_ranking"] = ranking
    entries_ranked = [{"intent_response_key": f"kennis/{entry}", "confidence": 0.05} for entry in selected]
    tracker.latest_message["response_selector"] = {"kennis": {"ranking": entries_ranked}}
    dispatcher = CollectingDispatcher()
    events = ActionAskWhatYouMean().run(dispatcher, tracker, DOMAIN)
    [reply] = dispatcher.messages
    return events, reply


def test_not_understood_but_about_another_organisations_subject_sends_the_resident_there():
    tracker = make_tracker("nlu_fallback", "mijn zorgtoeslag is stopgezet wat nu")
    dispatcher = CollectingDispatcher()
    assert ActionAskWhatYouMean().run(dispatcher, tracker, DOMAIN) == []
    [reply] = dispatcher.messages
    assert reply["text"].startswith("Daarvoor kunt u terecht bij Dienst Toeslagen") and not reply.get("buttons")


def test_ask_what_you_mean_offers_the_likely_questions_and_something_else():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.5},
        {"name": "pgb_wat", "confidence": 0.2},
        {"name": "greet", "confidence": 0.15},  # no label: not a question to offer
        {"name": "pgb_aanvragen", "confidence": 0.1},
        {"name": "eigen_bijdrage_wat", "confidence": 0.01},  # too unlikely
    ]
    events, reply = ask_what_you_mean(ranking)
    assert events == []
    assert reply["buttons"] == [
        {"title": LABELS["pgb_wat"], "payload": "/pgb_wat"},
        {"title": LABELS["pgb_aanvragen"], "payload": "/pgb_aanvragen"},
        {"title": "Iets anders", "payload": "/out_of_scope"},
    ]
    assert reply["text"]


def test_ask_what_you_mean_offers_the_likeliest_knowledge_base_entries_in_the_place_of_the_knowledge_base():
    first, second, third = list(entries())[:3]
    ranking = [{"name": "pgb_wat", "confidence": 0.3}, {"name": "kennis", "confidence": 0.2}]
    _, reply = ask_what_you_mean(ranking, selected=(first, second, third))
    assert [button["title"] for button in reply["buttons"]] == [
        LABELS["pgb_wat"],
        entries()[first].title(),
        entries()[second].title(),
        "Iets anders",
    ]
    assert reply["buttons"][1]["payload"] == f'/kennis{{"kennis_vraag": "{first}"}}'


def test_ask_what_you_mean_asks_in_english_when_the_resident_writes_english():
    _, reply = ask_what_you_mean([{"name": "pgb_wat", "confidence": 0.3}], text="what is the thing I need")
    assert reply["text"] == "I am not sure what you mean. Do you mean one of these questions?"
    assert [button["title"] for button in reply["buttons"]] == [labels("en")["pgb_wat"], "Something else"]


def test_ask_what_you_mean_offers_at_most_three():
    ranking = [{"name": name, "confidence": 0.2} for name in ("pgb_wat", "pgb_aanvragen", "wmo_bezwaar", "mantelzorg")]
    _, reply = ask_what_you_mean(ranking)
    assert [button["payload"] for button in reply["buttons"]] == [
        "/pgb_wat",
        "/pgb_aanvragen",
        "/wmo_bezwaar",
        "/out_of_scope",
    ]


def test_every_label_is_a_domain_intent():
    for language in ("nl", "en"):
        assert set(labels(language)) - set(DOMAIN["intents"]) == set()
        assert all(isinstance(title, str) and 0 < len(title) <= 40 for title in labels(language).values())
    assert set(labels("en")) == set(LABELS)


def test_offer_a_person_reverts_the_utterance():
    events, [reply] = run(ActionOfferAPerson(), {}, "nlu_fallback", "asdf")
    assert events == [UserUtteranceReverted()]
    assert [button["payload"] for button in reply["buttons"]] == ["/human_handover", "/callback_request"]


# --- The domain, the questions and the messages -------------------------------------------------


def implemented_actions() -> set:
    """The action names the action server registers (as `rasa run actions` does)."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def test_every_question_has_an_ask_action_in_the_domain():
    assert {f"action_ask_{slot}" for slot in questions()} <= set(DOMAIN["actions"])
    assert {cls().name() for cls in ASK_ACTIONS.values()} == {f"action_ask_{slot}" for slot in questions()}


def test_every_question_slot_is_in_the_domain_and_a_form():
    required = {slot for form in DOMAIN["forms"].values() for slot in form["required_slots"]}
    assert set(questions()) <= set(DOMAIN["slots"]) and set(questions()) <= required


def test_every_domain_action_is_implemented_and_every_action_is_in_the_domain():
    assert implemented_actions() == set(DOMAIN["actions"])


@pytest.mark.parametrize("slot", list(questions()))
def test_every_question_can_be_asked(slot):
    _, [asked] = run(ASK_ACTIONS[slot](), {"gemeente": "Zwolle"})
    assert asked["text"] and "{" not in asked["text"]
    if questions()[slot].yes_no:
        assert [button["payload"] for button in asked["buttons"]] == ["/affirm", "/deny", "/dont_know"]
    elif questions()[slot].options:
        assert [button["payload"] for button in asked["buttons"]] == [
            option.title for option in questions()[slot].options
        ]


def test_the_consent_question_names_the_municipality_and_the_retention():
    _, [asked] = run(ASK_ACTIONS["callback_toestemming"](), {"gemeente": "Zwolle"})
    assert "Zwolle" in asked["text"] and "30 dagen" in asked["text"]
    assert asked["text"] == consent_text("Zwolle")


def test_the_municipality_question_of_the_eigen_bijdrage_check_can_be_skipped():
    _, [asked] = run(ActionAskGemeenteForEigenBijdrage(), {})
    assert [button["payload"] for button in asked["buttons"]] == ["/dont_know"]
    _, [plain] = run(ActionAskGemeente(), {})
    assert plain["buttons"] == [] and plain["text"] != asked["text"]


# Keys made at run time, with every value they can take.
DYNAMIC_KEYS = {
    'f"eb_uitslag_niets_{result.reason}"': [
        f"eb_uitslag_niets_{reason}" for reason in [p.value for p in FREE_PROVISIONS] + [q.value for q in Question]
    ],
    'f"pgb_advies_waar_{law}"': [f"pgb_advies_waar_{option.value}" for option in questions()["pgb_wet"].options]
    + [f"pgb_advies_waar_{DONT_KNOW}"],
    'f"pgb_advies_vaardig_{capable}"': [
        f"pgb_advies_vaardig_{option.value}" for option in questions()["pgb_vaardig"].options
    ]
    + [f"pgb_advies_vaardig_{DONT_KNOW}"],
    'f"pgb_advies_betaling_{payment_key}"': [f"pgb_advies_betaling_{key}" for key in ("svb", "zvw", DONT_KNOW)],
    'f"co_tip_{audience}"': [
        f"co_tip_{option.value}" for option in questions()["co_soort"].options if option.value != "wlz"
    ],
    'f"{slot}_{problem.reason}"': [],  # the callback reasons: test_every_callback_refusal_has_a_message
    "self.question": [ActionAskGemeente.question, ActionAskGemeenteForEigenBijdrage.question],
    "OPEN_QUESTION_MESSAGES": list(eigen_bijdrage.OPEN_QUESTION_MESSAGES.values()),
    "heading": ["contact_algemeen_kop", "contact_gemeente_kop"],
    'f"invoer_{refusal.value}"': [f"invoer_{refusal.value}" for refusal in Refusal],
}
SOURCES = sorted([*PROJECT_ROOT.glob("actions/*.py"), *PROJECT_ROOT.glob("assistant/**/*.py")])


def message_keys_in_code() -> Tuple[set, set]:
    literal, dynamic = set(), set()
    for path in SOURCES:
        for match in re.finditer(r"""\bmessage\(\s*(f?["'][^"']*["']|[\w.]+)""", path.read_text(encoding="utf-8")):
            argument = match.group(1)
            if argument[0] in "\"'":
                literal.add(argument[1:-1])
            elif argument.startswith("f"):
                dynamic.add(argument.replace("'", '"'))
            else:
                dynamic.add(argument)
    return literal, dynamic


def test_every_message_the_code_uses_exists():
    literal, dynamic = message_keys_in_code()
    assert literal, "no message keys found: the pattern no longer fits the code"
    assert dynamic - {"key"} <= set(DYNAMIC_KEYS), "a new computed message key: add it to DYNAMIC_KEYS"
    keys = literal | {key for values in DYNAMIC_KEYS.values() for key in values}
    assert keys - set(message_templates()) == set()


def _raised_reasons() -> Dict[str, set]:
    """Per function of assistant/helpdesk/callbacks.py: the InvalidCallbackRequest reasons it can raise,
    also through the module's functions it calls."""
    tree = ast.parse(Path(callbacks.__file__).read_text(encoding="utf-8"))
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    direct, calls = {}, {}
    for name, node in functions.items():
        direct[name], calls[name] = set(), set()
        for call in (item for item in ast.walk(node) if isinstance(item, ast.Call) and isinstance(item.func, ast.Name)):
            if call.func.id == "InvalidCallbackRequest":
                reason = call.args[1]
                assert isinstance(reason, ast.Constant), f"{name}: a reason that is not a literal"
                direct[name].add(reason.value)
            elif call.func.id in functions:
                calls[name].add(call.func.id)

    def reasons(name, seen=()):
        return direct[name].union(*(reasons(called, seen + (name,)) for called in calls[name] if called not in seen))

    return {name: reasons(name) for name in functions}


def test_every_callback_refusal_has_a_message():
    reasons = _raised_reasons()
    cleaners = {"callback_naam": "clean_name", "callback_telefoon": "clean_phone", "callback_vraag": "clean_question"}
    for slot, cleaner in cleaners.items():
        assert reasons[cleaner], cleaner
        assert getattr(callback_form, cleaner) is getattr(callbacks, cleaner)
        for reason in reasons[cleaner]:
            assert f"{slot}_{reason}" in message_templates(), f"{cleaner} can refuse with {reason!r}"


@pytest.mark.parametrize("confidence, interrupts", [(0.63, False), (0.79, False), (0.8, True), (0.98, True)])
def test_a_small_talk_intent_interrupts_the_question_only_when_the_classifier_is_sure(confidence, interrupts):
    """A typo like "Bnk" came out as thanks (0.63) in a trained model: it is an answer to
    the municipality question then, so that the resident hears "ken ik niet"."""
    tracker = make_tracker("thanks", "Bnk", slots={REQUESTED_SLOT: "gemeente"}, active_loop="gemeente_form")
    tracker.latest_message["intent"]["confidence"] = confidence
    extracted = ValidateGemeenteForm().extract_gemeente(CollectingDispatcher(), tracker, DOMAIN)
    assert extracted == ({} if interrupts else {"gemeente": "Bnk"})


# --- A flow started again while it runs ----------------------------------------------------------


@pytest.mark.parametrize("form", sorted(FLOWS))
def test_starting_the_running_flow_again_asks_its_question_again(form):
    """Without an event, Rasa rejects the form and the rules loop into the circuit breaker."""
    validators = [
        ValidateGemeenteForm,
        ValidateHandoverForm,
        ValidateChatForm,
        ValidateCallbackForm,
        ValidateClientondersteuningForm,
        ValidateEigenBijdrageForm,
        ValidatePgbForm,
    ]
    validator = next(validator() for validator in validators if validator().form_name() == form)
    requested = {"eigen_bijdrage_form": PROVISION, "pgb_form": "pgb_wet"}.get(
        form, "gemeente"
    )  # each flow's first question
    trigger = FLOWS[form].trigger
    events, replies = validate(validator, trigger, f"/{trigger}", {REQUESTED_SLOT: requested})
    assert filled(events) == {requested: None}
    assert replies == [message_templates()["flow_al_bezig"]]
