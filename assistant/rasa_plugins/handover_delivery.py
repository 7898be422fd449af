"""Brings a handover's messages (assistant/helpdesk/handovers.py) to the residents whose
socket.io connection this Rasa server holds.

Rasa 3.6's socket.io channel keeps a connection on the server that accepted it, and has no
shared message queue. So the staff app does not send anything itself: it writes to the mailbox
in the database, and every Rasa server looks there each second for the conversations in its own
socket.io rooms (a room is a conversation's session id). Behind a load balancer the server that
holds the resident's connection delivers; a resident who is not connected gets the messages when
the widget connects again.

Delivering is: append to the conversation (under Rasa's lock store, as a turn is) what the
resident reads, and after a hand back or a wait that ran out Rasa's ConversationResumed and
action_listen, so that the next message is answered by Wegwijzer again; then send it over
socket.io; then mark it delivered. A server that stops in between delivers it again: a message
may arrive twice, never not at all.
"""

import asyncio
import logging
from typing import Any, Callable, List, Optional

from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted, BotUttered, ConversationResumed
from sqlalchemy.exc import SQLAlchemyError

from assistant.conversations.turns import EMPLOYEE
from assistant.flows.handover import delivery_reply
from assistant.helpdesk.handovers import Delivery, Handover, HandoverStore

logger = logging.getLogger(__name__)
POLL_SECONDS = 1.0


class HandoverDelivery:
    """One per Rasa server, started with it (`start`)."""

    def __init__(self, store: HandoverStore, sio: Any, namespace: Optional[str], output: Callable[[], Any]) -> None:
        """`output` makes the channel's output (WidgetSocketIOOutput, with `send_handover_message`)."""
        self.store, self.sio, self.namespace, self.output = store, sio, namespace, output
        self.agent: Any = None
        self.task: Optional[asyncio.Task] = None

    def start(self, agent: Any) -> None:
        self.agent = agent
        self.task = asyncio.get_running_loop().create_task(self._every_second())

    async def open_for(self, sender_id: str) -> Optional[Handover]:
        """The conversation's open handover; None also when the database cannot be read (the
        message then goes to Wegwijzer, whose fault answer is kinder than silence)."""
        try:
            return await asyncio.get_running_loop().run_in_executor(None, self.store.open_for, sender_id)
        except SQLAlchemyError as error:
            logger.error("The chat queue cannot be read: %s", type(error).__name__)
            return None

    async def stop_waiting(self, sender_id: str) -> None:
        """The resident pressed "Stoppen met wachten": Wegwijzer answers again at once."""
        await asyncio.get_running_loop().run_in_executor(None, self.store.stop, sender_id)
        await self.deliver([sender_id])

    async def _every_second(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            try:
                await asyncio.get_running_loop().run_in_executor(None, self.store.time_out)
                await self.deliver(self._connected())
            except Exception as error:  # noqa: BLE001 - the loop must go on; tried again in a second
                logger.error("Chat messages not delivered this round: %s", type(error).__name__)

    def _connected(self) -> List[str]:
        """The session ids of the conversations connected to this server."""
        rooms = self.sio.manager.rooms.get(self.namespace or "/", {})
        return [room for room in rooms if isinstance(room, str)]

    async def deliver(self, sender_ids: List[str]) -> None:
        loop = asyncio.get_running_loop()
        for delivery in await loop.run_in_executor(None, self.store.pending, sender_ids):
            await self._deliver(delivery)
            await loop.run_in_executor(None, self.store.delivered, delivery.id)

    async def _deliver(self, delivery: Delivery) -> None:
        reply = delivery_reply(delivery)
        data = {"buttons": reply.buttons} if reply.buttons else {}
        async with self.agent.lock_store.lock(delivery.sender_id):
            tracker = await self.agent.processor.get_tracker(delivery.sender_id)
            if reply.resumes:
                tracker.update(ConversationResumed())
            by_employee = {EMPLOYEE: reply.employee} if reply.employee else {}
            tracker.update(BotUttered(reply.text, data=data, metadata=by_employee))
            if reply.resumes:
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
            await self.agent.processor.save_tracker(tracker)
        await self.output().send_handover_message(delivery.sender_id, reply)
