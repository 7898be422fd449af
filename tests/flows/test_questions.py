"""Reading a resident's reply to a question of a guided flow (assistant/flows/questions.py)."""

import pytest

from assistant.flows.questions import DONT_KNOW, questions, read_answer

YES_NO_SLOTS = ["eb_voor_kind", "eb_partner", "eb_onder_aow", "eb_betaalt_al", "callback_toestemming"]


def answer(slot, text, intent=None):
    return read_answer(questions()[slot], intent, text)


# --- Yes/no questions ---------------------------------------------------------------------


@pytest.mark.parametrize("slot", YES_NO_SLOTS)
@pytest.mark.parametrize("intent, expected", [("affirm", "ja"), ("deny", "nee"), ("dont_know", DONT_KNOW)])
def test_yes_no_by_intent(slot, intent, expected):
    assert answer(slot, "", intent) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ja", "ja"),
        ("Ja!", "ja"),
        ("ja, dat klopt", "ja"),
        ("klopt", "ja"),
        ("Jazeker", "ja"),
        ("nee", "nee"),
        ("Nee hoor", "nee"),
        ("neen", "nee"),
        ("weet ik niet", DONT_KNOW),
        ("Weet ik het niet", DONT_KNOW),
        ("geen idee", DONT_KNOW),
        ("nee, geen idee eigenlijk", DONT_KNOW),  # "weet ik niet" wins over the first word
    ],
)
def test_yes_no_by_typed_words(text, expected):
    assert answer("eb_partner", text, intent="inform_gemeente") == expected
    assert answer("eb_partner", text) == expected


@pytest.mark.parametrize("text", ["", "misschien", "banaan", "ik woon alleen met mijn kat", "jaar"])
def test_yes_no_unreadable_is_none(text):
    assert answer("eb_partner", text) is None


def test_yes_no_question_has_the_three_buttons():
    assert [(option.value, option.title) for option in questions()["eb_partner"].buttons()] == [
        ("ja", "Ja"),
        ("nee", "Nee"),
        (DONT_KNOW, "Weet ik niet"),
    ]


# --- Questions with options ---------------------------------------------------------------


@pytest.mark.parametrize("slot", [slot for slot, question in questions().items() if question.options])
def test_every_button_title_reads_as_its_own_value(slot):
    question = questions()[slot]
    for option in question.options:
        assert read_answer(question, None, option.title) == option.value, option.title
        assert read_answer(question, None, f"  {option.title.upper()} ") == option.value, option.title


@pytest.mark.parametrize(
    "slot, text, expected",
    [
        ("pgb_vaardig", "kan ik niet", "nee"),  # "kan ik niet" is longer than "kan ik"
        ("pgb_vaardig", "dat kan ik", "ja"),
        ("pgb_vaardig", "dat lukt me niet", "nee"),
        ("pgb_vaardig", "mijn dochter helpt mij", "met_hulp"),
        ("co_soort", "mijn moeder wordt vergeetachtig", "ouderen"),
        ("co_soort", "ik heb een depressie", "ggz"),
        ("co_soort", "ik heb schulden", "werk_en_inkomen"),
        ("eb_voorziening", "iemand om schoon te maken", "huishoudelijke_hulp"),
        ("eb_voorziening", "een scootmobiel", "hulpmiddel"),
        ("eb_voorziening", "een rolstoel", "rolstoel"),
        ("pgb_wet", "verzorging thuis door de wijkverpleegkundige", "zvw"),
        ("pgb_wet", "zorg de hele dag", "wlz"),
        ("pgb_zorgverlener", "mijn buurvrouw", "familie"),
        ("pgb_zorgverlener", "een thuiszorgorganisatie", "zorgverlener"),
    ],
)
def test_options_by_words(slot, text, expected):
    assert answer(slot, text) == expected


def test_a_tie_between_equally_long_words_is_no_answer():
    # "kind" (jeugd) and "werk" (werk en inkomen) are both four letters long.
    assert answer("co_soort", "mijn kind zoekt werk") is None


@pytest.mark.parametrize("slot", ["eb_voorziening", "pgb_wet", "pgb_vaardig", "pgb_zorgverlener", "co_soort"])
@pytest.mark.parametrize("text", ["", "   ", "blabla", "12345"])
def test_options_unreadable_is_none(slot, text):
    assert answer(slot, text) is None


@pytest.mark.parametrize("slot", ["eb_voorziening", "pgb_wet", "pgb_vaardig", "co_soort"])
def test_dont_know_is_allowed_for_every_question(slot):
    assert answer(slot, "weet ik niet") == DONT_KNOW
    assert answer(slot, "", intent="dont_know") == DONT_KNOW


def test_yes_no_intents_answer_an_option_question_only_when_it_has_that_option():
    assert answer("pgb_vaardig", "", intent="affirm") == "ja"
    assert answer("pgb_vaardig", "", intent="deny") == "nee"
    assert answer("eb_voorziening", "", intent="affirm") is None  # no option "ja"


def test_the_option_values_are_unique_and_the_yes_no_questions_are_the_expected_ones():
    for slot, question in questions().items():
        values = [option.value for option in question.options]
        assert len(values) == len(set(values)), slot
        assert DONT_KNOW not in values, slot  # "weet_niet" is always allowed, never an option
    assert sorted(slot for slot, question in questions().items() if question.yes_no) == sorted(YES_NO_SLOTS)
