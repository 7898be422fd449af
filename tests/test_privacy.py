"""Masking personal numbers and addresses in residents' texts."""

import pytest

from assistant.privacy import passes_eleven_test, protect_events, redact, redact_fields


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mijn bsn is 111222333", "mijn bsn is [BSN]"),
        ("mijn bsn is 111.222.333", "mijn bsn is [BSN]"),
        ("mijn bsn is 111 222 333", "mijn bsn is [BSN]"),
    ],
    ids=["plain", "dots", "spaces"],
)
def test_bsn_is_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, number",
    [
        ("bel me op 06-12345678", "12345678"),
        ("bel me op +31 6 12345678", "12345678"),
        ("bel me op 030 123 45 67", "123 45 67"),
        ("bel me op (073) 615 51 55", "615 51 55"),
    ],
    ids=["mobile", "international", "landline", "area-code-in-brackets"],
)
def test_phone_number_is_masked(text, number):
    redacted = redact(text)
    assert number not in redacted
    assert "[telefoonnummer]" in redacted and redacted.startswith("bel me op ")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("mijn postcode is 1011 AB", "mijn postcode is 1011 [..]"),
        ("1011AB", "1011 [..]"),
        ("ik woon op 1234 AB 12", "ik woon op 1234 [..] 12"),
        ("1011ab", "1011 [..]"),
        ('{"gemeente": "3511 AB Utrecht"}', '{"gemeente": "3511 [..] Utrecht"}'),
        ("in 2024 en 2025 betaal ik", "in 2024 en 2025 betaal ik"),
        ("postcode 1011", "postcode 1011"),
        ("ik woon op 3511 ab in utrecht", "ik woon op 3511 [..] in utrecht"),
        ("wat betaal ik in 2026 of 2027", "wat betaal ik in 2026 of 2027"),
    ],
)
def test_only_the_digits_of_a_postcode_are_kept(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ik woon op de Dorpsstraat 12, 1011 AB", "ik woon op de [adres], 1011 [..]"),
        ("Lange Nieuwstraat 112-2", "Lange [adres]"),
        ("kerkweg 3a in Ede", "[adres] in Ede"),
        ("Stationsplein 1", "[adres]"),
    ],
)
def test_a_street_with_a_house_number_is_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("geboren op 12 maart 1948", "geboren op [datum]"),
        ("geb. 12-3-1948", "geb. [datum]"),
        ("mijn vader (3 okt. 1939) woont alleen", "mijn vader ([datum]) woont alleen"),
        ("op 12 maart heb ik een gesprek", "op 12 maart heb ik een gesprek"),  # no year: not a birth date
    ],
)
def test_a_date_with_a_year_is_masked(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("address", ["jan.jansen@example.nl", "J.Jansen+wmo@mail.gemeente-x.nl"])
def test_email_address_is_masked(address):
    assert redact(f"mail naar {address} graag") == "mail naar [e-mail] graag"


@pytest.mark.parametrize("iban", ["NL91ABNA0417164300", "NL91 ABNA 0417 1643 00", "nl91 abna 0417 1643 00"])
def test_iban_is_masked(iban):
    assert redact(f"rekening {iban}.") == "rekening [IBAN]."


def test_other_long_number_is_masked():
    assert redact("klantnummer 123456789012") == "klantnummer [nummer]"


@pytest.mark.parametrize(
    "text",
    [
        "de eigen bijdrage in 2024 en 2025",
        "ik betaal € 21,80 per maand",
        "ik betaal € 1.234,56 per jaar",
        "bel 14 058 of 112",
        "Kan ik een pgb aanvragen voor mijn moeder?",
        "mijn moeder van 84 heeft dementie en 3 keer per week hulp nodig",
        "",
    ],
)
def test_ordinary_text_is_unchanged(text):
    assert redact(text) == text


@pytest.mark.parametrize("digits", ["111222333", "123456782", "999999990"])
def test_valid_bsn_passes_the_eleven_test(digits):
    assert passes_eleven_test(digits)


@pytest.mark.parametrize("digits", ["111222334", "123456789", "11122233", "1112223330", "0612345678"])
def test_invalid_bsn_fails_the_eleven_test(digits):
    assert not passes_eleven_test(digits)


def test_redact_fields_masks_only_text_and_value_strings_at_any_depth():
    data = {
        "event": "user",
        "text": "bsn 111222333",
        "sender": "06-12345678",
        "timestamp": 1700000000.123,
        "parse_data": {
            "text": "bsn 111222333",
            "entities": [{"entity": "gemeente", "value": "mail jan@example.nl", "start": 0}],
            "intent": {"name": "inform_gemeente", "confidence": 0.9},
        },
        "value": 123456789012,
        "metadata": {"note": "06-12345678", "value": None},
    }
    assert redact_fields(data) == {
        "event": "user",
        "text": "bsn [BSN]",
        "sender": "06-12345678",
        "timestamp": 1700000000.123,
        "parse_data": {
            "text": "bsn [BSN]",
            "entities": [{"entity": "gemeente", "value": "mail [e-mail]", "start": 0}],
            "intent": {"name": "inform_gemeente", "confidence": 0.9},
        },
        "value": 123456789012,
        "metadata": {"note": "06-12345678", "value": None},
    }


def test_redact_fields_does_not_change_its_input():
    data = {"text": "bsn 111222333", "items": [{"value": "06-12345678"}]}
    redact_fields(data)
    assert data == {"text": "bsn 111222333", "items": [{"value": "06-12345678"}]}


def slot(name: str, value) -> dict:
    return {"event": "slot", "name": name, "value": value, "timestamp": 1.0}


def message(text: str) -> dict:
    return {
        "event": "user",
        "text": text,
        "parse_data": {"text": text, "intent": {"name": "inform"}, "entities": [{"entity": "naam", "value": text}]},
    }


def test_the_callback_slots_values_are_hidden_the_consent_and_empty_slots_kept():
    events = [
        slot("callback_naam", "Jan de Vries"),
        slot("callback_telefoon", "06 1234 5678"),
        slot("callback_vraag", "Hulp?"),
        slot("callback_toestemming", True),
        slot("callback_naam", None),
        slot("gemeente", "Utrecht"),
    ]
    assert [event["value"] for event in protect_events(events, None)] == [
        "[verborgen]",
        "[verborgen]",
        "[verborgen]",
        True,
        None,
        "Utrecht",
    ]


@pytest.mark.parametrize("requested_slot", ["callback_naam", "callback_telefoon", "callback_vraag"])
def test_the_residents_answer_to_a_callback_question_is_hidden(requested_slot):
    (stored,) = protect_events([message("Jan de Vries")], requested_slot)

    assert (
        stored["text"] == stored["parse_data"]["text"] == stored["parse_data"]["entities"][0]["value"] == "[verborgen]"
    )
    assert (
        stored["parse_data"]["intent"] == {"name": "inform"} and stored["parse_data"]["entities"][0]["entity"] == "naam"
    )


@pytest.mark.parametrize("requested_slot", [None, "gemeente", "callback_toestemming"])
def test_other_answers_are_only_masked(requested_slot):
    (stored,) = protect_events([message("ja, bel 06-12345678")], requested_slot)
    assert stored["text"] == "ja, bel [telefoonnummer]"


def test_the_requested_slot_is_followed_through_the_events():
    events = [
        message("hallo"),
        slot("requested_slot", "callback_vraag"),
        message("Mijn vraag"),
        slot("requested_slot", "callback_toestemming"),
        message("ja"),
    ]
    assert [event["text"] for event in protect_events(events, None) if event["event"] == "user"] == [
        "hallo",
        "[verborgen]",
        "ja",
    ]


def test_a_value_repeated_in_another_text_of_the_same_events_is_hidden_as_whole_words():
    events = [
        {"event": "bot", "text": "Dank u, Jan de Vries. In januari belt Jan de Vriesland niet."},
        slot("callback_naam", "Jan de Vries"),  # a custom action's message comes before its SlotSet
        {"event": "bot", "text": "Wij bellen 06 1234 5678 of 0612345678."},
        slot("callback_telefoon", "06 1234 5678"),
    ]
    bot_texts = [event["text"] for event in protect_events(events, None) if event["event"] == "bot"]
    assert bot_texts == [
        "Dank u, [verborgen]. In januari belt Jan de Vriesland niet.",
        "Wij bellen [verborgen] of [telefoonnummer].",
    ]


def test_protect_events_does_not_change_its_input():
    events = [slot("callback_naam", "Jan"), message("Jan")]
    list(protect_events(events, "callback_naam"))
    assert events == [slot("callback_naam", "Jan"), message("Jan")]
