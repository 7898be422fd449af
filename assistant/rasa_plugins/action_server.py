"""The action server, closed to everyone but the Rasa server.

rasa-sdk's own `rasa run actions` listens on every interface without authentication: anyone
who could reach port 5055 could run `action_submit_callback` and put fake callback requests
on a municipality's list. This server runs the same actions (package `actions`), but

- listens on 127.0.0.1 unless WEGWIJZER_ACTIONS_HOST says otherwise (an internal network);
- answers /webhook and /actions only with `Authorization: Bearer <WEGWIJZER_ACTION_SECRET>`,
  the header the Rasa server sends (endpoints.yml); /health stays open and says nothing;
- answers /metrics (Prometheus) only with `Authorization: Bearer <WEGWIJZER_METRICS_TOKEN>`, never
  with the action secret (Prometheus must not be able to run actions), and not at all while that
  token is empty: calls, time and errors per action (assistant/rasa_plugins/metrics.py);
- logs masked, as JSON lines with WEGWIJZER_LOG_FORMAT=json (assistant/log_format.py).

    python -m assistant.rasa_plugins.action_server --port 5055   (`./wegwijzer start` does this)
"""

import argparse
import json
import logging
import time
import zlib
from typing import Any, Collection, Optional

from rasa_sdk import utils
from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import log_format
from assistant.rasa_plugins import metrics
from assistant.runtime.quiet import silence_library_warnings
from assistant.settings import ACTION_SECRET, ACTIONS_HOST, ACTIONS_PORT

MIN_SECRET_LENGTH = 32
OPEN_PATHS = ("/health",)
OWN_TOKEN_PATHS = (metrics.METRICS_PATH,)  # closed by their own token, not by the action secret
WEBHOOK_PATH = "/webhook"
logger = logging.getLogger(__name__)


def is_authorised(authorization: Optional[str], secret: str) -> bool:
    """The request carries the shared secret as a bearer token (compared in constant time)."""
    return metrics.bearer_matches(authorization, secret)


def secret_from_environment() -> str:
    secret = ACTION_SECRET.get()
    if len(secret) < MIN_SECRET_LENGTH:
        raise SystemExit(f"{ACTION_SECRET.name} must hold a secret of at least {MIN_SECRET_LENGTH} characters.")
    return secret


def closed_app(secret: str) -> Sanic:
    """rasa-sdk's app with the actions of the `actions` package, open only with the secret."""
    from rasa_sdk.endpoint import create_app  # here, after main() silenced the warnings its import raises

    app = create_app("actions", cors_origins=None)

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception) -> HTTPResponse:
        """rasa-sdk's own handler logs the request and sends its body back: both hold what the resident typed."""
        logger.error("An action failed: %s", type(exception).__name__)
        return response.json({"error": "the action failed"}, status=500)

    @app.on_request
    async def require_secret(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS + OWN_TOKEN_PATHS:
            return None
        if is_authorised(request.headers.get("Authorization"), secret):
            return None
        logger.warning("Action server: a request to %s without the shared secret was refused", request.path)
        return response.json({"error": "the shared secret is missing or wrong"}, status=401)

    count_action_calls(app, registered_actions())
    metrics.add_metrics_route(app, metrics.ACTIONS)
    return app


def registered_actions() -> Collection[str]:
    """The names of the actions this server runs: the only values of the metrics' action label."""
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    return frozenset(executor.actions)


def count_action_calls(app: Sanic, known: Collection[str]) -> None:
    """Counts and times each authorised /webhook call by action; a 5xx answer is an error. Added
    after require_secret, so that a refused request is no call."""

    @app.on_request
    async def start_clock(request: Request) -> None:
        # Sanic runs the request middleware again before an exception handler: keep the first time.
        if request.path == WEBHOOK_PATH and not hasattr(request.ctx, "started"):
            request.ctx.started = time.perf_counter()

    @app.on_response
    async def count_call(request: Request, answer: HTTPResponse) -> None:
        started = getattr(request.ctx, "started", None)
        if started is not None:
            action = metrics.action_label(called_action(request), known)
            metrics.count_action_call(action, time.perf_counter() - started, answer.status >= 500)


def called_action(request: Request) -> Any:
    """The action a /webhook request asks for (its body's "next_action"), or None."""
    try:
        if request.headers.get("Content-Encoding") == "deflate":  # as rasa-sdk reads it
            return json.loads(zlib.decompress(request.body)).get("next_action")
        return (request.json or {}).get("next_action")
    except (ValueError, AttributeError, zlib.error, SanicException):
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=ACTIONS_PORT.number())
    port = parser.parse_args().port
    utils.configure_colored_logging("INFO")
    utils.update_sanic_log_level()
    logging.getLogger("rasa_sdk.executor").setLevel(logging.WARNING)  # not one line per action
    # Slots the validators fill in read_reply need no validate_<slot>: rasa-sdk says so every turn.
    logging.getLogger("rasa_sdk.forms").setLevel(logging.ERROR)
    silence_library_warnings()
    log_format.install(log_format.ACTIONS)
    host = ACTIONS_HOST.get()
    app = closed_app(secret_from_environment())
    logger.info("Action server on http://%s:%s (shared secret required)", host, port)
    app.run(host, port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
