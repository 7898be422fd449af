"""The municipal directory in memory: every municipality with its contact data, places
and postcodes, read once from the database (SQLite or PostgreSQL: the caller gives its URL)."""

import logging
from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

from sqlalchemy import create_engine
from sqlalchemy.orm import Session, selectinload

from municipalities.models import MunicipalityRow, PostcodeRow
from municipalities.phone import PhoneNumber, parse_phone

logger = logging.getLogger(__name__)


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

    def one_line(self) -> str:
        return ", ".join(self.lines())


@dataclass(frozen=True)
class Municipality:
    cbs_code: str
    name: str
    short_name: str
    phone: Optional[PhoneNumber]
    phone_as_registered: Optional[str]  # shown as is when it is not a valid Dutch number
    email: Optional[str]
    website: Optional[str]
    appointment_url: Optional[str]
    visiting_address: Optional[Address]
    postal_address: Optional[Address]
    register_updated: Optional[str]
    places: Tuple[str, ...]

    @classmethod
    def from_row(cls, row: MunicipalityRow) -> "Municipality":
        addresses = {
            address.kind: Address(address.street, address.house_number, address.po_box, address.postcode, address.city)
            for address in row.addresses
        }
        return cls(
            cbs_code=row.cbs_code,
            name=row.name,
            short_name=row.short_name,
            phone=_phone(row),
            phone_as_registered=row.phone,
            email=row.email,
            website=row.website,
            appointment_url=row.appointment_url,
            visiting_address=addresses.get("bezoekadres"),
            postal_address=addresses.get("postadres"),
            register_updated=row.register_updated,
            places=tuple(place.name for place in row.places),
        )

    @property
    def phone_display(self) -> Optional[str]:
        return self.phone.display if self.phone else self.phone_as_registered


def _phone(row: MunicipalityRow) -> Optional[PhoneNumber]:
    if not row.phone:
        return None
    try:
        return parse_phone(row.phone)
    except ValueError:
        logger.warning("%s (%s): phone number %r is not a valid Dutch number", row.name, row.cbs_code, row.phone)
        return None


@dataclass(frozen=True)
class PostcodeArea:
    """A municipality's share of a 4-digit postcode area."""

    cbs_code: str
    share: float


class Directory:
    """All municipalities and postcodes, kept in memory (342 municipalities, about 4,100 PC4 rows)."""

    def __init__(self, municipalities: List[Municipality], postcodes: Dict[str, List[PostcodeArea]]) -> None:
        self._by_code = {municipality.cbs_code: municipality for municipality in municipalities}
        self._postcodes = {pc4: sorted(areas, key=lambda area: -area.share) for pc4, areas in postcodes.items()}

    @classmethod
    def load(cls, database_url: str) -> "Directory":
        engine = create_engine(database_url)
        with Session(engine) as session:
            rows = session.query(MunicipalityRow).options(
                selectinload(MunicipalityRow.addresses), selectinload(MunicipalityRow.places)
            )
            municipalities = [Municipality.from_row(row) for row in rows]
            postcodes: Dict[str, List[PostcodeArea]] = {}
            for row in session.query(PostcodeRow):
                postcodes.setdefault(row.pc4, []).append(PostcodeArea(row.cbs_code, row.share))
        engine.dispose()
        return cls(municipalities, postcodes)

    def __len__(self) -> int:
        return len(self._by_code)

    def all(self) -> List[Municipality]:
        return sorted(self._by_code.values(), key=lambda municipality: municipality.name)

    def by_code(self, cbs_code: str) -> Optional[Municipality]:
        return self._by_code.get(cbs_code.strip().upper())

    def postcode_areas(self, pc4: str) -> List[PostcodeArea]:
        """The municipalities a PC4 lies in, largest share first; empty when unknown."""
        return self._postcodes.get(pc4, [])

    def postcodes(self) -> List[str]:
        return sorted(self._postcodes)
