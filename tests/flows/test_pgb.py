"""Pgb guidance from three answers (assistant/flows/pgb.py)."""

import pytest

from assistant.content.facts import load_facts
from assistant.flows.pgb import CAPABLE, LAW, PROVIDER, advice
from assistant.flows.questions import DONT_KNOW, questions
from municipalities.zorgkantoren import load_zorgkantoren

FACTS = load_facts()
SVB_SITE = FACTS.facts["website_svb_pgb"].text


def texts(answers, **contact):
    where, prepare, payment = advice(answers, FACTS, **contact)
    return where.text, prepare.text, payment.text


def given(law="wmo", capable="ja", provider="zorgverlener"):
    return {LAW: law, CAPABLE: capable, PROVIDER: provider}


@pytest.mark.parametrize("law", [option.value for option in questions()[LAW].options] + [DONT_KNOW])
def test_three_messages_each_with_its_sources(law):
    where, prepare, payment = (message.render() for message in advice(given(law), FACTS))
    for rendered in (where, prepare, payment):
        assert "\n\nBron" in rendered and "https://" in rendered.split("\n\nBron")[-1]
    assert FACTS.sources["wmo_2015"].url in prepare and FACTS.sources["per_saldo"].url in prepare
    assert FACTS.sources["regelhulp_svb_pgb"].url in payment


def test_the_municipalitys_number_and_the_zorgkantoor_name_their_sources():
    zorgkantoor = load_zorgkantoren()["GM0153"]  # Enschede: Twente
    where, _, _ = advice(given("wmo"), FACTS, "Enschede", "14 053")
    assert "14 053" in where.text and FACTS.sources["register_overheidsorganisaties"] in where.sources
    where, _, _ = advice(given("wlz"), FACTS, zorgkantoor=zorgkantoor)
    assert zorgkantoor.name in where.text and zorgkantoor.source in where.render()


def test_a_zvw_pgb_is_not_paid_by_the_svb():
    _, _, payment = advice(given("zvw"), FACTS)
    assert "betaalt de SVB niet" in payment.text and "zorgverzekeraar" in payment.text


@pytest.mark.parametrize("law", ["wmo", "jeugdwet"])
def test_wmo_and_jeugdwet_go_to_the_municipality_and_the_svb_pays(law):
    where, _, payment = texts(given(law))
    assert "gemeente" in where and "zorgkantoor" not in where and "zorgverzekeraar" not in where
    assert "SVB" in payment and SVB_SITE in payment


def test_wlz_goes_to_the_zorgkantoor_after_the_ciz():
    where, _, payment = texts(given("wlz"))
    assert "zorgkantoor" in where and "CIZ" in where and "gemeente" not in where
    assert "SVB" in payment and SVB_SITE in payment


def test_zvw_goes_to_the_zorgverzekeraar_and_not_the_svb():
    where, _, payment = texts(given("zvw"))
    assert "zorgverzekeraar" in where and "gemeente" not in where and "zorgkantoor" not in where
    assert "zorgverzekeraar" in payment
    assert SVB_SITE not in payment and "De SVB betaalt" not in payment


@pytest.mark.parametrize("law", [DONT_KNOW, None])
def test_an_unknown_law_names_all_three_places(law):
    where, _, _ = texts(given(law))
    assert "gemeente" in where and "zorgkantoor" in where and "zorgverzekeraar" in where


@pytest.mark.parametrize("law", [option.value for option in questions()[LAW].options] + [DONT_KNOW])
@pytest.mark.parametrize("capable", [option.value for option in questions()[CAPABLE].options] + [DONT_KNOW])
def test_every_answer_has_a_message(law, capable):
    for provider in [option.value for option in questions()[PROVIDER].options] + [DONT_KNOW, None]:
        assert all(text.strip() for text in texts(given(law, capable, provider)))


def test_not_capable_gets_no_budgetplan_advice():
    _, prepare, _ = texts(given(capable="nee"))
    assert "natura" in prepare and "budgetplan" not in prepare


@pytest.mark.parametrize("capable", ["ja", "met_hulp", DONT_KNOW])
def test_capable_or_with_help_gets_the_budgetplan_advice(capable):
    _, prepare, _ = texts(given(capable=capable))
    assert "budgetplan" in prepare


def test_dont_know_if_capable_points_to_per_saldo():
    _, prepare, _ = texts(given(capable=DONT_KNOW))
    assert FACTS.facts["website_per_saldo"].text in prepare


def test_care_by_family_adds_the_family_message():
    _, with_family, _ = texts(given(provider="familie"))
    _, without, _ = texts(given(provider="zorgverlener"))
    assert "familie" in with_family and "familie" not in without


@pytest.mark.parametrize("law", ["wmo", "jeugdwet"])
def test_the_municipality_phone_is_given_for_a_municipal_pgb(law):
    where, _, _ = texts(given(law), municipality="Zwolle", municipality_phone="038 498 91 11")
    assert "Zwolle" in where and "038 498 91 11" in where


@pytest.mark.parametrize("law", ["wlz", "zvw", DONT_KNOW])
def test_no_municipality_phone_where_the_municipality_does_not_decide(law):
    where, _, _ = texts(given(law), municipality="Zwolle", municipality_phone="038 498 91 11")
    assert "038 498 91 11" not in where


def test_the_municipality_phone_needs_both_name_and_number():
    where, _, _ = texts(given("wmo"), municipality="Zwolle")
    assert "Zwolle" not in where


def test_the_zorgkantoor_is_named_for_a_wlz_pgb():
    twente = load_zorgkantoren()["GM0153"]
    where, _, _ = texts(given("wlz"), zorgkantoor=twente)
    assert twente.name in where
    for law in ("wmo", "zvw", DONT_KNOW):
        assert twente.name not in texts(given(law), zorgkantoor=twente)[0]
