"""The figures page of the staff app: for the own municipality (or, for a beheerder, the whole
country or one municipality), over a chosen period: key figures, charts (server-drawn SVG,
assistant/staff/charts.py) with the same numbers as a table, and every chart's numbers as CSV.

Every role sees the figures; the not-understood messages themselves (masked words of
residents) only helpdesk and beheerder accounts, as the conversations.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable, List, Optional, Tuple

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.conversations.figures import Figures, Period, figures
from assistant.conversations.store import CONVERSATIONS, MESSAGES, TIME_ZONE, ConversationLog
from assistant.conversations.topics import topic_name
from assistant.staff.accounts import BEHEERDER, HELPDESK, ROLES, StaffSession, StaffStore
from assistant.staff.charts import Bar, bar_chart, column_chart
from assistant.staff.pages import download, page, signed_in_as
from assistant.web.blocking import blocking

PERIODS = {7: "de laatste 7 dagen", 30: "de laatste 30 dagen", 90: "de laatste 90 dagen", 365: "het laatste jaar"}
DAILY_UP_TO = 31  # days; a longer period is shown per week
MONTHS = ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
Rows = List[Tuple[str, int]]


@dataclass(frozen=True)
class Chart:
    """One chart of the page: its name in the CSV address, its title, and its numbers."""

    name: str
    title: str
    unit: str
    rows: Rows
    kind: str = "kolommen"  # or "staven": a ranked list

    def svg(self) -> str:
        bars = [Bar(label, count) for label, count in self.rows]  # titled "label: count unit" by the chart
        draw = column_chart if self.kind == "kolommen" else bar_chart
        return draw(self.title, bars, self.unit, chart_id=self.name)


Municipalities = Callable[[], List[Tuple[str, str]]]  # every municipality: (CBS code, name), by name


def add_figure_pages(pages: Blueprint, staff: StaffStore, log: ConversationLog, every: Municipalities) -> None:
    signed_in = signed_in_as(staff, *ROLES)

    @pages.get("/cijfers")
    @signed_in
    async def figures_page(request: Request, session: StaffSession) -> HTTPResponse:
        days, chosen, municipalities = _choice(request, session)
        found = await blocking(figures, log, municipalities, _period(days))
        reads = session.account.role in (HELPDESK, BEHEERDER)
        options = [item for item in await blocking(every) if session.account.may_see(item[0])]
        return page(
            "cijfers.html",
            session,
            cijfers=found,
            grafieken=charts(found),
            dagen=days,
            perioden=PERIODS,
            gekozen=chosen,
            keuzes=options,
            gebied=dict(options).get(chosen) or _whole(session),
            niet_begrepen=found.not_understood_texts if reads else None,
            adres=f"dagen={days}&gemeente={chosen}",
        )

    @pages.get("/cijfers/<filename>")  # gesprekken.csv: Sanic's routes take no ".csv" after a parameter
    @signed_in
    async def figures_csv(request: Request, session: StaffSession, filename: str) -> HTTPResponse:
        days, chosen, municipalities = _choice(request, session)
        found = await blocking(figures, log, municipalities, _period(days))
        name, _, extension = filename.rpartition(".")
        wanted = {chart.name: chart for chart in charts(found)}.get(name) if extension == "csv" else None
        if wanted is None:
            return page("fout.html", session, status=404, melding="Deze cijfers bestaan niet.")
        filename = f"{name}-{chosen or 'alle'}-{found.period.first}-{found.period.last}.csv"
        return download(_csv(wanted), filename, "text/csv")


def charts(found: Figures) -> List[Chart]:
    """The page's charts: per day up to a month, else per week; the top topics; the feedback."""
    daily = len(found.period.days) <= DAILY_UP_TO
    per = "per dag" if daily else "per week"
    return [
        Chart("gesprekken", f"Gesprekken {per}", "gesprekken", _over_time(found, CONVERSATIONS, daily)),
        Chart("berichten", f"Berichten van inwoners {per}", "berichten", _over_time(found, MESSAGES, daily)),
        Chart("onderwerpen", "Meest gevraagde onderwerpen", "berichten", _topics(found), "staven"),
        Chart("feedback", "Heeft het antwoord geholpen?", "reacties", _feedback(found), "staven"),
    ]


def _over_time(found: Figures, measure: str, daily: bool) -> Rows:
    if daily:
        return [(f"{day.day} {MONTHS[day.month - 1]}", count) for day, count in found.series(measure)]
    return [(f"week {week}", count) for (_, week), count in found.weekly(measure)]


def _topics(found: Figures) -> Rows:
    return [(topic_name(topic), count) for topic, count in found.top_topics()]


def _feedback(found: Figures) -> Rows:
    return [("Ja", found.helped["ja"]), ("Nee", found.helped["nee"])] if sum(found.helped.values()) else []


def _csv(chart: Chart) -> str:
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(["", chart.unit])
    writer.writerows(chart.rows)
    return output.getvalue()


def _choice(request: Request, session: StaffSession) -> Tuple[int, str, Optional[List[str]]]:
    """The period in days, the chosen municipality ("" for all the account sees), and the
    municipalities to count (None: the whole country, for a beheerder)."""
    days = int(request.args.get("dagen")) if request.args.get("dagen") in {str(n) for n in PERIODS} else 30
    chosen = request.args.get("gemeente") or ""
    account = session.account
    if chosen and account.may_see(chosen):
        return days, chosen, [chosen]
    return days, "", None if account.role == BEHEERDER else list(account.municipalities)


def _whole(session: StaffSession) -> str:
    return "heel Nederland" if session.account.role == BEHEERDER else "al uw gemeenten"


def _period(days: int) -> Period:
    today = datetime.now(TIME_ZONE).date()
    return Period(today - timedelta(days=days - 1), today)
