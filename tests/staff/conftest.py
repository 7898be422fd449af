"""The staff app as its HTTP tests use it: the stores on temporary SQLite files (a module may
define its own `stores`, seeded or on PostgreSQL) and the web server on them."""

import pytest

from assistant.web.server import web_server_on_free_port
from tests.support.staff_app import staff_stores


@pytest.fixture(scope="module")
def stores(tmp_path_factory):
    with staff_stores(tmp_path_factory.mktemp("staff")) as both:
        yield both


@pytest.fixture(scope="module")
def url(stores):
    """The web server, started after the module's stores set the environment it reads."""
    with web_server_on_free_port() as base_url:
        yield base_url
