"""Talking to the Rasa server over socket.io as the widget does: a session, messages, the bot's
messages, and other events (feedback). For tests/e2e and tests/reliability."""

import asyncio
import uuid
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Dict, List, Optional, Sequence

import socketio


class WidgetSession:
    """One socket.io connection with one conversation (session id)."""

    def __init__(self, client: socketio.AsyncClient, session_id: Optional[str] = None) -> None:
        self.client = client
        self.session_id = session_id or uuid.uuid4().hex
        self.received: List[Dict] = []
        self.everything: List[Dict] = []  # every bot message of the connection
        self.read = 0  # how many of them `ask` and `pushed` returned
        self.confirmed, self.answered = asyncio.Event(), asyncio.Event()
        client.on("session_confirm", lambda _data: self.confirmed.set())
        client.on("bot_uttered", self._on_bot)

    async def _on_bot(self, data: Dict) -> None:
        self.received.append(data)
        self.everything.append(data)
        self.answered.set()

    async def ask(self, text: str, answer_timeout: float = 30, settle: float = 0.2) -> List[Dict]:
        """The bot messages that answer `text` (those within `settle` seconds after the first);
        asyncio.TimeoutError when none comes in time."""
        self.received, self.answered = [], asyncio.Event()
        self.read = len(self.everything)
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        await asyncio.wait_for(self.answered.wait(), timeout=answer_timeout)
        await asyncio.sleep(settle)  # the rest of the turn's messages
        self.read = len(self.everything)
        return self.received

    async def pushed(self, timeout: float = 15) -> List[Dict]:
        """The bot messages that came without a question (a handover's) since the last call or
        answer; waits for the first; asyncio.TimeoutError when none comes in time."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.everything) == self.read:
            if asyncio.get_running_loop().time() > deadline:
                raise asyncio.TimeoutError
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        new, self.read = self.everything[self.read :], len(self.everything)
        return new

    async def emit(self, event: str, data: Any) -> None:
        await self.client.emit(event, data)
        await asyncio.sleep(0.3)  # the server handles it before the test looks


@asynccontextmanager
async def widget_session(
    url: str, session_id: Optional[str] = None, transports: Sequence[str] = ("websocket",)
) -> AsyncIterator[WidgetSession]:
    """A connection with a new conversation, or with `session_id`'s again (a reload of the widget).
    The widget itself starts with HTTP polling: transports=("polling", "websocket")."""
    client = socketio.AsyncClient()
    session = WidgetSession(client, session_id)
    await client.connect(url, socketio_path="/socket.io", transports=list(transports))
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
