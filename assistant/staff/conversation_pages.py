"""The conversations pages of the staff app: the municipality's conversations (masked, as
stored) with filters, a transcript that shows per reply the recognised topic and how sure
Wegwijzer was, tags, and the tagged messages as training suggestions for the developers.

Only helpdesk and beheerder accounts: residents' words, even masked, may hold health details.
Opening a transcript and exporting are written to the audit log.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import urlencode

import yaml
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant.conversations.figures import topics_seen
from assistant.conversations.store import (
    TAGS,
    TIME_ZONE,
    ConversationFilter,
    ConversationLog,
    ConversationView,
    FlaggedMessage,
    TurnView,
)
from assistant.conversations.topics import topic_choices, topic_name
from assistant.staff.accounts import BEHEERDER, HELPDESK, StaffSession, StaffStore
from assistant.staff.pages import PREFIX, download, page, scope, signed_in_as
from assistant.web.blocking import blocking

PAGE_SIZE = 50
NO_TOPIC_YET = "nog_te_bepalen"  # the intent of suggested examples whose right topic nobody chose
MISSING_TOPIC = "onderwerp_ontbreekt"  # the intent of questions Wegwijzer has no answer for yet
FEEDBACK_CHOICES = {"ja": "ja", "nee": "nee", "alle": ""}


@dataclass(frozen=True)
class Filters:
    """The filter form as given, and what it asks of the conversation log."""

    since: Optional[date]
    until: Optional[date]
    topic: str
    not_understood: bool
    wanted_person: bool
    feedback: str  # "", "ja", "nee", "alle"
    page: int

    @classmethod
    def read(cls, args: Any) -> "Filters":
        return cls(
            _day(args.get("van")),
            _day(args.get("tot")),
            (args.get("onderwerp") or "")[:160],
            args.get("niet_begrepen") == "1",
            args.get("mens") == "1",
            args.get("feedback") if args.get("feedback") in FEEDBACK_CHOICES else "",
            max(1, int(args.get("pagina"))) if str(args.get("pagina") or "").isdigit() else 1,
        )

    def wanted(self, municipalities: Optional[List[str]]) -> ConversationFilter:
        return ConversationFilter(
            scope=municipalities,
            since=_start(self.since) if self.since else None,
            until=_start(self.until + timedelta(days=1)) if self.until else None,
            topic=self.topic or None,
            not_understood=self.not_understood,
            wanted_person=self.wanted_person,
            feedback=FEEDBACK_CHOICES.get(self.feedback) if self.feedback else None,
        )

    def query(self, page_number: int) -> str:
        """The address of another page of the same list."""
        given = {
            "van": self.since.isoformat() if self.since else "",
            "tot": self.until.isoformat() if self.until else "",
            "onderwerp": self.topic,
            "niet_begrepen": "1" if self.not_understood else "",
            "mens": "1" if self.wanted_person else "",
            "feedback": self.feedback,
            "pagina": str(page_number),
        }
        return urlencode({key: value for key, value in given.items() if value})


def add_conversation_pages(pages: Blueprint, staff: StaffStore, log: ConversationLog) -> None:
    reads_residents = signed_in_as(staff, HELPDESK, BEHEERDER)

    @pages.get("/gesprekken")
    @reads_residents
    async def conversations(request: Request, session: StaffSession) -> HTTPResponse:
        filters = Filters.read(request.args)
        total, found = await blocking(
            log.conversations, filters.wanted(scope(session)), (filters.page - 1) * PAGE_SIZE, PAGE_SIZE
        )
        seen = await blocking(topics_seen, log, scope(session))
        return page(
            "gesprekken.html",
            session,
            gesprekken=found,
            totaal=total,
            filters=filters,
            onderwerpen=[(topic, topic_name(topic)) for topic in seen],
            paginas=max(1, -(-total // PAGE_SIZE)),
            naam=topic_name,
        )

    @pages.get("/gesprekken/suggesties.yml")
    @reads_residents
    async def suggestions(request: Request, session: StaffSession) -> HTTPResponse:
        flagged = await blocking(log.flagged, scope(session))
        for municipality in sorted({item.municipality_code or "" for item in flagged}):
            await blocking(staff.audit, session.account, "geexporteerd", "gemarkeerde berichten", municipality)
        return download(suggestions_file(flagged, session.account.name), "suggesties.yml", "application/yaml")

    @pages.get("/gesprekken/<reference>")
    @reads_residents
    async def transcript(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(_visible_conversation, log, session, reference)
        if found is None:
            return _gone(session)
        conversation, turns = found
        await blocking(
            staff.audit, session.account, "bekeken", f"gesprek {reference}", conversation.municipality_code or ""
        )
        return page(
            "gesprek.html",
            session,
            gesprek=conversation,
            beurten=turns,
            labels=TAGS,
            keuzes=topic_choices(),
            naam=topic_name,
            gelukt=request.args.get("gelukt"),
        )

    @pages.post("/gesprekken/<reference>")
    @reads_residents
    async def tag(request: Request, session: StaffSession, reference: str) -> HTTPResponse:
        found = await blocking(_visible_conversation, log, session, reference)
        if found is None:
            return _gone(session)
        chosen = request.form.get("label") or None
        position = request.form.get("positie", "")
        if (chosen is not None and chosen not in TAGS) or not position.isdigit():
            return page("fout.html", session, status=400, melding="Dit label ken ik niet.")
        topic = request.form.get("onderwerp") or None
        if topic is not None and topic not in dict(topic_choices()):
            return page("fout.html", session, status=400, melding="Dit onderwerp ken ik niet.")
        if not await blocking(log.tag, reference, int(position), chosen, topic, session.account.name):
            return page("fout.html", session, status=404, melding="Dit bericht bestaat niet (meer).")
        record = f"gesprek {reference}, bericht {position}"
        await blocking(staff.audit, session.account, "gewijzigd", record, found[0].municipality_code or "")
        return response.redirect(f"{PREFIX}/gesprekken/{reference}?gelukt={position}#bericht-{position}", status=303)


def suggestions_file(flagged: List[FlaggedMessage], exported_by: str) -> str:
    """The tagged messages as Rasa NLU training data (the format of data/nlu/), each example
    with where it came from: a wrong answer under the topic it should have had, a missing topic
    under onderwerp_ontbreekt (a new knowledge-base entry or intent to write)."""
    by_intent: Dict[str, List[Dict[str, Any]]] = {}
    for item in flagged:
        intent = item.tag_topic or (MISSING_TOPIC if item.tag == "onderwerp ontbreekt" else NO_TOPIC_YET)
        source = f"gesprek {item.reference}, {item.municipality_code or 'gemeente onbekend'}, {item.at:%Y-%m-%d}"
        metadata = {"bron": source, "label": item.tag, "herkend_als": item.topic}
        by_intent.setdefault(intent, []).append({"text": item.text, "metadata": metadata})
    header = (
        f"# Suggesties uit Wegwijzer beheer, {datetime.now():%Y-%m-%d} door {exported_by}: berichten van inwoners\n"
        "# (gemaskeerd) die medewerkers markeerden. Nakijken voordat ze in data/nlu/ of de kennisbank komen.\n"
    )
    nlu = [{"intent": intent, "examples": examples} for intent, examples in sorted(by_intent.items())]
    return header + yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False)


def _visible_conversation(
    log: ConversationLog, session: StaffSession, reference: str
) -> Optional[Tuple[ConversationView, List[TurnView]]]:
    """The conversation with its turns when it is kept and the account may see its municipality
    (a conversation without one only a beheerder); else None."""
    found = log.conversation(reference[:16])
    if found is None:
        return None
    code = found[0].municipality_code
    return found if session.account.sees_all or (code is not None and session.account.may_see(code)) else None


def _gone(session: StaffSession) -> HTTPResponse:
    """A conversation that does not exist, expired, or of another municipality: the same answer."""
    return page("fout.html", session, status=404, melding="Dit gesprek bestaat niet (meer).")


def _day(text: Optional[str]) -> Optional[date]:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _start(day: date) -> float:
    return datetime.combine(day, time.min, TIME_ZONE).timestamp()
