"""Finding cliëntondersteuning for a kind of question (assistant/flows/clientondersteuning.py), with the
municipalities' own data in municipalities/overrides/ and the register's data otherwise."""

from datetime import date

import pytest

from assistant.content.answers import LocalContext, build_answer
from assistant.content.contact import contact_messages
from assistant.content.dutch import dutch_date
from assistant.content.override_checks import override_store
from assistant.flows.clientondersteuning import EVERYONE, WLZ, best_organisations, support_messages
from assistant.flows.questions import DONT_KNOW, questions
from municipalities.overrides import AUDIENCES, Contact, Override
from municipalities.zorgkantoren import load_zorgkantoren

AUDIENCE_OPTIONS = [option.value for option in questions()["co_soort"].options if option.value != WLZ]


@pytest.fixture(scope="module")
def overrides(directory):
    return override_store(directory)


def names(contacts):
    return [contact.name for contact in contacts]


def made_up_override(*contacts: Contact) -> Override:
    return Override(cbs_code="GM0193", source="https://www.example.nl/wmo", checked=date(2026, 11, 1), support=contacts)


def finding(directory, overrides, code, audience):
    municipality = directory.by_code(code)
    override = overrides.get(code)
    local = LocalContext(municipality.name, override, load_zorgkantoren().get(code))
    return municipality, override, support_messages(municipality, override, audience, local)


# --- best_organisations ----------------------------------------------------------------------


def test_the_organisations_for_the_group_come_first():
    elderly, unlabelled, everyone, youth = (
        Contact("Ouderenadvies", audiences=("ouderen",)),
        Contact("Wijkteam"),
        Contact("Welzijn", audiences=("iedereen",)),
        Contact("Jeugdteam", audiences=("jeugd", "ggz")),
    )
    override = made_up_override(elderly, unlabelled, everyone, youth)
    assert names(best_organisations(override, "ouderen")) == ["Ouderenadvies"]
    assert names(best_organisations(override, "ggz")) == ["Jeugdteam"]
    assert names(best_organisations(override, "beperking")) == ["Wijkteam", "Welzijn"]  # fallback, in file order
    assert names(best_organisations(override, EVERYONE)) == ["Welzijn"]


def test_no_fallback_when_every_organisation_is_for_another_group():
    override = made_up_override(Contact("MEE", audiences=("beperking",)))
    assert best_organisations(override, "ouderen") == []
    assert names(best_organisations(override, "beperking")) == ["MEE"]


@pytest.mark.parametrize("audience", AUDIENCE_OPTIONS + [DONT_KNOW])
def test_no_override_no_organisations(audience):
    assert best_organisations(None, audience) == []


def test_the_real_overrides(overrides):
    westerwolde, goeree, amsterdam = overrides.get("GM1950"), overrides.get("GM1924"), overrides.get("GM0363")
    assert westerwolde and goeree and amsterdam, "override files missing or invalid: " + "; ".join(
        map(str, overrides.errors)
    )
    assert names(best_organisations(westerwolde, "beperking")) == ["MEE Noord"]
    assert names(best_organisations(westerwolde, "ggz")) == ["MEE Noord"]
    assert names(best_organisations(westerwolde, "ouderen")) == ["Stichting Welzijn Westerwolde"]
    assert names(best_organisations(goeree, "beperking")) == ["MEE Plus"]
    assert best_organisations(goeree, "ouderen") == []
    assert best_organisations(amsterdam, "jeugd") == []  # MEE Amstel en Zaan rested on a blog only


# --- support_messages --------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["GM1950", "GM0193", "GM0153"])  # Westerwolde, Zwolle, Enschede
def test_wlz_clients_get_the_wlz_answer(directory, overrides, code):
    municipality, override, messages = finding(directory, overrides, code, WLZ)
    local = LocalContext(municipality.name, override, load_zorgkantoren().get(code))
    assert [message.text for message in messages] == [build_answer("wlz_clientondersteuning", local=local).render()]
    assert messages[0].card is None


def test_a_municipality_with_organisations_for_the_group(directory, overrides):
    municipality, override, messages = finding(directory, overrides, "GM1950", "beperking")
    found, general = messages
    assert "Westerwolde" in found.text and AUDIENCES["beperking"] in found.text
    assert "MEE Noord" in found.text and "Stichting Welzijn Westerwolde" not in found.text
    assert f"Nagekeken op {dutch_date(override.checked)}" in found.text
    assert f"volgens nieuwssite Westerwolde Actueel (8 december 2022), {override.source}" in found.text
    assert general.card["cbs_code"] == "GM1950" and general.card["type"] == "contact_card"
    assert "Bron: Register van Overheidsorganisaties" in general.text


def test_a_municipality_with_organisations_for_everyone_only(directory, overrides):
    _, _, messages = finding(directory, overrides, "GM1950", "ouderen")
    assert "Stichting Welzijn Westerwolde" in messages[0].text and "MEE Noord" not in messages[0].text


def test_a_municipality_with_an_override_but_nothing_for_the_group(directory, overrides):
    municipality, override, messages = finding(directory, overrides, "GM1924", "ouderen")
    tip, *contact = messages
    assert "ouderen" in tip.text and "MEE Plus" not in tip.text
    assert contact == contact_messages(municipality, override)
    assert "14 0187" in contact[0].text  # the Wmo-loket from the override


@pytest.mark.parametrize("audience", AUDIENCE_OPTIONS)
def test_a_municipality_without_an_override_gives_a_tip_and_the_general_contact(directory, overrides, audience):
    municipality, override, messages = finding(directory, overrides, "GM0193", audience)
    assert override is None
    tip, *contact = messages
    assert "cliëntondersteuner" in tip.text and tip.card is None
    assert contact == contact_messages(municipality, None)
    assert contact[-1].card["cbs_code"] == "GM0193"


def test_each_group_has_its_own_tip(directory, overrides):
    tips = {audience: finding(directory, overrides, "GM0193", audience)[2][0].text for audience in AUDIENCE_OPTIONS}
    assert len(set(tips.values())) == len(tips)


@pytest.mark.parametrize("code", ["GM0193", "GM1950", "GM1924", "GM0363"])
def test_dont_know_is_treated_as_everyone(directory, overrides, code):
    """co_soort may be "weet_niet" ("Weet ik niet" is allowed for every question)."""
    *_, dont_know = finding(directory, overrides, code, DONT_KNOW)
    *_, everyone = finding(directory, overrides, code, EVERYONE)
    assert dont_know == everyone
