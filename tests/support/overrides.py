"""A complete local data file, writing one into a folder, and a municipality whose helpdesk always chats."""

import textwrap
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import create_engine
from sqlalchemy import text as text_clause

from municipalities.override_versions import OverrideVersions
from municipalities.overrides import WEEKDAYS

GOOD = """\
gemeente: GM0193
bron: https://www.zwolle.nl/wmo
gecontroleerd: 2026-11-01
wmo_loket:
  naam: Wmo-loket Zwolle
  telefoon: "038 498 91 11"
  email: wmo@zwolle.example
  openingstijden: maandag tot en met vrijdag van 9.00 tot 17.00 uur
clientondersteuning:
  - naam: MEE IJsseloevers
    telefoon: 088-6338000
    website: https://www.mee.example
    voor: [beperking, jeugd]
eigen_bijdrage:
  jaar: 2026
  bedrag_per_maand: "0,00"
  voor_wie: inwoners met een laag inkomen
  bron: https://www.zwolle.nl/eigen-bijdrage
antwoorden:
  clientondersteuning_aanvragen: Bel het Wmo-loket.
chat:
  maandag: 09:00-17:00
  vrijdag: "9.00 - 12.30"
  wachten_minuten: 4
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@contextmanager
def chats_always(directory_url: str, cbs_code: str, name: str) -> Iterator[None]:
    """The municipality's helpdesk chats at every hour, saved as the staff app saves local data;
    removed afterwards, so that other tests know the municipality without it."""
    hours = "".join(f"  {day}: 00:00-24:00\n" for day in WEEKDAYS)
    document = f"gemeente: {cbs_code}\nbron: https://www.{name}.nl/wmo\ngecontroleerd: 2026-12-01\nchat:\n{hours}"
    OverrideVersions(directory_url).save(cbs_code, document + "  wachten_minuten: 5\n", "test", based_on=0)
    try:
        yield
    finally:
        with create_engine(directory_url).begin() as connection:
            connection.execute(text_clause("DELETE FROM override_versions WHERE cbs_code = :code"), {"code": cbs_code})
