"""One turn over socket.io, as the widget talks to the Rasa server: a session, a message, the
bot's messages. For tests/e2e and tests/reliability."""

import asyncio
import uuid
from typing import Dict, List

import socketio


def socketio_turn(url: str, text: str, answer_timeout: float = 30) -> List[Dict]:
    """The bot messages that answer `text` in a new session; asyncio.TimeoutError when none
    comes within `answer_timeout` seconds."""

    async def talk() -> List[Dict]:
        client = socketio.AsyncClient()
        session_id = uuid.uuid4().hex
        received: List[Dict] = []
        confirmed, answered = asyncio.Event(), asyncio.Event()
        client.on("session_confirm", lambda _data: confirmed.set())

        @client.on("bot_uttered")
        async def on_bot(data: Dict) -> None:
            received.append(data)
            answered.set()

        await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
        try:
            await client.emit("session_request", {"session_id": session_id})
            await asyncio.wait_for(confirmed.wait(), timeout=30)
            await client.emit("user_uttered", {"message": text, "session_id": session_id})
            await asyncio.wait_for(answered.wait(), timeout=answer_timeout)
            await asyncio.sleep(0.2)  # the rest of the turn's messages
        finally:
            await client.disconnect()
        return received

    return asyncio.run(talk())
