"""The municipal directory: every Dutch municipality with its contact data.

Plain Python (SQLAlchemy), no Rasa: `Directory` answers lookups, `importer` builds the
SQLite database from the register export in `municipalities/data/`.
"""

from municipalities.directory import Directory, Municipality, default_database_url

__all__ = ["Directory", "Municipality", "default_database_url"]
