"""Each custom action with a real rasa-sdk Tracker and CollectingDispatcher."""

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.gemeente_form import ActionAskGemeente, ValidateGemeenteForm
from actions.municipality_contact import ActionGiveMunicipalityContact
from actions.out_of_scope import ActionAnswerOutOfScope
from assistant.content.answers import build_answer, topics
from assistant.content.knowledge import entries, knowledge_answer
from assistant.content.labels import labels
from tests.support.trackers import DOMAIN, answer, make_tracker, texts


@pytest.mark.parametrize("topic", topics())
def test_answer_question_sends_the_answer_for_the_intent(topic):
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, make_tracker(topic), DOMAIN)
    assert events == []
    assert texts(dispatcher) == [build_answer(topic).render()]


def test_answer_question_uses_the_year_entity():
    tracker = make_tracker("eigen_bijdrage_hoeveel", "hoeveel in 2024", [{"entity": "jaar", "value": "2024"}])
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN)
    assert "In 2024 betaalt u" in texts(dispatcher)[0] and "€ 20,60" in texts(dispatcher)[0]


def test_answer_question_without_a_known_topic_offers_the_topics():
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, make_tracker("greet"), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_fallback_topics"


# --- The municipality form: extraction, validation, the question ---------------------------


def validate(typed):
    dispatcher = CollectingDispatcher()
    result = ValidateGemeenteForm().validate_gemeente(
        typed, dispatcher, make_tracker("inform_gemeente", typed or ""), DOMAIN
    )
    return result, texts(dispatcher)


@pytest.mark.parametrize(
    "typed, official, confirmation",
    [
        ("Zwolle", "Zwolle", []),
        ("GM0363", "Amsterdam", []),
        ("den bosch", "'s-Hertogenbosch", []),
        ("ik woon in Amsterdm", "Amsterdam", ["Ik ga uit van de gemeente Amsterdam."]),
        ("Dordt", "Dordrecht", ["Ik ga uit van de gemeente Dordrecht."]),
        ("ik woon in Hoofddorp", "Haarlemmermeer", ["Hoofddorp ligt in de gemeente Haarlemmermeer."]),
        ("1011AB", "Amsterdam", ["Postcode 1011 hoort bij de gemeente Amsterdam."]),
    ],
)
def test_validate_gemeente_accepts_a_municipality_and_says_how_it_got_there(typed, official, confirmation):
    result, replies = validate(typed)
    assert result == {"gemeente": official, "gemeente_keuze": None}
    assert replies == confirmation


@pytest.mark.parametrize(
    "typed, codes, explanation",
    [
        ("Hoenderloo", ["GM0200", "GM0228"], "Hoenderloo vind ik in twee gemeenten: Apeldoorn en Ede."),
        ("1357", ["GM0034", "GM1641"], "Postcode 1357 ligt in twee gemeenten: Almere en Maasgouw."),
        ("Zwolle of Kampen", ["GM0166", "GM0193"], "U noemt twee gemeenten: Kampen en Zwolle."),
    ],
)
def test_validate_gemeente_offers_a_choice_when_several_fit(typed, codes, explanation):
    result, replies = validate(typed)
    assert result == {"gemeente": None, "gemeente_keuze": codes}
    assert replies == [explanation]


@pytest.mark.parametrize(
    "typed, start",
    [
        ("Bnk", 'Ik ken geen gemeente of woonplaats met de naam "Bnk"'),
        ("<script>alert(1)</script>", "Ik ken geen gemeente of woonplaats met de naam"),
        ("🏠" * 50, "Ik heb de naam van uw gemeente niet gezien"),
        ("x" * 10_000, "Dat is een lang bericht"),
        ("", "Ik heb de naam van uw gemeente niet gezien"),
        ("   ", "Ik heb de naam van uw gemeente niet gezien"),
        ("1000 AA", "Postcode 1000 ken ik niet"),
        ("Noord-Holland", "Noord-Holland is geen gemeente"),
    ],
)
def test_validate_gemeente_explains_and_asks_again(typed, start):
    result, replies = validate(typed)
    assert result == {"gemeente": None, "gemeente_keuze": None}
    assert replies[0].startswith(start) and all(len(reply) < 400 for reply in replies)


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("<svg onload=alert(1)>", "svg onload alert(1)"),
        ('"><img src=x onerror=alert(1)>', "img src x onerror alert(1)"),
        ("Dorpje " + "heel lang " * 10, "Dorpje heel lang heel lang hee…"),  # 30 characters and "…"
        ("'t Qwertydorp-Oost", "'t Qwertydorp-Oost"),
    ],
)
def test_an_unknown_name_is_repeated_short_and_without_markup(typed, shown):
    _, [reply, *_] = validate(typed)
    assert f'met de naam "{shown}"' in reply and "<" not in reply and "=" not in reply


@pytest.mark.parametrize("typed", ["mijn nummer is 0612345678", "jan.jansen@example.nl", "bsn 111222333 Nergenshuizen"])
def test_personal_data_is_never_repeated(typed):
    _, [reply, *_] = validate(typed)
    assert reply.startswith("Die gemeente of woonplaats ken ik niet.")
    assert not any(part in reply for part in ("0612345678", "jan.jansen", "111222333", "example"))


def test_a_province_that_is_also_a_village_offers_the_village():
    result, replies = validate("Zeeland")
    assert result == {"gemeente": None, "gemeente_keuze": ["GM1991"]}
    assert replies[1] == "Of bedoelt u het dorp Zeeland? Dat ligt in de gemeente Maashorst."


def asked(intent: str, text: str) -> Tracker:
    tracker = make_tracker(intent, text, slots={"requested_slot": "gemeente"}, active_loop="gemeente_form")
    return tracker


@pytest.mark.parametrize(
    "intent, text, extracted",
    [
        ("inform_gemeente", "Hoofddorp", {"gemeente": "Hoofddorp"}),
        ("inform_gemeente", "Bnk", {"gemeente": "Bnk"}),  # validation explains
        ("greet", "hallo", {}),  # the rules greet back, then the form asks again
        ("clientondersteuning_kosten_onafhankelijk", "wacht, is die ondersteuning gratis?", {}),
        (
            "clientondersteuning_kosten_onafhankelijk",
            "is het gratis in Hoofddorp?",
            {"gemeente": "is het gratis in Hoofddorp?"},
        ),
        ("goodbye", "doei", {}),
    ],
)
def test_extract_gemeente_while_the_form_asks(intent, text, extracted):
    assert ValidateGemeenteForm().extract_gemeente(CollectingDispatcher(), asked(intent, text), DOMAIN) == extracted


def test_a_year_typed_when_the_form_asks_for_the_municipality_is_a_postcode():
    tracker = make_tracker("inform_gemeente", "2011", slots={"requested_slot": "gemeente"}, active_loop="gemeente_form")
    assert ValidateGemeenteForm().extract_gemeente(CollectingDispatcher(), tracker, DOMAIN) == {"gemeente": "2011"}


@pytest.mark.parametrize(
    "text, extracted",
    [
        ("waar is het wmo loket in Hoofddorp?", True),
        ("ik woon in Hoenderloo", True),  # a choice follows
        ("hoe bereik ik de gemeente", False),
        ("Bnk", False),
        ("2026", False),  # a year, not postcode 2026 (Haarlem)
        ("en in 2025?", False),
        ("postcode 2011", True),
    ],
)
def test_extract_gemeente_when_the_form_starts_takes_only_a_named_place(text, extracted):
    result = ValidateGemeenteForm().extract_gemeente(
        CollectingDispatcher(), make_tracker("gemeente_contact", text), DOMAIN
    )
    assert result == ({"gemeente": text} if extracted else {})


def test_ask_gemeente_asks_in_dutch():
    dispatcher = CollectingDispatcher()
    ActionAskGemeente().run(dispatcher, make_tracker("gemeente_contact"), DOMAIN)
    assert texts(dispatcher) == ["In welke gemeente woont u? U mag ook uw woonplaats of postcode typen."]


def test_ask_gemeente_offers_the_choice_as_buttons():
    dispatcher = CollectingDispatcher()
    ActionAskGemeente().run(
        dispatcher, make_tracker("inform_gemeente", slots={"gemeente_keuze": ["GM0200", "GM0228"]}), DOMAIN
    )
    [question] = dispatcher.messages
    assert question["text"].startswith("Welke gemeente bedoelt u?")
    assert question["buttons"] == [
        {"title": "Apeldoorn", "payload": '/inform_gemeente{"gemeente": "GM0200"}'},
        {"title": "Ede", "payload": '/inform_gemeente{"gemeente": "GM0228"}'},
    ]


# --- Contact data and local data ------------------------------------------------------------


def contact_for(slot_value):
    dispatcher = CollectingDispatcher()
    ActionGiveMunicipalityContact().run(
        dispatcher, make_tracker("inform_gemeente", slots={"gemeente": slot_value}), DOMAIN
    )
    return dispatcher.messages


def test_contact_without_local_data_gives_the_general_number_and_points_to_clientondersteuning(directory):
    zwolle = directory.by_code("GM0193")
    [message] = answer(contact_for("Zwolle"))
    assert message["text"].startswith("Dit zijn de contactgegevens van de gemeente Zwolle:")
    assert f"Telefoon: {zwolle.phone.display}" in message["text"]
    assert "De gemeente brengt u in contact met een cliëntondersteuner" in message["text"]
    assert "Bron: Register van Overheidsorganisaties" in message["text"]
    card = message["custom"]
    assert card["type"] == "contact_card" and card["cbs_code"] == "GM0193"
    assert card["phone_link"] == zwolle.phone.tel_uri and card["wmo_loket"] is None


def test_contact_with_local_data_shows_it_before_the_general_number(directory):
    local, general = answer(contact_for("Haarlemmermeer"))
    assert local["text"].startswith("Het Wmo-loket van de gemeente Haarlemmermeer")
    assert "Telefoon: 0900 1852" in local["text"] and "Nagekeken op 22 november 2026." in local["text"]
    assert general["text"].startswith("Het algemene nummer en adres van de gemeente Haarlemmermeer:")
    assert general["custom"]["wmo_loket"]["phone_link"] == "tel:09001852"


def test_contact_without_a_municipality_asks_for_it():
    assert [message["text"] for message in contact_for(None)] == [
        "In welke gemeente woont u? U mag ook uw woonplaats of postcode typen."
    ]


def answer_for(topic, slots, text=""):
    dispatcher = CollectingDispatcher()
    entities = [{"entity": "jaar", "value": value} for value in [text[-4:]] if value.isdigit()]
    ActionAnswerQuestion().run(dispatcher, make_tracker(topic, text, entities, slots=slots), DOMAIN)
    [reply] = texts(dispatcher)
    return reply


def test_a_lower_local_eigen_bijdrage_is_added_for_its_year():
    in_2025 = answer_for("eigen_bijdrage_hoeveel", {"gemeente": "Amsterdam"}, "hoeveel in 2025")
    assert "De gemeente Amsterdam heeft een eigen regeling voor 2025." in in_2025
    assert "Daarmee hoeven sommige inwoners niets te betalen:\n- inwoners met schulden" in in_2025
    assert "Dit geldt niet voor iedereen. Vraag de gemeente of het voor u geldt." in in_2025
    assert "lokale gegevens voor de gemeente Amsterdam" in in_2025 and "volgens nieuwssite Skipr" in in_2025
    in_2026 = answer_for("eigen_bijdrage_hoeveel", {"gemeente": "Amsterdam"}, "hoeveel in 2026")
    assert "eigen regeling" not in in_2026


def test_a_local_answer_text_replaces_the_national_one(tmp_path, monkeypatch, directory):
    from actions import services
    from assistant.content.override_checks import override_store
    from municipalities.overrides import OverrideStore

    (tmp_path / "GM0193.yml").write_text(
        "gemeente: GM0193\nbron: https://www.zwolle.nl/wmo\ngecontroleerd: 2026-11-01\n"
        "antwoorden:\n  clientondersteuning_aanvragen: Bel het Sociaal Wijkteam Zwolle.\n",
        encoding="utf-8",
    )
    store = OverrideStore(tmp_path, override_store(directory).rules)
    monkeypatch.setattr(services, "overrides", lambda: store)
    reply = answer_for("clientondersteuning_aanvragen", {"gemeente": "Zwolle"})
    assert reply.startswith("Bel het Sociaal Wijkteam Zwolle.")
    assert "lokale gegevens voor de gemeente Zwolle, nagekeken op 1 november 2026, https://www.zwolle.nl/wmo" in reply
    assert (
        answer_for("clientondersteuning_aanvragen", {"gemeente": "Utrecht"})
        == build_answer("clientondersteuning_aanvragen").render()
    )


def test_the_wlz_answer_names_the_zorgkantoor_of_the_region_only_where_a_source_does():
    enschede = answer_for("wlz_clientondersteuning", {"gemeente": "Enschede"})
    assert (
        "De gemeente Enschede hoort bij de zorgkantoorregio Twente. Het zorgkantoor daar is Menzis Zorgkantoor."
        in enschede
    )
    assert "zorgkantoorregio Twente, https://vng.nl/" in enschede
    utrecht = answer_for("wlz_clientondersteuning", {"gemeente": "Utrecht"})
    assert utrecht == build_answer("wlz_clientondersteuning").render()
    assert "Hebt u een Wlz-indicatie? Dan krijgt u cliëntondersteuning via het zorgkantoor." in utrecht
    assert "Hebt u nog geen Wlz-indicatie? Dan helpt de gemeente u." in utrecht
    assert "www.regelhulp.nl/ik-heb-hulp-nodig/zorgkantoor" in utrecht and "Het Juiste Loket" in utrecht


def test_out_of_scope_points_to_the_municipality_with_its_contact_data_when_known(directory):
    dispatcher = CollectingDispatcher()
    ActionAnswerOutOfScope().run(
        dispatcher, make_tracker("out_of_scope", "paspoort kwijt", slots={"gemeente": "Zwolle"}), DOMAIN
    )
    [reply] = dispatcher.messages
    assert reply["text"].startswith("Daar kan ik u niet mee helpen. Dat is een vraag voor de gemeente Zwolle.")
    assert (
        f"Telefoon: {directory.by_code('GM0193').phone.display}" in reply["text"] and "Bezoekadres" not in reply["text"]
    )
    assert "Bron: Register van Overheidsorganisaties" in reply["text"] and reply["custom"]["cbs_code"] == "GM0193"


def test_out_of_scope_about_another_organisations_subject_sends_the_resident_there():
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("out_of_scope", "Wanneer krijg je kinderbijslag?", slots={"gemeente": "Zwolle"})
    ActionAnswerOutOfScope().run(dispatcher, tracker, DOMAIN)
    [reply] = answer(dispatcher.messages)
    assert reply["text"].startswith("Daarvoor kunt u terecht bij de SVB, niet bij de gemeente.")
    assert "Zwolle" not in reply["text"] and "https://www.svb.nl" in reply["text"]


def test_out_of_scope_without_a_municipality_offers_to_find_it():
    dispatcher = CollectingDispatcher()
    ActionAnswerOutOfScope().run(dispatcher, make_tracker("out_of_scope", "paspoort kwijt"), DOMAIN)
    assert dispatcher.messages[0]["response"] == "utter_out_of_scope"


# --- The knowledge base: an entry chosen by the ResponseSelector or a button ----------------


def entry_tracker(entry_id=None, button_entry=None, slots=None, intent="kennis"):
    entities = [{"entity": "kennis_vraag", "value": button_entry}] if button_entry else []
    tracker = make_tracker(intent, "een vraag", entities, slots=slots)
    if entry_id:
        selected = {"response": {"intent_response_key": f"kennis/{entry_id}", "confidence": 0.9}}
        tracker.latest_message["response_selector"] = {"kennis": selected}
    return tracker


def answer_entry(tracker):
    dispatcher = CollectingDispatcher()
    ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN)
    return dispatcher.messages


def an_entry(sends_to_municipality):
    return next(e for e in entries().values() if e.sends_to_municipality == sends_to_municipality and e.related)


def test_the_entry_the_response_selector_chose_is_answered_with_its_related_entries_as_buttons():
    entry = an_entry(sends_to_municipality=False)
    [message] = answer(answer_entry(entry_tracker(entry.id)))
    assert message["text"] == knowledge_answer(entry.id).render()
    related = entries()[entry.related[0]]
    assert message["buttons"][0] == {"title": related.title(), "payload": f'/kennis{{"kennis_vraag": "{related.id}"}}'}


def test_an_entry_button_names_the_entry_whatever_the_response_selector_chose():
    chosen, named = list(entries())[:2]
    [message] = answer(answer_entry(entry_tracker(chosen, button_entry=named)))
    assert message["text"] == knowledge_answer(named).render()


def test_an_answer_that_sends_the_resident_to_the_municipality_ends_with_its_contact(directory):
    entry = an_entry(sends_to_municipality=True)
    reply, contact = answer(answer_entry(entry_tracker(entry.id, slots={"gemeente": "Zaltbommel"})))
    zaltbommel = directory.by_code("GM0297")
    assert reply["text"] == knowledge_answer(entry.id).render()
    assert contact["text"].startswith("Zo bereikt u de gemeente Zaltbommel:")
    assert f"Telefoon: {zaltbommel.phone.display}" in contact["text"]
    assert "Bron: Register van Overheidsorganisaties" in contact["text"]


def test_local_data_puts_the_wmo_loket_and_the_clientondersteuning_in_the_contact():
    _, contact = answer(answer_entry(entry_tracker(an_entry(True).id, slots={"gemeente": "Goeree-Overflakkee"})))
    assert "Wmo-loket: 14 0187" in contact["text"] and "Gratis cliëntondersteuning: MEE Plus" in contact["text"]
    assert "Nagekeken op 4 december 2026." in contact["text"]


def test_without_a_municipality_a_button_asks_for_its_contact():
    [message] = answer(answer_entry(entry_tracker(an_entry(True).id)))
    assert {"title": "Contactgegevens van mijn gemeente", "payload": "/gemeente_contact"} in message["buttons"]


def test_a_topic_that_sends_the_resident_to_the_municipality_ends_with_its_contact():
    reply, contact = answer(answer_entry(make_tracker("wmo_aanvragen", slots={"gemeente": "Zaltbommel"})))
    assert reply["text"] == build_answer("wmo_aanvragen").render()
    assert contact["text"].startswith("Zo bereikt u de gemeente Zaltbommel:")


@pytest.mark.parametrize(
    "question, official",
    [
        ("Hoe vraag ik Wmo-hulp aan in Zaltbommel?", "Zaltbommel"),
        ("Ik woon in Hoofddorp. Hoe vraag ik hulp aan?", "Haarlemmermeer"),
        ("Mijn postcode is 3511 AB. Waar vraag ik hulp aan?", "Utrecht"),
    ],
)
def test_a_municipality_named_in_the_question_is_used_and_remembered(question, official):
    tracker = make_tracker("wmo_aanvragen", question, slots={"gemeente": "Ede"})
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN)
    reply, contact = answer(dispatcher.messages)
    assert reply["text"] == build_answer("wmo_aanvragen").render()
    assert contact["text"].startswith(f"Zo bereikt u de gemeente {official}:")
    assert SlotSet("gemeente", official) in events


def test_a_question_without_a_municipality_keeps_the_one_known():
    tracker = make_tracker(
        "wmo_aanvragen", "hoe lang duurt een aanvraag in een kleine gemeente?", slots={"gemeente": "Ede"}
    )
    dispatcher = CollectingDispatcher()
    events = ActionAnswerQuestion().run(dispatcher, tracker, DOMAIN)
    assert dispatcher.messages[1]["text"].startswith("Zo bereikt u de gemeente Ede:")
    assert not [event for event in events if event.get("name") == "gemeente"]


def test_a_topic_that_does_not_send_the_resident_to_the_municipality_has_no_contact():
    messages = answer(answer_entry(make_tracker("clientondersteuning_wat", slots={"gemeente": "Zaltbommel"})))
    assert len(messages) == 1


def test_the_knowledge_intent_without_a_chosen_entry_offers_the_topics():
    [message] = answer_entry(entry_tracker())
    assert message["response"] == "utter_fallback_topics"


def ranked(tracker, *ranking):
    tracker.latest_message["intent_ranking"] = [
        {"name": name, "confidence": confidence} for name, confidence in ranking
    ]
    return tracker


def test_a_second_likely_topic_is_offered_first_under_the_answer():
    tracker = ranked(make_tracker("wmo_bezwaar"), ("wmo_bezwaar", 0.5), ("clientondersteuning_aanvragen", 0.3))
    [message] = answer(answer_entry(tracker))
    assert message["text"] == build_answer("wmo_bezwaar").render()
    assert message["buttons"][0] == {
        "title": labels()["clientondersteuning_aanvragen"],
        "payload": "/clientondersteuning_aanvragen",
    }


def test_a_second_topic_that_is_unlikely_is_not_offered():
    tracker = ranked(make_tracker("wmo_bezwaar"), ("wmo_bezwaar", 0.9), ("pgb_wat", 0.05))
    [message] = answer(answer_entry(tracker))
    assert "/pgb_wat" not in [button["payload"] for button in message.get("buttons", [])]


def test_the_knowledge_base_as_second_question_offers_its_likeliest_entry():
    entry = an_entry(sends_to_municipality=False)
    tracker = ranked(entry_tracker(entry.id, intent="wmo_bezwaar"), ("wmo_bezwaar", 0.5), ("kennis", 0.4))
    [message] = answer(answer_entry(tracker))
    assert message["buttons"][0]["payload"] == f'/kennis{{"kennis_vraag": "{entry.id}"}}'
