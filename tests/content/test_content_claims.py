"""Claims an independent source check found wrong or misleading, held to what the sources say
(assistant/content/facts.yml names each source and its check date)."""

import re

import pytest
import yaml

from assistant.content.answers import build_answer
from assistant.content.facts import load_facts
from assistant.settings import DOMAIN_FILE

FACTS = load_facts()
RESPONSES = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]


def text_of(topic: str) -> str:
    return build_answer(topic).text


# --- Bill 36713: planned, not decided -----------------------------------------------------------


def test_the_income_answer_states_the_bill_exactly_as_it_stands():
    text = text_of("eigen_bijdrage_inkomen")
    assert "Er is een wetsvoorstel" in text and "Het is nog niet aangenomen." in text
    assert "Het kabinet stuurde het in maart 2025 naar de Tweede Kamer." in text
    assert "In juni 2025 besloot de Kamer het voorlopig niet te behandelen." in text
    assert "Of en wanneer het ingaat, is niet bekend." in text
    rendered = build_answer("eigen_bijdrage_inkomen").render()
    assert FACTS.sources["tweede_kamer_36713"].url in rendered and "volgens nieuwssite Skipr (juni 2025)" in rendered


@pytest.mark.parametrize("topic", ["eigen_bijdrage_inkomen", "eigen_bijdrage_hoeveel"])
def test_no_answer_names_a_start_year_that_is_not_decided(topic):
    text = text_of(topic)
    assert "nog niet aangenomen" in text
    assert not re.search(r"vanaf (1 januari )?20\d\d", text) and "2027" not in text


# --- The pgb and the SVB --------------------------------------------------------------------------


def test_the_svb_pays_only_for_a_pgb_from_the_municipality_or_the_zorgkantoor():
    text = text_of("pgb_wat")
    assert "Krijgt u het pgb van de gemeente of het zorgkantoor? Dan komt het geld niet op uw eigen rekening." in text
    assert "Bij een pgb van de zorgverzekeraar regelt de zorgverzekeraar de betalingen." in text
    assert FACTS.sources["regelhulp_svb_pgb"].url in build_answer("pgb_wat").render()


def test_the_svb_model_contract_is_for_a_pgb_from_the_municipality_or_the_zorgkantoor():
    text = text_of("pgb_familie")
    assert "Hebt u het pgb van de gemeente of het zorgkantoor? Dan gebruikt u daarvoor een model van de SVB." in text
    assert "Hebt u het pgb van de zorgverzekeraar? Vraag dan de zorgverzekeraar hoe het werkt." in text


def test_the_two_week_decision_term_is_said_to_be_a_wmo_rule():
    text = text_of("pgb_aanvragen")
    assert "Voor hulp uit de Wmo beslist de gemeente binnen 2 weken na uw aanvraag." in text
    assert "Die termijn geldt niet voor jeugdhulp of de Wlz." in text


def test_a_pgb_pays_what_is_in_the_besluit():
    assert text_of("pgb_besteden").startswith("Met een pgb betaalt u alleen de hulp die in uw besluit staat.")


# --- Cliëntondersteuning, Wlz, mantelzorg, jeugdhulp ---------------------------------------------


def test_wlz_cliëntondersteuning_depends_on_the_indication_and_points_to_a_real_list():
    text = text_of("wlz_clientondersteuning")
    assert text.index("nog geen Wlz-indicatie? Dan helpt de gemeente u") < text.index(
        "een Wlz-indicatie? Dan krijgt u cliëntondersteuning via het zorgkantoor"
    )
    assert "www.zn.nl" not in text and FACTS.facts["website_zorgkantoor_vinden"].text in text


def test_mantelzorg_and_respijtzorg_agree_on_the_eigen_bijdrage():
    mantelzorg, respijtzorg = text_of("mantelzorg"), text_of("respijtzorg")
    same_claim = "Respijtzorg is zorg voor degene voor wie u zorgt."
    assert same_claim in mantelzorg and same_claim in respijtzorg
    assert "sommige gemeenten wel een eigen bijdrage" in mantelzorg
    assert "sommige gemeenten er een eigen bijdrage voor. Andere gemeenten niet." in respijtzorg


def test_jeugdhulp_can_continue_up_to_23_with_its_source():
    text = text_of("jeugdhulp")
    assert "tot uw kind 23 jaar is. Dat heet verlengde jeugdhulp." in text
    assert FACTS.sources["jeugdwet"].url in build_answer("jeugdhulp").render()


def test_a_resident_may_also_contact_the_organisation_directly():
    assert "ook zelf contact opnemen met de organisatie" in text_of("clientondersteuning_aanvragen")


def test_the_eigen_bijdrage_answer_says_who_pays_nothing_and_offers_the_check():
    text = text_of("eigen_bijdrage_wat")
    assert "Niet iedereen betaalt." in text and "AOW-leeftijd" in text and "kind" in text and "rolstoel" in text


# --- What Wegwijzer answers -----------------------------------------------------------------------


@pytest.mark.parametrize("response", ["utter_out_of_scope", "utter_english"])
def test_the_scope_is_not_understated(response):
    text = RESPONSES[response][0]["text"]
    for topic in (
        "Cliëntondersteuning",
        "Wmo",
        "Eigen bijdrage",
        "Pgb",
        "mantelzorg",
        "respijtzorg",
        "jeugdhulp",
        "Wlz",
    ):
        assert topic.lower() in text.lower(), topic
    assert "three things" not in text and "alleen iets over" not in text


# --- Sources ----------------------------------------------------------------------------------------


def test_the_uitvoeringsbesluit_has_its_own_bwb_id():
    assert FACTS.sources["uitvoeringsbesluit_wmo"].url == "https://wetten.overheid.nl/BWBR0035733"


def test_third_party_national_sources_say_so():
    for key in ("skipr_controversieel", "stimulansz_verlengde_jeugdhulp"):
        assert FACTS.sources[key].organisation.startswith("volgens "), key
