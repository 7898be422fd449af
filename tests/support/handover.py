"""A resident who asks the helpdesk of Zutphen for a chat, over socket.io: for the handover tests
(tests/e2e/test_handover.py) and the same through the load balancer (tests/scale_out/)."""

from typing import Dict, List

from assistant.content.answers import message
from tests.support.socketio_client import WidgetSession


def texts(messages: List[Dict]) -> str:
    return "\n".join(item.get("text") or "" for item in messages)


def payloads(messages: List[Dict]) -> List[str]:
    return [reply["payload"] for item in messages for reply in item.get("quick_replies") or []]


async def waiting_in_zutphen(resident: WidgetSession) -> None:
    assert "In welke gemeente woont u?" in texts(await resident.ask("ik wil een mens spreken"))
    offer = await resident.ask("Zutphen", settle=1.5)  # two messages and a card
    assert payloads(offer) == ["/chat_request", "/callback_request", "/deny"], offer
    waiting = await resident.ask("/chat_request", settle=1.0)
    assert message("chat_wachten", gemeente="Zutphen", minuten="5") in texts(waiting)
    assert payloads(waiting) == ["/stop_wachten"] and {"custom": {"type": "chat", "stand": "wachtend"}} in waiting
