"""Phone numbers: every register number parses; display and tel: links follow Dutch usage."""

import pytest

from municipalities.importer import REGISTER_CSV, read_register
from municipalities.phone import parse_phone

REGISTER = read_register(REGISTER_CSV)


@pytest.mark.parametrize("row", REGISTER, ids=[row.cbs_code for row in REGISTER])
def test_every_register_number_parses_and_keeps_its_digits(row):
    number = parse_phone(row.phone)
    digits = "".join(character for character in row.phone if character.isdigit())
    assert number.digits in (digits, digits.removeprefix("0"))  # "(014) 030" is dialled as 14030
    assert number.tel_uri.startswith(("tel:+31", "tel:14", "tel:0800", "tel:0900"))
    assert parse_phone(number.display) == number  # the display form reads back the same


@pytest.mark.parametrize(
    "written, display, tel",
    [
        ("(014) 030", "14 030", "tel:14030"),
        ("14 038", "14 038", "tel:14038"),
        ("0140223", "14 0223", "tel:140223"),
        ("14 0592", "14 0592", "tel:140592"),
        ("(0900) 18 52", "0900 1852", "tel:09001852"),
        ("(0297) 38 75 75", "0297 38 75 75", "tel:+31297387575"),
        ("(073) 615 51 55", "073 615 51 55", "tel:+31736155155"),
        ("020-1234567", "020 123 45 67", "tel:+31201234567"),
        ("+31 20 123 45 67", "020 123 45 67", "tel:+31201234567"),
        ("0031 297 387575", "0297 38 75 75", "tel:+31297387575"),
        ("06-12345678", "06 1234 5678", "tel:+31612345678"),
        ("088 123 4567", "088 123 45 67", "tel:+31881234567"),
        ("0800-1925", "0800 1925", "tel:08001925"),
        ("0800 022 33 22", "0800 022 33 22", "tel:08000223322"),
    ],
)
def test_display_and_tel_link(written, display, tel):
    number = parse_phone(written)
    assert (number.display, number.tel_uri) == (display, tel)


@pytest.mark.parametrize(
    "written",
    ["", "020-12", "12345", "020 123 45 678", "0800", "+44 20 7946 0958", "bel 020 1234567", "0000000000", "14 12345"],
)
def test_what_is_not_a_dutch_phone_number_is_refused(written):
    with pytest.raises(ValueError):
        parse_phone(written)
