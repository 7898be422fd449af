"""What every page of the staff app shares: the templates, the session guard with its roles and
CSRF check, cookies, and the scope of municipalities an account sees."""

import hmac
from datetime import datetime
from functools import wraps
from typing import Any, Awaitable, Callable, List, Optional, Tuple
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.content.dutch import dutch_date
from assistant.staff.accounts import IDLE_MINUTES, StaffSession, StaffStore
from assistant.web.blocking import blocking

PREFIX = "/beheer"
SESSION_COOKIE = "wegwijzer_beheer"
CSRF_FIELD = "csrf"
TIME_ZONE = ZoneInfo("Europe/Amsterdam")
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}

Handler = Callable[..., Awaitable[HTTPResponse]]

templates = Environment(
    loader=PackageLoader("assistant.staff", "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True
)


def percentage(share: Optional[float]) -> str:
    """0.237 -> "24%"; no share (nothing to divide by) -> "–"."""
    return "–" if share is None else f"{round(share * 100)}%"


def sure(confidence: float) -> str:
    """How sure Wegwijzer was, as staff read it: 0.873 -> "87%"."""
    return f"{round(confidence * 100)}%"


def paragraphs(text: str) -> List[Tuple[str, List[str]]]:
    """A reply as the widget shows it: lines that start with "- " form a list ("lijst"), the
    other lines are paragraphs ("alinea")."""
    blocks: List[Tuple[str, List[str]]] = []
    for line in (line.strip() for line in text.splitlines()):
        if line.startswith("- ") and blocks and blocks[-1][0] == "lijst":
            blocks[-1][1].append(line[2:])
        elif line:
            blocks.append(("lijst", [line[2:]]) if line.startswith("- ") else ("alinea", [line]))
    return blocks


def local_time(moment: Optional[datetime]) -> str:
    """A UTC moment as the clock on the wall in the Netherlands shows it: "14:05"."""
    return moment.astimezone(TIME_ZONE).strftime("%H:%M") if moment else "–"


templates.filters.update(procent=percentage, zeker=sure, alineas=paragraphs, tijd=local_time, datum=dutch_date)


def signed_in_as(staff: StaffStore, *roles: str) -> Callable[[Handler], Handler]:
    """A page only for a live session of one of `roles`; a POST only with its CSRF token; a
    one-time password only leads to the page where it is changed."""

    def guard(handler: Handler) -> Handler:
        @wraps(handler)
        async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            session = await blocking(staff.session, request.cookies.get(SESSION_COOKIE))
            if session is None:
                return response.redirect(f"{PREFIX}/inloggen", status=303)
            if request.method == "POST" and not same(request.form.get(CSRF_FIELD), session.csrf_token):
                return page("fout.html", session, status=403, melding="Dit formulier is verlopen. Probeer het opnieuw.")
            if session.account.must_change_password and handler.__name__ != "password":
                return response.redirect(f"{PREFIX}/wachtwoord", status=303)
            if session.account.role not in roles:
                return page("fout.html", session, status=403, melding="Deze pagina is niet voor uw rol.")
            return await handler(request, session, *args, **kwargs)

        return checked

    return guard


def page(template: str, session: Optional[StaffSession], status: int = 200, **context: Any) -> HTTPResponse:
    """A page of the app: never cached, with the session's CSRF token for its forms."""
    html = templates.get_template(template).render(
        account=session.account if session else None,
        csrf=session.csrf_token if session else "",
        idle_minutes=IDLE_MINUTES,
        **context,
    )
    return response.html(html, status=status, headers=NO_STORE)


def download(text: str, filename: str, content_type: str) -> HTTPResponse:
    """A file to save, never cached: exports may hold what residents wrote."""
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{filename}"'}
    return response.text(text, content_type=f"{content_type}; charset=utf-8", headers=headers)


def set_cookie(answer: HTTPResponse, request: Request, name: str, value: str) -> None:
    answer.cookies[name] = value
    cookie = answer.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["path"] = PREFIX
    if request.scheme == "https" or request.headers.get("x-forwarded-proto") == "https":
        cookie["secure"] = True


def expire_cookie(answer: HTTPResponse, name: str) -> None:
    answer.cookies[name] = ""
    answer.cookies[name]["path"] = PREFIX
    answer.cookies[name]["max-age"] = 0


def same(given: Optional[str], expected: Optional[str]) -> bool:
    return bool(given and expected) and hmac.compare_digest(given.encode(), expected.encode())


def scope(session: StaffSession) -> Optional[List[str]]:
    """The municipalities whose records this account sees; None: all (a beheerder)."""
    return session.account.scope


def spreadsheet_safe(value: str) -> str:
    """A cell a spreadsheet would run as a formula ("=HYPERLINK(...)") is kept as text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
