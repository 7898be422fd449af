"""Pgb guidance: whether a pgb can fit, where to apply, what to prepare and how the money
goes, from three answers (slots of `pgb_form`): for which care (the law), can the resident
do the pgb tasks (pgb-vaardig), and who should give the care.

The rules: Wmo 2015 art. 2.3.6 (conditions), the SVB and Regelhulp (trekkingsrecht for Wmo,
Jeugdwet and Wlz budgets, not for the Zvw), Per Saldo. Each message names its own sources
(facts.yml), so that every fact a resident reads can be checked.
"""

from typing import Dict, List, Optional

from assistant.content.answers import Answer, message, zorgkantoor_source
from assistant.content.contact import REGISTER_SOURCE
from assistant.content.facts import Facts
from municipalities.zorgkantoren import Zorgkantoor

LAW, CAPABLE, PROVIDER = "pgb_wet", "pgb_vaardig", "pgb_zorgverlener"
SLOTS = (LAW, CAPABLE, PROVIDER)
MUNICIPAL_LAWS = ("wmo", "jeugdwet")
SVB_LAWS = ("wmo", "jeugdwet", "wlz")
# The sources of each message, by the answer it depends on.
WHERE_SOURCES = {
    "wmo": ("wmo_2015", "per_saldo"),
    "jeugdwet": ("regelhulp_jeugdhulp", "per_saldo"),
    "wlz": ("ciz_wlz", "per_saldo"),
    "zvw": ("regelhulp_svb_pgb", "per_saldo"),
    "weet_niet": ("wmo_2015", "per_saldo"),
}
PREPARE_SOURCES = ("wmo_2015", "per_saldo")  # pgb-vaardig, the motivation and the budgetplan
PAYMENT_SOURCES = ("regelhulp_svb_pgb", "svb_pgb")
# The buttons under the advice: two questions residents ask next (knowledge base topics).
FOLLOW_UPS = (("Familie betalen met een pgb", "/pgb_familie"), ("Wat mag ik betalen met een pgb?", "/pgb_besteden"))


def advice(
    answers: Dict[str, Optional[str]],
    facts: Facts,
    municipality: Optional[str] = None,
    municipality_phone: Optional[str] = None,
    zorgkantoor: Optional[Zorgkantoor] = None,
) -> List[Answer]:
    """Three short messages, each with its sources: where to apply, what to prepare, how the money goes."""
    values = facts.texts()
    law = answers.get(LAW) or "weet_niet"
    where = [message(f"pgb_advies_waar_{law}")]
    where_sources = [facts.sources[key] for key in WHERE_SOURCES[law]]
    if law in MUNICIPAL_LAWS and municipality and municipality_phone:
        where.append(message("pgb_advies_gemeente", gemeente=municipality, telefoon=municipality_phone))
        where_sources.append(facts.sources[REGISTER_SOURCE])
    if law == "wlz" and zorgkantoor:
        where.append(message("pgb_advies_zorgkantoor", zorgkantoor=zorgkantoor.name))
        where_sources.append(zorgkantoor_source(zorgkantoor))
    capable = answers.get(CAPABLE) or "weet_niet"
    prepare = [message(f"pgb_advies_vaardig_{capable}", **values)]
    if capable != "nee":
        prepare.append(message("pgb_advies_voorbereiden"))
    if answers.get(PROVIDER) == "familie":
        prepare.append(message("pgb_advies_familie"))
    payment_key = "svb" if law in SVB_LAWS else "zvw" if law == "zvw" else "weet_niet"
    payment = message(f"pgb_advies_betaling_{payment_key}", **values)
    return [
        Answer(" ".join(where), tuple(where_sources)),
        Answer(" ".join(prepare), tuple(facts.sources[key] for key in PREPARE_SOURCES)),
        Answer(payment, tuple(facts.sources[key] for key in PAYMENT_SOURCES)),
    ]
