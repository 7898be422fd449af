"""End to end: the real action server and Rasa server, talked to in Dutch.

Starts both servers on free ports with a temporary tracker database, as
`./wegwijzer start` does, and uses the REST and socket.io channels.
"""

import asyncio
import sqlite3
import time
from typing import Callable

import pytest
from sqlalchemy import create_engine
from sqlalchemy import text as text_clause

from assistant.content.answers import build_answer
from assistant.content.facts import load_facts
from assistant.content.knowledge import knowledge_answer
from assistant.conversations.feedback import FEEDBACK_REQUEST
from assistant.conversations.store import ConversationFilter, ConversationLog
from municipalities import Directory
from municipalities.override_versions import OverrideVersions
from tests.support.replies import joined
from tests.support.socketio_client import socketio_turn, widget_session


def test_greeting_offers_the_topics_as_buttons(chat):
    replies = chat("hallo")
    assert "Wegwijzer" in joined(replies)
    assert [button["title"] for button in replies[0]["buttons"]][:3] == [
        "Cliëntondersteuning",
        "Eigen bijdrage Wmo",
        "Pgb",
    ]


def test_phone_number_of_a_named_municipality(chat, directory: Directory):
    utrecht = directory.by_code("GM0344")
    text = joined(chat("Wat is het telefoonnummer van de gemeente Utrecht?"))
    assert f"Telefoon: {utrecht.phone.display}" in text and "Bron: Register van Overheidsorganisaties" in text


def test_local_data_saved_in_the_staff_app_reaches_the_running_assistant(chat, directory_url):
    versions = OverrideVersions(directory_url)
    question = "Wat is het telefoonnummer van de gemeente Zutphen?"
    assert "Het Wmo-loket van de gemeente Zutphen" not in joined(chat(question))
    document = "gemeente: GM0301\nbron: https://www.zutphen.nl/wmo\ngecontroleerd: 2026-12-01\n"
    versions.save("GM0301", document + "wmo_loket:\n  naam: Loket Zutphen\n  telefoon: 14 0575\n", "test", based_on=0)
    try:
        text = joined(chat(question))
        assert "Het Wmo-loket van de gemeente Zutphen: Loket Zutphen\nTelefoon: 14 0575" in text, text
    finally:
        with create_engine(directory_url).begin() as connection:  # the other tests know Zutphen without it
            connection.execute(text_clause("DELETE FROM override_versions WHERE cbs_code = 'GM0301'"))


def test_amount_of_the_eigen_bijdrage_comes_from_the_facts(chat):
    tariff = load_facts().tariff(2024)
    text = joined(chat("hoeveel is de eigen bijdrage voor de wmo in 2024"))
    assert f"€ {tariff.amount}" in text and "Bron" in text


def test_form_asks_the_municipality_gives_a_second_chance_and_remembers_it(chat, directory: Directory):
    assert "In welke gemeente woont u?" in joined(chat("Waar vind ik cliëntondersteuning?"))
    assert "Ik ken geen gemeente of woonplaats met de naam" in joined(chat("Bnk"))
    text = joined(chat("Zwolle"))  # no organisations per group there: no question about the kind of question
    assert "Waar gaat uw vraag vooral over?" not in text
    assert f"Telefoon: {directory.by_code('GM0193').phone.display}" in text
    assert "gemeente Zwolle" in joined(chat("wat is het adres van de gemeente"))


def test_a_place_gives_its_municipality_with_the_local_data_before_the_general_number(chat):
    text = joined(chat("ik woon in Hoofddorp"))  # the channel sends each paragraph as a message
    order = [
        "Hoofddorp ligt in de gemeente Haarlemmermeer.",
        "Het Wmo-loket van de gemeente Haarlemmermeer: Sociale Dienstverlening\nTelefoon: 0900 1852",
        "Nagekeken op",
        "Het algemene nummer en adres van de gemeente Haarlemmermeer:",
        "Bron: Register van Overheidsorganisaties",
    ]
    positions = [text.find(part) for part in order]
    assert -1 not in positions and positions == sorted(positions), text


def test_a_postcode_gives_amsterdam(chat):
    text = joined(chat("1011AB"))
    assert "Postcode 1011 hoort bij de gemeente Amsterdam." in text
    assert "Het algemene nummer en adres van de gemeente Amsterdam:" in text


def test_a_postcode_as_the_answer_to_the_question(chat):
    assert "In welke gemeente woont u?" in joined(chat("hoe bereik ik het wmo loket"))
    assert "Postcode 3511 hoort bij de gemeente Utrecht." in joined(chat("3511 AB"))


def test_an_ambiguous_place_offers_a_choice_and_a_button_gives_the_contact(chat):
    replies = chat("mijn moeder woont in Hoenderloo")
    assert "Hoenderloo vind ik in twee gemeenten: Apeldoorn en Ede." in joined(replies)
    buttons = {button["title"]: button["payload"] for reply in replies for button in reply.get("buttons", [])}
    assert set(buttons) == {"Apeldoorn", "Ede"}
    assert "Dit zijn de contactgegevens van de gemeente Ede:" in joined(chat(buttons["Ede"]))


def test_wlz_clientondersteuning_goes_through_the_zorgkantoor(chat):
    text = joined(chat("ik heb een wlz indicatie, wie helpt mij met cliëntondersteuning?"))
    assert (
        "Hebt u een Wlz-indicatie? Dan krijgt u cliëntondersteuning via het zorgkantoor." in text and "Bronnen:" in text
    )


def test_a_question_for_the_municipality_gets_its_contact_data_once_it_is_known(chat, directory: Directory):
    chat("ik woon in Zwolle")
    text = joined(chat("mijn paspoort is verlopen, hoe vraag ik een nieuwe aan?"))
    assert "Dat is een vraag voor de gemeente Zwolle." in text
    assert f"Telefoon: {directory.by_code('GM0193').phone.display}" in text


def test_a_question_for_another_organisation_gets_that_organisation_not_the_municipality(chat):
    chat("ik woon in Zwolle")
    text = joined(chat("Wanneer krijg je kinderbijslag?"))
    assert text.startswith("Daarvoor kunt u terecht bij de SVB, niet bij de gemeente.")
    assert "www.svb.nl" in text and "Zwolle" not in text


def test_asking_for_english_gets_the_english_introduction_with_the_topics(chat):
    replies = chat("Hello, do you speak English?")
    assert joined(replies).startswith("Hello, I am Wegwijzer. Yes, you can ask your question in English.")
    assert [button["title"] for button in replies[-1]["buttons"]][:3] == [
        "Cliëntondersteuning",
        "Eigen bijdrage Wmo",
        "Pgb",
    ]


def test_an_english_question_about_a_topic_gets_its_english_answer(chat):
    replies = chat("what is a personal budget")  # a training example: this tests the English answer, not NLU
    assert replies[0]["text"] == build_answer("pgb_wat", language="en").render()


def test_a_knowledge_base_question_gets_its_entry_with_sources_and_related_questions(chat):
    replies = chat("Kan ik de rekening van het CAK in termijnen betalen?")
    assert replies[0]["text"] == knowledge_answer("cak_betalingsregeling").render()
    assert replies[0]["buttons"]


def test_an_answer_that_sends_the_resident_to_the_municipality_ends_with_its_contact(chat, directory: Directory):
    chat("ik woon in Zaltbommel")
    replies = chat("Hoe vraag ik hulp aan bij de Wmo?")
    assert replies[0]["text"] == build_answer("wmo_aanvragen").render()
    assert replies[1]["text"].startswith("Zo bereikt u de gemeente Zaltbommel:")
    assert directory.by_code("GM0297").phone_display in replies[1]["text"]


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * 10_000, "🙂🙂🙂", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>"]
)
def test_bad_input_gets_a_kind_answer(chat, text):
    replies = chat(text)
    assert replies and all(reply.get("text") for reply in replies)
    assert all("Traceback" not in reply["text"] and "<" not in reply["text"] for reply in replies)


def test_a_bsn_is_not_stored_in_clear_text(chat, servers):
    chat("mijn bsn is 111222333, wat is een pgb?")
    with sqlite3.connect(servers["tracker_db"]) as connection:
        stored = "\n".join(row[0] for row in connection.execute("select data from events"))
    assert "111222333" not in stored and "[BSN]" in stored


def test_socketio_client_receives_the_reply(servers):
    replies = socketio_turn(servers["url"], "wat is een pgb")
    assert "persoonsgebonden budget" in replies[0]["text"]


def eventually(found: Callable[[], list], seconds: float = 5.0) -> list:
    """What `found` gives once it is not empty, asking again for up to `seconds`."""
    deadline = time.monotonic() + seconds
    while not (result := found()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


def test_an_answer_asks_for_feedback_and_the_feedback_is_kept_masked_for_its_own_conversation(servers):
    async def talk() -> str:
        async with widget_session(servers["url"]) as resident, widget_session(servers["url"]) as other:
            replies = await resident.ask("wat is een pgb")
            assert {"custom": FEEDBACK_REQUEST} in replies
            comment = "Bel mij op 06-12345678"
            await resident.emit("feedback", {"session_id": resident.session_id, "turn": 1, "helped": False})
            feedback = {"session_id": resident.session_id, "turn": 1, "helped": False, "comment": comment}
            await resident.emit("feedback", feedback)
            await other.emit("feedback", {**feedback, "helped": True})  # another connection's conversation
            await resident.emit("feedback", {"session_id": resident.session_id, "turn": "1", "helped": True})
            return resident.session_id

    asyncio.run(talk())
    log = ConversationLog(f"sqlite:///{servers['tracker_db']}")
    [conversation] = eventually(
        lambda: log.conversations(ConversationFilter(feedback="nee"))[1]
    )  # written in the background
    [turn] = log.conversation(conversation.reference)[1]
    assert (turn.text, turn.helped, turn.comment) == ("wat is een pgb", False, "Bel mij op [telefoonnummer]")
