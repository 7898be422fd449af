"""Local data files: every committed file is valid, every problem is named (file, field,
what is wrong) in Dutch, a broken file never stops the others, and edits are picked up."""

import os
import re
from datetime import date, datetime, time

import pytest

from assistant.content.contact import checked_line
from assistant.content.override_checks import coverage_report
from municipalities.overrides import OVERRIDES_DIR, OverrideError, OverrideStore, load_overrides, parse_override
from tests.support.overrides import GOOD, write


def test_every_committed_file_is_valid(rules):
    overrides, errors = load_overrides(OVERRIDES_DIR, rules)
    assert [str(error) for error in errors] == []
    assert len(overrides) >= 10
    assert all(override.source.startswith("https://") for override in overrides.values())


def test_a_complete_file_is_read(tmp_path, rules):
    override = parse_override(write(tmp_path, "GM0193.yml", GOOD), rules)
    assert override.checked == date(2026, 11, 1)
    assert override.wmo_desk.phone.display == "038 498 91 11"
    assert [contact.name for contact in override.support] == ["MEE IJsseloevers"]
    assert override.support[0].phone.tel_uri == "tel:+31886338000" and override.support[0].audiences == (
        "beperking",
        "jeugd",
    )
    assert override.contribution.years == (2026,) and override.contribution.monthly_amount == "0,00"
    assert override.answers == {"clientondersteuning_aanvragen": "Bel het Wmo-loket."}
    assert override.chat.hours == {0: (time(9), time(17)), 4: (time(9), time(12, 30))}
    assert override.chat.wait_minutes == 4


@pytest.mark.parametrize(
    "moment, is_open",
    [
        (datetime(2026, 12, 7, 8, 59), False),  # a Monday
        (datetime(2026, 12, 7, 9, 0), True),
        (datetime(2026, 12, 7, 16, 59), True),
        (datetime(2026, 12, 7, 17, 0), False),
        (datetime(2026, 12, 8, 10, 0), False),  # Tuesday: no chat
        (datetime(2026, 12, 11, 12, 29), True),  # Friday
        (datetime(2026, 12, 11, 12, 30), False),
    ],
)
def test_the_chat_is_open_from_its_start_until_its_end(tmp_path, rules, moment, is_open):
    assert parse_override(write(tmp_path, "GM0193.yml", GOOD), rules).chat.is_open(moment) is is_open


def test_a_chat_until_24_00_is_open_until_the_end_of_the_day(tmp_path, rules):
    text = GOOD.replace("maandag: 09:00-17:00", "maandag: 00:00-24:00")
    chat = parse_override(write(tmp_path, "GM0193.yml", text), rules).chat
    assert chat.is_open(datetime(2026, 12, 7, 0, 0)) and chat.is_open(datetime(2026, 12, 7, 23, 59, 59))
    assert not chat.is_open(datetime(2026, 12, 8, 0, 0))


def test_a_chat_without_a_wait_waits_five_minutes(tmp_path, rules):
    text = GOOD.replace("  wachten_minuten: 4\n", "")
    assert parse_override(write(tmp_path, "GM0193.yml", text), rules).chat.wait_minutes == 5


def test_a_source_from_a_third_party_says_whose_it_is(tmp_path, rules):
    """A fact that only a news site or a blog supports is cited as 'volgens …' on the card."""
    text = GOOD.replace(
        "    voor: [beperking, jeugd]",
        "    voor: [beperking, jeugd]\n    bron: https://www.nieuws.example/mee\n"
        "    volgens: nieuwssite Voorbeeld (mei 2021)",
    ).replace(
        "  voor_wie: inwoners met een laag inkomen",
        "  voor_wie:\n    - inwoners met een laag inkomen\n    - inwoners met schulden",
    )
    override = parse_override(write(tmp_path, "GM0193.yml", text), rules)
    assert override.support[0].source_by == "nieuwssite Voorbeeld (mei 2021)"
    assert override.contribution.for_whom == ("inwoners met een laag inkomen", "inwoners met schulden")
    line = checked_line(override)
    assert "https://www.zwolle.nl/wmo; volgens nieuwssite Voorbeeld (mei 2021), https://www.nieuws.example/mee" in line


def test_no_committed_file_cites_a_third_party_page_without_saying_so(rules):
    """The municipality's own site, a national body or the organisation itself; otherwise 'volgens'."""
    overrides, _ = load_overrides(OVERRIDES_DIR, rules)
    third_party = ("blogspot", "amsterdamumc", "skipr", "flakkeenieuws", "westerwoldeactueel")
    for override in overrides.values():
        cited = [(override.source, override.source_by)] + [
            (contact.source, contact.source_by) for contact in override.support
        ]
        if override.contribution:
            cited.append((override.contribution.source, override.contribution.source_by))
        for url, by in cited:
            if url and any(name in url for name in third_party):
                assert by, f"{override.cbs_code}: {url} needs 'volgens'"
            assert not (url and "blogspot" in url), f"{override.cbs_code}: a blog is no source"


@pytest.mark.parametrize(
    "change, field, problem",
    [
        (("038 498 91 11", "038 49"), "wmo_loket.telefoon", "'038 49' is geen geldig Nederlands telefoonnummer"),
        (("gemeente: GM0193", "gemeente: GM9999"), "gemeente", "'GM9999' is geen bestaande CBS-code van een gemeente"),
        (("gemeente: GM0193", "gemeente: GM0363"), "gemeente", "'GM0363' past niet bij de bestandsnaam GM0193.yml"),
        (("clientondersteuning_aanvragen:", "wachttijden:"), "antwoorden.wachttijden", "onbekend veld"),
        (
            ("https://www.mee.example", "http://www.mee.example"),
            "clientondersteuning[1].website",
            "moet beginnen met https://",
        ),
        (("bron: https://www.zwolle.nl/wmo", "bron: www.zwolle.nl/wmo"), "bron", "moet beginnen met https://"),
        (("[beperking, jeugd]", "[beperking, dementie]"), "clientondersteuning[1].voor", "'dementie' ken ik niet"),
        (("wmo@zwolle.example", "wmo-at-zwolle"), "wmo_loket.email", "geen geldig e-mailadres"),
        (
            ('"0,00"', '"25,00"'),
            "eigen_bijdrage.bedrag_per_maand",
            "niet lager dan het landelijke maximum in 2026 (€ 21,80)",
        ),
        (('"0,00"', '"gratis"'), "eigen_bijdrage.bedrag_per_maand", "'gratis' is geen bedrag"),
        (("jaar: 2026", "jaar: 2031"), "eigen_bijdrage.jaar", "'2031' is geen jaar met een bekend landelijk bedrag"),
        (
            ("gecontroleerd: 2026-11-01", "gecontroleerd: gisteren"),
            "gecontroleerd",
            "schrijf de datum als jaar-maand-dag",
        ),
        (("gecontroleerd: 2026-11-01", "gecontroleerd: 2099-01-01"), "gecontroleerd", "ligt in de toekomst"),
        (
            ('  telefoon: "038 498 91 11"\n  email: wmo@zwolle.example\n', ""),
            "wmo_loket",
            "geef minstens een telefoonnummer",
        ),
        (("gemeente: GM0193\n", "gemeente: GM0193\nopeningstijden: altijd\n"), "openingstijden", "onbekend veld"),
        (("bron: https://www.zwolle.nl/wmo\n", ""), "bron", "dit veld is verplicht"),
        (
            ("    voor: [beperking, jeugd]", "    voor: [beperking, jeugd]\n    volgens: een nieuwssite"),
            "clientondersteuning[1].volgens",
            "'volgens' hoort bij een bron",
        ),
        (("  voor_wie: inwoners met een laag inkomen", "  voor_wie: []"), "eigen_bijdrage.voor_wie", "voor wie geldt"),
        (("maandag: 09:00-17:00", "maandag: 17:00-09:00"), "chat.maandag", "'17:00-09:00' zijn geen tijden"),
        (("maandag: 09:00-17:00", "maandag: 9 tot 5"), "chat.maandag", "schrijf bijvoorbeeld 09:00-17:00"),
        (("maandag: 09:00-17:00", "maandag: 09:00-25:00"), "chat.maandag", "zijn geen tijden"),
        (("maandag: 09:00-17:00", "maandg: 09:00-17:00"), "chat.maandg", "onbekend veld"),
        (("wachten_minuten: 4", "wachten_minuten: 90"), "chat.wachten_minuten", "van 1 tot en met 30"),
        (("wachten_minuten: 4", "wachten_minuten: vijf"), "chat.wachten_minuten", "een aantal minuten"),
        (('  maandag: 09:00-17:00\n  vrijdag: "9.00 - 12.30"\n', ""), "chat", "geef voor minstens één dag de tijden"),
    ],
)
def test_each_problem_names_the_file_the_field_and_what_is_wrong(tmp_path, rules, change, field, problem):
    old, new = change
    assert old in GOOD
    with pytest.raises(OverrideError) as raised:
        parse_override(write(tmp_path, "GM0193.yml", GOOD.replace(old, new)), rules)
    assert (raised.value.file, raised.value.field) == ("GM0193.yml", field)
    assert problem in raised.value.problem
    assert str(raised.value).startswith(f"GM0193.yml, veld {field}: ")


@pytest.mark.parametrize(
    "name, text, problem",
    [
        ("GM0193.yml", "gemeente: [unclosed\n", "geen geldige YAML (regel 2)"),
        ("zwolle.yml", GOOD, "de bestandsnaam moet de CBS-code zijn"),
        ("GM0193.yml", "- alleen een lijst\n", "hier hoort een lijstje velden"),
        ("GM0193.yml", "", "hier hoort een lijstje velden"),
    ],
)
def test_a_file_that_is_not_an_override_at_all(tmp_path, rules, name, text, problem):
    with pytest.raises(OverrideError, match=re.escape(problem)):
        parse_override(write(tmp_path, name, text), rules)


def test_a_broken_file_is_left_out_and_the_others_are_used(tmp_path, rules):
    write(tmp_path, "GM0193.yml", GOOD)
    write(
        tmp_path,
        "GM0363.yml",
        "gemeente: GM0363\nbron: https://x.example\ngecontroleerd: 2026-11-01\nwmo_loket:\n  telefoon: '12'\n",
    )
    overrides, errors = load_overrides(tmp_path, rules)
    assert list(overrides) == ["GM0193"]
    assert [str(error) for error in errors] == [
        "GM0363.yml, veld wmo_loket.telefoon: '12' is geen geldig Nederlands telefoonnummer "
        "(voorbeeld: 020 123 45 67 of 14 020)"
    ]


def test_the_store_reads_a_changed_file_again(tmp_path, rules):
    path = write(tmp_path, "GM0193.yml", GOOD)
    store = OverrideStore(tmp_path, rules)
    assert store.get("GM0193").wmo_desk.name == "Wmo-loket Zwolle"
    path.write_text(GOOD.replace("038 498 91 11", "nummer"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000))
    assert store.get("GM0193") is None and len(store.errors) == 1  # national data until it is fixed
    path.write_text(GOOD.replace("Wmo-loket Zwolle", "Loket Zorg"), encoding="utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 2_000_000))
    assert store.get("GM0193").wmo_desk.name == "Loket Zorg" and store.errors == []


def test_the_coverage_report_counts_what_municipalities_provided(tmp_path, rules, directory):
    write(tmp_path, "GM0193.yml", GOOD)
    write(tmp_path, "GM0363.yml", "gemeente: GM0363\n")
    report = coverage_report(directory, OverrideStore(tmp_path, rules))
    assert "het beheer): 2, waarvan 1 met fouten." in report
    assert "FOUT GM0363.yml, veld bron: dit veld is verplicht" in report
    assert "Zwolle (GM0193)" in report and "1 november 2026" in report
    assert "Wmo-loket:           1 van 342 gemeenten" in report
    assert "Cliëntondersteuning: 1 van 342 gemeenten" in report
