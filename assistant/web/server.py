"""The web server: the widget and its demo pages with the Rasa URL filled in, the privacy page,
the admin API under /admin/ (assistant/helpdesk/admin.py) and the staff app under /beheer/
(assistant/staff/app.py). A Sanic app (Rasa brings Sanic,
so nothing new to install or learn) in a process of its own: `python -m assistant.web`, started
and watched by `./wegwijzer start` beside the Rasa server and the action server.

Every answer carries a strict Content-Security-Policy; nothing outside assistant/web/public is
served, and no directory is listed. The server logs no requests: paths may hold references. Its
log is masked like every process's (assistant/log_format.py: JSON lines with WEGWIJZER_LOG_FORMAT=json).
"""

import logging
import mimetypes
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Tuple

from sanic import Sanic, response
from sanic.exceptions import MethodNotSupported, NotFound
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import log_format
from assistant.content import municipal_directory
from assistant.conversations.store import ConversationLog
from assistant.helpdesk.admin import PREFIX as ADMIN_PREFIX
from assistant.helpdesk.admin import AdminApi, is_admin_path
from assistant.helpdesk.callbacks import CallbackStore
from assistant.helpdesk.handovers import HandoverStore
from assistant.runtime.servers import free_port
from assistant.settings import DIRECTORY_URL, PROJECT_ROOT, RASA_PORT, WEB_PUBLIC_DIR, conversation_store_url
from assistant.staff.accounts import StaffStore
from assistant.staff.app import staff_blueprint
from assistant.staff.override_pages import LocalData
from assistant.staff.scenario_pages import MAX_RUN_SECONDS
from assistant.web.blocking import blocking
from municipalities.override_versions import OverrideVersions

DEMO_PAGES = {"/": "index.html", "/index.html": "index.html", "/zonder-gemeente.html": "zonder-gemeente.html"}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
MAX_REQUEST_BYTES = 64 * 1024  # forms and admin calls are small; a bigger body is refused (413)
STARTUP_TIMEOUT = 30.0  # seconds

logger = logging.getLogger(__name__)


def create_app(rasa_url: str, directory: Path = WEB_PUBLIC_DIR) -> Sanic:
    """The web app for one Rasa URL and one folder of public files."""
    app = Sanic("wegwijzer_web")
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    app.config.RESPONSE_TIMEOUT = MAX_RUN_SECONDS  # an upload of test conversations runs them first
    app.config.FALLBACK_ERROR_FORMAT = "text"  # error pages without tracebacks or markup
    callbacks, staff = CallbackStore(), StaffStore()
    admin = AdminApi(staff, callbacks)
    log = ConversationLog(conversation_store_url())
    local = LocalData(OverrideVersions(DIRECTORY_URL.get()), municipal_directory.shared)
    app.blueprint(staff_blueprint(staff, callbacks, log, every_municipality, local, HandoverStore(), rasa_url))
    headers = security_headers(rasa_url)
    public = directory.resolve()

    async def admin_api(request: Request, rest: str = "") -> HTTPResponse:
        target = request.raw_url.decode("utf-8", "replace")
        answer = await blocking(admin.handle, request.method, target, request.headers.get("Authorization"))
        return response.raw(answer.encoded(), status=answer.status, headers=answer.headers)

    async def page_or_file(request: Request, path: str = "") -> HTTPResponse:
        page = DEMO_PAGES.get("/" + path)
        if page:
            html = (public / page).read_text(encoding="utf-8").replace("{{rasa_url}}", rasa_url)
            return response.html(html)
        return await public_file(public, path)

    app.add_route(admin_api, ADMIN_PREFIX, methods=ALL_METHODS, name="admin")
    app.add_route(admin_api, f"{ADMIN_PREFIX}/<rest:path>", methods=ALL_METHODS, name="admin_path")
    app.add_route(page_or_file, "/", methods=["GET", "HEAD"], name="home")
    app.add_route(page_or_file, "/<path:path>", methods=["GET", "HEAD"], name="public")

    @app.on_response
    async def add_security_headers(request: Request, answer: HTTPResponse) -> None:
        for name, value in headers.items():
            answer.headers.setdefault(name, value)

    @app.exception(NotFound)
    async def not_found(request: Request, error: Exception) -> HTTPResponse:
        return response.text("Deze pagina bestaat niet.", status=404)

    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> HTTPResponse:
        """A kind answer, never a traceback; the log gets the kind of error, not its message."""
        logger.error("web request failed: %s %s: %s", request.method, request.path, type(error).__name__)
        return response.text("Er ging iets mis. Probeer het later opnieuw.", status=500)

    @app.exception(MethodNotSupported)
    async def wrong_method(request: Request, error: Exception) -> HTTPResponse:
        if is_admin_path(request.path):  # TRACE, which Sanic does not route: the API answers in JSON
            return await admin_api(request)
        return response.text("Dat kan hier niet.", status=405, headers={"Allow": "GET, HEAD"})

    @app.listener("before_server_start")
    async def masked_logs(*_: object) -> None:
        """Once the server runs (not when a test builds the app), every handler masks, as JSON lines
        with WEGWIJZER_LOG_FORMAT=json: Sanic's own loggers got their handlers with the app."""
        log_format.install(log_format.WEB)

    return app


async def public_file(public: Path, path: str) -> HTTPResponse:
    """A file inside `public`, never a folder, never a path that leads outside it."""
    wanted = (public / path).resolve()
    if not wanted.is_relative_to(public) or not wanted.is_file():
        raise NotFound("not found")
    content_type = CONTENT_TYPES.get(wanted.suffix) or mimetypes.guess_type(wanted.name)[0]
    return await response.file(wanted, mime_type=content_type or "application/octet-stream")


@lru_cache(maxsize=1)
def every_municipality() -> List[Tuple[str, str]]:
    """(CBS code, name) of every municipality, by name."""
    return sorted(((item.cbs_code, item.name) for item in municipal_directory.shared().all()), key=lambda item: item[1])


def security_headers(rasa_url: str) -> Dict[str, str]:
    """A strict Content-Security-Policy: the pages load only this server's files and talk only to Rasa."""
    websocket_url = "ws" + rasa_url[len("http") :]
    policy = (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        f"connect-src 'self' {rasa_url} {websocket_url}; "
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
    return {"Content-Security-Policy": policy, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def web_command(port: int, rasa_url: Optional[str] = None, directory: Path = WEB_PUBLIC_DIR) -> List[str]:
    """The command that runs the web server (`python -m assistant.web`)."""
    rasa_url = rasa_url or f"http://localhost:{RASA_PORT.number()}"
    return [
        sys.executable,
        "-m",
        "assistant.web",
        "--port",
        str(port),
        "--rasa-url",
        rasa_url,
        "--public",
        f"{directory}",
    ]


def wait_for_web(url: str, process: subprocess.Popen, timeout: float = STARTUP_TIMEOUT) -> None:
    """Wait until the web server answers; raise if it stops or time runs out."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the web server stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/privacy.html", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer from the web server at {url} after {timeout:.0f} s")
            time.sleep(0.2)


@contextmanager
def web_server_on_free_port(
    rasa_url: Optional[str] = None, directory: Path = WEB_PUBLIC_DIR, log: Optional[Path] = None
) -> Iterator[str]:
    """The web server in a process of its own on a free port while the block runs (tests);
    yields its base URL. It gets this process's environment as it is now."""
    port = free_port()
    output = open(log, "a") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        web_command(port, rasa_url, directory), cwd=PROJECT_ROOT, stdout=output, stderr=subprocess.STDOUT
    )
    try:
        url = f"http://localhost:{port}"
        wait_for_web(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()
