"""The guided flows end to end, as a resident types them: answers by button and by text,
a question in between, "terug", "stop" and going on later, a person and a call back."""

from assistant.content.answers import build_answer
from assistant.content.facts import load_facts
from assistant.helpdesk.callbacks import CallbackStore
from tests.support.replies import button_payload, button_titles, joined

FACTS = load_facts()


def test_the_general_answer_offers_the_check_and_a_wheelchair_ends_it_after_one_question(chat):
    replies = chat("/eigen_bijdrage_wie_betaalt")
    replies = chat(button_payload(replies, "Nagaan wat ik betaal"))
    assert "Voor welke hulp" in joined(replies) and "Rolstoel" in button_titles(replies)
    replies = chat("Rolstoel")
    assert "geen eigen bijdrage" in joined(replies)
    assert "Bron" in joined(replies)


def test_eigen_bijdrage_check_all_the_way_with_a_local_lower_rate(chat):
    chat("ik wil nagaan wat ik zelf moet betalen voor huishoudelijke hulp")  # names the provision
    replies = chat("2025")
    assert "kind jonger dan" in joined(replies)
    chat("/deny")
    replies = chat("ja")  # married or living together
    assert "AOW-leeftijd" in joined(replies)
    chat("nee")
    replies = chat("nee")  # nobody pays already
    assert "In welke gemeente" in joined(replies)
    replies = chat("Amsterdam")
    tariff = FACTS.tariff(2025)
    assert f"maximaal € {tariff.amount} per {tariff.period}" in joined(replies)
    assert "De gemeente Amsterdam heeft een eigen regeling voor 2025." in joined(replies)


def test_a_question_in_between_is_answered_and_the_flow_goes_on(chat):
    chat("/eigen_bijdrage_check")
    replies = chat("wat is een pgb eigenlijk?")
    assert "persoonsgebonden budget" in joined(replies)
    assert "Voor welke hulp" in joined(replies)  # the question again


def test_weet_ik_niet_and_terug(chat):
    replies = chat("check wat ik moet betalen voor begeleiding")  # names the provision
    assert "Over welk jaar" in joined(replies)
    chat("/dont_know")  # the year: this year
    replies = chat("terug")
    assert "Over welk jaar" in joined(replies)
    replies = chat("2026")
    assert "kind jonger dan" in joined(replies)
    chat("nee")
    replies = chat("weet ik niet")  # partner: unknown, so the AOW question is skipped
    assert "al een eigen bijdrage" in joined(replies)
    replies = chat("nee")
    assert "Sla deze vraag over" in button_titles(replies)
    replies = chat("/dont_know")  # skip the municipality
    text = joined(replies)
    assert "Misschien betaalt u niets" in text and "AOW-leeftijd" in text


def test_stop_keeps_the_answers_and_the_flow_goes_on_later(chat):
    chat("/eigen_bijdrage_check")
    chat("Vervoer")
    replies = chat("stop")
    assert "ik stop met de vragen" in joined(replies)
    resume = button_payload(replies, "Later verder met de vragen")
    replies = chat(resume)
    assert "Over welk jaar" in joined(replies)  # not the provision again


def test_pgb_guidance_for_a_child_with_family_as_carer(chat):
    chat("/pgb_check")
    chat("Jeugdhulp voor een kind")
    chat("Iemand helpt mij")
    replies = chat("Iemand uit mijn familie of omgeving")
    text = joined(replies)
    assert "gemeente" in text and "Jeugdwet" in text and "SVB" in text
    assert "Familie betalen met een pgb" in button_titles(replies)


def test_clientondersteuning_in_amsterdam_without_organisations_per_group_asks_no_kind_of_question(chat):
    chat("ik zoek een clientondersteuner")
    text = joined(chat("Amsterdam"))
    assert "Amsterdam" in text and "Waar gaat uw vraag vooral over" not in text


def test_clientondersteuning_for_a_disability_in_westerwolde_names_its_organisation_for_that_group(chat):
    chat("ik zoek een clientondersteuner")
    assert "Waar gaat uw vraag vooral over" in joined(chat("Westerwolde"))
    text = joined(chat("Een beperking"))
    assert "MEE Noord" in text and "Westerwolde" in text


def test_a_person_and_a_callback_request_stored_encrypted(chat, servers):
    chat("ik wil een mens spreken")
    replies = chat("Utrecht")
    assert "Bel" in joined(replies) and "Ja, bel mij terug" in button_titles(replies)
    chat("/callback_request")
    chat("Jan Jansen")
    chat("06 12345678")
    replies = chat("hoe vraag ik een pgb aan?")  # a topic question: answered, then offered to pass on
    assert "pgb" in joined(replies) and "Ja, geef deze vraag door" in button_titles(replies)
    replies = chat("/affirm")
    assert "Mag ik uw naam" in joined(replies)
    replies = chat("/affirm")
    assert "WW-" in joined(replies)
    stored = CallbackStore(servers["callback_url"], servers["callback_key"]).list(municipality_code="GM0344")
    assert [(request.name, request.phone, request.question) for request in stored] == [
        ("Jan Jansen", "06 1234 5678", "hoe vraag ik een pgb aan?")
    ]
    raw = servers["callback_db"].read_bytes() + servers["tracker_db"].read_bytes()
    for secret in (b"Jan Jansen", b"12345678", b"1234 5678", b"vraag ik een pgb"):
        assert secret not in raw


def test_not_understood_twice_offers_a_person(chat):
    """The NLU's own uncertainty is tested with the actions; here the two stages as Rasa runs them."""
    replies = chat("/nlu_fallback")
    assert "Bedoelt u" in joined(replies) and "Iets anders" in button_titles(replies)
    replies = chat("/nlu_fallback")
    assert "medewerker" in joined(replies)
    assert {"Een medewerker spreken", "Bel mij terug"} <= set(button_titles(replies))


def test_the_check_answers_first_then_asks(chat):
    replies = chat("/eigen_bijdrage_check")
    # Rasa's REST channel sends the paragraphs of a message without buttons as separate messages.
    assert joined(replies).startswith(build_answer("eigen_bijdrage_check").render().replace("\n\n", "\n"))
    assert "Voor welke hulp uit de Wmo wilt u het weten?" in replies[-1]["text"]
