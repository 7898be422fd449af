"""The directory on a real PostgreSQL server (the scale-out path: WEGWIJZER_DIRECTORY_URL),
in a database of its own that the test creates and drops. The server is the machine's
local PostgreSQL unless WEGWIJZER_TEST_POSTGRES points elsewhere (fixture in conftest.py)."""

from municipalities.aliases import load_aliases
from municipalities.directory import Directory
from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from municipalities.resolver import Resolver


def test_the_directory_on_postgresql_equals_the_one_on_sqlite(postgres_url, directory):
    summary = import_directory(postgres_url, read_register(REGISTER_CSV), read_postcodes())
    assert (summary.municipalities, summary.places, summary.postcodes) == (342, 2501, 4096)
    assert import_directory(postgres_url, read_register(REGISTER_CSV), read_postcodes()) == summary  # idempotent
    on_postgres = Directory.load(postgres_url)
    assert on_postgres.all() == directory.all()
    assert [on_postgres.postcode_areas(pc4) for pc4 in on_postgres.postcodes()] == [
        directory.postcode_areas(pc4) for pc4 in directory.postcodes()
    ]
    resolver = Resolver(on_postgres, load_aliases())
    assert resolver.resolve("ik woon in Hoofddorp").municipality.name == "Haarlemmermeer"
    assert resolver.resolve("1011 AB").municipality.name == "Amsterdam"
