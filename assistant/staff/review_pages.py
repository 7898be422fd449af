"""The Wmo-raad's workbench in the staff app: the conversation book (/beheer/boek) and the
sign-off of its items (/beheer/akkoord, with a CSV export). Every role may read the book: it holds
no personal data. A municipality's book, and its sign-off, only for an account of that
municipality (a beheerder: every one). Verdicts are given by the Wmo-raad and the beheerder."""

import csv
import io
from typing import Dict, List, Optional, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import clock
from assistant.content.override_checks import override_store
from assistant.review.book import Book, build_book
from assistant.review.signoffs import InvalidSignOff, ItemState, SignOffStore, summary
from assistant.review.texts import place_for
from assistant.staff.accounts import BEHEERDER, ROLES, WMO_RAAD, StaffSession, StaffStore
from assistant.staff.override_pages import LocalData
from assistant.staff.pages import PREFIX, download, page, scope, signed_in_as, spreadsheet_safe
from assistant.web.blocking import blocking
from municipalities.overrides import OverrideStore

REVIEWERS = (WMO_RAAD, BEHEERDER)
NOT_YOURS = "Deze gemeente bestaat niet, of is niet de uwe."


class Books:
    """Builds a book once per municipality, version of its data and day, then reuses it: every
    sign-off and overview compares against the same fingerprints."""

    def __init__(self, local: LocalData) -> None:
        self.local = local
        self._overrides: Optional[OverrideStore] = None
        self._built: Dict[Tuple[str, str], Book] = {}

    def overrides(self) -> OverrideStore:
        if self._overrides is None:
            self._overrides = override_store(self.local.directory())
        return self._overrides

    def book(self, code: str = "") -> Optional[Book]:
        """The national book (code ""), or a municipality's; None for an unknown code."""
        place = place_for(code, self.local.directory(), self.overrides()) if code else None
        if code and place is None:
            return None
        key = (code, repr(place.override) if place else "")  # a new version of the data: a new book
        if key not in self._built or self._built[key].version.made_on != clock.today():
            self._built[key] = build_book(place)
        return self._built[key]


def add_review_pages(pages: Blueprint, staff: StaffStore, books: Books, signoffs: SignOffStore) -> None:
    signed_in = signed_in_as(staff, *ROLES)
    reviews = signed_in_as(staff, *REVIEWERS)

    @pages.get("/boek")
    @signed_in
    async def book(request: Request, session: StaffSession) -> HTTPResponse:
        code = request.args.get("gemeente", "")[:6]
        found = await blocking(_visible_book, books, session, code)
        if found is None:
            return page("fout.html", session, status=404, melding=NOT_YOURS)
        context = dict(
            boek=found,
            gemeenten=await blocking(municipality_choices, books, session),
            gekozen=request.args.get("gekozen"),
        )
        if code:
            context.update(
                akkoord=await blocking(signoffs.latest, code), mag_oordelen=session.account.role in REVIEWERS
            )
        return page("boek.html", session, **context)

    @pages.post("/boek/akkoord")
    @reviews
    async def sign_off(request: Request, session: StaffSession) -> HTTPResponse:
        code = request.form.get("gemeente", "")[:6]
        found = await blocking(_visible_book, books, session, code) if code else None
        item = found.item(request.form.get("onderdeel", "")) if found else None
        if item is None:
            return page(
                "fout.html", session, status=404, melding="Dit onderdeel bestaat niet, of is niet van uw gemeente."
            )
        if request.form.get("vingerafdruk") != item.fingerprint:
            melding = "De tekst is veranderd sinds u de pagina opende. Lees hem opnieuw en geef dan uw oordeel."
            return page("fout.html", session, status=409, melding=melding)
        verdict, comment = request.form.get("oordeel", ""), request.form.get("opmerking", "")
        try:
            await blocking(signoffs.mark, code, item.id, item.fingerprint, verdict, comment, session.account.name)
        except InvalidSignOff as error:
            return page("fout.html", session, status=400, melding=str(error))
        await blocking(staff.audit, session.account, verdict, f"gespreksboek {item.id}", code)
        anchor = item.id.replace("/", "-")
        return response.redirect(f"{PREFIX}/boek?gemeente={code}&gekozen={item.id}#{anchor}", status=303)

    @pages.get("/akkoord")
    @signed_in
    async def overview(request: Request, session: StaffSession) -> HTTPResponse:
        choices = await blocking(municipality_choices, books, session)
        code = request.args.get("gemeente", "")[:6] or (choices[0][0] if choices else "")
        found = await blocking(_visible_book, books, session, code) if code else None
        if found is None:
            return page("fout.html", session, status=404, melding=NOT_YOURS)
        states = _states(found, await blocking(signoffs.latest, code))
        return page("akkoord.html", session, boek=found, gemeenten=choices, regels=states, samenvatting=summary(states))

    @pages.get("/akkoord.csv")
    @signed_in
    async def export(request: Request, session: StaffSession) -> HTTPResponse:
        code = request.args.get("gemeente", "")[:6]
        found = await blocking(_visible_book, books, session, code) if code else None
        if found is None:
            return page("fout.html", session, status=404, melding=NOT_YOURS)
        states = _states(found, await blocking(signoffs.latest, code))
        return download(_csv(states, found), f"akkoord-{code}.csv", "text/csv")


def _visible_book(books: Books, session: StaffSession, code: str) -> Optional[Book]:
    """The national book, or the book of a municipality the account may see; else None."""
    if code and not session.account.may_see(code):
        return None
    return books.book(code)


def municipality_choices(books: Books, session: StaffSession) -> List[Tuple[str, str]]:
    """The municipalities whose book the account may open, by name."""
    visible = scope(session)
    every = books.local.directory().all()
    return sorted(
        ((m.cbs_code, m.name) for m in every if visible is None or m.cbs_code in visible), key=lambda item: item[1]
    )


def _states(book: Book, latest: Dict) -> List[ItemState]:
    return [
        ItemState(item.id, item.title, chapter.title, item.fingerprint, latest.get(item.id))
        for chapter in book.chapters
        for item in chapter.items
    ]


def _csv(states: List[ItemState], book: Book) -> str:
    """The overview as a spreadsheet a council can attach to its advice."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";")
    writer.writerow(["gemeente", "onderdeel", "titel", "hoofdstuk", "oordeel", "opmerking", "door", "datum", "versie"])
    for item in states:
        latest = item.latest
        cells = [book.municipality or "", item.item_id, item.title, item.chapter, item.state]
        cells += [latest.comment, latest.account, latest.at.date().isoformat()] if latest else ["", "", ""]
        writer.writerow([spreadsheet_safe(cell) for cell in cells] + [str(book.version)])
    return output.getvalue()
