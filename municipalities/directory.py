"""Look up municipalities and their contact data."""

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, selectinload

from municipalities.models import MunicipalityRow
from municipalities.names import is_common_word, normalise, word_spans

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MAX_INPUT_LENGTH = 200  # longer texts are not a municipality name
FUZZY_CUTOFF = 0.88
FUZZY_MIN_LENGTH = 5  # shorter words inside a sentence are too easily "close" to a name


def default_database_url() -> str:
    """WEGWIJZER_DIRECTORY_URL, or the SQLite file in var/."""
    return os.environ.get(
        "WEGWIJZER_DIRECTORY_URL", f"sqlite:///{PROJECT_ROOT / 'var' / 'directory.db'}"
    )


@dataclass(frozen=True)
class Address:
    street: Optional[str]
    house_number: Optional[str]
    po_box: Optional[str]
    postcode: Optional[str]
    city: Optional[str]

    def lines(self) -> List[str]:
        """'Spiekersteeg 1', '9461 BH Gieten' or 'Postbus 93', '9460 AB Gieten'."""
        first = f"Postbus {self.po_box}" if self.po_box else f"{self.street or ''} {self.house_number or ''}"
        second = f"{self.postcode or ''} {self.city or ''}"
        return [line.strip() for line in (first, second) if line.strip()]


@dataclass(frozen=True)
class Municipality:
    cbs_code: str
    name: str
    short_name: str
    phone: Optional[str]
    email: Optional[str]
    website: Optional[str]
    appointment_url: Optional[str]
    visiting_address: Optional[Address]
    postal_address: Optional[Address]
    register_updated: Optional[str]

    @classmethod
    def from_row(cls, row: MunicipalityRow) -> "Municipality":
        addresses = {
            address.kind: Address(
                address.street, address.house_number, address.po_box, address.postcode, address.city
            )
            for address in row.addresses
        }
        return cls(
            cbs_code=row.cbs_code,
            name=row.name,
            short_name=row.short_name,
            phone=row.phone,
            email=row.email,
            website=row.website,
            appointment_url=row.appointment_url,
            visiting_address=addresses.get("bezoekadres"),
            postal_address=addresses.get("postadres"),
            register_updated=row.register_updated,
        )


class Directory:
    """All municipalities, read once from the database and kept in memory (342 rows)."""

    def __init__(self, municipalities: List[Municipality]) -> None:
        self._by_code = {municipality.cbs_code: municipality for municipality in municipalities}
        self._by_name: Dict[str, Municipality] = {}
        for municipality in municipalities:
            for name in (municipality.name, municipality.short_name):
                self._by_name[normalise(name)] = municipality
        self._longest_name = max((len(name.split()) for name in self._by_name), default=1)

    @classmethod
    def load(cls, database_url: Optional[str] = None) -> "Directory":
        engine = create_engine(database_url or default_database_url())
        with Session(engine) as session:
            rows = session.query(MunicipalityRow).options(selectinload(MunicipalityRow.addresses))
            directory = cls([Municipality.from_row(row) for row in rows])
        engine.dispose()
        return directory

    def __len__(self) -> int:
        return len(self._by_code)

    def all(self) -> List[Municipality]:
        return sorted(self._by_code.values(), key=lambda municipality: municipality.name)

    def by_code(self, cbs_code: str) -> Optional[Municipality]:
        return self._by_code.get(cbs_code.strip().upper())

    def find(self, text: str) -> Optional[Municipality]:
        """The municipality a resident means by `text`, or None.

        Tries, in order: the CBS code; a name as the whole text or inside it ("ik woon
        in Zwolle"), where a name that is also an everyday word ("mijn buren") counts
        only if no other name is there; a close spelling of the whole text ("Amsterdm"),
        then of a longer word in it ("ik woon in Amsterdm").
        """
        if not text or len(text) > MAX_INPUT_LENGTH:
            return None
        by_code = self.by_code(text)
        if by_code:
            return by_code
        key = normalise(text)
        spans = list(word_spans(key, self._longest_name))
        named = [span for span in spans if span in self._by_name]
        named.sort(key=is_common_word)  # stable: keeps longest-first order otherwise
        if named:
            return self._by_name[named[0]]
        for candidate in [key] + [span for span in spans if len(span) >= FUZZY_MIN_LENGTH]:
            close = difflib.get_close_matches(candidate, self._by_name, n=1, cutoff=FUZZY_CUTOFF)
            if close:
                return self._by_name[close[0]]
        return None
