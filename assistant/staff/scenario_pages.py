"""Testgesprekken in the staff app (/beheer/testgesprekken): a reviewer uploads a CSV or YAML file
of test conversations; they run at once against the real assistant (assistant/review/scenarios.py)
and the page shows the report: each step with the real reply, and what no conversation reached.
Bigger sets run with `./wegwijzer scenarios run FILE`, without the web server's time limit."""

from typing import Dict, List

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.review.scenario_report import REPORT_CSS, report_fragment
from assistant.review.scenarios import ScenarioFileError, parse, run_against, unreachable
from assistant.staff.accounts import ROLES, StaffSession, StaffStore
from assistant.staff.pages import page, signed_in_as
from assistant.staff.review_pages import Books
from assistant.web.blocking import blocking

MAX_UPLOAD_STEPS = 100  # about a minute against the assistant; the web server answers within MAX_RUN_SECONDS
MAX_RUN_SECONDS = 240
FIELD = "bestand"


def add_scenario_pages(pages: Blueprint, staff: StaffStore, rasa_url: str, books: Books) -> None:
    """`books`: the staff app's books, whose version the report names."""
    signed_in = signed_in_as(staff, *ROLES)

    @pages.get("/testgesprekken.css")
    async def report_style(request: Request) -> HTTPResponse:
        return response.text(REPORT_CSS, content_type="text/css; charset=utf-8")

    @pages.get("/testgesprekken")
    @signed_in
    async def upload_form(request: Request, session: StaffSession) -> HTTPResponse:
        return page("testgesprekken.html", session, maximum=MAX_UPLOAD_STEPS)

    @pages.post("/testgesprekken")
    @signed_in
    async def upload(request: Request, session: StaffSession) -> HTTPResponse:
        upload = (request.files or {}).get(FIELD)
        if upload is None or not upload.body:
            return _problems(session, ["Kies eerst een bestand."])
        try:
            scenarios = parse(upload.body, upload.name or "bestand.csv")
        except ScenarioFileError as error:
            return _problems(session, str(error).splitlines(), upload.name)
        steps = sum(len(scenario.steps) for scenario in scenarios)
        if steps > MAX_UPLOAD_STEPS:
            too_many = f"Dit bestand heeft {steps} stappen. Hier kunnen er {MAX_UPLOAD_STEPS}."
            return _problems(session, [too_many, "Splits het bestand, of gebruik ./wegwijzer scenarios run."])
        problem = await blocking(unreachable, rasa_url)
        if problem:
            return _problems(session, [problem], upload.name, status=503)
        result = await blocking(run_against, scenarios, rasa_url)
        await blocking(staff.audit, session.account, "uitgevoerd", f"testgesprekken {upload.name}")
        version = str((await blocking(books.book)).version)
        return page("testgesprekken.html", session, maximum=MAX_UPLOAD_STEPS, rapport=report_fragment(result, version))


def _problems(session: StaffSession, problems: List[str], name: str = "", status: int = 400) -> HTTPResponse:
    context: Dict[str, object] = dict(maximum=MAX_UPLOAD_STEPS, fouten=problems, bestand=name)
    return page("testgesprekken.html", session, status=status, **context)
