"""A municipality's contact data as a resident reads it: the municipality's own data
(an override: Wmo-loket, cliëntondersteuning) first, then the general number and
address from the register. Text for any channel, and a structured card for the widget."""

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

from assistant.content.answers import DUTCH, message
from assistant.content.dutch import dutch_date
from assistant.content.facts import load_facts
from municipalities.directory import Address, Municipality
from municipalities.overrides import AUDIENCES, Contact, Override, cite
from municipalities.phone import PhoneNumber

REGISTER_SOURCE = "register_overheidsorganisaties"


@dataclass(frozen=True)
class ContactMessage:
    text: str
    card: Optional[Dict[str, object]] = None  # for the widget's contact card


def contact_messages(municipality: Municipality, override: Optional[Override] = None) -> List[ContactMessage]:
    """The local data (when the municipality provided it), then the general contact data with the card."""
    local = override if override and (override.wmo_desk or override.support) else None
    messages = [ContactMessage(local_text(municipality, local))] if local else []
    messages.append(ContactMessage(general_text(municipality, local), contact_card(municipality, local)))
    return messages


def local_text(municipality: Municipality, override: Override) -> str:
    parts = []
    desk = override.wmo_desk
    if desk:
        heading = message("contact_wmo_loket_kop", gemeente=municipality.name)
        named = f" {desk.name}" if desk.name else ""
        parts.append("\n".join([f"{heading}{named}", *_detail_lines(desk)]))
    if override.support:
        organisations = "\n".join(organisation_line(contact) for contact in override.support)
        parts.append(f"{message('contact_clientondersteuning_kop', gemeente=municipality.name)}\n{organisations}")
    else:
        parts.append(message("contact_vraag_clientondersteuning_loket"))
    parts.append(checked_line(override))
    return "\n\n".join(parts)


def checked_line(override: Override) -> str:
    """'De bron is van 2 december 2022. Nagekeken op 22 november 2026. Bron: https://...'."""
    cited = [cite(override.source, override.source_by)]
    cited += [cite(contact.source, contact.source_by) for contact in _contacts(override) if contact.source]
    sources = list(dict.fromkeys(cited))
    label = "Bron" if len(sources) == 1 else "Bronnen"
    dated = message("contact_bron_datum", datum=dutch_date(override.source_date)) + " " if override.source_date else ""
    return f"{dated}{message('contact_nagekeken', datum=dutch_date(override.checked))} {label}: {'; '.join(sources)}"


def _contacts(override: Override) -> List[Contact]:
    return ([override.wmo_desk] if override.wmo_desk else []) + list(override.support)


def _detail_lines(contact: Contact) -> List[str]:
    details = [
        ("Telefoon", contact.phone.display if contact.phone else None),
        ("E-mail", contact.email),
        ("Website", contact.website),
        ("Open", contact.opening_hours),
        ("Adres", contact.address),
    ]
    return [f"{label}: {value}" for label, value in details if value]


def organisation_line(contact: Contact) -> str:
    audiences = [AUDIENCES[key] for key in contact.audiences if key != "iedereen"]
    for_whom = f" (voor {', '.join(audiences)})" if audiences else ""
    details = "".join(f"\n  {line}" for line in _detail_lines(contact))
    return f"- {contact.name}{for_whom}{details}"


def general_text(municipality: Municipality, local: Optional[Override] = None) -> str:
    heading = "contact_algemeen_kop" if local else "contact_gemeente_kop"
    lines = "\n".join(_register_lines(municipality))
    advice = "" if local else f"\n\n{message('contact_vraag_clientondersteuning')}"
    return f"{message(heading, gemeente=municipality.name)}\n{lines}{advice}\n\n{register_source_line(municipality)}"


def answer_contact_text(municipality: Municipality, override: Optional[Override] = None, language: str = DUTCH) -> str:
    """What ends an answer that sends the resident to the municipality: the Wmo-loket's number
    (else the general one), the website, and the local cliëntondersteuning where known."""
    desk = override.wmo_desk if override else None
    if desk and desk.phone:
        lines = [f"{message('contact_label_wmo_loket', language)}: {desk.phone.display}"]
    else:
        phone = municipality.phone_display
        lines = [f"{message('contact_label_telefoon', language)}: {phone}"] if phone else []
    website = desk.website if desk and desk.website else municipality.website
    lines += [f"Website: {website}"] if website else []
    for contact in override.support if override else ():
        phone = f", {contact.phone.display}" if contact.phone else ""
        lines.append(f"{message('contact_label_clientondersteuning', language)}: {contact.name}{phone}")
    local_sources = [checked_line(override)] if desk or (override and override.support) else []
    heading = message("contact_in_antwoord_kop", language, gemeente=municipality.name)
    return "\n".join([heading, *lines, "", *local_sources, register_source_line(municipality)])


def referral_text(municipality: Municipality) -> str:
    """For a question that is not about Wegwijzer's topics: where the municipality can be reached."""
    lines = "\n".join(_register_lines(municipality, ("Telefoon", "Website", "Afspraak maken")))
    intro = message("buiten_onderwerp_gemeente", gemeente=municipality.name)
    return f"{intro}\n{lines}\n\n{register_source_line(municipality)}"


def _register_lines(municipality: Municipality, labels: Optional[Sequence[str]] = None) -> List[str]:
    """'Label: value' for each contact detail the register has."""
    details = [
        ("Telefoon", municipality.phone_display),
        ("E-mail", municipality.email),
        ("Website", municipality.website),
        ("Afspraak maken", municipality.appointment_url),
        ("Bezoekadres", _address(municipality.visiting_address)),
        ("Postadres", _address(municipality.postal_address)),
    ]
    return [f"{label}: {value}" for label, value in details if value and (labels is None or label in labels)]


def _address(address: Optional[Address]) -> Optional[str]:
    return address.one_line() if address else None


def register_source_line(municipality: Municipality) -> str:
    source = load_facts().sources[REGISTER_SOURCE]
    updated = f" (bijgewerkt {municipality.register_updated})" if municipality.register_updated else ""
    return f"Bron: {source.organisation}, {source.url}{updated}"


def _phone_fields(phone: Optional[PhoneNumber], fallback: Optional[str] = None) -> Dict[str, Optional[str]]:
    return {"phone": phone.display if phone else fallback, "phone_link": phone.tel_uri if phone else None}


def _contact_card_part(contact: Contact) -> Dict[str, object]:
    return {
        "name": contact.name,
        **_phone_fields(contact.phone),
        "email": contact.email,
        "website": contact.website,
        "opening_hours": contact.opening_hours,
        "address": contact.address,
        "for": [AUDIENCES[key] for key in contact.audiences],
    }


def contact_card(municipality: Municipality, local: Optional[Override] = None) -> Dict[str, object]:
    """Structured data for the widget's contact card: local data first, then the register's."""
    support: Sequence[Contact] = local.support if local else ()
    return {
        "type": "contact_card",
        "name": f"Gemeente {municipality.name}",
        "cbs_code": municipality.cbs_code,
        "wmo_loket": _contact_card_part(local.wmo_desk) if local and local.wmo_desk else None,
        "clientondersteuning": [_contact_card_part(contact) for contact in support],
        "local_source": checked_line(local) if local else None,
        **_phone_fields(municipality.phone, municipality.phone_as_registered),
        "email": municipality.email,
        "website": municipality.website,
        "appointment_url": municipality.appointment_url,
        "visiting_address": _address(municipality.visiting_address),
        "postal_address": _address(municipality.postal_address),
        "source": register_source_line(municipality),
    }
