"""Rasa's socket.io channel, with custom payloads that arrive.

Rasa 3.6's SocketIOOutput.send_custom_json passes the payload's keys as keyword arguments
to socket.io's emit(), which fails for any payload but {"data": ...}: the contact card
(assistant/contact.py) never reached the widget and the conversation's next messages were
lost. This channel sends a custom payload as one bot message {"custom": payload}, the
shape the REST channel uses. Configured in credentials.yml."""

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint


class WidgetSocketIOOutput(SocketIOOutput):
    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, {"custom": json_message})


class WidgetSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> Text:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def answer_through_widget_output(message: UserMessage) -> None:
            message.output_channel = WidgetSocketIOOutput(self.sio, self.bot_message_evt)
            await on_new_message(message)

        return super().blueprint(answer_through_widget_output)
