"""Find cliëntondersteuning for a kind of question: the municipality's own organisations
for that group when it listed them (an override), else its general contact with a tip on
whom to ask for. Wlz clients are sent to the zorgkantoor."""

from typing import List, Optional

from assistant.content.answers import LocalContext, build_answer, message
from assistant.content.contact import (
    ContactMessage,
    checked_line,
    contact_card,
    contact_messages,
    general_text,
    organisation_line,
)
from assistant.flows.questions import DONT_KNOW
from municipalities.directory import Municipality
from municipalities.overrides import AUDIENCES, Contact, Override

WLZ = "wlz"
EVERYONE = "iedereen"


def has_organisations_per_group(override: Optional[Override]) -> bool:
    """Did the municipality list organisations for a group (ouderen, jeugd, ...)? Only then
    can the kind of question change the answer: else it is not asked."""
    return any(set(contact.audiences) - {EVERYONE} for contact in (override.support if override else ()))


def best_organisations(override: Optional[Override], audience: str) -> List[Contact]:
    """The municipality's organisations for `audience`; else those for everyone."""
    support = list(override.support) if override else []
    for_group = [contact for contact in support if audience in contact.audiences]
    return for_group or [contact for contact in support if not contact.audiences or EVERYONE in contact.audiences]


def support_messages(
    municipality: Municipality, override: Optional[Override], audience: str, local: LocalContext
) -> List[ContactMessage]:
    """What the resident reads, most specific first."""
    if audience == DONT_KNOW:  # "weet ik niet": the help for everyone
        audience = EVERYONE
    if audience == WLZ:
        return [ContactMessage(build_answer("wlz_clientondersteuning", local=local).render())]
    organisations = best_organisations(override, audience)
    if not organisations:
        return [ContactMessage(message(f"co_tip_{audience}"))] + contact_messages(municipality, override)
    group = AUDIENCES.get(audience, AUDIENCES[EVERYONE])
    lines = "\n".join(organisation_line(contact) for contact in organisations)
    heading = message("co_organisaties_kop", gemeente=municipality.name, groep=group)
    found = ContactMessage(f"{heading}\n{lines}\n\n{checked_line(override)}")
    return [found, ContactMessage(general_text(municipality, override), contact_card(municipality, override))]
