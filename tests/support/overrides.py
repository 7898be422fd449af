"""A complete local data file, and writing one into a folder."""

import textwrap
from pathlib import Path

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
