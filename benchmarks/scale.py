"""Throughput and a turn's latency at 1 to 100 residents at once, for the embedded default and
the production profile with one and two replicas, side by side in one run.

Usage: .venv/bin/python -m benchmarks.scale [--users 1,20,50,100] [--setups embedded,one,two] [--turns 20]

Setups, started one after the other on free ports (never beside each other):
  embedded  A. one Rasa server and the action server, SQLite, locks in memory (benchmarks.servers)
  one       B. the production profile with 1 replica: PostgreSQL, Redis locks, HAProxy in front
  two       C. the same with 2 replicas
B and C get a new database on the machine's PostgreSQL (WEGWIJZER_TEST_POSTGRES, default
127.0.0.1:5432), with the municipal directory built in it as `prepare` does, dropped afterwards;
their locks go to the machine's Redis (--redis). Each user is one resident who has the
conversation of load_conversation.json (its first --turns turns) over REST, with Locust as in
benchmarks/load.py; all users start at once. Before the runs, one conversation per Rasa server
warms it up (not counted).

Prints, per setup and number of users: turns per second, a turn's p50/p95/p99, failed turns (not
200, no text, or the fault message), messages missing from the conversation store or out of
order, and CPU time per turn: of the setup's server processes (utime + stime from /proc, their
children included) and of the stores beside them (the PostgreSQL backends of the setup's
database and the Redis server). Then throughput of C over B, p95 at 20 users, each process's
memory, and the scaling estimate for all 342 municipalities (scaling_estimate). Logs in
var/bench/scale/<setup>/.
"""

import argparse
import json
import math
import os
import re
import resource
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import requests
import sqlalchemy as sa

from assistant.content.municipal_directory import active_register
from assistant.runtime.model import ensure_model
from assistant.runtime.production import Layout, Production, problems, start_production, wait_until_serving
from assistant.runtime.servers import Ports
from assistant.settings import DATABASE_URL, REDIS_URL, TEST_POSTGRES, VAR_DIR
from benchmarks.load import CONVERSATION, LOCUSTFILE, locust, lost_messages, run_locust, stored_user_texts
from benchmarks.servers import memory, running_assistant
from municipalities.importer import build_directory

SETUPS = {"embedded": "A. embedded", "one": "B. production, 1 replica", "two": "C. production, 2 replicas"}
DEFAULT_USERS = (1, 20, 50, 100)
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
LOGS = VAR_DIR / "bench" / "scale"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ERROR_LINE = re.compile(r"\bERROR\b|Traceback|\bCRITICAL\b")
FAILED_REQUEST = re.compile(r'"(GET|POST|PUT|DELETE|OPTIONS|HEAD) /')  # HAProxy's httplog line of a request

# The goals
SCALING_GOAL = 1.6  # throughput of two replicas over one, at GOAL_USERS
GOAL_USERS = (50, 100)
P95_GOAL_MS = 500.0  # a turn's p95 at P95_USERS residents at once
P95_USERS = 20


# ---- CPU time and processes, from /proc (Linux) ----


def parse_stat(text: str, ticks: int = CLOCK_TICKS) -> Tuple[int, float]:
    """A /proc/<pid>/stat line: the parent's pid, and the CPU seconds used (utime + stime).
    The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so
    the fields are counted from the last ")": state is field 3, ppid 4, utime 14, stime 15."""
    fields = text[text.rindex(")") + 1 :].split()
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks


def _all_stats() -> Dict[int, Tuple[int, float]]:
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                found[int(entry.name)] = parse_stat((entry / "stat").read_text())
            except (OSError, ValueError, IndexError):
                continue  # ended while we looked
    return found


def with_descendants(pids: Sequence[int], parents: Dict[int, int]) -> List[int]:
    """`pids` and every process below them, given each process's parent."""
    children: Dict[int, List[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        if pid not in found:
            found.append(pid)
            todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """CPU seconds used so far by these processes and their descendants (ended ones not counted)."""
    stats = _all_stats()
    tree = with_descendants(pids, {pid: parent for pid, (parent, _) in stats.items()})
    return sum(stats[pid][1] for pid in tree if pid in stats)


def database_backends(database: str) -> List[int]:
    """The PostgreSQL server processes that serve `database` now (their title names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {database} " in title:
                found.append(int(entry.name))
    return found


def redis_cpu_seconds(url: str) -> float:
    import redis  # Rasa's dependency

    info = redis.Redis.from_url(url, socket_timeout=5).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


# ---- the setups ----


@dataclass
class Target:
    """A setup that runs: where residents talk to it, and what to measure."""

    setup: str
    url: str  # the balancer, or the one Rasa server
    store_url: str  # the conversation store, an SQLAlchemy URL
    pids: Dict[str, int]  # its server processes, by name
    rasa_urls: List[str]  # each Rasa server itself, for the warm-up
    redis_url: str = ""  # the Redis of its locks, when it has one
    running: Optional[object] = None  # assistant.runtime.servers.Running, to see whether one stopped

    @property
    def database(self) -> str:
        return sa.engine.make_url(self.store_url).database if self.store_url.startswith("postgresql") else ""

    def store_cpu(self) -> float:
        """CPU seconds of the PostgreSQL backends of its database and of Redis, now."""
        used = cpu_seconds(database_backends(self.database)) if self.database else 0.0
        return used + (redis_cpu_seconds(self.redis_url) if self.redis_url else 0.0)

    def stopped(self) -> List[str]:
        if self.running is None:
            return []
        return [item.spec.name for item in self.running.supervised if item.process.poll() is not None]


@contextmanager
def new_database(server_url: str) -> Iterator[str]:
    """A new database on the PostgreSQL server of `server_url`, dropped afterwards."""
    name = f"wegwijzer_bench_{uuid.uuid4().hex[:8]}"
    server = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield str(sa.engine.make_url(server_url).set(database=name))
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@contextmanager
def embedded_setup(logs: Path) -> Iterator[Target]:
    """A: `./wegwijzer start` without --replicas (no database or Redis from the environment)."""
    saved = {name: os.environ.pop(name, None) for name in (DATABASE_URL.name, REDIS_URL.name)}
    try:
        with running_assistant(logs) as assistant:
            yield Target(
                "embedded", assistant.url, f"sqlite:///{assistant.tracker_db}", assistant.pids, [assistant.url]
            )
    finally:
        os.environ.update({name: value for name, value in saved.items() if value is not None})


@contextmanager
def production_setup(setup: str, replicas: int, postgres: str, redis_url: str, logs: Path) -> Iterator[Target]:
    """B, C: start_production on a new database, as `./wegwijzer start --replicas N` runs it."""
    with new_database(postgres) as database_url:
        build_directory(database_url, active_register())  # what `prepare` does there
        production = Production(replicas, database_url, redis_url)
        missing = problems(production)
        if missing:
            raise SystemExit("The production profile cannot start:\n  " + "\n  ".join(missing))
        ports, layout = Ports.free(), Layout.free(replicas)
        started = time.monotonic()
        running = start_production(ensure_model(), ports, production, layout, logs)
        try:
            wait_until_serving(running, ports, layout, logs)
            print(f"  servers ready after {time.monotonic() - started:.0f} s", flush=True)
            pids = {item.spec.name: item.process.pid for item in running.supervised}
            rasa = [f"http://localhost:{port}" for port in layout.rasa]
            yield Target(setup, f"http://localhost:{ports.rasa}", database_url, pids, rasa, redis_url, running)
        finally:
            running.stop()


def start_setup(setup: str, postgres: str, redis_url: str, logs: Path):
    if setup == "embedded":
        return embedded_setup(logs)
    return production_setup(setup, {"one": 1, "two": 2}[setup], postgres, redis_url, logs)


# ---- the conversation and the store ----


def conversation(turns: int) -> List[str]:
    """The load conversation's first `turns` turns; more than it has: it starts again."""
    return [CONVERSATION[number % len(CONVERSATION)] for number in range(turns)]


def locustfile_for(turns: int, folder: Path) -> Path:
    """The locustfile beside a load_conversation.json of `turns` turns (it reads the one beside it)."""
    if turns == len(CONVERSATION):
        return LOCUSTFILE
    copy = folder / "locustfile.py"
    shutil.copy(LOCUSTFILE, copy)
    (folder / "load_conversation.json").write_text(json.dumps({"turns": conversation(turns)}), encoding="utf-8")
    return copy


def warm_up(target: Target, texts: List[str]) -> None:
    """One conversation on each Rasa server itself, not counted."""
    for number, url in enumerate(target.rasa_urls):
        sender = f"scale-warm-up-{uuid.uuid4().hex[:6]}-{number}"
        for text in texts:
            requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)


# ---- one run, and the figures ----


@dataclass
class Run:
    """One number of users against one setup."""

    setup: str
    users: int
    turns: int
    seconds: float
    p50: float
    p95: float
    p99: float
    failed: int
    missing: int = 0  # messages not in the store
    disordered: int = 0  # conversations whose stored messages are not in order
    server_cpu: float = 0.0  # CPU seconds of the setup's server processes during the run
    store_cpu: Optional[float] = None  # of the PostgreSQL backends and Redis; None: in the servers (SQLite)
    locust_cpu: float = 0.0  # CPU seconds of the load tool on the same machine
    errors: Dict[str, int] = field(default_factory=dict)

    @property
    def turns_per_second(self) -> float:
        return self.turns / self.seconds if self.seconds else 0.0

    def per_turn_ms(self, seconds: Optional[float]) -> Optional[float]:
        return None if seconds is None or not self.turns else seconds / self.turns * 1000


def measure(target: Target, users: int, turns: int, folder: Path) -> Run:
    prefix = f"scale-{target.setup}-{users}-{uuid.uuid4().hex[:6]}-"  # the locustfile numbers its users from 0
    locustfile = locustfile_for(turns, folder)
    pids = list(target.pids.values())
    servers_before, stores_before = cpu_seconds(pids), target.store_cpu()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = run_locust(target.url, users, prefix, folder, locustfile, quiet=True)
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    servers_after, stores_after = cpu_seconds(pids), target.store_cpu()
    stored = stored_user_texts(target.store_url, [f"{prefix}{number}" for number in range(users)])
    missing, disordered = lost_messages(stored, conversation(turns))
    locust_cpu = sum(
        getattr(children_after, name) - getattr(children_before, name) for name in ("ru_utime", "ru_stime")
    )
    return Run(
        setup=target.setup,
        users=users,
        turns=figures["turns"],
        seconds=figures["seconds"],
        p50=figures["p50"],
        p95=figures["p95"],
        p99=figures["p99"],
        failed=figures["failures"],
        missing=missing,
        disordered=disordered,
        server_cpu=servers_after - servers_before,
        store_cpu=stores_after - stores_before if target.database else None,
        locust_cpu=locust_cpu,
        errors=figures.get("errors") or {},
    )


def _ms(value: Optional[float]) -> str:
    return "–" if value is None else f"{value:,.0f}"


def format_table(runs: Sequence[Run]) -> str:
    """The figures as a Markdown table, a row per setup and number of users."""
    lines = [
        "| setup | users | turns | turns/s | p50 ms | p95 ms | p99 ms | failed | lost | "
        "CPU ms/turn, servers | CPU ms/turn, PostgreSQL + Redis | Locust CPU |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        locust_share = f"{run.locust_cpu / run.seconds:.0%}" if run.seconds else "–"
        lines.append(
            f"| {SETUPS.get(run.setup, run.setup)} | {run.users} | {run.turns} | {run.turns_per_second:.1f} | "
            f"{_ms(run.p50)} | {_ms(run.p95)} | {_ms(run.p99)} | {run.failed} | {run.missing + run.disordered} | "
            f"{run.per_turn_ms(run.server_cpu):.1f} | "
            f"{'in the servers' if run.store_cpu is None else f'{run.per_turn_ms(run.store_cpu):.1f}'} | "
            f"{locust_share} |"
        )
    return "\n".join(lines)


def throughput_ratios(runs: Sequence[Run], over: str = "two", under: str = "one") -> Dict[int, float]:
    """Per number of users that both setups ran: turns/s of `over` divided by turns/s of `under`."""
    tops = {run.users: run.turns_per_second for run in runs if run.setup == over}
    bottoms = {run.users: run.turns_per_second for run in runs if run.setup == under}
    return {users: tops[users] / bottoms[users] for users in sorted(tops) if bottoms.get(users)}


def p95_at(runs: Sequence[Run], users: int = P95_USERS) -> Dict[str, float]:
    """A turn's p95 per setup at `users` residents at once."""
    return {run.setup: run.p95 for run in runs if run.users == users}


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def ratio_lines(runs: Sequence[Run]) -> List[str]:
    lines = []
    ratios = throughput_ratios(runs)
    if ratios:
        lines.append(f"Throughput of C over B (goal ≥ {SCALING_GOAL} at {' and '.join(map(str, GOAL_USERS))} users):")
        for users, ratio in ratios.items():
            goal = f"  goal {verdict(ratio >= SCALING_GOAL)}" if users in GOAL_USERS else ""
            lines.append(f"  {users:4} users: {ratio:.2f}{goal}")
    else:
        lines.append("Throughput of C over B: needs both setups (--setups one,two).")
    p95s = p95_at(runs)
    if p95s:
        lines.append(f"p95 at {P95_USERS} users (goal < {P95_GOAL_MS:.0f} ms):")
        for setup, p95 in p95s.items():
            lines.append(f"  {SETUPS[setup]:26} {p95:6.0f} ms  goal {verdict(p95 < P95_GOAL_MS)}")
    else:
        lines.append(f"p95 at {P95_USERS} users: not run (--users without {P95_USERS}).")
    return lines


# ---- the store's size ----


@dataclass(frozen=True)
class StoreFigures:
    """What one turn and one conversation leave in PostgreSQL, measured on a benchmark's database."""

    events_per_turn: float  # rows of Rasa's events table per resident message
    event_row_bytes: float  # avg(pg_column_size(row)) of an event
    event_disk_bytes: float  # the events table with its indexes and TOAST, per row
    log_rows_per_turn: float  # rows of the staff app's conversation log (wegwijzer_turns) per message
    log_disk_bytes: float  # that table with its indexes, per row
    conversation_disk_bytes: float  # wegwijzer_conversations with its indexes, per conversation


def store_figures(database_url: str) -> StoreFigures:
    engine = sa.create_engine(database_url)

    def one(query: str) -> float:
        return float(connection.execute(sa.text(query)).scalar() or 0)

    try:
        with engine.connect() as connection:
            events = one("SELECT count(*) FROM events")
            messages = one("SELECT count(*) FROM events WHERE type_name = 'user'")
            logged = one("SELECT count(*) FROM wegwijzer_turns")
            conversations = one("SELECT count(*) FROM wegwijzer_conversations")
            return StoreFigures(
                events_per_turn=events / messages,
                event_row_bytes=one("SELECT avg(pg_column_size(t.*)) FROM events t"),
                event_disk_bytes=one("SELECT pg_total_relation_size('events')") / events,
                log_rows_per_turn=logged / messages,
                log_disk_bytes=one("SELECT pg_total_relation_size('wegwijzer_turns')") / max(logged, 1),
                conversation_disk_bytes=one("SELECT pg_total_relation_size('wegwijzer_conversations')")
                / max(conversations, 1),
            )
    finally:
        engine.dispose()


# ---- the scaling estimate for all 342 municipalities ----

# The number of residents: the sum of "Aantal inwoners" over the 342 municipalities of the
# register snapshot in the project (municipalities/data/gemeenten-organisaties-overheid-2026-03.csv,
# Register van Overheidsorganisaties, export of March 2026).
RESIDENTS = 18_129_929
# People with a Wmo maatwerkvoorziening in a year: CBS StatLine, table 86050NED "Wmo-cliënten;
# type maatwerkvoorziening (detail), regio", Totaal, Nederland, 2024 (provisional): 1,284,680, 72 per
# 1,000 inhabitants (https://www.cbs.nl/nl-nl/cijfers/detail/86050NED). It does not count those who
# ask without getting a maatwerkvoorziening (family, mantelzorgers, refused requests): CHAT_SHARE
# is taken of this number as a stand-in for everyone who asks.
WMO_CLIENTS_PER_YEAR = 1_284_680
CHAT_SHARE = 0.10  # assumption: one in ten of them chats with Wegwijzer in a year
CONVERSATIONS_PER_PERSON = 2  # assumption: per chatting person per year
MESSAGES_PER_CONVERSATION = 8  # assumption: the load conversation has 20; real ones are shorter
WORKING_DAYS = 250  # assumption: the traffic falls on working days (weekends and holidays left out)
PEAK_HOUR_SHARE = 0.15  # assumption: the busiest hour (a Monday morning) carries 15 % of a day
TARGET_CPU = 0.60  # a replica planned at 60 % of its measured saturation: room for bursts and a replica lost
RETENTION_DAYS = 30  # conversations are deleted 30 days after their last message (endpoints.yml)
MINIMUM_REPLICAS = 2  # one replica may stop (an update, a crash) while the other answers


@dataclass(frozen=True)
class Estimate:
    residents: int
    chatters_per_year: float
    conversations_per_year: float
    turns_per_year: float
    peak_turns_per_second: float
    turns_per_second_per_replica: float
    replicas_for_load: int  # at TARGET_CPU of the measured throughput
    replicas: int  # at least MINIMUM_REPLICAS
    cores_at_peak: Optional[float]  # CPU cores busy at the peak (servers and stores), from CPU per turn
    event_rows_per_year: Optional[float] = None
    event_bytes_per_year: Optional[float] = None  # the rows' own size
    disk_bytes_per_year: Optional[float] = None  # events + conversation log, with indexes
    event_rows_kept: Optional[float] = None  # with RETENTION_DAYS
    disk_bytes_kept: Optional[float] = None


def scaling_estimate(
    turns_per_second_per_replica: float,
    cpu_seconds_per_turn: Optional[float] = None,
    store: Optional[StoreFigures] = None,
    residents: int = RESIDENTS,
    wmo_clients: int = WMO_CLIENTS_PER_YEAR,
    chat_share: float = CHAT_SHARE,
    conversations_per_person: float = CONVERSATIONS_PER_PERSON,
    messages_per_conversation: float = MESSAGES_PER_CONVERSATION,
    working_days: int = WORKING_DAYS,
    peak_hour_share: float = PEAK_HOUR_SHARE,
    target_cpu: float = TARGET_CPU,
    retention_days: int = RETENTION_DAYS,
) -> Estimate:
    """What all 342 municipalities would ask of the production profile at the peak, and what the
    conversation store would hold, from the measured figures and the assumptions above."""
    chatters = wmo_clients * chat_share
    conversations = chatters * conversations_per_person
    turns = conversations * messages_per_conversation
    peak = turns / working_days * peak_hour_share / 3600
    for_load = max(1, math.ceil(peak / (turns_per_second_per_replica * target_cpu)))
    cores = peak * cpu_seconds_per_turn / target_cpu if cpu_seconds_per_turn is not None else None
    estimate = Estimate(
        residents,
        chatters,
        conversations,
        turns,
        peak,
        turns_per_second_per_replica,
        for_load,
        max(for_load, MINIMUM_REPLICAS),
        cores,
    )
    if store is None:
        return estimate
    rows = turns * store.events_per_turn
    disk = (
        rows * store.event_disk_bytes
        + turns * store.log_rows_per_turn * store.log_disk_bytes
        + conversations * store.conversation_disk_bytes
    )
    kept = retention_days / 365
    return Estimate(
        **{
            **estimate.__dict__,
            "event_rows_per_year": rows,
            "event_bytes_per_year": rows * store.event_row_bytes,
            "disk_bytes_per_year": disk,
            "event_rows_kept": rows * kept,
            "disk_bytes_kept": disk * kept,
        }
    )


def _size(size: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB"):
        if size < 1000 or unit == "TB":
            return f"{size:,.1f} {unit}"
        size /= 1000
    return ""


def estimate_text(estimate: Estimate, store: Optional[StoreFigures] = None) -> str:
    lines = [
        "Scaling estimate for all 342 municipalities (assumptions: constants in benchmarks/scale.py):",
        f"  residents {estimate.residents:,}; Wmo clients per year {WMO_CLIENTS_PER_YEAR:,} (CBS 86050NED, 2024)",
        f"  chatting per year ({CHAT_SHARE:.0%} of them) {estimate.chatters_per_year:,.0f}, "
        f"{CONVERSATIONS_PER_PERSON} conversations each, {MESSAGES_PER_CONVERSATION} messages each: "
        f"{estimate.turns_per_year:,.0f} turns per year",
        f"  peak: {PEAK_HOUR_SHARE:.0%} of a working day's turns ({WORKING_DAYS} days) in one hour = "
        f"{estimate.peak_turns_per_second:.2f} turns/s",
        f"  one replica: {estimate.turns_per_second_per_replica:.1f} turns/s measured; at {TARGET_CPU:.0%} of that "
        f"{estimate.replicas_for_load} replica(s) carry the peak; with one allowed to stop: {estimate.replicas}",
        f"  one replica at {TARGET_CPU:.0%} carries "
        f"{estimate.turns_per_second_per_replica * TARGET_CPU / estimate.peak_turns_per_second:.0f} × this peak",
    ]
    if estimate.cores_at_peak is not None:
        lines.append(
            f"  CPU at the peak (servers and stores, at {TARGET_CPU:.0%} busy): {estimate.cores_at_peak:.2f} cores"
        )
    if store is not None and estimate.event_rows_per_year is not None:
        lines += [
            f"  per turn: {store.events_per_turn:.1f} event rows of {store.event_row_bytes:.0f} bytes "
            f"({store.event_disk_bytes:.0f} bytes on disk with indexes), {store.log_rows_per_turn:.2f} "
            f"conversation-log rows ({store.log_disk_bytes:.0f} bytes on disk)",
            f"  per year: {estimate.event_rows_per_year:,.0f} event rows, "
            f"{_size(estimate.event_bytes_per_year)} of rows, "
            f"{_size(estimate.disk_bytes_per_year)} on disk with the conversation log and indexes",
            f"  kept with {RETENTION_DAYS}-day retention: {estimate.event_rows_kept:,.0f} event rows, "
            f"{_size(estimate.disk_bytes_kept)} on disk (PostgreSQL reuses the space of deleted rows after VACUUM)",
        ]
    else:
        lines.append("  database size: needs a production setup (its PostgreSQL database is measured)")
    return "\n".join(lines)


def replica_throughput(runs: Sequence[Run]) -> Tuple[float, str]:
    """Turns per second one replica carries: the best of B; else half the best of C; else the best of A."""
    best = {setup: max((run.turns_per_second for run in runs if run.setup == setup), default=0.0) for setup in SETUPS}
    if best["one"]:
        return best["one"], "B's best"
    if best["two"]:
        return best["two"] / 2, "half of C's best"
    return best["embedded"], "A's best"


def cpu_per_turn(runs: Sequence[Run], setup: str) -> Optional[float]:
    """CPU seconds per turn of a setup over all its runs, servers and stores."""
    chosen = [run for run in runs if run.setup == setup]
    turns = sum(run.turns for run in chosen)
    if not turns:
        return None
    return sum(run.server_cpu + (run.store_cpu or 0.0) for run in chosen) / turns


# ---- the command ----


def numbers(text: str) -> List[int]:
    """ "1,20,50" -> [1, 20, 50]"""
    found = [int(part) for part in text.split(",") if part.strip()]
    if not found or min(found) < 1:
        raise argparse.ArgumentTypeError("give numbers of 1 or more, comma-separated")
    return found


def setup_names(text: str) -> List[str]:
    found = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in found if name not in SETUPS]
    if not found or unknown:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(SETUPS)}")
    return found


def log_sizes(folder: Path) -> Dict[Path, int]:
    return {log: log.stat().st_size for log in folder.rglob("*.log")}


def log_problems(folder: Path, since: Optional[Dict[Path, int]] = None) -> Dict[str, int]:
    """Per log file of a setup: its lines that name an error or a traceback, after the sizes
    `since` (the start-up's own lines left out). The balancer logs only the requests that failed
    (`option dontlog-normal`): each of those counts."""
    found = {}
    for log in sorted(folder.rglob("*.log")):
        with log.open("rb") as file:
            file.seek((since or {}).get(log, 0))
            lines = file.read().decode(errors="replace").splitlines()
        pattern = FAILED_REQUEST if log.parent.name == "balancer" else ERROR_LINE
        count = sum(1 for line in lines if pattern.search(line))
        if count:
            found[str(log.relative_to(folder))] = count
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=numbers, default=list(DEFAULT_USERS), help="comma-separated, e.g. 1,20,50,100")
    parser.add_argument("--setups", type=setup_names, default=list(SETUPS), help="of embedded,one,two")
    parser.add_argument("--turns", type=int, default=len(CONVERSATION), help="turns per resident's conversation")
    parser.add_argument("--postgres", default=TEST_POSTGRES.get(), help="a PostgreSQL server's URL (a database on it)")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="the Redis server for the production profile's locks")
    args = parser.parse_args()
    locust()
    texts = conversation(args.turns)
    total = sum(args.users) * args.turns
    print(f"Setups {', '.join(args.setups)}; users {args.users}; {total:,} turns per setup.", flush=True)
    runs: List[Run] = []
    memories: Dict[str, Dict[str, Tuple[float, float]]] = {}
    problems_found: Dict[str, Dict[str, int]] = {}
    stopped: Dict[str, List[str]] = {}
    store: Optional[StoreFigures] = None
    started = time.monotonic()
    for setup in args.setups:
        logs = LOGS / setup
        shutil.rmtree(logs, ignore_errors=True)
        logs.mkdir(parents=True)
        print(f"\n[{time.monotonic() - started:4.0f} s] {SETUPS[setup]}: starting (logs in {logs})", flush=True)
        with start_setup(setup, args.postgres, args.redis, logs) as target, tempfile.TemporaryDirectory() as tmp:
            warm_up(target, texts)
            before_runs = log_sizes(logs)
            for users in args.users:
                folder = Path(tmp) / str(users)
                folder.mkdir()
                print(f"[{time.monotonic() - started:4.0f} s]   {users} users x {args.turns} turns ...", flush=True)
                run = measure(target, users, args.turns, folder)
                runs.append(run)
                print(
                    f"         {run.turns_per_second:.1f} turns/s, p50 {run.p50:.0f} ms, p95 {run.p95:.0f} ms, "
                    f"failed {run.failed}, lost {run.missing + run.disordered} {run.errors or ''}",
                    flush=True,
                )
            memories[setup] = memory({name: pid for name, pid in target.pids.items() if Path(f"/proc/{pid}").exists()})
            stopped[setup] = target.stopped()
            problems_found[setup] = log_problems(logs, before_runs)  # before the servers stop
            if target.database and store is None:
                store = store_figures(target.store_url)
    print(f"\nAll done after {time.monotonic() - started:.0f} s.\n")
    print(format_table(runs))
    print()
    print("\n".join(ratio_lines(runs)))
    print("\nMemory after the runs (RSS now / peak, MB; PostgreSQL and Redis are the machine's, not counted):")
    for setup, found in memories.items():
        parts = ", ".join(f"{name}: {rss:.0f} / {peak:.0f}" for name, (rss, peak) in found.items())
        print(f"  {SETUPS[setup]}: {parts}; in all {sum(rss for rss, _ in found.values()):,.0f} MB")
    print("\nCPU per turn over all runs (servers + stores):")
    for setup in args.setups:
        per_turn = cpu_per_turn(runs, setup)
        print(f"  {SETUPS[setup]}: {per_turn * 1000:.1f} ms" if per_turn is not None else f"  {SETUPS[setup]}: –")
    for setup in args.setups:
        if stopped.get(setup):
            print(f"\n{SETUPS[setup]}: these processes had stopped by the end: {', '.join(stopped[setup])}")
        if problems_found.get(setup):
            print(
                f"{SETUPS[setup]}: log lines with an error during the runs: {problems_found[setup]} (in {LOGS / setup})"
            )
    throughput, source = replica_throughput(runs)
    if throughput:
        setup = "one" if "one" in args.setups else ("two" if "two" in args.setups else "embedded")
        print(f"\nOne replica's throughput: {throughput:.1f} turns/s ({source}).")
        print(estimate_text(scaling_estimate(throughput, cpu_per_turn(runs, setup), store), store))


if __name__ == "__main__":
    main()
