"""The web server of the demo pages: the widget, the demo pages with the Rasa URL filled in,
the privacy page, and the admin API under /admin/ (assistant/helpdesk/admin.py). Standard
library http.server in a thread of the `start` process; the staff app to come will need a
real web framework, and this server goes with it."""

import http.server
import threading
from contextlib import contextmanager
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, Optional

from assistant.helpdesk.admin import AdminApi, is_admin_path
from assistant.runtime.servers import free_port
from assistant.settings import RASA_PORT, WEB_PUBLIC_DIR

DEMO_PAGES = {"/": "index.html", "/index.html": "index.html", "/zonder-gemeente.html": "zonder-gemeente.html"}


def serve_web(
    port: int, rasa_url: Optional[str] = None, directory: Path = WEB_PUBLIC_DIR
) -> http.server.ThreadingHTTPServer:
    """Serve the widget, its demo pages and the privacy page from `directory` (assistant/web/public),
    and the admin API under /admin/, in a background thread. `rasa_url`: where the widget talks to Rasa."""
    rasa_url = rasa_url or f"http://localhost:{RASA_PORT.number()}"
    handler = partial(WebHandler, directory=str(directory), admin=AdminApi.from_environment(), rasa_url=rasa_url)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextmanager
def web_server_on_free_port(rasa_url: Optional[str] = None, directory: Path = WEB_PUBLIC_DIR) -> Iterator[str]:
    """serve_web on a free port while the block runs (tests); yields its base URL."""
    port = free_port()
    server = serve_web(port, rasa_url, directory)
    try:
        yield f"http://localhost:{port}"
    finally:
        server.shutdown()
        server.server_close()


def security_headers(rasa_url: str) -> Dict[str, str]:
    """A strict Content-Security-Policy: the pages load only this server's files and talk only to Rasa."""
    websocket_url = "ws" + rasa_url[len("http") :]
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {rasa_url} {websocket_url}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class WebHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with security headers, the demo pages with the Rasa URL filled in, and
    /admin/ requests handed to the admin API (assistant/helpdesk/admin.py). Logs nothing."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".js": "text/javascript; charset=utf-8",
        ".css": "text/css; charset=utf-8",
    }

    def __init__(self, *args: Any, admin: AdminApi, rasa_url: str, **kwargs: Any) -> None:
        self.admin = admin  # before super().__init__, which handles the request
        self.rasa_url = rasa_url
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass

    def end_headers(self) -> None:
        for name, value in security_headers(self.rasa_url).items():
            self.send_header(name, value)
        super().end_headers()

    def list_directory(self, path: str) -> None:
        """No directory listings."""
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")

    def do_GET(self) -> None:
        self._admin_or(self._demo_page_or_file)

    do_HEAD = do_GET  # noqa: N815 - the names http.server calls

    def do_POST(self) -> None:
        self._admin_or(self._unsupported)

    do_DELETE = do_PUT = do_PATCH = do_OPTIONS = do_TRACE = do_POST  # noqa: N815

    def _admin_or(self, otherwise: Callable[[], None]) -> None:
        if is_admin_path(self.path):
            self._answer_admin()
        else:
            otherwise()

    def _demo_page_or_file(self) -> None:
        page = DEMO_PAGES.get(self.path.split("?", 1)[0])
        if page is None:
            (super().do_HEAD if self.command == "HEAD" else super().do_GET)()
            return
        html = (Path(self.directory) / page).read_text(encoding="utf-8").replace("{{rasa_url}}", self.rasa_url)
        self._send(HTTPStatus.OK, {"Content-Type": "text/html; charset=utf-8"}, html.encode())

    def _unsupported(self) -> None:
        """What the server answered before it had an admin API."""
        self.send_error(HTTPStatus.NOT_IMPLEMENTED, f"Unsupported method ({self.command!r})")

    def _answer_admin(self) -> None:
        response = self.admin.handle(self.command, self.path, self.headers.get("Authorization"))
        self._send(response.status, response.headers, response.encoded())

    def _send(self, status: int, headers: Dict[str, str], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
