"""The helpdesk's JSON admin API for callback requests, for integrations (a municipality's
case system), served by the web server beside the staff app.

    GET    /admin/terugbelverzoeken[?gemeente=GM0363&status=nieuw]   the requests (expired ones deleted first)
    POST   /admin/terugbelverzoeken/<reference>/afgehandeld          mark one handled
    DELETE /admin/terugbelverzoeken/<reference>                      delete one

Each request needs `Authorization: Bearer <key>`, a key of a staff account
(`./wegwijzer staff api-key NAME`), and has that account's role, as in the staff app: a
helpdesk sees and changes the requests of its own municipalities (another's answers 404, a
filter on another's 403), a beheerder all, a wmo-raad none (403: personal data). Every read
and change is written to the audit log under the account's name. Every answer is JSON and must
not be cached. The log gets method, path and status only: never names, phone numbers or questions.
"""

import json
import logging
import traceback
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, Optional, Tuple
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from assistant.helpdesk.callbacks import (
    STATUS_HANDLED,
    CallbackRequest,
    CallbackStore,
    InvalidCallbackRequest,
    clean_municipality_code,
    clean_reference,
)
from assistant.staff.accounts import BEHEERDER, HELPDESK, StaffAccount, StaffStore

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
    """Answers admin requests for the staff accounts' API keys."""

    def __init__(self, staff: StaffStore, store: CallbackStore) -> None:
        self._staff, self._store = staff, store

    def handle(self, method: str, target: str, authorization: Optional[str]) -> Response:
        """The answer to one request; errors become JSON answers, never a traceback."""
        try:
            account, response = self._account(authorization)
            response = response or self._route(account, method, urlsplit(target))
        except InvalidCallbackRequest as error:
            response = _error(400, "invalid_input", field=error.field, reason=error.reason)
        except Exception as error:  # noqa: BLE001 - answered as JSON; logged without its message, which may hold data
            where = "".join(traceback.format_tb(error.__traceback__))
            logger.error("admin API failed: %s\n%s", type(error).__name__, where)
            response = _error(500, "internal_error")
        logger.info("admin %s %s -> %d", method, urlsplit(target).path, response.status)
        return response

    def _account(self, authorization: Optional[str]) -> Tuple[Optional[StaffAccount], Optional[Response]]:
        """The account of the key, or the answer that refuses the request."""
        scheme, _, credentials = (authorization or "").strip().partition(" ")
        if not credentials:
            return None, _error(401, "unauthorized", {"WWW-Authenticate": CHALLENGE})
        account = self._staff.api_account(credentials.strip()) if scheme.lower() == "bearer" else None
        if account is None:
            return None, _error(401, "unauthorized", {"WWW-Authenticate": f'{CHALLENGE}, error="invalid_token"'})
        if account.role not in (HELPDESK, BEHEERDER):
            return None, _error(403, "forbidden_for_role", role=account.role)
        return account, None

    def _route(self, account: StaffAccount, method: str, target: SplitResult) -> Response:
        parts = [unquote(part) for part in target.path[len(PREFIX) :].strip("/").split("/")]
        if parts == [COLLECTION]:
            return self._only(method, "GET") or self._list(account, target.query)
        if len(parts) == 2 and parts[0] == COLLECTION:
            return self._only(method, "DELETE") or self._delete(account, parts[1])
        if len(parts) == 3 and parts[0] == COLLECTION and parts[2] == "afgehandeld":
            return self._only(method, "POST") or self._mark_handled(account, parts[1])
        return _error(404, "not_found")

    @staticmethod
    def _only(method: str, allowed: str) -> Optional[Response]:
        return None if method == allowed else _error(405, "method_not_allowed", {"Allow": allowed})

    def _list(self, account: StaffAccount, query: str) -> Response:
        filters = _filters(query)
        wanted = filters.get("municipality_code")
        if wanted is not None and not account.may_see(clean_municipality_code(wanted)):
            return _error(403, "not_your_municipality", municipality=clean_municipality_code(wanted))
        self._store.delete_expired()
        requests = self._store.list(**filters, municipality_codes=account.scope)
        for code in sorted({item.municipality_code for item in requests}):
            self._staff.audit(account, "geexporteerd", "terugbelverzoeken (API)", code)
        return Response(200, [_as_json(request) for request in requests], HEADERS)

    def _visible(self, account: StaffAccount, reference: str) -> Optional[CallbackRequest]:
        """The request when it exists and the account may see its municipality: else None (404)."""
        found = self._store.get(clean_reference(reference))
        return found if found and account.may_see(found.municipality_code) else None

    def _mark_handled(self, account: StaffAccount, reference: str) -> Response:
        found = self._visible(account, reference)
        if found is None or not self._store.mark_handled(found.reference):
            return _error(404, "not_found")
        self._staff.audit(account, "gewijzigd", f"terugbelverzoek {found.reference}", found.municipality_code)
        return Response(200, {"reference": found.reference, "status": STATUS_HANDLED}, HEADERS)

    def _delete(self, account: StaffAccount, reference: str) -> Response:
        found = self._visible(account, reference)
        if found is None or not self._store.delete(found.reference):
            return _error(404, "not_found")
        self._staff.audit(account, "verwijderd", f"terugbelverzoek {found.reference}", found.municipality_code)
        return Response(200, {"reference": found.reference, "deleted": True}, HEADERS)
