"""The staff web app under /beheer/: sign-in, the own password, and the callback queue of the
account's municipalities. Server-side pages (Jinja2 templates in assistant/staff/templates/),
no script: they work with a keyboard, a screen reader and without JavaScript.

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
import hmac
import io
import secrets
from datetime import datetime, timezone
from functools import wraps
from typing import Any, Awaitable, Callable, Dict, List, Optional

from jinja2 import Environment, PackageLoader, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.helpdesk.callbacks import (
    STATUS_NEW,
    STATUSES,
    CallbackRequest,
    CallbackStore,
    InvalidCallbackRequest,
    clean_reference,
)
from assistant.staff.accounts import IDLE_MINUTES, MAX_FAILURES, StaffError, StaffSession, StaffStore
from assistant.web.blocking import blocking

PREFIX = "/beheer"
SESSION_COOKIE = "wegwijzer_beheer"
SIGN_IN_COOKIE = "wegwijzer_inloggen"  # the sign-in form's own CSRF token
CSRF_FIELD = "csrf"
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

Handler = Callable[..., Awaitable[HTTPResponse]]

templates = Environment(
    loader=PackageLoader("assistant.staff", "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True
)


def staff_blueprint(staff: StaffStore, callbacks: CallbackStore, names: Callable[[str], str] = str) -> Blueprint:
    """The routes of /beheer/ on these stores; `names` gives a municipality's name for its CBS code."""
    pages = Blueprint("beheer", url_prefix=PREFIX)

    def signed_in(handler: Handler) -> Handler:
        """Only with a live session; a POST only with its CSRF token; a one-time password
        only leads to the page where it is changed."""

        @wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            session = await blocking(staff.session, request.cookies.get(SESSION_COOKIE))
            if session is None:
                return response.redirect(f"{PREFIX}/inloggen", status=303)
            if request.method == "POST" and not _same(request.form.get(CSRF_FIELD), session.csrf_token):
                return page("fout.html", session, status=403, melding="Dit formulier is verlopen. Probeer het opnieuw.")
            if session.account.must_change_password and handler.__name__ != "password":
                return response.redirect(f"{PREFIX}/wachtwoord", status=303)
            return await handler(request, session, *args, **kwargs)

        return checked

    @pages.get("/", strict_slashes=True)  # /beheer/, not the public files' catch-all
    @signed_in
    async def overview(request: Request, session: StaffSession) -> HTTPResponse:
        queue = await blocking(callbacks.queue, _scope(session), STATUS_NEW)
        municipalities = [await blocking(names, code) for code in session.account.municipalities]
        changed = request.args.get("wachtwoord") == "gewijzigd"
        return page("overzicht.html", session, nieuw=len(queue), gemeenten=municipalities, wachtwoord_gewijzigd=changed)

    @pages.route("/inloggen", methods=["GET", "POST"])
    async def sign_in(request: Request) -> HTTPResponse:
        if request.method == "GET":
            return _sign_in_page()
        if not _same(request.form.get(CSRF_FIELD), request.cookies.get(SIGN_IN_COOKIE)):
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
        _set_cookie(redirect, request, SESSION_COOKIE, token)
        _expire_cookie(redirect, SIGN_IN_COOKIE)
        return redirect

    @pages.post("/uitloggen")
    @signed_in
    async def sign_out(request: Request, session: StaffSession) -> HTTPResponse:
        await blocking(staff.close_session, request.cookies.get(SESSION_COOKIE))
        redirect = response.redirect(f"{PREFIX}/inloggen", status=303)
        _expire_cookie(redirect, SESSION_COOKIE)
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
    @signed_in
    async def queue(request: Request, session: StaffSession) -> HTTPResponse:
        chosen = request.args.get("status") if request.args.get("status") in STATUSES else None
        requests = await blocking(callbacks.queue, _scope(session), chosen)
        now = datetime.now(timezone.utc)
        return page("terugbellen.html", session, verzoeken=requests, gekozen=chosen, statussen=STATUSES, nu=now)

    @pages.get("/terugbellen.csv")
    @signed_in
    async def export(request: Request, session: StaffSession) -> HTTPResponse:
        requests = await blocking(_visible_requests, callbacks, session)
        for municipality in sorted({item.municipality_code for item in requests}):
            await blocking(staff.audit, session.account, "geexporteerd", "terugbelverzoeken", municipality)
        headers = {**NO_STORE, "Content-Disposition": 'attachment; filename="terugbelverzoeken.csv"'}
        return response.text(_csv(requests), content_type="text/csv; charset=utf-8", headers=headers)

    @pages.get("/terugbellen/<reference>")
    @signed_in
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
    @signed_in
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

    return pages


def page(template: str, session: Optional[StaffSession], status: int = 200, **context: Any) -> HTTPResponse:
    """A page of the app: never cached, with the session's CSRF token for its forms."""
    html = templates.get_template(template).render(
        account=session.account if session else None,
        csrf=session.csrf_token if session else "",
        idle_minutes=IDLE_MINUTES,
        **context,
    )
    return response.html(html, status=status, headers=NO_STORE)


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


def _set_cookie(answer: HTTPResponse, request: Request, name: str, value: str) -> None:
    answer.cookies[name] = value
    cookie = answer.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = PREFIX
    if request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https":
        cookie["secure"] = True


def _expire_cookie(answer: HTTPResponse, name: str) -> None:
    answer.cookies[name] = ""
    answer.cookies[name]["path"] = PREFIX
    answer.cookies[name]["max-age"] = 0


def _same(given: Optional[str], expected: Optional[str]) -> bool:
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def _scope(session: StaffSession) -> Optional[List[str]]:
    """The municipalities whose records this account sees; None: all (a beheerder)."""
    return None if session.account.sees_all else list(session.account.municipalities)


def _visible_request(callbacks: CallbackStore, session: StaffSession, reference: str) -> Optional[CallbackRequest]:
    """The request when it exists and the account may see its municipality; else None."""
    try:
        found = callbacks.get(clean_reference(reference))
    except InvalidCallbackRequest:
        return None
    return found if found and session.account.may_see(found.municipality_code) else None


def _visible_requests(callbacks: CallbackStore, session: StaffSession) -> List[CallbackRequest]:
    """Every request the account may see, decrypted: only those are decrypted."""
    scope = _scope(session)
    if scope is None:
        return callbacks.list()
    return [request for code in scope for request in callbacks.list(municipality_code=code)]


def _csv(requests: List[CallbackRequest]) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["referentie", "gemeente", "naam", "telefoon", "vraag", "ontvangen", "status"])
    for item in requests:
        row = [item.reference, item.municipality_name, item.name, item.phone, item.question]
        writer.writerow([_no_formula(value) for value in row] + [item.created_at.isoformat(), item.status])
    return output.getvalue()


def _no_formula(value: str) -> str:
    """A cell a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
