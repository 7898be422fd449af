"""End to end: a resident in the widget's channel (socket.io) asks for a person while the
municipality's helpdesk chats, waits, is taken over, chats with the employee while Wegwijzer
stays silent, and is handed back; a wait that runs out and a resident who stops waiting are
offered a call back. The staff side is the handover store the staff app uses (its pages have
their own tests); the messages reach the resident through the Rasa server's mailbox delivery."""

import asyncio
import sqlite3
from datetime import datetime, timedelta
from typing import Iterator

import pytest

from assistant.content.answers import message
from assistant.conversations.store import ConversationLog
from assistant.conversations.turns import PERSON
from assistant.helpdesk.handovers import HANDED_BACK, NOBODY, STOPPED, TALKING, HandoverStore
from tests.support.handover import payloads, texts, waiting_in_zutphen
from tests.support.overrides import chats_always
from tests.support.socketio_client import widget_session


@pytest.fixture(scope="module")
def zutphen_chats(servers, directory_url) -> Iterator[None]:
    """Zutphen's helpdesk chats at every hour, for this module only."""
    with chats_always(directory_url, "GM0301", "zutphen"):
        yield


@pytest.fixture
def handovers(servers) -> HandoverStore:
    return HandoverStore(servers["callback_url"], key=servers["callback_key"])


def test_a_resident_is_taken_over_chats_with_an_employee_and_is_handed_back(servers, zutphen_chats, handovers):
    async def talk() -> str:
        async with widget_session(servers["url"]) as resident:
            await waiting_in_zutphen(resident)
            acknowledged = await resident.ask("Mijn moeder kan niet meer alleen douchen")
            assert texts(acknowledged) == message("chat_bewaard")

            reference = handovers.open_for(resident.session_id).reference
            assert handovers.take(reference, "anna")
            taken = await resident.pushed()
            assert taken == [{"text": message("chat_overgenomen", gemeente="Zutphen"), "chat": "in gesprek"}]

            assert handovers.write(reference, "Goedemiddag, ik ben Anna van het Wmo-loket.", "anna")
            written = await resident.pushed()
            assert written == [
                {"text": "Goedemiddag, ik ben Anna van het Wmo-loket.", "chat": "in gesprek", "medewerker": "Zutphen"}
            ]
            with pytest.raises(asyncio.TimeoutError):  # Wegwijzer is silent: the employee answers
                await resident.ask("Wat moet ik nu doen?", answer_timeout=3)
            assert handovers.write(reference, "Ik bel u vanmiddag.", "anna")
            assert texts(await resident.pushed()) == "Ik bel u vanmiddag."

            assert handovers.hand_back(reference, "anna")
            back = await resident.pushed()
            assert back == [{"text": message("chat_teruggegeven"), "chat": "klaar"}]
            assert "persoonsgebonden budget" in texts(await resident.ask("Wat is een pgb?"))
            assert handovers.pending([resident.session_id]) == []
            assert handovers.get(reference).status == HANDED_BACK
            return resident.session_id

    session_id = asyncio.run(talk())
    turns = ConversationLog(f"sqlite:///{servers['tracker_db']}").conversation_of(session_id)[1]
    by_text = {turn.text: turn for turn in turns}
    assert by_text["Mijn moeder kan niet meer alleen douchen"].outcome == PERSON
    assert by_text["Wat moet ik nu doen?"].outcome == PERSON
    assert "Medewerker: Ik bel u vanmiddag." in by_text["Wat moet ik nu doen?"].replies
    assert by_text["Wat is een pgb?"].outcome != PERSON
    resident_texts = [turn.text for turn in turns]
    assert resident_texts.count("Wat moet ik nu doen?") == 1  # kept once, in order
    assert resident_texts.index("Mijn moeder kan niet meer alleen douchen") < resident_texts.index("Wat is een pgb?")


def test_a_wait_that_runs_out_offers_a_call_back(servers, zutphen_chats, handovers):
    async def talk() -> None:
        async with widget_session(servers["url"]) as resident:
            await waiting_in_zutphen(resident)
            reference = handovers.open_for(resident.session_id).reference
            with sqlite3.connect(servers["callback_db"]) as database:  # five minutes pass
                past = (datetime.utcnow() - timedelta(seconds=1)).isoformat(sep=" ")
                database.execute("UPDATE handovers SET wait_until = ? WHERE reference = ?", (past, reference))
            nobody = await resident.pushed()
            assert texts(nobody) == message("chat_niemand_vrij", gemeente="Zutphen")
            assert payloads(nobody) == ["/callback_request", "/deny"] and nobody[0]["chat"] == "klaar"
            assert handovers.get(reference).status == NOBODY and not handovers.take(reference, "anna")
            assert "Wat is uw naam?" in texts(await resident.ask("/callback_request"))

    asyncio.run(talk())


def test_a_resident_who_stops_waiting_is_answered_by_wegwijzer_again(servers, zutphen_chats, handovers):
    async def talk() -> None:
        async with widget_session(servers["url"]) as resident:
            await waiting_in_zutphen(resident)
            reference = handovers.open_for(resident.session_id).reference
            stopped = await resident.ask("/stop_wachten")
            assert texts(stopped) == message("chat_gestopt", gemeente="Zutphen")
            assert payloads(stopped) == ["/callback_request", "/deny"]
            assert handovers.get(reference).status == STOPPED
            assert "persoonsgebonden budget" in texts(await resident.ask("Wat is een pgb?"))

    asyncio.run(talk())


def test_messages_written_while_the_resident_is_away_arrive_when_the_widget_connects_again(
    servers, zutphen_chats, handovers
):
    async def talk() -> None:
        async with widget_session(servers["url"]) as resident:
            await waiting_in_zutphen(resident)
            session_id = resident.session_id
        reference = handovers.open_for(session_id).reference
        handovers.take(reference, "anna")
        handovers.write(reference, "Bent u er nog?", "anna")
        await asyncio.sleep(2)  # no connection: nothing is delivered
        assert len(handovers.pending([session_id])) == 2
        async with widget_session(servers["url"], session_id) as again:
            arrived = await again.pushed()
            assert texts(arrived) == message("chat_overgenomen", gemeente="Zutphen") + "\nBent u er nog?"
        assert handovers.get(reference).status == TALKING and handovers.pending([session_id]) == []

    asyncio.run(talk())
