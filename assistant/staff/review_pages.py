"""The Wmo-raad's workbench in the staff app: the conversation book (/beheer/boek), with the
sign-off of each of its items. Every role may read the book: it holds no personal data. A
municipality's book only for an account of that municipality (a beheerder: every one)."""

from typing import Dict, List, Optional, Tuple

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import clock
from assistant.content.override_checks import override_store
from assistant.review.book import Book, build_book
from assistant.review.texts import place_for
from assistant.staff.accounts import ROLES, StaffSession, StaffStore
from assistant.staff.override_pages import LocalData
from assistant.staff.pages import page, scope, signed_in_as
from assistant.web.blocking import blocking
from municipalities.overrides import OverrideStore


class Books:
    """Builds a book once per municipality and version of its data (about 1.5 s), then reuses it."""

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


def add_review_pages(pages: Blueprint, staff: StaffStore, books: Books) -> None:
    signed_in = signed_in_as(staff, *ROLES)

    @pages.get("/boek")
    @signed_in
    async def book(request: Request, session: StaffSession) -> HTTPResponse:
        code = request.args.get("gemeente", "")[:6]
        if code and not session.account.may_see(code):
            return page("fout.html", session, status=404, melding="Deze gemeente bestaat niet, of is niet de uwe.")
        found = await blocking(books.book, code)
        if found is None:
            return page("fout.html", session, status=404, melding="Deze gemeente bestaat niet, of is niet de uwe.")
        return page("boek.html", session, boek=found, gemeenten=await blocking(_choices, books, session))


def _choices(books: Books, session: StaffSession) -> List[Tuple[str, str]]:
    """The municipalities whose book the account may open, by name."""
    visible = scope(session)
    every = books.local.directory().all()
    return sorted(
        ((m.cbs_code, m.name) for m in every if visible is None or m.cbs_code in visible), key=lambda item: item[1]
    )
