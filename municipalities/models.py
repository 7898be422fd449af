"""SQLAlchemy tables of the municipal directory."""

from sqlalchemy import Column, ForeignKey, Integer, String
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

    addresses = relationship(
        "AddressRow", cascade="all, delete-orphan", order_by="AddressRow.kind"
    )


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
