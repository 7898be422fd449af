"""The resolver: from what a resident types to one municipality, a choice, or a reason."""

import csv
import unicodedata
from collections import defaultdict

import pytest

from municipalities.aliases import load_aliases
from municipalities.importer import POSTCODES_CSV, REGISTER_CSV, read_register
from municipalities.names import COMMON_WORD_NAMES, normalise
from municipalities.resolver import Outcome, Via
from municipalities.typos import edit_distance

REGISTER = read_register(REGISTER_CSV)
NAME_BY_CODE = {row.cbs_code: row.name for row in REGISTER}


def without_accents(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def names(resolution):
    return [municipality.name for municipality in resolution.candidates]


def found(resolver, text):
    resolution = resolver.resolve(text)
    assert resolution.outcome is Outcome.FOUND, (text, resolution)
    return resolution.municipality.name


# --- Every name, place and postcode -------------------------------------------------------


@pytest.mark.parametrize(
    "spelling",
    [
        lambda row: row.name,
        lambda row: row.short_name,
        lambda row: row.cbs_code,
        lambda row: row.name.lower(),
        lambda row: without_accents(row.name),
        lambda row: f"ik woon in {row.name}",
        lambda row: f"gemeente {row.short_name}",
    ],
    ids=["name", "short_name", "cbs_code", "lower_case", "without_accents", "in_a_sentence", "gemeente"],
)
@pytest.mark.parametrize("row", REGISTER, ids=[row.cbs_code for row in REGISTER])
def test_every_municipality_is_found(resolver, row, spelling):
    assert found(resolver, spelling(row)) == row.name


def _places():
    """(place, municipality, every municipality with a place of that name)."""
    owners = defaultdict(set)
    for row in REGISTER:
        for place in row.places:
            owners[normalise(place.name)].add(row.name)
    for row in REGISTER:
        for place in row.places:
            yield pytest.param(place.name, row.name, owners[normalise(place.name)], id=f"{row.cbs_code}:{place.name}")


@pytest.mark.parametrize("place, municipality, owners", list(_places()))
def test_every_place_gives_its_municipality_or_the_choice(resolver, place, municipality, owners):
    resolution = resolver.resolve(place)
    municipality_named_so = normalise(place) in {normalise(name) for name in NAME_BY_CODE.values()}
    if place in ("Zeeland", "Nederland"):  # a province and the country: asked whether the village is meant
        assert resolution.outcome is Outcome.REGION and names(resolution) == [municipality]
    elif len(owners) == 1 or municipality_named_so:
        assert resolution.outcome is Outcome.FOUND and resolution.municipality.name == municipality
    else:
        assert resolution.outcome is Outcome.AMBIGUOUS and set(names(resolution)) == owners
        assert resolution.via is Via.PLACE


def test_the_register_has_27_place_names_in_two_municipalities():
    owners = defaultdict(set)
    for row in REGISTER:
        for place in row.places:
            owners[place.name].add(row.cbs_code)
    assert sum(1 for codes in owners.values() if len(codes) == 2) == 27


def _postcodes():
    areas = defaultdict(list)
    with POSTCODES_CSV.open(encoding="utf-8") as handle:
        for record in csv.DictReader(handle):
            areas[record["pc4"]].append((float(record["share_pc6"]), NAME_BY_CODE[record["gemeentecode"]]))
    for pc4, shares in sorted(areas.items()):
        yield pytest.param(pc4, [name for _, name in sorted(shares, reverse=True)], id=pc4)


POSTCODES = list(_postcodes())


@pytest.mark.parametrize("pc4, municipalities", POSTCODES)
def test_every_postcode_gives_its_municipality_or_the_choice(resolver, pc4, municipalities):
    for typed in (pc4, f"{pc4}AB", f"{pc4} ab", f"{pc4} AB", f"{pc4}ab", f"mijn postcode is {pc4} XY"):
        resolution = resolver.resolve(typed)
        assert names(resolution) == municipalities, typed
        assert resolution.outcome is (Outcome.FOUND if len(municipalities) == 1 else Outcome.AMBIGUOUS)
        assert (resolution.via, resolution.matched) == (Via.POSTCODE, pc4)


def test_22_postcodes_lie_in_two_municipalities():
    assert sum(1 for param in POSTCODES if len(param.values[1]) == 2) == 22


def test_an_unknown_postcode_says_so(resolver):
    resolution = resolver.resolve("1000 AA")  # PO boxes only
    assert (resolution.outcome, resolution.matched) == (Outcome.UNKNOWN_POSTCODE, "1000")


# --- How residents write ------------------------------------------------------------------

TYPOS_AND_ALIASES = [
    ("Amsterdm", "Amsterdam"),
    ("Amsterdan", "Amsterdam"),
    ("Rotterdm", "Rotterdam"),
    ("Roterdam", "Rotterdam"),
    ("Utrech", "Utrecht"),
    ("Eindhovn", "Eindhoven"),
    ("Groninge", "Groningen"),
    ("zwole", "Zwolle"),
    ("Nijmegn", "Nijmegen"),
    ("Nymegen", "Nijmegen"),
    ("Apeldorn", "Apeldoorn"),
    ("Leeuwarde", "Leeuwarden"),
    ("Maastrich", "Maastricht"),
    ("Harlem", "Haarlem"),
    ("Haarlemermeer", "Haarlemmermeer"),
    ("Amersfort", "Amersfoort"),
    ("Dordrect", "Dordrecht"),
    ("Zoetermer", "Zoetermeer"),
    ("Arnhum", "Arnhem"),
    ("Tilburgh", "Tilburg"),
    ("Breeda", "Breda"),
    ("Almeer", "Almere"),
    ("Deventr", "Deventer"),
    ("Hilversun", "Hilversum"),
    ("Schiermonikoog", "Schiermonnikoog"),
    ("Wijk bij Duurstee", "Wijk bij Duurstede"),
    ("Spijkenise", "Nissewaard"),
    ("Brunsum", "Brunssum"),
    ("Den Hellder", "Den Helder"),
    ("Noord-Oostpolder", "Noordoostpolder"),
    ("Alphen aan de Rijn", "Alphen aan den Rijn"),
    ("Capelle aan den Ijsel", "Capelle aan den IJssel"),
    ("Hoofdorp", "Haarlemmermeer"),
    ("nieuw-venep", "Haarlemmermeer"),
    # aliases, other spellings, places
    ("Den Bosch", "'s-Hertogenbosch"),
    ("s-hertogenbosch", "'s-Hertogenbosch"),
    ("Hertogenbosch", "'s-Hertogenbosch"),
    ("den haag", "Den Haag"),
    ("'s-Gravenhage", "Den Haag"),
    ("s gravenhage", "Den Haag"),
    ("The Hague", "Den Haag"),
    ("Sudwest Fryslan", "Súdwest-Fryslân"),
    ("Súdwest Fryslân", "Súdwest-Fryslân"),
    ("Sneek", "Súdwest-Fryslân"),
    ("Tietjerksteradeel", "Tytsjerksteradiel"),
    ("Dordt", "Dordrecht"),
    ("Mokum", "Amsterdam"),
    ("Zederik", "Vijfheerenlanden"),
    ("Landerd", "Maashorst"),
    ("Haarlemmerliede en Spaarnwoude", "Haarlemmermeer"),
    ("Bergen NH", "Bergen (NH)"),
    ("Bergen Noord-Holland", "Bergen (NH)"),
    ("Bergen Limburg", "Bergen (L)"),
    ("Hengelo Overijssel", "Hengelo"),
    ("Hengelo (Gld)", "Bronckhorst"),
    ("Nuenen c.a.", "Nuenen, Gerwen en Nederwetten"),
    ("Nuenen", "Nuenen, Gerwen en Nederwetten"),
    ("Sittard Geleen", "Sittard-Geleen"),
    ("Ijmuiden", "Velsen"),
    ("Ymuiden", "Velsen"),
    ("Volendam", "Edam-Volendam"),
    ("Drachten", "Smallingerland"),
    ("Emmeloord", "Noordoostpolder"),
    ("Heerhugowaard", "Dijk en Waard"),
    ("Zaandam", "Zaanstad"),
    ("Oud-Beijerland", "Hoeksche Waard"),
    ("Badhoevedorp", "Haarlemmermeer"),
    ("Nieuw Vennep", "Haarlemmermeer"),
    ("ik woon in de bilt", "De Bilt"),
]


@pytest.mark.parametrize("typed, official", TYPOS_AND_ALIASES)
def test_typos_aliases_and_places(resolver, typed, official):
    assert found(resolver, typed) == official


def test_a_typo_is_reported_as_such(resolver):
    resolution = resolver.resolve("Amsterdm")
    assert (resolution.via, resolution.matched) == (Via.TYPO, "Amsterdam")


@pytest.mark.parametrize(
    "sentence, official",
    [
        ("ik woon in Hoofddorp", "Haarlemmermeer"),
        ("ik woon in hoofddorp", "Haarlemmermeer"),
        ("Wij wonen in Badhoevedorp, dat valt onder Haarlemmermeer", "Haarlemmermeer"),
        ("ik woon in Vinkel, gemeente Bernheze", "Bernheze"),  # Vinkel alone: 's-Hertogenbosch or Bernheze
        ("Mijn buren en ik wonen in Zwolle", "Zwolle"),
        ("Het is best ver, maar ik woon in Zwolle", "Zwolle"),
        ("wat is het nummer van het wmo loket in hoofddorp", "Haarlemmermeer"),
        ("telefoonnummer wmo loket hoofddorp", "Haarlemmermeer"),
        ("ik woon in amsterdm", "Amsterdam"),
        ("mijn postcode is 1011 AB", "Amsterdam"),
        ("postcode 3511", "Utrecht"),
        ("Hallo, ik woon in Zwolle", "Zwolle"),
        ("ik woon in Best", "Best"),
        ("wat kost de eigen bijdrage in Zwolle", "Zwolle"),
        ("Zeist is mijn gemeente", "Zeist"),
    ],
)
def test_a_municipality_or_place_inside_a_sentence(resolver, sentence, official):
    assert found(resolver, sentence) == official


@pytest.mark.parametrize(
    "typed, choices",
    [
        ("Hoenderloo", {"Apeldoorn", "Ede"}),
        ("Koedijk", {"Alkmaar", "Dijk en Waard"}),
        ("ik woon in Zevenbergschen Hoek", {"Drimmelen", "Moerdijk"}),
        ("Bergen", {"Bergen (L)", "Bergen (NH)"}),
        ("Alphen", {"Alphen aan den Rijn", "Alphen-Chaam", "West Maas en Waal"}),
        ("mijn moeder woont in Zwolle en ik in Kampen", {"Zwolle", "Kampen"}),
        ("1357", {"Almere", "Maasgouw"}),
    ],
)
def test_ambiguous_text_gives_a_choice(resolver, typed, choices):
    resolution = resolver.resolve(typed)
    assert resolution.outcome is Outcome.AMBIGUOUS and set(names(resolution)) == choices


# --- Nothing found, safely, with a reason --------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "Bank",
        "asdf",
        "hallo",
        "ja",
        "nee",
        "weet ik niet",
        "stop",
        "terug",
        "help",
        "Wmo loket",
        "pgb",
        "ik wil een mens spreken",
        "hoi, wat is een pgb?",
        "Wat is het telefoonnummer van de gemeente",
        "ik wil echt weten hoe dat zit",
        "Hoeven wij iets te betalen?",
        "het is best ver",
        "mijn buren helpen me",
        "in 2024 en 2025 betaal ik meer",
        "'; DROP TABLE municipalities; --",
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "🏠🏠🏠",
        "👵🏻 ❤️",
        "\u200b\u200b",
        "0",
        "12",
        "GM9999",
    ],
)
def test_text_that_names_no_municipality(resolver, typed):
    resolution = resolver.resolve(typed)
    assert resolution.outcome is Outcome.NOT_FOUND and resolution.candidates == ()


@pytest.mark.parametrize("typed", ["", "   ", "\n\t", None])
def test_empty_text_is_said_to_be_empty(resolver, typed):
    assert resolver.resolve(typed).outcome is Outcome.EMPTY


@pytest.mark.parametrize("typed", ["x" * 10_240, "Zwolle " * 2_000, "🏠" * 5_000])
def test_very_long_text_is_refused_quickly(resolver, typed):
    assert resolver.resolve(typed).outcome is Outcome.TOO_LONG


@pytest.mark.parametrize(
    "typed, region",
    [
        ("Zeeland", "Zeeland"),
        ("noord holland", "Noord-Holland"),
        ("provincie Limburg", "Limburg"),
        ("Nederland", "Nederland"),
    ],
)
def test_a_province_is_not_a_municipality(resolver, typed, region):
    resolution = resolver.resolve(typed)
    assert (resolution.outcome, resolution.matched) == (Outcome.REGION, region)
    assert resolution.municipality is None


@pytest.mark.parametrize("typed", ["Utrecht", "Groningen", "provincie Utrecht"])
def test_a_province_with_the_name_of_its_capital_gives_the_municipality(resolver, typed):
    assert found(resolver, typed) in ("Utrecht", "Groningen")


@pytest.mark.parametrize("name", sorted(COMMON_WORD_NAMES))
def test_a_municipality_that_is_an_everyday_word_needs_a_capital_inside_a_sentence(resolver, name):
    assert resolver.resolve(f"ik denk dat {name.lower()} daar wel bij hoort").outcome is Outcome.NOT_FOUND
    assert found(resolver, f"ik denk dat {name} daar wel bij hoort") == name
    assert found(resolver, name.lower()) == name  # on its own it is an answer


# --- Aliases ----------------------------------------------------------------------------


@pytest.mark.parametrize("alias", load_aliases(), ids=lambda alias: alias.name)
def test_every_alias_points_to_current_municipalities_and_names_a_source(resolver, alias):
    assert set(alias.cbs_codes) <= set(NAME_BY_CODE) and alias.source.startswith("https://")
    assert set(alias.cbs_codes) <= {municipality.cbs_code for municipality in resolver.resolve(alias.name).candidates}


# --- Typo distance ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, second, distance",
    [
        ("zwolle", "zwolle", 0),
        ("zwole", "zwolle", 1),
        ("amsetrdam", "amsterdam", 1),
        ("breda", "bredo", 1),
        ("abc", "xyz", 3),
        ("", "abc", 3),
    ],
)
def test_edit_distance(first, second, distance):
    assert edit_distance(first, second, limit=5) == distance
    assert edit_distance(first, second, limit=0) == min(distance, 1)


# --- A municipality inside a question about something else --------------------------------


@pytest.mark.parametrize(
    "question, official",
    [
        ("Waar kan ik in Zaltbommel terecht voor Wmo-hulp?", "Zaltbommel"),
        ("Ik woon in Hoofddorp. Is cliëntondersteuning daar gratis?", "Haarlemmermeer"),
        ("ik woon in hoofddorp, wat kost de wmo", "Haarlemmermeer"),
        ("Mijn postcode is 3511 AB, waar moet ik heen?", "Utrecht"),
        ("wat doet de gemeente Best aan mantelzorg", "Best"),
        ("Is het Wmo-loket van Den Bosch open?", "'s-Hertogenbosch"),
        ("Ik woon in Zwolle. Mijn moeder woont ook in Zwolle.", "Zwolle"),
    ],
)
def test_a_question_names_its_municipality(resolver, question, official):
    assert resolver.named_in_question(question).municipality.name == official


@pytest.mark.parametrize(
    "question",
    [
        "Hoe lang duurt een aanvraag in een kleine gemeente?",  # "Een" is a village
        "Heel erg bedankt",  # "Heel" too
        "Echt waar, moet ik dat betalen?",  # and "Echt"
        "Wat betaal ik in 2026 en 2027?",  # years, not postcodes
        "2026",
        "en in 2025?",
        "Ik woon in Amsterdm",  # no typos in a question
        "Mijn moeder woont in Hoenderloo",  # a place in two municipalities
        "Ik woon in Zwolle en mijn moeder in Kampen",  # two municipalities
    ],
)
def test_a_question_without_one_clear_municipality_names_none(resolver, question):
    assert resolver.named_in_question(question).municipality is None


def test_no_example_of_another_intent_names_a_municipality_it_does_not_contain(resolver):
    """The training examples are questions as residents type them: a municipality found there
    must be written in it (not a village that is an everyday word, not a typo)."""
    from assistant.settings import DATA_DIR
    from tests.support.nlu import examples_by_intent

    wrong = [
        (text, resolution.municipality.name)
        for intent, examples in examples_by_intent(DATA_DIR / "nlu").items()
        if intent != "inform_gemeente"
        for text in examples
        for resolution in [resolver.named_in_question(text)]
        if resolution.municipality and normalise(resolution.municipality.short_name)[:4] not in normalise(text)
    ]
    assert wrong == []
