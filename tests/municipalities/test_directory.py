"""The municipal directory: reading the register export and the postcode file, importing them."""

import re
import sqlite3

import pytest

from municipalities.directory import Directory
from municipalities.importer import (
    REGISTER_CSV,
    RegisterError,
    ensure_imported,
    first_value,
    import_directory,
    parse_key_values,
    parse_register,
    place_names,
    read_postcodes,
    read_register,
    split_addresses,
)

REGISTER = read_register(REGISTER_CSV)


# --- Reading the register -------------------------------------------------------------


def test_register_lists_342_municipalities_with_unique_cbs_codes():
    codes = [row.cbs_code for row in REGISTER]
    assert len(codes) == 342
    assert len(set(codes)) == 342
    assert all(re.fullmatch(r"GM\d{4}", code) for code in codes), codes


def test_every_municipality_has_a_phone_number_and_a_website():
    assert [row.name for row in REGISTER if not row.phone] == []
    assert [row.name for row in REGISTER if not row.website] == []


def test_nearly_every_municipality_has_an_email_address():
    assert sum(1 for row in REGISTER if row.email) >= 330


# --- Importing ------------------------------------------------------------------------


def database_contents(path):
    """Every row of every table, without generated ids."""
    with sqlite3.connect(path) as connection:
        return {
            "municipalities": connection.execute("SELECT * FROM municipalities ORDER BY cbs_code").fetchall(),
            "addresses": connection.execute(
                "SELECT cbs_code, kind, street, house_number, po_box, postcode, city FROM addresses "
                "ORDER BY cbs_code, kind"
            ).fetchall(),
            "places": connection.execute("SELECT cbs_code, name FROM places ORDER BY cbs_code, name").fetchall(),
            "postcodes": connection.execute("SELECT * FROM postcodes ORDER BY pc4, cbs_code").fetchall(),
        }


def test_importing_twice_gives_the_same_database(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite:///{path}"

    summary = import_directory(url, read_register(REGISTER_CSV), read_postcodes())
    first = database_contents(path)
    assert import_directory(url, read_register(REGISTER_CSV), read_postcodes()) == summary
    second = database_contents(path)

    assert (summary.municipalities, summary.places, summary.postcodes, summary.postcodes_skipped) == (
        342,
        2501,
        4096,
        0,
    )
    assert {table: len(rows) for table, rows in second.items() if table != "addresses"} == {
        "municipalities": 342,
        "places": 2501,
        "postcodes": 4096,
    }
    assert len(second["addresses"]) >= 342
    assert second == first


def test_postcodes_of_a_municipality_the_register_no_longer_has_are_left_out(tmp_path):
    municipalities = [row for row in read_register(REGISTER_CSV) if row.cbs_code != "GM0363"]
    summary = import_directory(f"sqlite:///{tmp_path / 'd.db'}", municipalities, read_postcodes())
    amsterdam_pc4s = sum(1 for row in read_postcodes() if row.cbs_code == "GM0363")
    assert summary.postcodes_skipped == amsterdam_pc4s > 50


def test_a_database_without_postcodes_is_built_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    import_directory(url, read_register(REGISTER_CSV), [])  # as a version without postcodes left it
    ensure_imported(url, REGISTER_CSV)
    assert len(Directory.load(url).postcodes()) == 4074


def test_directory_loads_every_imported_municipality_and_postcode(directory):
    assert len(directory) == 342
    assert len(directory.postcodes()) == 4074
    assert [area.cbs_code for area in directory.postcode_areas("1011")] == ["GM0363"]
    assert directory.postcode_areas("1000") == []  # PO boxes only


def test_a_postcode_in_two_municipalities_lists_the_larger_share_first(directory):
    areas = directory.postcode_areas("5383")  # 's-Hertogenbosch 0.7, Bernheze 0.3
    assert [(area.cbs_code, area.share) for area in areas] == [("GM0796", 0.7), ("GM1721", 0.3)]


def test_every_municipality_has_its_places(directory):
    assert "Hoofddorp" in directory.by_code("GM0394").places
    assert sum(len(municipality.places) for municipality in directory.all()) == 2501
    assert [municipality.name for municipality in directory.all() if not municipality.places] == []


def test_place_names_are_split_and_kept_once():
    assert place_names("Aalsmeer, Kudelstaart, Aalsmeer, ") == ["Aalsmeer", "Kudelstaart"]


# --- A broken export is refused --------------------------------------------------------


@pytest.mark.parametrize(
    "text, problem",
    [
        ("<html><body>Niet gevonden</body></html>", "columns missing"),
        (REGISTER_CSV.read_text(encoding="utf-8")[:250_000], "unexpected end of data"),
        (REGISTER_CSV.read_text(encoding="utf-8").replace('"gm0363"', '"gm0014"'), "twice"),
    ],
    ids=["html", "cut-off", "duplicate-code"],
)
def test_a_broken_export_is_refused_with_the_reason(text, problem):
    with pytest.raises(RegisterError, match=problem):
        parse_register(text)


def test_an_export_with_a_byte_order_mark_is_read():
    assert len(parse_register("\ufeff" + REGISTER_CSV.read_text(encoding="utf-8"))) == 342


# --- Addresses ------------------------------------------------------------------------


def test_visiting_and_postal_address_of_aa_en_hunze(directory):
    aa_en_hunze = directory.by_code("GM1680")
    assert aa_en_hunze.visiting_address.lines() == ["Spiekersteeg 1", "9461 BH Gieten"]
    assert aa_en_hunze.postal_address.lines() == ["Postbus 93", "9460 AB Gieten"]


@pytest.mark.parametrize(
    "cbs_code, city",
    [
        ("GM0796", "'s-Hertogenbosch"),
        ("GM0518", "'s-Gravenhage"),
        ("GM0502", "Capelle aan den IJssel"),
        ("GM0484", "Alphen aan den Rijn"),
    ],
)
def test_address_city_keeps_its_dutch_spelling(directory, cbs_code, city):
    assert directory.by_code(cbs_code).visiting_address.city == city


def test_a_semicolon_inside_a_remark_does_not_split_an_address():
    cell = (
        "adresType: Bezoekadres, toelichting: ma-do 9-17 uur; vr 9-12 uur, openbareRuimte: Markt, "
        "huisnummer: 1, postcode: 1234 AB, woonplaats: DORP;"
        "adresType: Postadres, postbus: 5, postcode: 1230 AA, woonplaats: DORP"
    )
    visiting, postal = split_addresses(cell)
    assert visiting["toelichting"] == "ma-do 9-17 uur; vr 9-12 uur"
    assert visiting["openbareRuimte"] == "Markt" and visiting["postcode"] == "1234 AB"
    assert postal == {"adresType": "Postadres", "postbus": "5", "postcode": "1230 AA", "woonplaats": "DORP"}


def test_the_registers_remark_with_a_semicolon_stays_in_one_address():
    """Roerdalen's Woo address has opening hours 'ma-do ...; vr ...' in its remark."""
    [record] = [
        line for line in REGISTER_CSV.read_text(encoding="utf-8").splitlines() if '"Gemeente Roerdalen"' in line
    ]
    cell = next(field for field in record.split('";"') if field.startswith("adresType:"))
    entries = list(split_addresses(cell))
    assert all("adresType" in entry for entry in entries)
    assert any(entry.get("toelichting", "").endswith("; vr 9.00 uur - 12.00 uur") for entry in entries)


# --- Cell parsing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("adresType: Postadres, postbus: 93", {"adresType": "Postadres", "postbus": "93"}),
        ("  postcode: 9460 AB, woonplaats: GIETEN  ", {"postcode": "9460 AB", "woonplaats": "GIETEN"}),
        (
            "toelichting: ingang A, B en C, postcode: 1234 AB",
            {"toelichting": "ingang A, B en C", "postcode": "1234 AB"},
        ),
        ("toelichting: Openingstijden: ma-do", {"toelichting": "Openingstijden: ma-do"}),
        ("zonder sleutel", {}),
        ("", {}),
    ],
)
def test_parse_key_values(text, expected):
    assert parse_key_values(text) == expected


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("14 058, label: algemeen", "14 058"),
        ("(0297) 38 75 75", "(0297) 38 75 75"),
        ("info@aalsmeer.nl, label: algemeen;post@aalsmeer.nl, label: Omgevingsloket", "info@aalsmeer.nl"),
        (" ; https://www.aaenhunze.nl, label: algemeen", "https://www.aaenhunze.nl"),
        ("", None),
        (" ; ", None),
    ],
)
def test_the_first_value_of_a_register_cell_is_taken(cell, expected):
    assert first_value(cell) == expected
