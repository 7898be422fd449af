"""Staff accounts of the web app under /beheer/: who may sign in, for which municipalities, and
what they did. Plain Python and SQLAlchemy, no web framework; SQLite (var/staff.db) unless
$WEGWIJZER_STAFF_URL names another database (e.g. PostgreSQL).

- Roles: `helpdesk` and `wmo-raad` work for the municipalities of their account; `beheerder`
  for all.
- Passwords are hashed with Argon2id (argon2-cffi: memory-hard, the OWASP choice). A new
  account gets a one-time password that must be changed at the first sign-in.
- Sessions: a random token in an HttpOnly cookie; the database keeps only its SHA-256. A
  session ends after IDLE_MINUTES without use, or SESSION_HOURS after sign-in.
- Sign-in is limited: after MAX_FAILURES wrong passwords for a name (MAX_ADDRESS_FAILURES from
  one address) within FAILURE_WINDOW, that name or address waits (the count is in the
  database, so it holds for every server).
- The audit log records who viewed or changed which record (the AVG asks for it with
  health-related data); it never holds the personal data itself.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Sequence, Tuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Boolean, Column, Integer, String, Text, create_engine, delete, func, select
from sqlalchemy.orm import Session, declarative_base

from assistant.helpdesk.callbacks import UTCDateTime
from assistant.settings import STAFF_URL, make_sqlite_folder

HELPDESK, WMO_RAAD, BEHEERDER = "helpdesk", "wmo-raad", "beheerder"
ROLES = (HELPDESK, WMO_RAAD, BEHEERDER)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200  # hashing a megabyte would be a cheap way to keep the server busy
IDLE_MINUTES, SESSION_HOURS = 30, 8
MAX_FAILURES, FAILURE_WINDOW = 5, timedelta(minutes=15)  # per account name
MAX_ADDRESS_FAILURES = 20  # per address: a town hall's staff share one address
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,39}")  # an account name: "j.devries", "helpdesk-ede"
MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
API_KEY_PREFIX = "ww_"  # tells a leaked key apart in a log or a secret scanner

Base = declarative_base()
_hasher = PasswordHasher()


class StaffError(ValueError):
    """Invalid input for an account; the message is Dutch and may be shown."""


@dataclass(frozen=True)
class StaffAccount:
    name: str
    role: str
    municipalities: Tuple[str, ...]  # CBS codes; empty for a beheerder, who sees all
    must_change_password: bool

    @property
    def sees_all(self) -> bool:
        return self.role == BEHEERDER

    def may_see(self, municipality_code: str) -> bool:
        return self.sees_all or municipality_code in self.municipalities

    @property
    def scope(self) -> Optional[List[str]]:
        """The municipalities whose records this account sees; None: all (a beheerder)."""
        return None if self.sees_all else list(self.municipalities)


@dataclass(frozen=True)
class StaffSession:
    account: StaffAccount
    csrf_token: str


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    account: str
    action: str  # "bekeken", "gewijzigd", "verwijderd", "geexporteerd", "aangemeld"
    record: str  # "terugbelverzoek WW-ABC234"
    municipality: str


class AccountRow(Base):
    __tablename__ = "staff_accounts"
    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False, unique=True)
    role = Column(String(12), nullable=False)
    municipalities = Column(Text, nullable=False, default="")  # space-separated CBS codes
    password_hash = Column(Text, nullable=False)
    must_change_password = Column(Boolean, nullable=False, default=True)
    created_at = Column(UTCDateTime, nullable=False)


class SessionRow(Base):
    __tablename__ = "staff_sessions"
    token_hash = Column(String(64), primary_key=True)
    account_name = Column(String(40), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    started_at = Column(UTCDateTime, nullable=False)
    last_seen = Column(UTCDateTime, nullable=False)


class ApiKeyRow(Base):
    """An account's key for the JSON admin API: one per account, kept as its SHA-256 only."""

    __tablename__ = "staff_api_keys"
    key_hash = Column(String(64), primary_key=True)
    account_name = Column(String(40), nullable=False, unique=True)
    created_at = Column(UTCDateTime, nullable=False)


class FailureRow(Base):
    __tablename__ = "staff_login_failures"
    id = Column(Integer, primary_key=True)
    key = Column(String(80), nullable=False, index=True)  # "name:j.devries" or "address:<hash>"
    at = Column(UTCDateTime, nullable=False, index=True)


class AuditRow(Base):
    __tablename__ = "staff_audit_log"
    id = Column(Integer, primary_key=True)
    at = Column(UTCDateTime, nullable=False, index=True)
    account = Column(String(40), nullable=False)
    action = Column(String(20), nullable=False)
    record = Column(String(100), nullable=False)
    municipality = Column(String(6), nullable=False, index=True)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def clean_name(name: str) -> str:
    name = (name or "").strip().lower()
    if not NAME.fullmatch(name):
        raise StaffError("Een accountnaam heeft 2 tot 40 tekens: kleine letters, cijfers, punt, streepje.")
    return name


def clean_municipalities(role: str, codes: Sequence[str]) -> Tuple[str, ...]:
    if role not in ROLES:
        raise StaffError(f"Onbekende rol. Kies uit: {', '.join(ROLES)}.")
    codes = tuple(dict.fromkeys(code.strip().upper() for code in codes))
    if any(not MUNICIPALITY_CODE.fullmatch(code) for code in codes):
        raise StaffError("Een gemeente noemt u met haar CBS-code, bijvoorbeeld GM0363.")
    if role == BEHEERDER and codes:
        raise StaffError("Een beheerder werkt voor alle gemeenten: noem geen gemeente.")
    if role != BEHEERDER and not codes:
        raise StaffError("Noem minstens één gemeente (--gemeente GM0363).")
    return codes


def check_new_password(name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StaffError(f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StaffError(f"Kies een wachtwoord van hoogstens {MAX_PASSWORD_LENGTH} tekens.")
    if name in password.lower():
        raise StaffError("Uw wachtwoord mag uw accountnaam niet bevatten.")


class StaffStore:
    def __init__(self, url: Optional[str] = None) -> None:
        url = url or STAFF_URL.get()
        make_sqlite_folder(url)
        self._engine = create_engine(url)
        Base.metadata.create_all(self._engine)

    # --- Accounts -------------------------------------------------------------------------

    def add(self, name: str, role: str, municipalities: Sequence[str] = ()) -> Tuple[StaffAccount, str]:
        """A new account and its one-time password; raises StaffError."""
        name = clean_name(name)
        codes = clean_municipalities(role, municipalities)
        one_time = secrets.token_urlsafe(12)
        with Session(self._engine) as session, session.begin():
            if _account_row(session, name):
                raise StaffError(f"Er is al een account met de naam {name}.")
            row = AccountRow(
                name=name,
                role=role,
                municipalities=" ".join(codes),
                password_hash=_hasher.hash(one_time),
                must_change_password=True,
                created_at=_now(),
            )
            session.add(row)
            return _account(row), one_time

    def accounts(self) -> List[StaffAccount]:
        with Session(self._engine) as session:
            return [_account(row) for row in session.scalars(select(AccountRow).order_by(AccountRow.name))]

    def remove(self, name: str) -> bool:
        """Delete an account with its sessions and its API key."""
        with Session(self._engine) as session, session.begin():
            session.execute(delete(SessionRow).where(SessionRow.account_name == name))
            session.execute(delete(ApiKeyRow).where(ApiKeyRow.account_name == name))
            return session.execute(delete(AccountRow).where(AccountRow.name == name)).rowcount > 0

    def sign_in(self, name: str, password: str, address: str) -> Optional[StaffAccount]:
        """The account when name and password match and neither name nor address is locked out."""
        name = (name or "").strip().lower()[:40]
        keys = [_name_key(name), f"address:{_digest(address)[:32]}"]
        if self.locked_out(keys):
            return None
        with Session(self._engine) as session, session.begin():
            row = _account_row(session, name)
            if row is None or not _verify(row, password[:MAX_PASSWORD_LENGTH]):
                session.add_all(FailureRow(key=key, at=_now()) for key in keys)
                return None
            session.execute(delete(FailureRow).where(FailureRow.key == keys[0]))
            return _account(row)

    def name_locked_out(self, name: str) -> bool:
        """Whether sign-in for this name waits now, after too many wrong passwords."""
        return self.locked_out([_name_key(name)])

    def locked_out(self, keys: Sequence[str]) -> bool:
        """Whether any of these keys ("name:…", "address:…") had too many failures lately."""
        since = _now() - FAILURE_WINDOW
        with Session(self._engine) as session:
            for key in keys:
                count = session.scalar(select(func.count()).where(FailureRow.key == key, FailureRow.at > since))
                if count >= (MAX_ADDRESS_FAILURES if key.startswith("address:") else MAX_FAILURES):
                    return True
        return False

    def change_password(self, name: str, new_password: str) -> None:
        check_new_password(name, new_password)
        with Session(self._engine) as session, session.begin():
            row = _account_row(session, name)
            if row is None:
                raise StaffError("Dit account bestaat niet meer.")
            row.password_hash = _hasher.hash(new_password)
            row.must_change_password = False

    # --- Sessions -------------------------------------------------------------------------

    def open_session(self, account: StaffAccount) -> str:
        """A new session for the account; returns the token for the cookie."""
        token = secrets.token_urlsafe(32)
        now = _now()
        with Session(self._engine) as session, session.begin():
            session.add(
                SessionRow(
                    token_hash=_digest(token),
                    account_name=account.name,
                    csrf_token=secrets.token_urlsafe(32),
                    started_at=now,
                    last_seen=now,
                )
            )
        return token

    def session(self, token: Optional[str]) -> Optional[StaffSession]:
        """The live session of a cookie's token (and it counts as used now), or None."""
        if not token:
            return None
        now = _now()
        with Session(self._engine) as session, session.begin():
            row = session.get(SessionRow, _digest(token))
            if row is None:
                return None
            expired = now - row.last_seen > timedelta(minutes=IDLE_MINUTES)
            if expired or now - row.started_at > timedelta(hours=SESSION_HOURS):
                session.delete(row)
                return None
            account = _account_row(session, row.account_name)
            if account is None:
                return None
            row.last_seen = now
            return StaffSession(_account(account), row.csrf_token)

    def close_session(self, token: Optional[str]) -> None:
        if token:
            with Session(self._engine) as session, session.begin():
                session.execute(delete(SessionRow).where(SessionRow.token_hash == _digest(token)))

    # --- API keys -------------------------------------------------------------------------

    def new_api_key(self, name: str) -> str:
        """A new key for the admin API for this account, replacing its old one; StaffError when
        there is no such account. The key is shown once: the database keeps its SHA-256."""
        key, name = API_KEY_PREFIX + secrets.token_urlsafe(32), clean_name(name)
        with Session(self._engine) as session, session.begin():
            if _account_row(session, name) is None:
                raise StaffError(f"Er is geen account met de naam {name}.")
            session.execute(delete(ApiKeyRow).where(ApiKeyRow.account_name == name))
            session.add(ApiKeyRow(key_hash=_digest(key), account_name=name, created_at=_now()))
        return key

    def api_account(self, key: Optional[str]) -> Optional[StaffAccount]:
        """The account of an API key, or None. A random key of 256 bits needs no lock-out."""
        if not key:
            return None
        with Session(self._engine) as session:
            row = session.get(ApiKeyRow, _digest(key))
            account = _account_row(session, row.account_name) if row else None
            return _account(account) if account else None

    def has_api_key(self, name: str) -> bool:
        with Session(self._engine) as session:
            return session.scalar(select(func.count()).where(ApiKeyRow.account_name == name)) > 0

    # --- Audit log ------------------------------------------------------------------------

    def audit(self, account: StaffAccount, action: str, record: str, municipality: str = "") -> None:
        with Session(self._engine) as session, session.begin():
            session.add(
                AuditRow(at=_now(), account=account.name, action=action, record=record, municipality=municipality)
            )

    def audit_log(self, municipalities: Optional[Sequence[str]] = None, limit: int = 200) -> List[AuditEntry]:
        """The latest entries, newest first; only those of `municipalities` when given."""
        query = select(AuditRow).order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
        if municipalities is not None:
            query = query.where(AuditRow.municipality.in_(list(municipalities)))
        with Session(self._engine) as session:
            return [
                AuditEntry(row.at, row.account, row.action, row.record, row.municipality)
                for row in session.scalars(query)
            ]


def _name_key(name: str) -> str:
    """The failure count's key of an account name as typed at sign-in."""
    return f"name:{(name or '').strip().lower()[:40]}"


def _account_row(session: Session, name: str) -> Optional[AccountRow]:
    return session.scalar(select(AccountRow).where(AccountRow.name == name))


def _account(row: AccountRow) -> StaffAccount:
    return StaffAccount(row.name, row.role, tuple(row.municipalities.split()), row.must_change_password)


def _verify(row: AccountRow, password: str) -> bool:
    try:
        _hasher.verify(row.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(row.password_hash):
        row.password_hash = _hasher.hash(password)
    return True
