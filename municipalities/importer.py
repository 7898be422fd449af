"""Build the directory database from the register export (Gemeenten.csv).

The export is UTF-8, `;`-separated and fully quoted. Multi-valued cells hold several
values separated by `;`; each value is `value, label: x` or `key: value, key: value`.
Running the import twice gives the same database: each run replaces every row in one
transaction.
"""

import csv
import re
from pathlib import Path
from typing import Dict, Iterable, Iterator, List, Optional

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from municipalities.models import AddressRow, Base, MunicipalityRow

REGISTER_CSV = Path(__file__).parent / "data" / "gemeenten-organisaties-overheid-2026-03.csv"
ADDRESS_COLUMN_PREFIX = "Adressen ("
ADDRESS_KINDS = {"Bezoekadres": "bezoekadres", "Postadres": "postadres"}
_KEY_VALUE_SPLIT = re.compile(r", (?=[A-Za-z]+: )")


def parse_key_values(value: str) -> Dict[str, str]:
    """'adresType: Postadres, postbus: 93' -> {'adresType': 'Postadres', 'postbus': '93'}."""
    pairs = (part.split(": ", 1) for part in _KEY_VALUE_SPLIT.split(value.strip()))
    return {pair[0].strip(): pair[1].strip() for pair in pairs if len(pair) == 2}


def first_value(cell: str) -> Optional[str]:
    """The first value of a multi-valued cell, without its label: '14 058, label: x' -> '14 058'."""
    for value in cell.split(";"):
        text = value.split(", label:")[0].strip()
        if text:
            return text
    return None


def split_addresses(cell: str) -> Iterator[Dict[str, str]]:
    """Address entries start with 'adresType:'; a ';' inside a remark does not split one."""
    entries: List[str] = []
    for piece in cell.split(";"):
        if piece.strip().startswith("adresType:") or not entries:
            entries.append(piece)
        else:
            entries[-1] += ";" + piece
    return (parse_key_values(entry) for entry in entries)


LOWER_CASE_WORDS = {"aan", "de", "den", "der", "en", "het", "in", "op", "bij", "van", "ter", "ten", "'s"}


def place_name_case(name: str) -> str:
    """The register writes some places in capitals: 'ALPHEN AAN DEN RIJN' -> 'Alphen aan den Rijn',
    "'S-HERTOGENBOSCH" -> "'s-Hertogenbosch", 'CAPELLE AAN DEN IJSSEL' -> 'Capelle aan den IJssel'."""
    if not name.isupper():
        return name

    def word_case(word: str) -> str:
        if word in LOWER_CASE_WORDS:
            return word
        if word.startswith("ij"):
            return "IJ" + word[2:]
        return word[:1].upper() + word[1:]

    words = []
    for index, word in enumerate(name.lower().split()):
        parts = [word_case(part) for part in word.split("-")]
        if index == 0 and parts[0] in LOWER_CASE_WORDS and len(parts) == 1:
            parts[0] = parts[0].capitalize()
        elif index > 0 and len(word) <= 2 and word not in LOWER_CASE_WORDS:
            parts = [word.upper()]  # province: "BERGEN NH" -> "Bergen NH"
        words.append("-".join(parts))
    return " ".join(words)


def _address_rows(cell: str) -> List[AddressRow]:
    rows = []
    for fields in split_addresses(cell):
        kind = ADDRESS_KINDS.get(fields.get("adresType", ""))
        if kind and kind not in {row.kind for row in rows}:
            rows.append(
                AddressRow(
                    kind=kind,
                    street=fields.get("openbareRuimte"),
                    house_number=" ".join(
                        filter(None, [fields.get("huisnummer"), fields.get("toevoeging")])
                    )
                    or None,
                    po_box=fields.get("postbus"),
                    postcode=fields.get("postcode"),
                    city=place_name_case(fields.get("woonplaats") or "") or None,
                )
            )
    return rows


def cbs_code(record: Dict[str, str]) -> str:
    """'gm0363' from Organisatiecode, or from the end of the TOOi URI when that is empty."""
    code = record["Organisatiecode"] or record["TOOi URI"].rsplit("/", 1)[-1]
    if not re.fullmatch(r"gm\d{4}", code, re.IGNORECASE):
        raise ValueError(f"no CBS code for {record['Officiële naam']!r}")
    return code.upper()


def to_row(record: Dict[str, str]) -> MunicipalityRow:
    """One register record as a MunicipalityRow."""
    address_column = next(key for key in record if key.startswith(ADDRESS_COLUMN_PREFIX))
    return MunicipalityRow(
        cbs_code=cbs_code(record),
        name=record["Officiële naam"].removeprefix("Gemeente ").strip(),
        short_name=record["Afkorting"].strip(),
        phone=first_value(record["Telefoonnummers "]),
        email=first_value(record["E-mail adressen"]),
        website=first_value(record["Internetpagina's"]),
        appointment_url=first_value(record["Online afspraak url"]),
        register_updated=record["Laatste mutatie"] or None,
        addresses=_address_rows(record[address_column]),
    )


def read_register(path: Path = REGISTER_CSV) -> List[MunicipalityRow]:
    """All municipalities of the export, as unsaved rows."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [to_row(record) for record in csv.DictReader(handle, delimiter=";")]


def import_register(database_url: str, rows: Iterable[MunicipalityRow]) -> int:
    """Replace the directory's contents with `rows`; returns how many were stored."""
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    rows = list(rows)
    with Session(engine) as session, session.begin():
        session.query(AddressRow).delete()
        session.query(MunicipalityRow).delete()
        session.add_all(rows)
    engine.dispose()
    return len(rows)


def ensure_imported(database_url: str) -> None:
    """Import the register when the directory database is missing or empty."""
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        empty = session.query(MunicipalityRow).first() is None
    engine.dispose()
    if empty:
        import_register(database_url, read_register())
