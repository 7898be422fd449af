"""The municipal directory: every Dutch municipality with its contact data.

Plain Python (SQLAlchemy), no Rasa: `importer` builds the database (SQLite by default)
from the register export and the postcode file in `municipalities/data/`; `Directory`
holds it in memory; `resolver.Resolver` finds a municipality from what a resident types;
`overrides` reads the municipalities' own data.
"""

from municipalities.directory import Directory, Municipality

__all__ = ["Directory", "Municipality"]
