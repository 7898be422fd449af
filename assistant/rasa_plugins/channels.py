"""The Rasa server's input channels (credentials.yml): REST, and socket.io for the website
widget. Both are Rasa's, with the limits of assistant.rasa_plugins.limits checked before NLU, redaction
or the tracker store see a message, and one fix for socket.io.

- REST: a request that is not a JSON object with a conversation id ("sender") gets 400 with a
  JSON error; without a sender every client shared one conversation called "default".
- Both: a message over the maximum length gets a kind request for a shorter one and goes no
  further. Nothing a resident typed is written to the log (assistant/rasa_plugins/rasa_logging.py).
- Both: a conversation store that cannot be read or written (assistant/rasa_plugins/tracker_store.py) ends
  the turn with the kind fault message instead of an answer from a half-read conversation.
- Both: a turn always ends with an answer. When the action server does not answer its health
  check (down, or hung), the resident hears at once that something went wrong and whom to
  call; a turn that takes longer than TURN_TIMEOUT, fails, or gives no message at all ends
  with the same kind message, never with silence. So does a turn whose conversation lock cannot be
  taken (the Redis lock store unreachable).
- REST: a turn sent again with the same Idempotency-Key header (the load balancer gives every
  request one, and sends a request again when its server stopped before answering) gets the
  answer stored the first time instead of running twice (assistant/rasa_plugins/tracker_store.py).
- Both: every turn is counted and timed for /metrics (assistant/rasa_plugins/metrics.py), a
  fault message with its cause (timeout, store, lock, action_server, error, silent), and every
  refused message with its reason.
- Socket.io: while an employee of the helpdesk has the conversation (a handover, Rasa paused),
  Rasa keeps the resident's messages and answers nothing: no fault message then. While the resident
  waits, each message is acknowledged; "Stoppen met wachten" ends the wait. The employee's messages
  come through assistant/rasa_plugins/handover_delivery.py.
- Socket.io: the widget's feedback on an answer (event `feedback`) is kept in the conversation
  log (assistant/conversations/feedback.py), only for the conversation its connection joined.
- Socket.io: Rasa 3.6's SocketIOOutput.send_custom_json passes the payload's keys as keyword
  arguments to socket.io's emit(), which fails for any payload but {"data": ...}: the contact
  card never reached the widget and the conversation's next messages were lost. This channel
  sends a custom payload as one bot message {"custom": payload}, the shape REST uses.
"""

import asyncio
import json
import logging
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from rasa.core.lock_store import LockError
from redis.exceptions import RedisError
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from assistant.content import municipal_directory
from assistant.content.answers import message
from assistant.conversations.feedback import read_feedback
from assistant.conversations.store import ConversationLog
from assistant.conversations.turns import EMPLOYEE
from assistant.flows.handover import STOP_WAITING, HandoverReply
from assistant.flows.session_start import METADATA_KEY
from assistant.helpdesk.handovers import WAITING, Handover, HandoverStore
from assistant.rasa_plugins import (
    metrics,
    rasa_logging,  # noqa: F401 - keeps what residents type out of the Rasa server's logs
)
from assistant.rasa_plugins.handover_delivery import HandoverDelivery
from assistant.rasa_plugins.limits import (
    MAX_MESSAGE_LENGTH,
    MAX_REQUEST_BYTES,
    message_refusal,
    metadata_problem,
    sender_problem,
    turn_key_problem,
)
from assistant.rasa_plugins.tracker_store import RUNNING_TURN_KEY, StoreUnavailable, TurnAlreadyAnswered, store_is_up
from assistant.settings import ACTION_URL, conversation_store_url

logger = logging.getLogger(__name__)
OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
SOCKETIO_MAX_BYTES = 4 * MAX_REQUEST_BYTES  # a socket.io packet larger than this closes the connection
TURN_TIMEOUT = 20.0  # seconds for one turn; Rasa would wait up to 5 minutes for a hung action server
HEALTH_TIMEOUT = 1.0  # seconds for the action server's health check: a hung server fails it
TURN_KEY_HEADER = "Idempotency-Key"
LOCK_ERRORS = (RedisError, LockError)  # the conversation's lock could not be taken: Redis unreachable


class ActionServerHealth:
    """Whether the action server answers, asked before every turn (a local request of about a
    millisecond): without it every custom action fails, the rules fall back to "Sorry, dat
    begreep ik niet", and a hung one kept a resident waiting a minute for an empty reply.

    The request runs in a thread of its own: under load the Rasa server's event loop is busy
    with NLU for seconds, and a check timed on that loop failed while the action server was
    fine (8 to 19 of 1,000 turns with 50 residents at once got the fault message). Turns that
    arrive while a check runs share its verdict, so that a hung server costs one timeout, not
    one per waiting turn."""

    def __init__(self, webhook_url: Optional[str]) -> None:
        self.url = webhook_url.rsplit("/", 1)[0] + "/health" if webhook_url else None
        self.running: Optional[asyncio.Future] = None
        self.thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="action-server-health")

    async def is_up(self) -> bool:
        if self.url is None:
            return True
        if self.running is None or self.running.done():
            self.running = asyncio.get_running_loop().run_in_executor(self.thread, answers_health_check, self.url)
        up = await asyncio.shield(self.running)
        if not up:
            logger.error("The action server does not answer its health check: residents are told, turns are not run")
        return up


def answers_health_check(url: str) -> bool:
    """HTTP 200 within HEALTH_TIMEOUT seconds (blocking: runs in a thread)."""
    try:
        with urllib.request.urlopen(url, timeout=HEALTH_TIMEOUT) as answer:
            return answer.status == 200
    except (OSError, ValueError):  # refused, timed out, an HTTP error status
        return False


ACTION_SERVER = ActionServerHealth(ACTION_URL.get() or None)


@lru_cache(maxsize=1)
def conversation_log() -> ConversationLog:
    return ConversationLog(conversation_store_url())


def fault_reply(metadata: Optional[Dict[str, Any]]) -> str:
    """Something went wrong: say so, and whom to call. The widget's preset municipality
    (metadata) gives the number; the conversation itself may be what cannot be read."""
    code = (metadata or {}).get("gemeente")
    try:
        municipality = municipal_directory.shared().by_code(code) if isinstance(code, str) else None
    except Exception:  # the directory is only a help here: the apology is sent anyway
        logger.exception("Municipal directory not readable for the fault message")
        municipality = None
    if municipality and municipality.phone_display:
        return message("storing_gemeente", gemeente=municipality.name, telefoon=municipality.phone_display)
    return message("storing")


async def answer_surely(
    on_new_message: OnNewMessage,
    user_message: UserMessage,
    sent: Callable[[], int],
    withdraw: Callable[[], None] = lambda: None,
) -> None:
    """Runs the turn, bounded in time; a turn that cannot run or gives no message ends with
    the kind fault message. `sent` counts the messages the turn sent so far; `withdraw` takes
    back those not yet delivered, when the conversation store failed (an answer from a
    conversation that could not be read, or a turn that could not be kept). Counted and timed
    for /metrics, with the cause of a fault message."""
    preset = (user_message.metadata or {}).get(METADATA_KEY)
    with metrics.turn_measured(user_message.input_channel or metrics.UNKNOWN, preset) as turn:
        fault = await run_turn(on_new_message, user_message, withdraw)
        if fault != metrics.STORE and sent() > 0:
            fault = None  # the resident has an answer; a timeout after it needs no apology
        elif fault is None:
            fault = metrics.SILENT
        if fault:
            turn.fault = fault
            await user_message.output_channel.send_text_message(
                user_message.sender_id, fault_reply(user_message.metadata)
            )


async def run_turn(
    on_new_message: OnNewMessage, user_message: UserMessage, withdraw: Callable[[], None]
) -> Optional[str]:
    """The turn, when the action server is up; the kind of fault that stopped it (metrics'
    FAULT_KINDS), or None. Logged without the message."""
    if not await ACTION_SERVER.is_up():
        return metrics.ACTION_SERVER
    try:
        await asyncio.wait_for(on_new_message(user_message), TURN_TIMEOUT)
    except asyncio.TimeoutError:
        logger.error("A turn took longer than %s s and was stopped", TURN_TIMEOUT)
        return metrics.TIMEOUT
    except StoreUnavailable:
        withdraw()
        return metrics.STORE
    except TurnAlreadyAnswered as answered:
        for reply in answered.messages:
            await user_message.output_channel.send_response(user_message.sender_id, reply)
    except LOCK_ERRORS as error:
        logger.error("The lock store could not be reached: %s", type(error).__name__)
        return metrics.LOCK
    except Exception as error:  # noqa: BLE001 - any fault ends in the kind answer
        logger.error("A turn failed: %s", type(error).__name__)
        return metrics.ERROR
    return None


def readable(text: Any) -> Any:
    """The text as Rasa can handle it: a lone surrogate (which made Rasa log the message with its
    frame locals) becomes U+FFFD, and "/intent{" with broken JSON (which Rasa quoted in a
    warning) is read as ordinary text, without the slash."""
    if not isinstance(text, str):
        return text
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if text.startswith("/") and "{" in text:
        try:
            json.loads(text[text.index("{") :])
        except ValueError:
            return text.lstrip("/")
    return text


def refusal_reply(text: Any) -> Optional[str]:
    """The kind answer to a message that goes no further (too long, not text), or None."""
    refusal = message_refusal(text)
    if refusal is None:
        return None
    logger.info("Message not passed on: %s (%s characters)", refusal.value, len(text) if isinstance(text, str) else "-")
    metrics.count_refusal(refusal.value)
    return message(f"invoer_{refusal.value}", maximum_tekens=str(MAX_MESSAGE_LENGTH))


@dataclass(frozen=True)
class BadRequest:
    problem: str
    status: int = 400


def read_rest_request(request: Request) -> Union[Dict[str, Any], BadRequest]:
    """The request's JSON object, or why it cannot be a resident's message."""
    if len(request.body or b"") > MAX_REQUEST_BYTES:
        return BadRequest(f"the request is larger than {MAX_REQUEST_BYTES} bytes", 413)
    try:
        body = json.loads(request.body or b"")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return BadRequest('the body must be a JSON object: {"sender": "...", "message": "..."}')
    problem = (
        sender_problem(body.get("sender"))
        or metadata_problem(body.get("metadata"))
        or turn_key_problem(request.headers.get(TURN_KEY_HEADER))
    )
    return BadRequest(problem) if problem else body


class ResidentRestInput(RestInput):
    """Rasa's REST channel, at the same address (/webhooks/rest/webhook), with the limits."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("resident_rest_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            """Up when the action server and the conversation store answer: 503 otherwise."""
            parts = {"action_server": await ACTION_SERVER.is_up(), "conversation_store": store_is_up()}
            status = "ok" if all(parts.values()) else "down"
            return response.json(
                {"status": status, **{name: "ok" if up else "down" for name, up in parts.items()}},
                status=200 if status == "ok" else 503,
            )

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body = read_rest_request(request)
            if isinstance(body, BadRequest):
                return response.json({"error": body.problem}, status=body.status)
            sender, text = body["sender"], readable(body.get("message"))
            reply = refusal_reply(text)
            if reply:
                return response.json([{"recipient_id": sender, "text": reply}])
            collector = CollectingOutputChannel()
            key = request.headers.get(TURN_KEY_HEADER)
            user_message = UserMessage(
                text, collector, sender, input_channel=self.name(), message_id=key, metadata=body.get("metadata")
            )
            running = RUNNING_TURN_KEY.set(key)
            try:
                await answer_surely(
                    on_new_message, user_message, lambda: len(collector.messages), collector.messages.clear
                )
            finally:
                RUNNING_TURN_KEY.reset(running)
            return response.json(collector.messages)

        return webhook


class WidgetSocketIOOutput(SocketIOOutput):
    """Sends a custom payload as {"custom": payload}, and counts what it sends."""

    sent = 0

    async def _send_message(self, socket_id: Text, response: Any) -> None:
        await super()._send_message(socket_id, response)
        self.sent += 1

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})

    async def send_handover_message(self, recipient_id: Text, reply: HandoverReply) -> None:
        """A handover's message: the widget shows who wrote it, and knows the chat's state."""
        message: Dict[str, Any] = {"text": reply.text, "chat": reply.state}
        if reply.buttons:
            message["quick_replies"] = [{"content_type": "text", **button} for button in reply.buttons]
        if reply.employee:
            message[EMPLOYEE] = reply.employee
        await self._send_message(recipient_id, message)


class WidgetSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the limits and contact cards that arrive."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        async def answer_through_widget_output(user_message: UserMessage) -> None:
            output = WidgetSocketIOOutput(self.sio, self.bot_message_evt)
            user_message.output_channel = output
            if sender_problem(user_message.sender_id):
                logger.info("Socket.io message without a usable session id not passed on")
                return
            if metadata_problem(user_message.metadata):
                user_message.metadata = {}  # the widget's preset municipality only: the message still counts
            user_message.text = readable(user_message.text)
            reply = refusal_reply(user_message.text)
            handover = await self.handovers.open_for(user_message.sender_id) if reply is None else None
            if reply:
                await output.send_text_message(user_message.sender_id, reply)
            elif handover:
                await self.during_handover(on_new_message, user_message, handover)
            else:
                await answer_surely(on_new_message, user_message, lambda: output.sent)

        blueprint = super().blueprint(answer_through_widget_output)
        self.sio.eio.max_http_buffer_size = SOCKETIO_MAX_BYTES
        self.handovers = HandoverDelivery(
            HandoverStore(), self.sio, self.namespace, lambda: WidgetSocketIOOutput(self.sio, self.bot_message_evt)
        )

        @blueprint.listener("after_server_start")
        async def deliver_handover_messages(app: Any, _: Any) -> None:
            self.handovers.start(app.ctx.agent)

        @self.sio.on("feedback", namespace=self.namespace)
        async def feedback(sid: Text, data: Any) -> None:
            """ "Heeft dit antwoord u geholpen?": kept for the conversation the connection belongs to."""
            received = read_feedback(data)
            if received is None or received.session_id not in self.sio.rooms(sid, namespace=self.namespace):
                logger.info("Feedback not kept: not a feedback event of this connection's conversation")
                return
            try:
                await asyncio.get_running_loop().run_in_executor(None, conversation_log().record_feedback, received)
            except SQLAlchemyError as error:
                logger.error("Feedback could not be kept: %s", type(error).__name__)

        return blueprint

    async def during_handover(
        self, on_new_message: OnNewMessage, user_message: UserMessage, handover: Handover
    ) -> None:
        """Rasa keeps the message (paused, it predicts nothing); the employee reads it in the staff app."""
        output = user_message.output_channel
        if handover.status == WAITING and user_message.text.strip() == STOP_WAITING:
            await self.handovers.stop_waiting(user_message.sender_id)
            return
        try:
            await asyncio.wait_for(on_new_message(user_message), TURN_TIMEOUT)
        except Exception as error:  # noqa: BLE001 - not kept: the resident must know
            logger.error("A message during a chat with an employee was not kept: %s", type(error).__name__)
            await output.send_text_message(user_message.sender_id, fault_reply(user_message.metadata))
            return
        if handover.status == WAITING:
            await output.send_text_message(user_message.sender_id, message("chat_bewaard"))
