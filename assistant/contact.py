"""A municipality's contact data as a resident reads it: text for any channel, and a
structured card for the web widget."""

import re
from typing import Dict, List, Optional

from assistant.facts import load_facts
from municipalities.directory import Address, Municipality

REGISTER_SOURCE = "register_overheidsorganisaties"


def tel_link(phone: str) -> str:
    """'(073) 615 51 55' -> 'tel:0736155155'; a 14-number '(014) 030' -> 'tel:14030'."""
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("014"):
        digits = digits[1:]
    return f"tel:{digits}"


def _address(address: Optional[Address]) -> Optional[str]:
    return ", ".join(address.lines()) if address else None


def contact_lines(municipality: Municipality) -> List[str]:
    """'Label: value' for each contact detail the register has."""
    details = [
        ("Telefoon", municipality.phone),
        ("E-mail", municipality.email),
        ("Website", municipality.website),
        ("Afspraak maken", municipality.appointment_url),
        ("Bezoekadres", _address(municipality.visiting_address)),
        ("Postadres", _address(municipality.postal_address)),
    ]
    return [f"{label}: {value}" for label, value in details if value]


def source_line(municipality: Municipality) -> str:
    source = load_facts().sources[REGISTER_SOURCE]
    updated = f" (bijgewerkt {municipality.register_updated})" if municipality.register_updated else ""
    return f"Bron: {source.organisation}, {source.url}{updated}"


def contact_text(municipality: Municipality) -> str:
    lines = "\n".join(contact_lines(municipality))
    return (
        f"Dit zijn de contactgegevens van de gemeente {municipality.name}:\n{lines}\n\n"
        "Vraag naar het Wmo-loket of naar cliëntondersteuning. "
        "De gemeente brengt u in contact met een cliëntondersteuner.\n\n"
        f"{source_line(municipality)}"
    )


def contact_card(municipality: Municipality) -> Dict[str, object]:
    """Structured data for the widget's contact card."""
    return {
        "type": "contact_card",
        "name": f"Gemeente {municipality.name}",
        "cbs_code": municipality.cbs_code,
        "phone": municipality.phone,
        "phone_link": tel_link(municipality.phone) if municipality.phone else None,
        "email": municipality.email,
        "website": municipality.website,
        "appointment_url": municipality.appointment_url,
        "visiting_address": _address(municipality.visiting_address),
        "postal_address": _address(municipality.postal_address),
        "source": source_line(municipality),
    }
