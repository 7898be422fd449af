"""The staff web app under /beheer/: sign-in, the own password, the callback queue of the
account's municipalities, and (in modules of their own) the chats with residents, the
conversations, the figures and the municipality's own data.
Server-side pages (Jinja2 templates in assistant/staff/templates/): they work with a keyboard,
a screen reader and without JavaScript; only the chat pages add a small script that keeps them
current. Roles: a wmo-raad account sees the figures, not what residents wrote (callback
requests, chats, conversations).

Security, page by page:
- a session cookie (HttpOnly, SameSite=Strict, path /beheer, Secure behind HTTPS) that holds a
  random token; the database keeps its hash (assistant/staff/accounts.py);
- every form carries the session's CSRF token (the sign-in form a token of its own, double
  submitted in a cookie); a POST without it gets 403;
- a record of another municipality answers 404, as if it did not exist;
- personal data is decrypted only on a request's own page and in the export, and both are
  written to the audit log; no page with personal data may be cached.
"""

import csv
import io
import secrets
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.conversations.store import ConversationLog
from assistant.helpdesk.callbacks import (
    STATUS_NEW,
    STATUSES,
    CallbackRequest,
    CallbackStore,
    InvalidCallbackRequest,
    clean_reference,
)
from assistant.helpdesk.handovers import HandoverStore
from assistant.review.signoffs import SignOffStore
from assistant.staff.accounts import BEHEERDER, HELPDESK, MAX_FAILURES, ROLES, StaffError, StaffSession, StaffStore
from assistant.staff.chat_pages import add_chat_pages
from assistant.staff.conversation_pages import add_conversation_pages
from assistant.staff.figure_pages import Municipalities, add_figure_pages
from assistant.staff.override_pages import LocalData, add_override_pages
from assistant.staff.pages import (
    CSRF_FIELD,
    PREFIX,
    SESSION_COOKIE,
    download,
    expire_cookie,
    page,
    same,
    scope,
    set_cookie,
    signed_in_as,
    spreadsheet_safe,
)
from assistant.staff.review_pages import Books, add_review_pages, municipality_choices
from assistant.staff.scenario_pages import add_scenario_pages
from assistant.staff.tryout_pages import add_tryout_pages
from assistant.web.blocking import blocking

SIGN_IN_COOKIE = "wegwijzer_inloggen"  # the sign-in form's own CSRF token


def staff_blueprint(
    staff: StaffStore,
    callbacks: CallbackStore,
    log: ConversationLog,
    every: Municipalities,
    local: LocalData,
    handovers: HandoverStore,
    rasa_url: str,
) -> Blueprint:
    """The routes of /beheer/ on these stores; `every` gives every municipality (code, name); the
    try-out talks to the Rasa server at `rasa_url`."""
    pages = Blueprint("beheer", url_prefix=PREFIX)

    signed_in = signed_in_as(staff, *ROLES)
    reads_residents = signed_in_as(staff, HELPDESK, BEHEERDER)  # callback requests: personal data

    @pages.get("/", strict_slashes=True)  # /beheer/, not the public files' catch-all
    @signed_in
    async def overview(request: Request, session: StaffSession) -> HTTPResponse:
        reads = session.account.role in (HELPDESK, BEHEERDER)
        queue = await blocking(callbacks.queue, scope(session), STATUS_NEW) if reads else []
        names = dict(await blocking(every))
        municipalities = [names.get(code, code) for code in session.account.municipalities]
        changed = request.args.get("wachtwoord") == "gewijzigd"
        return page("overzicht.html", session, nieuw=len(queue), gemeenten=municipalities, wachtwoord_gewijzigd=changed)

    @pages.route("/inloggen", methods=["GET", "POST"])
    async def sign_in(request: Request) -> HTTPResponse:
        if request.method == "GET":
            return _sign_in_page()
        if not same(request.form.get(CSRF_FIELD), request.cookies.get(SIGN_IN_COOKIE)):
            return _sign_in_page("Dit formulier is verlopen. Probeer het opnieuw.", 403)
        name, password = request.form.get("naam", ""), request.form.get("wachtwoord", "")
        account = await blocking(staff.sign_in, name, password, request.ip)
        if account is None:
            if await blocking(staff.name_locked_out, name):
                return _sign_in_page(f"Na {MAX_FAILURES} mislukte pogingen moet u even wachten.", 429)
            return _sign_in_page("Die naam of dat wachtwoord klopt niet.")
        token = await blocking(staff.open_session, account)
        await blocking(staff.audit, account, "aangemeld", "account")
        target = f"{PREFIX}/wachtwoord" if account.must_change_password else f"{PREFIX}/"
        redirect = response.redirect(target, status=303)
        set_cookie(redirect, request, SESSION_COOKIE, token)
        expire_cookie(redirect, SIGN_IN_COOKIE)
        return redirect

    @pages.post("/uitloggen")
    @signed_in
    async def sign_out(request: Request, session: StaffSession) -> HTTPResponse:
        await blocking(staff.close_session, request.cookies.get(SESSION_COOKIE))
        redirect = response.redirect(f"{PREFIX}/inloggen", status=303)
        expire_cookie(redirect, SESSION_COOKIE)
        return redirect

    @pages.route("/wachtwoord", methods=["GET", "POST"])
    @signed_in
    async def password(request: Request, session: StaffSession) -> HTTPResponse:
        if request.method == "GET":
            return page("wachtwoord.html", session)
        new, again = request.form.get("nieuw", ""), request.form.get("herhaling", "")
        account = session.account
        try:
            if new != again:
                raise StaffError("De twee nieuwe wachtwoorden zijn niet gelijk.")
            if not await blocking(staff.sign_in, account.name, request.form.get("huidig", ""), request.ip):
                raise StaffError("Uw huidige wachtwoord klopt niet.")
            await blocking(staff.change_password, account.name, new)
        except StaffError as error:
            return page("wachtwoord.html", session, status=400, fout=str(error))
        await blocking(staff.audit, account, "gewijzigd", "eigen wachtwoord")
        return response.redirect(f"{PREFIX}/?wachtwoord=gewijzigd", status=303)

    @pages.get("/terugbellen")
    @reads_residents
    async def queue(request: Request, session: StaffSession) -> HTTPResponse:
        chosen = request.args.get("status") if request.args.get("status") in STATUSES else None
        requests = await blocking(callbacks.queue, scope(session), chosen)
        now = datetime.now(timezone.utc)
        return page("terugbellen.html", session, verzoeken=requests, gekozen=chosen, statussen=STATUSES, nu=now)

    @pages.get("/terugbellen.csv")
    @reads_residents
    async def export(request: Request, session: StaffSession) -> HTTPResponse:
        requests = await blocking(_visible_requests, callbacks, session)
        for municipality in sorted({item.municipality_code for item in requests}):
            await blocking(staff.audit, session.account, "geexporteerd", "terugbelverzoeken", municipality)
        return download(_csv(requests), "terugbelverzoeken.csv", "text/csv")

    @pages.get("/terugbellen/<reference>")
    @reads_residents
    async def callback(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(_visible_request, callbacks, session, reference)
        if found is None:
            return _gone(session)
        note = await blocking(callbacks.note, found.reference)
        await blocking(
            staff.audit, session.account, "bekeken", f"terugbelverzoek {found.reference}", found.municipality_code
        )
        queued = await blocking(callbacks.queued, found.reference)
        return page(
            "terugbelverzoek.html",
            session,
            verzoek=found,
            wachtrij=queued,
            notitie=note,
            gelukt=request.args.get("gelukt"),
        )

    @pages.post("/terugbellen/<reference>")
    @reads_residents
    async def change_callback(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(_visible_request, callbacks, session, reference)
        if found is None:
            return _gone(session)
        action = request.form.get("actie", "")
        changes: Dict[str, Callable[[], Any]] = {
            "oppakken": lambda: callbacks.take(found.reference, session.account.name),
            "afgehandeld": lambda: callbacks.mark_handled(found.reference),
            "notitie": lambda: callbacks.set_note(found.reference, request.form.get("notitie", "")),
            "verwijderen": lambda: callbacks.delete(found.reference),
        }
        if action not in changes:
            return page("fout.html", session, status=400, melding="Deze actie ken ik niet.")
        try:
            await blocking(changes[action])
        except InvalidCallbackRequest:
            return page("fout.html", session, status=400, melding="De notitie is te lang: hoogstens 1000 tekens.")
        record = f"terugbelverzoek {found.reference}"
        await blocking(
            staff.audit,
            session.account,
            "verwijderd" if action == "verwijderen" else "gewijzigd",
            record,
            found.municipality_code,
        )
        if action == "verwijderen":
            return response.redirect(f"{PREFIX}/terugbellen?gelukt=verwijderd", status=303)
        return response.redirect(f"{PREFIX}/terugbellen/{found.reference}?gelukt={action}", status=303)

    add_chat_pages(pages, staff, handovers, log)
    add_conversation_pages(pages, staff, log)
    add_figure_pages(pages, staff, log, every)
    add_override_pages(pages, staff, local)
    books = Books(local)
    add_review_pages(pages, staff, books, SignOffStore())
    add_tryout_pages(pages, staff, log, rasa_url, lambda session: municipality_choices(books, session))
    add_scenario_pages(pages, staff, rasa_url, books)
    return pages


def _gone(session: StaffSession) -> HTTPResponse:
    """A request that does not exist, or of another municipality: the same answer."""
    return page("fout.html", session, status=404, melding="Dit terugbelverzoek bestaat niet (meer).")


def _sign_in_page(error: str = "", status: int = 200) -> HTTPResponse:
    token = secrets.token_urlsafe(32)
    answer = page("inloggen.html", None, status=status, fout=error, inlog_csrf=token)
    answer.cookies[SIGN_IN_COOKIE] = token
    for name, value in (("httponly", True), ("samesite", "Strict"), ("path", PREFIX)):
        answer.cookies[SIGN_IN_COOKIE][name] = value
    return answer


def _visible_request(callbacks: CallbackStore, session: StaffSession, reference: str) -> Optional[CallbackRequest]:
    """The request when it exists and the account may see its municipality; else None."""
    try:
        found = callbacks.get(clean_reference(reference))
    except InvalidCallbackRequest:
        return None
    return found if found and session.account.may_see(found.municipality_code) else None


def _visible_requests(callbacks: CallbackStore, session: StaffSession) -> List[CallbackRequest]:
    """Every request the account may see, decrypted: only those are decrypted."""
    return callbacks.list(municipality_codes=scope(session))


def _csv(requests: List[CallbackRequest]) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["referentie", "gemeente", "naam", "telefoon", "vraag", "ontvangen", "status"])
    for item in requests:
        row = [item.reference, item.municipality_name, item.name, item.phone, item.question]
        writer.writerow([spreadsheet_safe(value) for value in row] + [item.created_at.isoformat(), item.status])
    return output.getvalue()
