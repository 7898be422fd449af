"""The local data pages of the staff app: a municipality's own data (Wmo-loket, opening hours,
cliëntondersteuning and for whom, a lower eigen bijdrage, local answer texts) in a form, with a
preview of what a resident will see, and the history of every save.

A save is a new version in the directory's database (municipalities/override_versions.py); the
newest version wins over the file in municipalities/overrides/, which is the seed, and the
assistant reads it at its next answer. "Nagekeken op" becomes the day of the save. Helpdesk and
beheerder accounts edit; a wmo-raad account reads the data, the preview and the history.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Tuple

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.content.answers import topics
from assistant.content.contact import ContactMessage, contact_messages
from assistant.content.dutch import dutch_date
from assistant.content.override_checks import override_rules
from assistant.conversations.topics import topic_name
from assistant.staff.accounts import BEHEERDER, HELPDESK, ROLES, StaffSession, StaffStore
from assistant.staff.override_form import (
    Change,
    FormProblem,
    as_text,
    changes,
    check,
    document_from_form,
    form_values,
    organisation_count,
    read_document,
)
from assistant.staff.pages import PREFIX, page, scope, signed_in_as
from assistant.web.blocking import blocking
from municipalities.directory import Directory, Municipality
from municipalities.override_versions import OverrideVersion, OverrideVersions, StaleVersion
from municipalities.overrides import AUDIENCES, OVERRIDES_DIR, WEEKDAYS, Override, Rules

ACTIONS = {"voorbeeld", "organisatie_erbij", "opslaan"}
EDITORS = (HELPDESK, BEHEERDER)


@dataclass
class LocalData:
    """Where the pages read and write a municipality's own data."""

    versions: OverrideVersions
    directory: Callable[[], Directory]
    seed_folder: Path = OVERRIDES_DIR
    _rules: Optional[Rules] = field(default=None, repr=False)

    def rules(self) -> Rules:
        if self._rules is None:
            self._rules = override_rules(self.directory())
        return self._rules

    def current(self, cbs_code: str) -> Tuple[str, Optional[OverrideVersion]]:
        """The document a resident's answers come from now (the newest saved version, else the
        seed file, else none: ""), and that version."""
        latest = self.versions.latest(cbs_code)
        return (latest.document, latest) if latest else (self.seed(cbs_code), None)

    def seed(self, cbs_code: str) -> str:
        """The municipality's file in the repository; "" when it has none."""
        return self._seed_path(cbs_code).read_text(encoding="utf-8") if self.has_seed(cbs_code) else ""

    def has_seed(self, cbs_code: str) -> bool:
        return self._seed_path(cbs_code).is_file()

    def _seed_path(self, cbs_code: str) -> Path:
        return self.seed_folder / f"{cbs_code}.yml"


@dataclass(frozen=True)
class Entry:
    """One saved version in the history, with what it changed."""

    version: OverrideVersion
    changes: List[Change]


def add_override_pages(pages: Blueprint, staff: StaffStore, local: LocalData) -> None:
    signed_in = signed_in_as(staff, *ROLES)
    edits = signed_in_as(staff, *EDITORS)

    @pages.get("/gegevens")
    @signed_in
    async def municipalities(request: Request, session: StaffSession) -> HTTPResponse:
        visible = await blocking(_visible_municipalities, local, session)
        if len(visible) == 1:
            return response.redirect(f"{PREFIX}/gegevens/{visible[0].cbs_code}", status=303)
        saved = await blocking(local.versions.documents)
        rows = [(municipality, municipality.cbs_code in saved) for municipality in visible]
        return page("gegevens_lijst.html", session, gemeenten=rows)

    @pages.get("/gegevens/<code>")
    @signed_in
    async def local_data(request: Request, session: StaffSession, code: str) -> HTTPResponse:
        municipality = await blocking(_visible, local, session, code)
        if municipality is None:
            return _gone(session)
        text, latest = await blocking(local.current, municipality.cbs_code)
        document = read_document(text)
        override, problem = check(document, local.rules()) if text else (None, None)
        based_on, done = (latest.number if latest else 0), request.args.get("gelukt")
        return _form_page(session, local, municipality, document, latest, override, problem, based_on, gelukt=done)

    @pages.post("/gegevens/<code>")
    @edits
    async def change(request: Request, session: StaffSession, code: str) -> HTTPResponse:
        municipality = await blocking(_visible, local, session, code)
        if municipality is None:
            return _gone(session)
        action = request.form.get("actie", "")
        if action not in ACTIONS:
            return page("fout.html", session, status=400, melding="Deze actie ken ik niet.")
        rules = local.rules()
        sent = lambda name: request.form.getlist(name) or []  # noqa: E731 (Sanic gives None for no value)
        document = document_from_form(sent, municipality.cbs_code, rules.today(), topics())
        override, problem = check(document, rules)
        based_on = int(request.form.get("versie", "")) if request.form.get("versie", "").isdigit() else 0
        if action != "opslaan" or problem:
            latest = await blocking(local.versions.latest, municipality.cbs_code)
            return _form_page(
                session,
                local,
                municipality,
                document,
                latest,
                override,
                problem,
                based_on,
                status=400 if problem and action == "opslaan" else 200,
                extra_block=action == "organisatie_erbij",
                not_saved=True,
            )
        try:
            await blocking(
                local.versions.save,
                municipality.cbs_code,
                as_text(document),
                session.account.name,
                based_on,
                request.form.get("toelichting", ""),
            )
        except StaleVersion:  # the form now builds on the newest version: saving again is a choice
            latest = await blocking(local.versions.latest, municipality.cbs_code)
            stale, based_on = FormProblem("", "Het formulier", STALE), latest.number
            return _form_page(
                session, local, municipality, document, latest, override, stale, based_on, status=409, not_saved=True
            )
        await blocking(
            staff.audit, session.account, "gewijzigd", f"lokale gegevens {municipality.cbs_code}", municipality.cbs_code
        )
        return response.redirect(f"{PREFIX}/gegevens/{municipality.cbs_code}?gelukt=opgeslagen", status=303)

    @pages.get("/gegevens/<code>/geschiedenis")
    @signed_in
    async def history(request: Request, session: StaffSession, code: str) -> HTTPResponse:
        municipality = await blocking(_visible, local, session, code)
        if municipality is None:
            return _gone(session)
        versions = await blocking(local.versions.history, municipality.cbs_code)
        seed = await blocking(local.seed, municipality.cbs_code)
        older = [read_document(version.document) for version in versions[1:]] + [read_document(seed)]
        entries = [
            Entry(version, changes(before, read_document(version.document))) for version, before in zip(versions, older)
        ]
        return page(
            "gegevens_geschiedenis.html",
            session,
            gemeente=municipality,
            versies=entries,
            zaad=bool(seed),
            datum=dutch_date,
        )


STALE = (
    "Iemand anders heeft deze gegevens opgeslagen nadat u het formulier opende. Uw wijzigingen staan nog in "
    "het formulier, maar zijn niet opgeslagen. Bekijk eerst de geschiedenis. Klikt u daarna weer op Opslaan, "
    "dan komt uw versie in de plaats van die andere."
)


def _form_page(
    session: StaffSession,
    local: LocalData,
    municipality: Municipality,
    document: Dict[str, Any],
    latest: Optional[OverrideVersion],
    override: Optional[Override],
    problem: Optional[FormProblem],
    based_on: int,
    status: int = 200,
    extra_block: bool = False,
    not_saved: bool = False,
    gelukt: Optional[str] = None,
) -> HTTPResponse:
    rules = local.rules()
    blocks = organisation_count(document) + 1 + (1 if extra_block else 0)
    return page(
        "gegevens.html",
        session,
        status=status,
        gemeente=municipality,
        waarden=form_values(document),
        blokken=blocks,
        versie=based_on,
        laatste=latest,
        uit_bestand=local.has_seed(municipality.cbs_code),
        fout=problem,
        voorbeeld=as_the_widget_shows(contact_messages(municipality, override)) if override or not problem else None,
        niet_opgeslagen=not_saved,
        gelukt=gelukt,
        bewerkt=session.account.role in EDITORS,
        doelgroepen=AUDIENCES,
        weekdagen=WEEKDAYS,
        jaren=sorted(rules.national_maximum),
        onderwerpen=[(topic, topic_name(topic)) for topic in sorted(rules.topics, key=topic_name)],
        vandaag=dutch_date(rules.today()),
        datum=dutch_date,
    )


CARD_DETAILS = (
    "phone",
    "email",
    "website",
    "appointment_url",
    "opening_hours",
    "address",
    "visiting_address",
    "postal_address",
    "source",
    "local_source",
)  # widget.js: CARD_DETAILS
DETAIL_LINE = re.compile(r"^[^:]+:\s+(.+)$")


def as_the_widget_shows(messages: List[ContactMessage]) -> List[ContactMessage]:
    """The replies without the lines their card repeats, as the widget shows them (widget.js:
    withoutCardDetails): a screen reader reads each detail once, in the card."""
    cards = [message.card for message in messages if message.card]
    parts = [
        part for card in cards for part in (card, card.get("wmo_loket"), *card.get("clientondersteuning", [])) if part
    ]
    details = {str(part[key]) for part in parts for key in CARD_DETAILS if part.get(key)}

    def repeated(line: str) -> bool:
        detail = DETAIL_LINE.match(line.strip())
        return line.strip() in details or bool(detail and detail[1] in details)

    return [
        ContactMessage("\n".join(line for line in message.text.split("\n") if not repeated(line)).strip(), message.card)
        for message in messages
    ]


def _visible_municipalities(local: LocalData, session: StaffSession) -> List[Municipality]:
    municipalities = scope(session)
    every = local.directory().all()
    return every if municipalities is None else [item for item in every if item.cbs_code in municipalities]


def _visible(local: LocalData, session: StaffSession, code: str) -> Optional[Municipality]:
    """The municipality when it exists and the account may see it; else None."""
    municipality = local.directory().by_code(code[:6])
    return municipality if municipality and session.account.may_see(municipality.cbs_code) else None


def _gone(session: StaffSession) -> HTTPResponse:
    return page("fout.html", session, status=404, melding="Deze gemeente bestaat niet, of is niet de uwe.")
