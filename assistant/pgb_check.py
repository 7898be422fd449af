"""Pgb guidance: whether a pgb can fit, where to apply, what to prepare and how the money
goes, from three answers (slots of `pgb_form`): for which care (the law), can the resident
do the pgb tasks (pgb-vaardig), and who should give the care.

The rules: Wmo 2015 art. 2.3.6 (conditions), the SVB (trekkingsrecht for Wmo, Jeugdwet and
Wlz budgets, not for the Zvw), Per Saldo. See facts.yml for the sources.
"""

from typing import Dict, List, Optional

from assistant.answers import Answer, message
from assistant.facts import Facts

LAW, CAPABLE, PROVIDER = "pgb_wet", "pgb_vaardig", "pgb_zorgverlener"
SLOTS = (LAW, CAPABLE, PROVIDER)
MUNICIPAL_LAWS = ("wmo", "jeugdwet")
SVB_LAWS = ("wmo", "jeugdwet", "wlz")
SOURCES = ("wmo_2015", "svb_pgb", "per_saldo")


def advice(
    answers: Dict[str, Optional[str]], facts: Facts,
    municipality: Optional[str] = None, municipality_phone: Optional[str] = None, zorgkantoor: Optional[str] = None,
) -> List[Answer]:
    """Three short messages: where to apply, what to prepare, how the money goes."""
    values = facts.texts()
    law = answers.get(LAW) or "weet_niet"
    where = [message(f"pgb_advies_waar_{law}")]
    if law in MUNICIPAL_LAWS and municipality and municipality_phone:
        where.append(message("pgb_advies_gemeente", gemeente=municipality, telefoon=municipality_phone))
    if law == "wlz" and zorgkantoor:
        where.append(message("pgb_advies_zorgkantoor", zorgkantoor=zorgkantoor))
    capable = answers.get(CAPABLE) or "weet_niet"
    prepare = [message(f"pgb_advies_vaardig_{capable}", **values)]
    if capable != "nee":
        prepare.append(message("pgb_advies_voorbereiden"))
    if answers.get(PROVIDER) == "familie":
        prepare.append(message("pgb_advies_familie"))
    payment_key = "svb" if law in SVB_LAWS else "zvw" if law == "zvw" else "weet_niet"
    payment = message(f"pgb_advies_betaling_{payment_key}", **values)
    sources = tuple(facts.sources[key] for key in SOURCES)
    return [Answer(" ".join(where), ()), Answer(" ".join(prepare), ()), Answer(payment, sources)]
