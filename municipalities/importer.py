"""Build the directory database from the register export (Gemeenten.csv) and the
postcode file (PC4 to municipality).

The export is UTF-8, `;`-separated and fully quoted. Multi-valued cells hold several
values separated by `;`; each value is `value, label: x` or `key: value, key: value`.
Running the import twice gives the same database: each run replaces every row in one
transaction.

The register comes from `var/register/gemeenten.csv` when `./wegwijzer refresh-directory`
has downloaded a newer export, else from the snapshot in `municipalities/data/`.
"""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from municipalities.models import AddressRow, Base, MunicipalityRow, PlaceRow, PostcodeRow
from municipalities.progress import Progress

DATA_DIR = Path(__file__).parent / "data"
REGISTER_CSV = DATA_DIR / "gemeenten-organisaties-overheid-2026-03.csv"
POSTCODES_CSV = DATA_DIR / "pc4-gemeente-2026.csv"
REQUIRED_COLUMNS = ("Officiële naam", "Afkorting", "TOOi URI", "Organisatiecode", "Telefoonnummers ", "Bevat plaatsen")
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
                    house_number=" ".join(filter(None, [fields.get("huisnummer"), fields.get("toevoeging")])) or None,
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


def place_names(cell: str) -> List[str]:
    """'Aalsmeer, Kudelstaart' -> ['Aalsmeer', 'Kudelstaart'], each name once."""
    return list(dict.fromkeys(name.strip() for name in cell.split(",") if name.strip()))


def to_row(record: Dict[str, str]) -> MunicipalityRow:
    """One register record as a MunicipalityRow, with its addresses and places."""
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
        places=[PlaceRow(name=name) for name in place_names(record["Bevat plaatsen"])],
    )


class RegisterError(ValueError):
    """The register export cannot be read: a missing column, a broken or cut-off row."""


def parse_register(text: str) -> List[MunicipalityRow]:
    """All municipalities of an export's text, as unsaved rows; RegisterError if it is broken."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";", strict=True)
    missing = [column for column in REQUIRED_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise RegisterError(f"columns missing: {', '.join(missing)}")
    rows = []
    try:
        for record in reader:
            if None in record or None in record.values():
                raise csv.Error(f"does not have {len(reader.fieldnames)} fields: cut off or broken")
            rows.append(to_row(record))
    except (csv.Error, ValueError) as error:
        raise RegisterError(f"line {reader.line_num}: {error}") from error
    codes = [row.cbs_code for row in rows]
    if len(set(codes)) != len(codes):
        raise RegisterError("a CBS code appears twice")
    return rows


def read_register(path: Path) -> List[MunicipalityRow]:
    """All municipalities of a register file (see `register_file`)."""
    return parse_register(path.read_text(encoding="utf-8"))


def register_file(refreshed: Path) -> Path:
    """The refreshed export (saved by municipalities.refresh) if there is one, else the
    snapshot that comes with the library."""
    return refreshed if refreshed.exists() else REGISTER_CSV


def read_postcodes(path: Path = POSTCODES_CSV) -> List[PostcodeRow]:
    """Every (PC4, municipality) pair with the share of the PC4's postcodes in it."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            PostcodeRow(pc4=record["pc4"], cbs_code=record["gemeentecode"], share=float(record["share_pc6"]))
            for record in csv.DictReader(handle)
        ]


@dataclass(frozen=True)
class ImportSummary:
    municipalities: int
    places: int
    postcodes: int
    postcodes_skipped: int  # PC4 rows of a municipality the register no longer has


def import_directory(
    database_url: str, municipalities: Sequence[MunicipalityRow], postcodes: Sequence[PostcodeRow]
) -> ImportSummary:
    """Replace the directory's contents; postcodes of unknown municipalities are left out."""
    codes = {row.cbs_code for row in municipalities}
    known_postcodes = [row for row in postcodes if row.cbs_code in codes]
    places = sum(len(row.places) for row in municipalities)  # before the session expires the rows
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    progress = Progress("Importing the municipal directory", len(municipalities) + len(known_postcodes), "rows")
    with Session(engine) as session, session.begin():
        for table in (PostcodeRow, PlaceRow, AddressRow, MunicipalityRow):
            session.query(table).delete()
        for batch in _batches([*municipalities, *known_postcodes], 500):
            session.add_all(batch)
            session.flush()
            progress.advance(len(batch))
    progress.finish()
    engine.dispose()
    return ImportSummary(
        municipalities=len(municipalities),
        places=places,
        postcodes=len(known_postcodes),
        postcodes_skipped=len(postcodes) - len(known_postcodes),
    )


def _batches(rows: Sequence[object], size: int) -> Iterator[Sequence[object]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def build_directory(database_url: str, register: Path) -> ImportSummary:
    """Import a register file and the postcode file."""
    return import_directory(database_url, read_register(register), read_postcodes())


def ensure_imported(database_url: str, register: Path) -> None:
    """Build the directory when its database is missing, empty, or without places or
    postcodes (made by an older version)."""
    engine = create_engine(database_url)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        incomplete = any(session.query(table).first() is None for table in (MunicipalityRow, PlaceRow, PostcodeRow))
    engine.dispose()
    if incomplete:
        build_directory(database_url, register)
