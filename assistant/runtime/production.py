"""The production profile: `./wegwijzer start --replicas N` with PostgreSQL and Redis.

    N Rasa servers ─┐
    action server ──┼── HAProxy (assistant/runtime/load_balancer.py) ── the widget, the staff app
    web server ─────┘

Every store (conversations, callback requests and chats, staff accounts, the municipal
directory) lives in one PostgreSQL database (WEGWIJZER_DATABASE_URL), the conversation locks
in Redis (WEGWIJZER_REDIS_URL), so that any Rasa server can take any conversation. The
balancer listens on the ports the embedded default uses itself (WEGWIJZER_RASA_PORT,
_ACTIONS_PORT, _WEB_PORT); the servers behind it on free ports of this machine.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import List

import sqlalchemy as sa

from assistant.runtime.load_balancer import Backend, balancer_process, haproxy_missing, local_config, wait_until_all_up
from assistant.runtime.servers import (
    Ports,
    ProcessSpec,
    Running,
    action_server_command,
    free_port,
    quiet_environment,
    rasa_server_command,
    wait_for_urls,
)
from assistant.settings import DATABASE_URL, REDIS_URL
from assistant.web.server import web_command

BALANCER_FOLDER = "balancer"  # in the profile's folder: HAProxy's configuration, error pages, admin socket, log
CONNECT_TIMEOUT = 3  # seconds to reach PostgreSQL or Redis before saying it is not there


@dataclass(frozen=True)
class Production:
    replicas: int
    database_url: str
    redis_url: str


@dataclass(frozen=True)
class Layout:
    """Where each server listens behind the balancer."""

    rasa: List[int]
    actions: int
    web: int

    @classmethod
    def free(cls, replicas: int) -> "Layout":
        return cls(rasa=[free_port() for _ in range(replicas)], actions=free_port(), web=free_port())


def database_problem(url: str) -> str:
    """Why the database cannot be used, or "". A missing PostgreSQL database is made."""
    if not url.startswith("postgresql"):
        return f"{DATABASE_URL.name} must be a PostgreSQL URL, e.g. postgresql://postgres@127.0.0.1:5432/wegwijzer"
    try:
        create_database_if_missing(url)
        engine = sa.create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.SQLAlchemyError as error:
        return f"PostgreSQL cannot be reached at {sa.engine.make_url(url)!r}: {type(error.orig or error).__name__}"
    return ""


def create_database_if_missing(url: str) -> None:
    """Make the database of `url` on its server when it is not there yet (as the user of `url`)."""
    target = sa.engine.make_url(url)
    server = sa.create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": CONNECT_TIMEOUT}
    )
    try:
        with server.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
            )
            if exists.first() is None:
                connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


def redis_problem(url: str) -> str:
    """Why Redis cannot be used, or ""."""
    import redis  # Rasa's dependency; only the production profile needs it

    if not url.startswith(("redis://", "rediss://")):
        return f"{REDIS_URL.name} must be a Redis URL, e.g. redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT).ping()
    except redis.RedisError as error:
        return f"Redis cannot be reached at {url.split('@')[-1]}: {type(error).__name__}"
    return ""


def problems(production: Production) -> List[str]:
    """What is missing before the production profile can start, in words; empty when nothing is."""
    found = [haproxy_missing()]
    if production.replicas < 1:
        found.append("--replicas must be 1 or more.")
    found.append(
        database_problem(production.database_url)
        if production.database_url
        else f"Give the database: --database URL or {DATABASE_URL.name} (PostgreSQL)."
    )
    found.append(
        redis_problem(production.redis_url)
        if production.redis_url
        else f"Give Redis for the conversation locks: --redis URL or {REDIS_URL.name}."
    )
    return [problem for problem in found if problem]


def start_production(model: Path, ports: Ports, production: Production, layout: Layout, folder: Path) -> Running:
    """Start the servers and the balancer in front of them; logs and the balancer's files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    env = quiet_environment(production.database_url, ports.actions)  # the action server through the balancer
    env.update({DATABASE_URL.name: production.database_url, REDIS_URL.name: production.redis_url})
    running = Running()
    running.start(ProcessSpec("action server", action_server_command(layout.actions), env, folder / "actions.log"))
    for number, port in enumerate(layout.rasa, 1):
        command = rasa_server_command(model, port, ports.web)
        running.start(ProcessSpec(f"Rasa server {number}", command, env, folder / f"rasa{number}.log"))
    web = web_command(layout.web, f"http://localhost:{ports.rasa}")
    running.start(ProcessSpec("web server", web, env, folder / "web.log"))
    rasa = Backend("rasa", ports.rasa, layout.rasa, "/")
    others = [
        Backend("actions", ports.actions, [layout.actions], "/health"),
        Backend("web", ports.web, [layout.web], "/"),
    ]
    balancer = folder / BALANCER_FOLDER
    running.start(balancer_process(balancer, local_config(rasa, others, balancer)))
    return running


def wait_until_serving(running: Running, ports: Ports, layout: Layout, folder: Path) -> None:
    """Every server behind the balancer answers, and the balancer (its files in `folder`) uses each."""
    behind = [f"http://localhost:{layout.actions}/health", *(f"http://localhost:{port}/" for port in layout.rasa)]
    public = [f"http://localhost:{port}/" for port in (ports.rasa, ports.web)]
    wait_for_urls(running, [*behind, f"http://localhost:{layout.web}/", *public])
    wait_until_all_up(admin_socket(folder))


def admin_socket(folder: Path) -> Path:
    return folder / BALANCER_FOLDER / "admin.sock"
