"""The action server, closed to everyone but the Rasa server.

rasa-sdk's own `rasa run actions` listens on every interface without authentication: anyone
who could reach port 5055 could run `action_submit_callback` and put fake callback requests
on a municipality's list. This server runs the same actions (package `actions`), but

- listens on 127.0.0.1 unless WEGWIJZER_ACTIONS_HOST says otherwise (an internal network);
- answers /webhook and /actions only with `Authorization: Bearer <WEGWIJZER_ACTION_SECRET>`,
  the header the Rasa server sends (endpoints.yml); /health stays open and says nothing.

    python -m assistant.rasa_plugins.action_server --port 5055   (`./wegwijzer start` does this)
"""

import argparse
import hmac
import logging
from typing import Optional

from rasa_sdk import utils
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from assistant import log_privacy
from assistant.runtime.quiet import silence_library_warnings
from assistant.settings import ACTION_SECRET, ACTIONS_HOST, ACTIONS_PORT

MIN_SECRET_LENGTH = 32
OPEN_PATHS = ("/health",)
logger = logging.getLogger(__name__)


def is_authorised(authorization: Optional[str], secret: str) -> bool:
    """The request carries the shared secret as a bearer token (compared in constant time)."""
    scheme, _, token = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), secret.encode())


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
        if request.path in OPEN_PATHS or is_authorised(request.headers.get("Authorization"), secret):
            return None
        logger.warning("Action server: a request to %s without the shared secret was refused", request.path)
        return response.json({"error": "the shared secret is missing or wrong"}, status=401)

    return app


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
    log_privacy.install()
    host = ACTIONS_HOST.get()
    app = closed_app(secret_from_environment())
    logger.info("Action server on http://%s:%s (shared secret required)", host, port)
    app.run(host, port, workers=1, access_log=False)


if __name__ == "__main__":
    main()
