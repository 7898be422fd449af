"""The local data form as a view of a document in the override files' format: every committed
seed file survives the trip through the form, the parser's first problem is named by the
form's field, empty and removed blocks are left out, and the history compares field by field."""

from datetime import date

import pytest

from assistant.content.answers import topics
from assistant.staff.override_form import (
    as_text,
    changes,
    check,
    document_from_form,
    form_values,
    organisation_count,
    read_document,
)
from municipalities.overrides import OVERRIDES_DIR, parse_override

TODAY = date(2026, 12, 5)


def sent(form: dict):
    """What Sanic's request.form.getlist gives the form module: every value of a field."""
    return lambda name: [form[name]] if isinstance(form.get(name), str) else list(form.get(name, []))


def filled(values: dict, blocks: int) -> dict:
    """The form as a browser sends it back unchanged: the values of form_values plus the
    block count, checkboxes as lists."""
    return {**values, "organisaties": str(blocks)}


@pytest.mark.parametrize("path", sorted(OVERRIDES_DIR.glob("*.yml")), ids=lambda path: path.stem)
def test_every_seed_file_goes_through_the_form_unchanged(path, rules):
    document = read_document(path.read_text(encoding="utf-8"))
    form = filled(form_values(document), organisation_count(document) + 1)
    again = document_from_form(sent(form), path.stem, TODAY, topics())
    override, problem = check(again, rules)
    assert problem is None
    seed = parse_override(path, rules)
    assert override == type(seed)(**{**seed.__dict__, "checked": TODAY})


def test_empty_and_removed_organisations_are_left_out(rules):
    form = {
        "bron": "https://www.zwolle.nl/wmo",
        "organisaties": "3",
        "clientondersteuning.1.naam": "MEE",
        "clientondersteuning.1.voor": ["ouderen", "ggz"],
        "clientondersteuning.2.naam": "Weg ermee",
        "clientondersteuning.2.verwijderen": "1",
        "clientondersteuning.3.naam": "",
    }
    document = document_from_form(sent(form), "GM0193", TODAY, topics())
    assert document["clientondersteuning"] == [{"naam": "MEE", "voor": ["ouderen", "ggz"]}]
    assert "wmo_loket" not in document and "eigen_bijdrage" not in document and "antwoorden" not in document
    override, problem = check(document, rules)
    assert problem is None and override.checked == TODAY and override.support[0].audiences == ("ouderen", "ggz")


@pytest.mark.parametrize(
    "form, field, label, problem",
    [
        ({"wmo_loket.telefoon": "12"}, "wmo_loket.telefoon", "Wmo-loket, telefoon", "geen geldig Nederlands"),
        ({"wmo_loket.openingstijden": "altijd"}, "wmo_loket", "Wmo-loket", "geef minstens een telefoonnummer"),
        (
            {
                "organisaties": "2",
                "clientondersteuning.2.naam": "MEE",
                "clientondersteuning.2.website": "http://mee.nl",
            },
            "clientondersteuning.1.website",
            "Cliëntondersteuning 1, website",
            "het moet beginnen met https://",
        ),
        ({"bron_datum": "5 december"}, "bron_datum", "Datum van de bron", "schrijf de datum als jaar-maand-dag"),
        (
            {"eigen_bijdrage.jaar": ["2026"], "eigen_bijdrage.bedrag_per_maand": "25,00"},
            "eigen_bijdrage.bedrag_per_maand",
            "Lagere eigen bijdrage, bedrag per maand",
            "niet lager dan het landelijke maximum",
        ),
        ({"chat.dinsdag": "9-17"}, "chat.dinsdag", "Chatten met een medewerker, dinsdag", "'9-17' zijn geen tijden"),
        (
            {"chat.maandag": "09:00-17:00", "chat.wachten_minuten": "60"},
            "chat.wachten_minuten",
            "Chatten met een medewerker, hoogstens wachten (minuten)",
            "van 1 tot en met 30",
        ),
        (
            {"nieuw_antwoord.onderwerp": "pgb_wat", "nieuw_antwoord.tekst": "x" * 1501},
            "antwoorden.pgb_wat",
            "Eigen tekst, Wat is een pgb?",
            "te lang",
        ),
    ],
)
def test_the_first_problem_is_named_by_the_forms_field(rules, form, field, label, problem):
    document = document_from_form(sent({"bron": "https://www.zwolle.nl/wmo", **form}), "GM0193", TODAY, topics())
    override, found = check(document, rules)
    assert override is None and found.field == field and problem in found.problem
    assert found.label == label


def test_without_a_source_nothing_can_be_saved(rules):
    document = document_from_form(sent({"wmo_loket.telefoon": "14 038"}), "GM0193", TODAY, topics())
    assert check(document, rules)[1].field == "bron" and "verplicht" in check(document, rules)[1].problem


def test_a_local_answer_text_is_added_kept_and_removed_by_emptying_it(rules):
    form = {
        "bron": "https://www.zwolle.nl/wmo",
        "nieuw_antwoord.onderwerp": "pgb_wat",
        "nieuw_antwoord.tekst": "Bel ons.",
    }
    document = document_from_form(sent(form), "GM0193", TODAY, topics())
    assert document["antwoorden"] == {"pgb_wat": "Bel ons."}
    kept = document_from_form(sent(filled(form_values(document), 1)), "GM0193", TODAY, topics())
    assert kept["antwoorden"] == {"pgb_wat": "Bel ons."}
    emptied = document_from_form(sent({**form_values(document), "antwoorden.pgb_wat": ""}), "GM0193", TODAY, topics())
    assert "antwoorden" not in emptied


def test_chat_times_go_from_the_form_to_the_document_and_back(rules):
    form = {"bron": "https://www.zwolle.nl/wmo", "chat.maandag": "09:00-17:00", "chat.woensdag": "13:00-16:00"}
    document = document_from_form(sent({**form, "chat.wachten_minuten": "10"}), "GM0193", TODAY, topics())
    assert document["chat"] == {"maandag": "09:00-17:00", "woensdag": "13:00-16:00", "wachten_minuten": 10}
    assert check(document, rules)[0].chat.wait_minutes == 10
    assert form_values(document)["chat.woensdag"] == "13:00-16:00" and form_values(document)["chat.dinsdag"] == ""
    without_days = document_from_form(sent({"bron": form["bron"], "chat.wachten_minuten": "10"}), "GM0193", TODAY, [])
    assert "chat" not in without_days  # a wait alone is no chat


def test_the_saved_text_is_the_file_format(rules):
    form = {"bron": "https://www.zwolle.nl/wmo", "wmo_loket.telefoon": "038 498 91 11"}
    text = as_text(document_from_form(sent(form), "GM0193", TODAY, topics()))
    assert text.startswith("gemeente: GM0193\nbron: https://www.zwolle.nl/wmo\ngecontroleerd: 2026-12-05\n")
    assert "wmo_loket:\n  telefoon: 038 498 91 11\n" in text


def test_the_history_names_each_changed_field():
    before = {"bron": "https://a.nl", "wmo_loket": {"telefoon": "14 038"}, "clientondersteuning": [{"naam": "MEE"}]}
    after = {"bron": "https://a.nl", "wmo_loket": {"telefoon": "038 498 91 11"}, "antwoorden": {"pgb_wat": "Bel ons."}}
    found = [(change.label, change.before, change.after) for change in changes(before, after)]
    assert found == [
        ("Wmo-loket, telefoon", "14 038", "038 498 91 11"),
        ("Eigen tekst, Wat is een pgb?", "", "Bel ons."),
        ("Cliëntondersteuning 1, naam", "MEE", ""),
    ]
    assert changes(after, after) == []
