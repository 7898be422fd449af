"""Callback requests (terugbelverzoeken): a resident asks their municipality's helpdesk to call back.

Plain Python and SQLAlchemy, no Rasa. Stored in SQLite (var/callbacks.db) unless
$WEGWIJZER_CALLBACK_URL names another database (e.g. PostgreSQL). The name, phone number and
question are sealed together with Fernet (AES-CBC with an HMAC), bound to the request's
reference; the key comes from $WEGWIJZER_CALLBACK_KEY or var/callback.key (made with mode
0600 on first use). Requests are deleted RETENTION_DAYS after they were made, handled or not.

Invalid input raises `InvalidCallbackRequest` with a machine-readable `field` and `reason`;
its message never contains what the resident typed.
"""

import json
import logging
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, List, Optional, Sequence

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    String,
    Text,
    create_engine,
    delete,
    event,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, declarative_base
from sqlalchemy.types import TypeDecorator

from assistant.privacy import LONG_NUMBER
from assistant.settings import CALLBACK_KEY, CALLBACK_KEY_FILE, CALLBACK_URL, make_sqlite_folder
from municipalities.phone import SERVICE_PREFIXES, parse_phone

RETENTION_DAYS = 30
STATUS_NEW, STATUS_TAKEN, STATUS_HANDLED = "nieuw", "in behandeling", "afgehandeld"
STATUSES = (STATUS_NEW, STATUS_TAKEN, STATUS_HANDLED)
MAX_NOTE = 1000
# No 0/O, 1/I/L: easy to read out over the phone. 31**6 (about 9 * 10**8) references.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE = re.compile(rf"WW-[{REFERENCE_ALPHABET}]{{6}}")
MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
MAX_NAME, MAX_QUESTION, MAX_MUNICIPALITY_NAME, MAX_CONSENT = 100, 500, 100, 1000
TAG = re.compile(r"</?[A-Za-z!][^<>]*>")  # "<b>", "</p>", "<!-- -->"; not "a < b"
WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f]+")

logger = logging.getLogger(__name__)
Base = declarative_base()


class InvalidCallbackRequest(ValueError):
    """Input the store refuses. `field` and `reason` are machine words, never the input itself."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class UnreadableCallbackRequest(RuntimeError):
    """A stored request that the key cannot open: another key, or tampered data."""


@dataclass(frozen=True)
class CallbackRequest:
    reference: str  # "WW-7K3P9Q"
    municipality_code: str  # CBS code, "GM0363"
    municipality_name: str
    name: str
    phone: str  # display form: "06 1234 5678"
    question: str
    consent_text: str  # the consent sentence the resident agreed to, word for word
    created_at: datetime  # UTC
    status: str  # one of STATUSES


@dataclass(frozen=True)
class QueuedRequest:
    """A request as the queue shows it: without the personal data, which stays sealed."""

    reference: str
    municipality_code: str
    municipality_name: str
    created_at: datetime
    status: str
    assignee: str  # the staff account that took it, or ""


class UTCDateTime(TypeDecorator):
    """Stored as naive UTC (the same on SQLite and PostgreSQL), read back as aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value else None

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        return value.replace(tzinfo=timezone.utc) if value else None


class CallbackRow(Base):
    __tablename__ = "callback_requests"

    id = Column(Integer, primary_key=True)
    reference = Column(String(9), nullable=False, unique=True)
    municipality_code = Column(String(6), nullable=False, index=True)
    municipality_name = Column(String(MAX_MUNICIPALITY_NAME), nullable=False)
    sealed = Column(Text, nullable=False)  # Fernet token of {"reference", "name", "phone", "question"}
    consent_text = Column(Text, nullable=False)
    created_at = Column(UTCDateTime, nullable=False, index=True)
    status = Column(String(16), nullable=False)
    assignee = Column(String(40), nullable=True)  # the staff account that took it
    sealed_note = Column(Text, nullable=True)  # Fernet token of the helpdesk's note, bound to the reference


def default_url() -> str:
    """$WEGWIJZER_CALLBACK_URL, or the SQLite file var/callbacks.db."""
    return CALLBACK_URL.get()


def load_key(key_file: Path = CALLBACK_KEY_FILE) -> bytes:
    """$WEGWIJZER_CALLBACK_KEY, or the key in `key_file`, made with mode 0600 on first use."""
    from_environment = CALLBACK_KEY.get()
    if from_environment:
        return from_environment.encode()
    if not key_file.exists():
        _create_key_file(key_file)
    if key_file.stat().st_mode & 0o077:
        logger.warning("%s can be read by other users; it should have mode 0600", key_file)
    return key_file.read_bytes().strip()


def _create_key_file(key_file: Path) -> None:
    """Write a new key to a private file and link it into place; if another process (action
    server, web server) made the key first, its key is kept."""
    key_file.parent.mkdir(parents=True, exist_ok=True)
    draft = key_file.with_name(f".{key_file.name}.{secrets.token_hex(8)}")
    with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as output:
        output.write(Fernet.generate_key())
    try:
        os.link(draft, key_file)
    except FileExistsError:
        pass
    finally:
        draft.unlink()


def _fernet(key: bytes) -> Fernet:
    try:
        return Fernet(key)
    except ValueError:
        raise ValueError(
            f"the callback key (${CALLBACK_KEY.name} or {CALLBACK_KEY_FILE.name}) is not a Fernet key; make one with "
            "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"
        ) from None


def seal(text: str, key: Optional[bytes] = None) -> str:
    """`text` encrypted with the callback key: how the callback form keeps an answer in a
    slot, so that the tracker store (and every Rasa server behind a load balancer) only
    ever holds the sealed form."""
    return _fernet(key or load_key()).encrypt(text.encode()).decode()


def unseal(token: str, key: Optional[bytes] = None) -> str:
    """The text `seal` sealed; UnreadableCallbackRequest for anything else."""
    try:
        return _fernet(key or load_key()).decrypt(token.encode()).decode()
    except (InvalidToken, AttributeError):
        raise UnreadableCallbackRequest("a sealed callback answer cannot be read") from None


def _plain(value: object, field: str) -> str:
    """One line of text without HTML tags or control characters; `field` is refused when empty."""
    if not isinstance(value, str):
        raise InvalidCallbackRequest(field, "empty")
    text = WHITESPACE.sub(" ", TAG.sub(" ", value)).strip()
    if not text:
        raise InvalidCallbackRequest(field, "empty")
    return text


def clean_name(value: object) -> str:
    """The resident's name as text; 1 to 100 characters with at least one letter."""
    name = _plain(value, "name")
    if len(name) > MAX_NAME:
        raise InvalidCallbackRequest("name", "too_long")
    if not any(character.isalpha() for character in name):
        raise InvalidCallbackRequest("name", "invalid")
    return name


def clean_phone(value: object) -> str:
    """A Dutch number a resident can be called on, in display form ("06 1234 5678"). Accepts
    a sentence with one number in it ("bel me op 06-12345678"); refuses 14 0xx and 0800/0900."""
    text = _plain(value, "phone")
    numbers = LONG_NUMBER.findall(text)
    try:
        number = parse_phone(numbers[0] if len(numbers) == 1 else text)
    except ValueError:
        raise InvalidCallbackRequest("phone", "invalid") from None  # parse_phone's message holds the input
    if number.is_municipal_14 or number.digits.startswith(SERVICE_PREFIXES):
        raise InvalidCallbackRequest("phone", "not_personal")
    return number.display


def clean_question(value: object) -> str:
    """The question as text, cut to 500 characters."""
    return _plain(value, "question")[:MAX_QUESTION].rstrip()


def clean_municipality_code(value: object) -> str:
    code = _plain(value, "municipality_code").upper()
    if not MUNICIPALITY_CODE.fullmatch(code):
        raise InvalidCallbackRequest("municipality_code", "invalid")
    return code


def clean_reference(value: object) -> str:
    reference = _plain(value, "reference").upper()
    if not REFERENCE.fullmatch(reference):
        raise InvalidCallbackRequest("reference", "invalid")
    return reference


def _limited(value: object, field: str, limit: int) -> str:
    text = _plain(value, field)
    if len(text) > limit:
        raise InvalidCallbackRequest(field, "too_long")
    return text


def _status(value: Optional[str]) -> Optional[str]:
    if value is not None and value not in STATUSES:
        raise InvalidCallbackRequest("status", "invalid")
    return value


def new_reference() -> str:
    return "WW-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _reference_is(reference: str) -> Any:
    """The condition for the row of `reference`; raises InvalidCallbackRequest for a malformed one."""
    return CallbackRow.reference == clean_reference(reference)


def _queued(row: CallbackRow) -> QueuedRequest:
    return QueuedRequest(
        row.reference, row.municipality_code, row.municipality_name, row.created_at, row.status, row.assignee or ""
    )


def _add_missing_columns(engine: Engine) -> None:
    """A database made before the staff app lacks the columns it added: add them (nullable),
    and widen the status for "in behandeling" (SQLite does not enforce lengths)."""
    columns = {column["name"]: column for column in inspect(engine).get_columns(CallbackRow.__tablename__)}
    present = set(columns)
    with engine.begin() as connection:
        if engine.dialect.name != "sqlite" and getattr(columns["status"]["type"], "length", 16) < 16:
            connection.execute(text(f"ALTER TABLE {CallbackRow.__tablename__} ALTER COLUMN status TYPE VARCHAR(16)"))
        for column in ("assignee", "sealed_note"):
            if column not in present:
                kind = CallbackRow.__table__.columns[column].type.compile(engine.dialect)
                connection.execute(text(f"ALTER TABLE {CallbackRow.__tablename__} ADD COLUMN {column} {kind}"))


def _forget_deleted_rows_on_sqlite(engine: Engine) -> None:
    """SQLite keeps deleted rows in free pages until they are reused; secure_delete overwrites them."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", lambda connection, _: connection.execute("PRAGMA secure_delete = ON"))


class CallbackStore:
    """Callback requests in a database, with the personal data encrypted."""

    def __init__(self, url: Optional[str] = None, key: Optional[bytes] = None) -> None:
        url = url or default_url()
        make_sqlite_folder(url)
        self._fernet = _fernet(key or load_key())
        self._engine = create_engine(url)
        _forget_deleted_rows_on_sqlite(self._engine)
        Base.metadata.create_all(self._engine)
        _add_missing_columns(self._engine)

    def add(
        self, municipality_code: str, municipality_name: str, name: str, phone: str, question: str, consent_text: str
    ) -> CallbackRequest:
        """Validate and store a new request; raises InvalidCallbackRequest. Expired requests are
        deleted at the same time, so retention does not depend on anyone reading the list."""
        fields = dict(
            municipality_code=clean_municipality_code(municipality_code),
            municipality_name=_limited(municipality_name, "municipality_name", MAX_MUNICIPALITY_NAME),
            name=clean_name(name),
            phone=clean_phone(phone),
            question=clean_question(question),
            consent_text=_limited(consent_text, "consent_text", MAX_CONSENT),
        )
        self.delete_expired()
        for _ in range(5):  # a reference that is already taken is drawn again
            request = CallbackRequest(
                reference=new_reference(), created_at=datetime.now(timezone.utc), status=STATUS_NEW, **fields
            )
            try:
                with Session(self._engine) as session, session.begin():
                    session.add(self._row(request))
                return request
            except IntegrityError:
                continue
        raise RuntimeError("no free reference after 5 tries")

    def list(
        self,
        municipality_code: Optional[str] = None,
        status: Optional[str] = None,
        municipality_codes: Optional[Sequence[str]] = None,
    ) -> List[CallbackRequest]:
        """Requests, oldest first, decrypted: of one municipality, and only of `municipality_codes`
        (an account's scope; None: all); raises InvalidCallbackRequest for a bad filter."""
        query = select(CallbackRow).order_by(CallbackRow.created_at, CallbackRow.id)
        if municipality_code is not None:
            query = query.where(CallbackRow.municipality_code == clean_municipality_code(municipality_code))
        if municipality_codes is not None:
            query = query.where(CallbackRow.municipality_code.in_(list(municipality_codes)))
        if _status(status) is not None:
            query = query.where(CallbackRow.status == status)
        with Session(self._engine) as session:
            return [self._request(row) for row in session.scalars(query)]

    def queue(self, municipality_codes: Optional[List[str]], status: Optional[str] = None) -> List[QueuedRequest]:
        """Requests of these municipalities (None: all), oldest first, without decrypting anything."""
        query = select(CallbackRow).order_by(CallbackRow.created_at, CallbackRow.id)
        if municipality_codes is not None:
            query = query.where(CallbackRow.municipality_code.in_(municipality_codes))
        if _status(status) is not None:
            query = query.where(CallbackRow.status == status)
        with Session(self._engine) as session:
            return [_queued(row) for row in session.scalars(query)]

    def queued(self, reference: str) -> Optional[QueuedRequest]:
        """One request as the queue shows it (status, who took it)."""
        with Session(self._engine) as session:
            row = session.scalar(select(CallbackRow).where(_reference_is(reference)))
            return _queued(row) if row else None

    def get(self, reference: str) -> Optional[CallbackRequest]:
        """One request, decrypted; None when there is none with this reference."""
        with Session(self._engine) as session:
            row = session.scalar(select(CallbackRow).where(_reference_is(reference)))
            return self._request(row) if row else None

    def note(self, reference: str) -> str:
        with Session(self._engine) as session:
            row = session.scalar(select(CallbackRow).where(_reference_is(reference)))
            return self._unseal_note(row) if row and row.sealed_note else ""

    def take(self, reference: str, assignee: str) -> bool:
        """ "Ik pak dit op": in behandeling, by `assignee`."""
        query = update(CallbackRow).where(_reference_is(reference))
        return self._changed(query.values(status=STATUS_TAKEN, assignee=assignee))

    def set_note(self, reference: str, note: str) -> bool:
        reference = clean_reference(reference)
        note = _limited(note, "note", MAX_NOTE) if note.strip() else ""
        sealed = self._fernet.encrypt(json.dumps([reference, note]).encode()).decode("ascii") if note else None
        query = update(CallbackRow).where(CallbackRow.reference == reference)
        return self._changed(query.values(sealed_note=sealed))

    def mark_handled(self, reference: str) -> bool:
        """False when there is no request with this reference."""
        query = update(CallbackRow).where(_reference_is(reference))
        return self._changed(query.values(status=STATUS_HANDLED))

    def delete(self, reference: str) -> bool:
        """False when there is no request with this reference."""
        return self._changed(delete(CallbackRow).where(_reference_is(reference)))

    def delete_expired(self, now: Optional[datetime] = None) -> int:
        """Delete requests made more than RETENTION_DAYS before `now`; the number deleted."""
        cutoff = (now or datetime.now(timezone.utc)) - timedelta(days=RETENTION_DAYS)
        return self._changed_rows(delete(CallbackRow).where(CallbackRow.created_at < cutoff))

    def _changed(self, statement: Any) -> bool:
        return self._changed_rows(statement) > 0

    def _changed_rows(self, statement: Any) -> int:
        with Session(self._engine) as session, session.begin():
            return session.execute(statement.execution_options(synchronize_session=False)).rowcount

    def _row(self, request: CallbackRequest) -> CallbackRow:
        personal = {
            "reference": request.reference,
            "name": request.name,
            "phone": request.phone,
            "question": request.question,
        }
        return CallbackRow(
            reference=request.reference,
            municipality_code=request.municipality_code,
            municipality_name=request.municipality_name,
            sealed=self._fernet.encrypt(json.dumps(personal).encode()).decode("ascii"),
            consent_text=request.consent_text,
            created_at=request.created_at,
            status=request.status,
        )

    def _unseal_note(self, row: CallbackRow) -> str:
        try:
            reference, note = json.loads(self._fernet.decrypt(row.sealed_note.encode("ascii")))
        except InvalidToken:
            raise UnreadableCallbackRequest(f"{row.reference}: wrong key or changed note") from None
        if reference != row.reference:
            raise UnreadableCallbackRequest(f"{row.reference}: the note of another request")
        return note

    def _request(self, row: CallbackRow) -> CallbackRequest:
        try:
            personal = json.loads(self._fernet.decrypt(row.sealed.encode("ascii")))
        except InvalidToken:
            raise UnreadableCallbackRequest(f"{row.reference}: wrong key or changed data") from None
        if personal.pop("reference") != row.reference:  # a sealed value copied from another row
            raise UnreadableCallbackRequest(f"{row.reference}: sealed data of another request")
        return CallbackRequest(
            reference=row.reference,
            municipality_code=row.municipality_code,
            municipality_name=row.municipality_name,
            consent_text=row.consent_text,
            created_at=row.created_at,
            status=row.status,
            **personal,
        )
