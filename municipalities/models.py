"""SQLAlchemy tables of the municipal directory."""

from sqlalchemy import Column, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class MunicipalityRow(Base):
    """One municipality as the register lists it."""

    __tablename__ = "municipalities"

    cbs_code = Column(String(6), primary_key=True)  # "GM0363"
    name = Column(String(100), nullable=False)  # "'s-Hertogenbosch"
    short_name = Column(String(100), nullable=False)  # register "Afkorting": "Den Bosch"
    phone = Column(String(40))
    email = Column(String(200))
    website = Column(String(300))
    appointment_url = Column(String(500))
    register_updated = Column(String(10))  # "Laatste mutatie", dd-mm-yyyy

    addresses = relationship("AddressRow", cascade="all, delete-orphan", order_by="AddressRow.kind")
    places = relationship("PlaceRow", cascade="all, delete-orphan", order_by="PlaceRow.name")


class AddressRow(Base):
    """A visiting ("bezoekadres") or postal ("postadres") address."""

    __tablename__ = "addresses"

    id = Column(Integer, primary_key=True)
    cbs_code = Column(String(6), ForeignKey("municipalities.cbs_code"), nullable=False)
    kind = Column(String(20), nullable=False)  # "bezoekadres" or "postadres"
    street = Column(String(200))
    house_number = Column(String(20))
    po_box = Column(String(20))
    postcode = Column(String(10))
    city = Column(String(100))


class PlaceRow(Base):
    """A place ("woonplaats") that the register lists under "Bevat plaatsen".

    27 place names belong to two municipalities: the name appears once under each.
    """

    __tablename__ = "places"

    id = Column(Integer, primary_key=True)
    cbs_code = Column(String(6), ForeignKey("municipalities.cbs_code"), nullable=False, index=True)
    name = Column(String(100), nullable=False)  # as the register writes it: "Hoofddorp", "Bergen NH"


class PostcodeRow(Base):
    """The share of a 4-digit postcode area (PC4) that lies in one municipality.

    Most PC4s lie in one municipality (share 1.0); 22 are split over two.
    """

    __tablename__ = "postcodes"

    pc4 = Column(String(4), primary_key=True)
    cbs_code = Column(String(6), ForeignKey("municipalities.cbs_code"), primary_key=True)
    share = Column(Float, nullable=False)  # of the PC4's 6-position postcodes


class OverrideVersionRow(Base):
    """A municipality's own data as saved in the staff app: a whole document in the format
    of the override files, one row per save. The newest version of a municipality wins over
    its file; the older ones are its history. The register import leaves this table alone."""

    __tablename__ = "override_versions"
    __table_args__ = (UniqueConstraint("cbs_code", "number"),)  # two saves of one version: one fails

    id = Column(Integer, primary_key=True, autoincrement=True)
    cbs_code = Column(String(6), nullable=False)
    number = Column(Integer, nullable=False)  # 1, 2, 3 … per municipality
    document = Column(Text, nullable=False)
    saved_by = Column(String(100), nullable=False)
    saved_at = Column(DateTime(timezone=True), nullable=False)
    note = Column(String(500), nullable=False, default="")
