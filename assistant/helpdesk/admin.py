"""The helpdesk's admin API for callback requests, served by the demo web server (servers.py).

    GET    /admin/terugbelverzoeken[?gemeente=GM0363&status=nieuw]   the requests (expired ones deleted first)
    POST   /admin/terugbelverzoeken/<reference>/afgehandeld          mark one handled
    DELETE /admin/terugbelverzoeken/<reference>                      delete one

Closed for everyone unless $WEGWIJZER_ADMIN_TOKEN holds a token of at least 32 characters
(`python -c 'import secrets; print(secrets.token_urlsafe(32))'`); each request then needs
`Authorization: Bearer <token>`. Every answer is JSON and must not be cached. The log gets
method, path and status only: never names, phone numbers or questions.
"""

import hmac
import json
import logging
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Optional
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from assistant.helpdesk.callbacks import (
    STATUS_HANDLED,
    CallbackRequest,
    CallbackStore,
    InvalidCallbackRequest,
    clean_reference,
)
from assistant.settings import ADMIN_TOKEN

MIN_TOKEN_LENGTH = 32
PREFIX = "/admin"
COLLECTION = "terugbelverzoeken"
FILTERS = {"gemeente": "municipality_code", "status": "status"}  # query parameter -> CallbackStore.list argument
HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
}
CHALLENGE = 'Bearer realm="wegwijzer-admin"'

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Response:
    status: int
    body: Any  # JSON
    headers: Dict[str, str] = field(default_factory=dict)

    def encoded(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def is_admin_path(target: str) -> bool:
    path = urlsplit(target).path
    return path == PREFIX or path.startswith(PREFIX + "/")


def _error(status: int, error: str, headers: Optional[Dict[str, str]] = None, **details: str) -> Response:
    return Response(status, {"error": error, **details}, {**HEADERS, **(headers or {})})


def _as_json(request: CallbackRequest) -> Dict[str, str]:
    return {**asdict(request), "created_at": request.created_at.isoformat()}


def _filters(query: str) -> Dict[str, str]:
    """`?gemeente=GM0363&status=nieuw` as CallbackStore.list arguments; values are checked there."""
    parameters = parse_qs(query, keep_blank_values=True)
    for name, values in parameters.items():
        if name not in FILTERS:
            raise InvalidCallbackRequest(name, "unknown_parameter")
        if len(values) > 1:
            raise InvalidCallbackRequest(name, "repeated")
    return {FILTERS[name]: values[0] for name, values in parameters.items()}


class AdminApi:
    """Answers admin requests; `token` None means closed for everyone."""

    def __init__(self, token: Optional[str], store: Optional[CallbackStore]) -> None:
        self._token = token.encode() if token else None
        self._store = store

    @classmethod
    def from_environment(cls, store: CallbackStore) -> "AdminApi":
        """Open with $WEGWIJZER_ADMIN_TOKEN on `store`, the web server's callback store; else closed."""
        token = ADMIN_TOKEN.get()
        if token and len(token) < MIN_TOKEN_LENGTH:
            logger.warning(
                "%s is shorter than %d characters: the admin API stays closed", ADMIN_TOKEN.name, MIN_TOKEN_LENGTH
            )
            token = ""
        return cls(token, store) if token else cls(None, None)

    def handle(self, method: str, target: str, authorization: Optional[str]) -> Response:
        """The answer to one request; errors become JSON answers, never a traceback."""
        try:
            response = self._denied(authorization) or self._route(method, urlsplit(target))
        except InvalidCallbackRequest as error:
            response = _error(400, "invalid_input", field=error.field, reason=error.reason)
        except Exception as error:  # noqa: BLE001 - answered as JSON; logged without its message, which may hold data
            where = "".join(traceback.format_tb(error.__traceback__))
            logger.error("admin API failed: %s\n%s", type(error).__name__, where)
            response = _error(500, "internal_error")
        logger.info("admin %s %s -> %d", method, urlsplit(target).path, response.status)
        return response

    def _denied(self, authorization: Optional[str]) -> Optional[Response]:
        if self._token is None:
            return _error(403, "admin_api_closed")
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        if not credentials:
            return _error(401, "unauthorized", {"WWW-Authenticate": CHALLENGE})
        if scheme.lower() != "bearer" or not hmac.compare_digest(credentials.strip().encode(), self._token):
            return _error(401, "unauthorized", {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
        return None

    def _route(self, method: str, target: SplitResult) -> Response:
        parts = [unquote(part) for part in target.path[len(PREFIX) :].strip("/").split("/")]
        if parts == [COLLECTION]:
            return self._only(method, "GET") or self._list(target.query)
        if len(parts) == 2 and parts[0] == COLLECTION:
            return self._only(method, "DELETE") or self._delete(parts[1])
        if len(parts) == 3 and parts[0] == COLLECTION and parts[2] == "afgehandeld":
            return self._only(method, "POST") or self._mark_handled(parts[1])
        return _error(404, "not_found")

    @staticmethod
    def _only(method: str, allowed: str) -> Optional[Response]:
        return None if method == allowed else _error(405, "method_not_allowed", {"Allow": allowed})

    def _list(self, query: str) -> Response:
        filters = _filters(query)
        self._store.delete_expired()
        requests: List[CallbackRequest] = self._store.list(**filters)
        return Response(200, [_as_json(request) for request in requests], HEADERS)

    def _mark_handled(self, reference: str) -> Response:
        reference = clean_reference(reference)
        if not self._store.mark_handled(reference):
            return _error(404, "not_found")
        return Response(200, {"reference": reference, "status": STATUS_HANDLED}, HEADERS)

    def _delete(self, reference: str) -> Response:
        reference = clean_reference(reference)
        if not self._store.delete(reference):
            return _error(404, "not_found")
        return Response(200, {"reference": reference, "deleted": True}, HEADERS)
