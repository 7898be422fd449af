"""Talking to the Rasa server over socket.io as the widget does: a session, messages, the bot's
messages, and other events (feedback). For tests/e2e and tests/reliability."""

import asyncio
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List

import socketio


class WidgetSession:
    """One socket.io connection with one conversation (session id)."""

    def __init__(self, client: socketio.AsyncClient) -> None:
        self.client = client
        self.session_id = uuid.uuid4().hex
        self.received: List[Dict] = []
        self.confirmed, self.answered = asyncio.Event(), asyncio.Event()
        client.on("session_confirm", lambda _data: self.confirmed.set())
        client.on("bot_uttered", self._on_bot)

    async def _on_bot(self, data: Dict) -> None:
        self.received.append(data)
        self.answered.set()

    async def ask(self, text: str, answer_timeout: float = 30) -> List[Dict]:
        """The bot messages that answer `text`; asyncio.TimeoutError when none comes in time."""
        self.received, self.answered = [], asyncio.Event()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        await asyncio.wait_for(self.answered.wait(), timeout=answer_timeout)
        await asyncio.sleep(0.2)  # the rest of the turn's messages
        return self.received

    async def emit(self, event: str, data: Any) -> None:
        await self.client.emit(event, data)
        await asyncio.sleep(0.3)  # the server handles it before the test looks


@asynccontextmanager
async def widget_session(url: str) -> AsyncIterator[WidgetSession]:
    client = socketio.AsyncClient()
    session = WidgetSession(client)
    await client.connect(url, socketio_path="/socket.io", transports=["websocket"])
    try:
        await client.emit("session_request", {"session_id": session.session_id})
        await asyncio.wait_for(session.confirmed.wait(), timeout=30)
        yield session
    finally:
        await client.disconnect()


def socketio_turn(url: str, text: str, answer_timeout: float = 30) -> List[Dict]:
    """The bot messages that answer `text` in a new session; asyncio.TimeoutError when none
    comes within `answer_timeout` seconds."""

    async def talk() -> List[Dict]:
        async with widget_session(url) as session:
            return await session.ask(text, answer_timeout)

    return asyncio.run(talk())
