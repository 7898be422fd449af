"""The conversation book: built from the assistant's own files, complete, with a municipality's
own texts in its book, and a fingerprint per item that changes with its text."""

import dataclasses

import pytest
import yaml

from assistant.content.answers import message_templates
from assistant.content.knowledge import entries
from assistant.content.override_checks import override_store
from assistant.flows.dialogue import FLOWS, question_topics
from assistant.flows.questions import questions
from assistant.review.book import CONTACT_NOTE, build_book, message_group
from assistant.review.texts import place_for
from assistant.settings import DOMAIN_FILE

AMSTERDAM = "GM0363"


@pytest.fixture(scope="module")
def national():
    return build_book()


@pytest.fixture(scope="module")
def amsterdam(directory):
    return build_book(place_for(AMSTERDAM, directory, override_store(directory)))


def all_text(book) -> str:
    return "\n".join(
        [text.body for item in book.items() for text in item.texts]
        + [step.question for item in book.items() for step in item.steps]
    )


def test_every_message_belongs_to_an_item_of_the_book():
    assert [key for key in message_templates() if message_group(key) is None] == []


def test_every_answer_entry_flow_question_and_response_is_in_the_book(national):
    ids = {item.id for item in national.items()}
    assert {f"antwoord/{topic}" for topic in question_topics() if topic != "kennis"} <= ids
    assert {f"kennis/{entry}" for entry in entries()} <= ids
    assert {f"gesprek/{form}" for form in FLOWS} <= ids
    asked = {step.slot for item in national.items() for step in item.steps}
    assert set(questions()) - {"eb_gemeente_overgeslagen"} <= asked | {"gemeente"}
    labels = {text.label for item in national.items() for text in item.texts}
    responses = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    assert {f"Reactie {name}" for name in responses} <= labels


def test_the_national_book_shows_placeholders_and_no_municipality(national):
    text = all_text(national)
    assert national.municipality is None
    assert "de gemeente [uw gemeente]" in text and CONTACT_NOTE in text
    assert "Zo bereikt u de gemeente [uw gemeente]:\nTelefoon: " not in text  # no real contact data


def test_the_eigen_bijdrage_check_as_a_script_with_what_follows_each_button(national):
    flow = national.item("gesprek/eigen_bijdrage_form")
    first = flow.steps[0]
    assert first.question == questions()["eb_voorziening"].text
    follows = dict(first.options)
    assert follows["Huishoudelijke hulp"] == "vraag 2"
    wheelchair = follows["Rolstoel"]
    assert wheelchair.startswith("uitkomst ")
    outcome = next(text for text in flow.texts if text.label == f"Uitkomst {wheelchair.split()[-1]}")
    assert "rolstoel" in outcome.body and outcome.when == "Als vraag 1: Rolstoel" and outcome.sources


def test_a_municipalitys_book_has_its_own_texts_in_place(amsterdam, directory):
    assert amsterdam.municipality == "Amsterdam"
    store = override_store(directory).get(AMSTERDAM)
    text = all_text(amsterdam)
    assert "[uw gemeente]" not in text.split("Tekst")[0]
    assert store.wmo_desk.phone.display in text  # the Wmo-loket's number, where to call
    check = amsterdam.item("gesprek/eigen_bijdrage_form")
    assert any("De gemeente Amsterdam heeft een eigen regeling" in text.body for text in check.texts)


def test_an_items_fingerprint_changes_with_its_text_and_only_then(national):
    item = national.item("antwoord/pgb_wat")
    assert item.fingerprint == build_book().item("antwoord/pgb_wat").fingerprint
    first = dataclasses.replace(item.texts[0], body=item.texts[0].body + " Nieuw.")
    changed = dataclasses.replace(item, texts=(first,) + item.texts[1:])
    assert changed.fingerprint != item.fingerprint


def test_every_text_says_how_readable_it_is_in_dutch_only(national):
    item = national.item("antwoord/pgb_wat")
    dutch, english = item.texts[0], next(text for text in item.texts if text.language == "en")
    assert dutch.readability.words > 10 and english.readability is None


def test_the_version_names_the_model_and_the_content(national):
    assert len(national.version.model) == 12 and len(national.version.content) == 12
    assert str(national.version).startswith("model ")


def test_question_options_are_read_whole_from_the_yaml():
    """A comma in a flow mapping ({title: Ja, dat kan ik}) splits the title: the book found two."""
    titles = [option.title for question in questions().values() for option in question.options]
    assert "Ja, dat kan ik" in titles and "Werk, geld of schulden" in titles
