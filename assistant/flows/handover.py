"""The handover flows: where a resident reaches a person at the municipality (`handover_form`),
and a chat with an employee of its helpdesk in Wegwijzer itself (`chat_form`).

Where to call: the Wmo-loket when the municipality's own data gives its number (with opening
hours), else the municipality's general number. A chat: only in the widget (socket.io, which can
bring an employee's messages; REST answers one request at a time), and only while the helpdesk
chats (the municipality's chat times in its local data); otherwise the resident gets where to call
and the offer of a call back."""

from dataclasses import dataclass, field
from datetime import datetime, time
from typing import List, Optional, Tuple
from zoneinfo import ZoneInfo

from assistant.content.answers import message
from assistant.helpdesk.handovers import ENDED, TAKEN, TEXT, TIMED_OUT, Delivery
from municipalities.directory import Municipality
from municipalities.overrides import WEEKDAYS, LiveChat, Override

TIME_ZONE = ZoneInfo("Europe/Amsterdam")
CHAT_CHANNEL = "socketio"  # the widget's
STOP_WAITING = "/stop_wachten"  # the button while a resident waits; the channel reads it (paused, Rasa would not)
# The chat's state as the widget keeps it (widget.js): no "typt een antwoord" while a person writes.
CHAT_WAITING, CHAT_TALKING, CHAT_DONE = "wachtend", "in gesprek", "klaar"


def where_to_call(municipality: Municipality, override: Optional[Override]) -> str:
    desk = override.wmo_desk if override and override.wmo_desk and override.wmo_desk.phone else None
    if desk is None:
        return message("mens_gemeente", gemeente=municipality.name, telefoon=municipality.phone_display or "")
    text = message("mens_wmo_loket", gemeente=municipality.name, telefoon=desk.phone.display)
    return f"{text} {message('mens_open', open=desk.opening_hours)}" if desk.opening_hours else text


def local_now() -> datetime:
    return datetime.now(TIME_ZONE)


def chat_now(override: Optional[Override], channel: Optional[str], now: datetime) -> Optional[LiveChat]:
    """The municipality's chat when a resident on this channel can chat at this moment."""
    chat = override.chat if override else None
    return chat if chat and channel == CHAT_CHANNEL and chat.is_open(now.astimezone(TIME_ZONE)) else None


def chat_times(chat: LiveChat) -> str:
    """ "maandag 09:00-17:00, dinsdag 09:00-12:30" """
    return ", ".join(
        f"{WEEKDAYS[day]} {start:%H:%M}-{'24:00' if end == time.max else format(end, '%H:%M')}"
        for day, (start, end) in sorted(chat.hours.items())
    )


def no_chat_reason(municipality: Municipality, override: Optional[Override], channel: Optional[str]) -> str:
    """Why the resident cannot chat now, in the resident's words."""
    chat = override.chat if override else None
    if chat is None:
        return message("chat_geen", gemeente=municipality.name)
    if channel != CHAT_CHANNEL:
        return message("chat_alleen_widget", gemeente=municipality.name)
    return message("chat_gesloten", gemeente=municipality.name, tijden=chat_times(chat))


def waiting_buttons() -> List[dict]:
    return [{"title": message("chat_stop_knop"), "payload": STOP_WAITING}]


def waiting_state() -> dict:
    """The custom message that tells the widget the resident waits for an employee."""
    return {"type": "chat", "stand": CHAT_WAITING}


def person_offer(municipality: str, chat_open: bool) -> Tuple[str, List[dict]]:
    """What follows where to call: the chat now (when the helpdesk chats), a call back, or neither."""
    offer = message("chat_aanbod", gemeente=municipality) + " " if chat_open else ""
    return offer + message("mens_terugbellen_aanbod", gemeente=municipality), person_buttons(chat_open)


def chat_refused(reason: str, municipality: Municipality, override: Optional[Override]) -> str:
    """Why there is no chat now, and where to call instead."""
    return f"{reason} {where_to_call(municipality, override)}"


def person_buttons(chat_open: bool) -> List[dict]:
    """The choices after where to call: chat (when the helpdesk chats now), a call back, or neither."""
    chat_button = [{"title": message("chat_knop"), "payload": "/chat_request"}] if chat_open else []
    return [
        *chat_button,
        {"title": message("terugbellen_knop"), "payload": "/callback_request"},
        {"title": message("nee_dank_u_knop"), "payload": "/deny"},
    ]


@dataclass(frozen=True)
class HandoverReply:
    """What the resident reads for a mailbox row: the employee's text (`employee`: the
    municipality), or Wegwijzer saying what happened, with the offer of a call back when nobody
    came; `state` is the chat's state for the widget."""

    text: str
    state: str  # CHAT_TALKING or CHAT_DONE
    buttons: List[dict] = field(default_factory=list)
    employee: Optional[str] = None

    @property
    def resumes(self) -> bool:
        return self.state == CHAT_DONE


def delivery_reply(delivery: Delivery) -> HandoverReply:
    name = delivery.municipality_name
    if delivery.kind == TEXT:
        return HandoverReply(delivery.text or "", CHAT_TALKING, employee=name)
    if delivery.kind == TAKEN:
        return HandoverReply(message("chat_overgenomen", gemeente=name), CHAT_TALKING)
    if delivery.kind == ENDED:
        return HandoverReply(message("chat_teruggegeven"), CHAT_DONE)
    if delivery.kind == TIMED_OUT:
        return HandoverReply(message("chat_niemand_vrij", gemeente=name), CHAT_DONE, person_buttons(False))
    return HandoverReply(message("chat_gestopt", gemeente=name), CHAT_DONE, person_buttons(False))
