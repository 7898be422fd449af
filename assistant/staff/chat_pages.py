"""The chat pages of the staff app: residents who wait for an employee (assistant/helpdesk/handovers.py),
a chat with one of them, and handing the conversation back to Wegwijzer.

Only helpdesk and beheerder accounts, only for their own municipalities (another's chat answers
404). The conversation so far comes from the conversation log (masked, as stored). The pages
work without script: a button reloads them. A small script (/beheer/chat.js) asks every few
seconds for what is new and adds only the new lines, so that a screen reader announces those.
Opening a chat, taking it over, each message and handing it back are written to the audit log.
"""

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import List, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.conversations.store import ConversationLog, TurnView
from assistant.conversations.turns import EMPLOYEE_PREFIX
from assistant.helpdesk.handovers import MAX_TEXT, RECENT, TALKING, WAITING, Handover, HandoverStore, Written
from assistant.staff.accounts import BEHEERDER, HELPDESK, StaffSession, StaffStore
from assistant.staff.pages import PREFIX, page, scope, signed_in_as
from assistant.web.blocking import blocking

RESIDENT, WEGWIJZER, EMPLOYEE = "Inwoner", "Wegwijzer", "Medewerker"
AUDITED_AS = {"overnemen": "overgenomen", "bericht": "bericht gestuurd", "teruggeven": "teruggegeven"}


@dataclass(frozen=True)
class ChatLine:
    number: int
    who: str
    text: str
    at: datetime


def chat_lines(turns: List[TurnView]) -> List[ChatLine]:
    """The conversation as the resident saw it, line by line (the log leaves out the widget's
    opening), an employee's replies marked."""
    lines: List[ChatLine] = []
    for turn in turns:
        lines.append(ChatLine(len(lines) + 1, RESIDENT, turn.text, turn.at))
        for reply in turn.replies:
            employee = reply.startswith(EMPLOYEE_PREFIX)
            text = reply[len(EMPLOYEE_PREFIX) :] if employee else reply
            lines.append(ChatLine(len(lines) + 1, EMPLOYEE if employee else WEGWIJZER, text, turn.at))
    return lines


def minutes_since(moment: datetime, now: datetime) -> int:
    return max(0, int((now - moment).total_seconds() // 60))


def add_chat_pages(pages: Blueprint, staff: StaffStore, handovers: HandoverStore, log: ConversationLog) -> None:
    """The routes under /beheer/chat."""
    reads_residents = signed_in_as(staff, HELPDESK, BEHEERDER)

    def visible(session: StaffSession, reference: str) -> Optional[Handover]:
        found = handovers.get(reference[:16])
        return found if found and session.account.may_see(found.municipality_code) else None

    @pages.get("/chat")
    @reads_residents
    async def queue(request: Request, session: StaffSession) -> HTTPResponse:
        chats = await blocking(handovers.queue, scope(session))
        template = "chat_lijst_deel.html" if request.args.get("deel") else "chat_lijst.html"
        now = datetime.now(timezone.utc)
        waiting = sum(chat.status == WAITING for chat in chats)
        hours = int(RECENT.total_seconds() // 3600)
        return page(template, session, chats=chats, wachtend=waiting, nu=now, minuten=minutes_since, uren=hours)

    @pages.get("/chat/<reference>")
    @reads_residents
    async def chat(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(visible, session, reference)
        if found is None:
            return _gone(session)
        part = bool(request.args.get("deel"))
        if not part:
            await blocking(staff.audit, session.account, "bekeken", f"chat {found.reference}", found.municipality_code)
        return await _chat_page(request, session, found, "chat_deel.html" if part else "chat.html")

    async def _chat_page(
        request: Request, session: StaffSession, found: Handover, template: str, status: int = 200, **extra: str
    ) -> HTTPResponse:
        conversation = await blocking(log.conversation_of, found.sender_id)
        underway: List[Written] = await blocking(handovers.undelivered, found.reference)
        return page(
            template,
            session,
            status=status,
            chat=found,
            regels=chat_lines(conversation[1]) if conversation else [],
            onderweg=underway,
            mijn=found.status == TALKING and found.taken_by == session.account.name,
            maximum=MAX_TEXT,
            gelukt=request.args.get("gelukt", ""),
            **extra,
        )

    @pages.post("/chat/<reference>")
    @reads_residents
    async def change(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(visible, session, reference)
        if found is None:
            return _gone(session)
        action, name = request.form.get("actie", ""), session.account.name
        if action == "overnemen":
            done = await blocking(handovers.take, found.reference, name)
            problem = "Iemand anders heeft deze chat al overgenomen, of de inwoner wacht niet meer."
        elif action == "bericht" and found.taken_by == name:
            text = request.form.get("bericht", "")
            done = await blocking(handovers.write, found.reference, text, name)
            problem = "Dit bericht is niet verstuurd: het is leeg, of de chat is afgesloten."
        elif action == "teruggeven" and found.taken_by == name:
            done = await blocking(handovers.hand_back, found.reference, name)
            problem = "Deze chat is al afgesloten."
        else:
            return page("fout.html", session, status=400, melding="Deze actie kan hier niet.")
        if not done:
            fresh = await blocking(visible, session, found.reference)
            return await _chat_page(request, session, fresh, "chat.html", status=409, fout=problem)
        await blocking(
            staff.audit, session.account, AUDITED_AS[action], f"chat {found.reference}", found.municipality_code
        )
        return response.redirect(f"{PREFIX}/chat/{found.reference}?gelukt={action}", status=303)


def _gone(session: StaffSession) -> HTTPResponse:
    return page("fout.html", session, status=404, melding="Deze chat bestaat niet (meer).")
