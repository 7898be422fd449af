"""Proefgesprek (/beheer/proef): a reviewer chats with the real assistant, with beside each reply
why Wegwijzer gave it (assistant/review/explain.py), and marks a reply with a comment for the
helpdesk's conversation review.

The staff app talks to Rasa's REST channel as a resident would, so the custom actions run. A
try-out is a conversation of its own: its sender id is derived from the account and a random
number in the page's address, so a reviewer can only open their own try-outs. Its turns are kept
in the conversation log like any other (marked as a try-out there, and left out of the figures).
"""

import hashlib
import secrets
from typing import Any, Callable, Dict, List, Optional, Tuple
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.conversations.store import REVIEWER_TAG, TRIAL_PREFIX, ConversationLog
from assistant.conversations.topics import topic_name
from assistant.flows.session_start import METADATA_KEY
from assistant.review.explain import explain_conversation, read_events
from assistant.review.scenarios import SendFailed, rest_send
from assistant.settings import conversation_store_url
from assistant.staff.accounts import ROLES, StaffSession, StaffStore
from assistant.staff.pages import PREFIX, page, signed_in_as
from assistant.web.blocking import blocking

MAX_MESSAGE = 1000  # as the widget
NONCE_LENGTH = 16


def trial_sender(account: str, nonce: str) -> str:
    """The try-out's conversation: only this account with this number reaches it."""
    return TRIAL_PREFIX + hashlib.sha256(f"{account}\n{nonce}".encode()).hexdigest()[:24]


def arrived(rasa_url: str, sender: str, text: str, municipality: str) -> bool:
    """One message to Rasa's REST channel, as a resident sends it; False when no reply came."""
    try:
        rest_send(rasa_url)(sender, text, {METADATA_KEY: municipality} if municipality else None)
    except SendFailed:
        return False
    return True


def last_buttons(events: List[Dict[str, Any]]) -> List[Tuple[str, str]]:
    """(title, payload) of the buttons under Wegwijzer's last replies: the reviewer may click them."""
    buttons: List[Tuple[str, str]] = []
    for event in events:
        if event.get("event") == "user":
            buttons = []
        elif event.get("event") == "bot":
            for button in (event.get("data") or {}).get("buttons") or []:
                buttons.append((str(button.get("title", "")), str(button.get("payload", ""))))
    return buttons


def add_tryout_pages(
    pages: Blueprint,
    staff: StaffStore,
    log: ConversationLog,
    rasa_url: str,
    choices: Callable[[StaffSession], List[Tuple[str, str]]],
) -> None:
    """`choices`: the municipalities whose website the account may try Wegwijzer on."""
    signed_in = signed_in_as(staff, *ROLES)

    @pages.get("/proef")
    @signed_in
    async def tryout(request: Request, session: StaffSession) -> HTTPResponse:
        nonce = request.args.get("gesprek", "")
        code = request.args.get("gemeente", "")[:6]
        if len(nonce) != NONCE_LENGTH * 2 or (code and not session.account.may_see(code)):
            return response.redirect(_address(secrets.token_hex(NONCE_LENGTH), code if code else ""), status=303)
        sender = trial_sender(session.account.name, nonce)
        url = conversation_store_url()
        turns = await blocking(explain_conversation, url, sender)
        buttons = last_buttons(await blocking(read_events, url, sender))
        context = dict(gesprek=nonce, gemeente=code, beurten=turns, knoppen=buttons, fout=request.args.get("fout"))
        context.update(gemeenten=await blocking(choices, session), gemarkeerd=request.args.get("gemarkeerd"))
        context.update(naam=topic_name)
        return page("proef.html", session, **context)

    @pages.post("/proef")
    @signed_in
    async def say(request: Request, session: StaffSession) -> HTTPResponse:
        nonce, code = request.form.get("gesprek", ""), request.form.get("gemeente", "")[:6]
        if len(nonce) != NONCE_LENGTH * 2 or (code and not session.account.may_see(code)):
            return page("fout.html", session, status=404, melding="Dit proefgesprek bestaat niet.")
        text = (request.form.get("knop") or request.form.get("bericht") or "").strip()
        if not text or len(text) > MAX_MESSAGE:
            return response.redirect(_address(nonce, code, fout="leeg" if not text else "lang"), status=303)
        sent = await blocking(arrived, rasa_url, trial_sender(session.account.name, nonce), text, code)
        return response.redirect(_address(nonce, code, fout=None if sent else "rasa") + "#laatste", status=303)

    @pages.post("/proef/markeer")
    @signed_in
    async def mark(request: Request, session: StaffSession) -> HTTPResponse:
        nonce, code = request.form.get("gesprek", ""), request.form.get("gemeente", "")[:6]
        position = request.form.get("positie", "")
        comment = request.form.get("opmerking", "").strip()[:MAX_MESSAGE]
        found = await blocking(log.conversation_of, trial_sender(session.account.name, nonce))
        if found is None or not position.isdigit() or not comment:
            return page("fout.html", session, status=400, melding="Schrijf bij het markeren wat er niet goed is.")
        reference, by = found[0].reference, session.account.name
        if not await blocking(log.tag, reference, int(position), REVIEWER_TAG, None, by, comment):
            return page("fout.html", session, status=404, melding="Dit bericht bestaat niet (meer).")
        await blocking(staff.audit, session.account, "gemarkeerd", f"proefgesprek {found[0].reference}", code)
        return response.redirect(_address(nonce, code, gemarkeerd=position) + f"#bericht-{position}", status=303)


def _address(nonce: str, code: str, **extra: Optional[str]) -> str:
    wanted = {"gesprek": nonce, "gemeente": code, **{key: value for key, value in extra.items() if value}}
    return f"{PREFIX}/proef?{urlencode(wanted)}"
