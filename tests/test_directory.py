"""The municipal directory: reading the register export, importing it, and finding municipalities."""

import re
import sqlite3
import unicodedata

import pytest

from municipalities.directory import Directory
from municipalities.importer import (
    REGISTER_CSV,
    first_value,
    import_register,
    parse_key_values,
    read_register,
    split_addresses,
)

REGISTER = read_register()
MUNICIPALITY_IDS = [row.cbs_code for row in REGISTER]


def without_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


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
    """Every municipality and address row, without the addresses' generated ids."""
    with sqlite3.connect(path) as connection:
        municipalities = connection.execute("SELECT * FROM municipalities ORDER BY cbs_code").fetchall()
        addresses = connection.execute(
            "SELECT cbs_code, kind, street, house_number, po_box, postcode, city "
            "FROM addresses ORDER BY cbs_code, kind"
        ).fetchall()
    return municipalities, addresses


def test_importing_twice_gives_the_same_database(tmp_path):
    path = tmp_path / "directory.db"
    url = f"sqlite:///{path}"

    assert import_register(url, read_register()) == 342
    first = database_contents(path)
    assert import_register(url, read_register()) == 342
    second = database_contents(path)

    municipalities, addresses = second
    assert len(municipalities) == 342 and len(addresses) >= 342
    assert second == first


def test_directory_loads_every_imported_municipality(directory):
    assert len(directory) == 342


# --- Finding a municipality -----------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        lambda row: row.name,
        lambda row: row.short_name,
        lambda row: row.cbs_code,
        lambda row: row.name.lower(),
        lambda row: without_accents(row.name),
    ],
    ids=["name", "short_name", "cbs_code", "lower_case", "without_accents"],
)
@pytest.mark.parametrize("row", REGISTER, ids=MUNICIPALITY_IDS)
def test_every_municipality_is_found(directory, row, spelling):
    found = directory.find(spelling(row))
    assert found is not None and found.cbs_code == row.cbs_code, spelling(row)


@pytest.mark.parametrize(
    "typed, official",
    [
        ("Den Bosch", "'s-Hertogenbosch"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("Sudwest Fryslan", "Súdwest-Fryslân"),
        ("Súdwest-Fryslân", "Súdwest-Fryslân"),
        ("gemeente Utrecht", "Utrecht"),
        ("ik woon in Aa en Hunze", "Aa en Hunze"),
        ("Amsterdm", "Amsterdam"),
        ("zwole", "Zwolle"),
        ("Bergen NH", "Bergen (NH)"),
        ("Bergen (L)", "Bergen (L)"),
        ("Nuenen c.a.", "Nuenen, Gerwen en Nederwetten"),
    ],
)
def test_residents_spellings_are_found(directory, typed, official):
    found = directory.find(typed)
    assert found is not None and found.name == official


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "Bank",
        "asdf",
        "'; DROP TABLE municipalities; --",
        "x" * 10_240,
        "🏠🏠🏠",
        "<script>alert(1)</script>",
    ],
    ids=["empty", "bank", "asdf", "sql", "10kB", "emoji", "script"],
)
def test_text_that_names_no_municipality_gives_none(directory, typed):
    assert directory.find(typed) is None


@pytest.mark.parametrize(
    "typed",
    ["Mijn buren en ik wonen in Zwolle", "Het is best ver, maar ik woon in Zwolle"],
)
def test_a_common_word_does_not_outrank_the_municipality_named_in_the_text(directory, typed):
    assert directory.find(typed).name == "Zwolle"


# --- Addresses ------------------------------------------------------------------------


def test_visiting_and_postal_address_of_aa_en_hunze(directory):
    aa_en_hunze = directory.find("Aa en Hunze")
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
    [record] = [line for line in REGISTER_CSV.read_text(encoding="utf-8").splitlines() if '"Gemeente Roerdalen"' in line]
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
        ("toelichting: ingang A, B en C, postcode: 1234 AB", {"toelichting": "ingang A, B en C", "postcode": "1234 AB"}),
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
def test_first_value(cell, expected):
    assert first_value(cell) == expected
