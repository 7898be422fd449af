"""Load with Locust: many residents at once, each one conversation of 20 turns over REST.

Usage: .venv/bin/python -m benchmarks.load [--users 50]
       .venv/bin/python -m benchmarks.load --url http://localhost:5005 --tracker-db FILE --pids 123,456

Without --url it starts the action server and the Rasa server on free ports with a new
tracker database, as benchmarks.latency does. With --url it loads an assistant that already
runs (an older commit, for a before and after), and reads its store and memory from
--tracker-db and --pids.

Locust (the load tool of Rasa's own load-testing guidelines) is installed on first use in
var/locust, an environment of its own: its gevent and Flask stay out of Rasa's pinned one.
The users are in benchmarks/locustfile.py, their conversation in load_conversation.json.
Prints a turn's p50/p95/p99, turns per second, failed turns, messages missing or out of order
in the conversation store, and each server's memory (RSS) before and after the run, with its peak.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import requests
import sqlalchemy as sa

from assistant.content.answers import message_templates
from assistant.settings import PROJECT_ROOT, VAR_DIR
from benchmarks.servers import Assistant, memory, running_assistant

LOCUST_VERSION = "2.46.0"  # the last release for Python 3.10, the project's Python
LOCUST_ENV = VAR_DIR / "locust"
FAULT_MESSAGES = ("storing", "storing_gemeente")
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
CONVERSATION: List[str] = json.loads((Path(__file__).with_name("load_conversation.json")).read_text(encoding="utf-8"))[
    "turns"
]


def locust() -> Path:
    """The locust command, installed in its own environment on first use."""
    command = LOCUST_ENV / "bin" / "locust"
    if not command.exists():
        print(
            f"Installing Locust {LOCUST_VERSION} in {LOCUST_ENV.relative_to(PROJECT_ROOT)} (once, about 15 s) ...",
            flush=True,
        )
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_ENV)], check=True)
        subprocess.run([str(LOCUST_ENV / "bin" / "pip"), "install", "--quiet", f"locust=={LOCUST_VERSION}"], check=True)
    return command


def run_locust(
    url: str, users: int, sender_prefix: str, folder: Path, locustfile: Path = LOCUSTFILE, quiet: bool = False
) -> Dict[str, Any]:
    """Runs the users headless until the last one has finished its conversation; the figures
    the locustfile writes when Locust quits. `locustfile`: another copy of it, e.g. beside a
    shorter load_conversation.json (benchmarks/scale.py --turns); `quiet`: Locust's summary and messages
    go to locust.log in `folder` instead of the terminal."""
    faults = [message_templates()[name][:40] for name in FAULT_MESSAGES]
    result = folder / "result.json"
    env = {
        **os.environ,
        "WEGWIJZER_LOAD_SENDER_PREFIX": sender_prefix,
        "WEGWIJZER_LOAD_FAULTS": json.dumps(faults),
        "WEGWIJZER_LOAD_RESULT": str(result),
    }
    command = [
        str(locust()),
        "-f",
        str(locustfile),
        "--headless",
        "--host",
        url,
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        "15m",
        "--stop-timeout",
        "60",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    if not quiet:
        subprocess.run(command, check=False, env=env, cwd=folder)
        return json.loads(result.read_text(encoding="utf-8"))
    with open(folder / "locust.log", "w") as log:
        subprocess.run(command, check=False, env=env, cwd=folder, stdout=log, stderr=subprocess.STDOUT)
    if not result.exists():
        raise RuntimeError(f"Locust wrote no figures: {(folder / 'locust.log').read_text()[-2000:]}")
    return json.loads(result.read_text(encoding="utf-8"))


def stored_user_texts(store_url: str, senders: List[str]) -> Dict[str, List[str]]:
    """The resident's messages of each conversation as the store (SQLite or PostgreSQL) keeps them, in order."""
    query = sa.text(
        "SELECT sender_id, data FROM events WHERE type_name = 'user' AND sender_id IN :senders ORDER BY id"
    ).bindparams(sa.bindparam("senders", expanding=True))
    engine = sa.create_engine(store_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(query, {"senders": senders}).fetchall()
    finally:
        engine.dispose()
    found: Dict[str, List[str]] = {sender: [] for sender in senders}
    for sender, data in rows:
        found[sender].append(json.loads(data).get("text"))
    return found


def lost_messages(stored: Dict[str, List[str]], expected: List[str]) -> Tuple[int, int]:
    """Messages missing from the store, and conversations whose messages are not the expected ones in order."""
    missing = sum(max(0, len(expected) - len(texts)) for texts in stored.values())
    disordered = sum(1 for texts in stored.values() if texts != expected[: len(texts)])
    return missing, disordered


def report(users: int, figures: Dict[str, Any], store: Tuple[int, int], before: Dict, after: Dict) -> None:
    turns, seconds = figures["turns"], figures["seconds"]
    print(
        f"\n{users} users x {len(CONVERSATION)} turns: {turns} turns in {seconds:.1f} s = {turns / seconds:.1f} turns/s"
    )
    print("  turn  " + "   ".join(f"{name} {figures[name]:.0f} ms" for name in ("p50", "p95", "p99", "max")))
    print(f"  failed turns (not 200, no text, or the fault message): {figures['failures']} {figures['errors'] or ''}")
    print(f"  messages missing from the store: {store[0]}; conversations out of order: {store[1]}")
    for name in before:
        print(
            f"  {name:13} RSS before {before[name][0]:6.0f} MB   "
            f"after {after[name][0]:6.0f} MB   peak {after[name][1]:6.0f} MB"
        )


@contextmanager
def given_assistant(url: str, tracker_db: str, pids: str) -> Iterator[Assistant]:
    """An assistant that runs already, e.g. an older commit for a before and after."""
    yield Assistant(url, Path(tracker_db), {f"process {pid}": int(pid) for pid in pids.split(",") if pid})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--url", help="an assistant that runs already (its Rasa server)")
    parser.add_argument("--tracker-db", help="with --url: its SQLite tracker database")
    parser.add_argument("--pids", default="", help="with --url: its server processes, comma-separated")
    parser.add_argument("--logs", type=Path, help="without --url: keep the servers' logs in this folder")
    args = parser.parse_args()
    locust()
    servers = given_assistant(args.url, args.tracker_db, args.pids) if args.url else running_assistant(args.logs)
    with servers as assistant, tempfile.TemporaryDirectory() as folder:
        for text in CONVERSATION:  # warm-up: one conversation, not counted
            requests.post(assistant.rest_url, json={"sender": "load-warm-up", "message": text}, timeout=60)
        before = memory(assistant.pids)
        sender_prefix = f"load-{uuid.uuid4().hex[:8]}-"  # the locustfile numbers its users from 0
        figures = run_locust(assistant.url, args.users, sender_prefix, Path(folder))
        senders = [f"{sender_prefix}{number}" for number in range(args.users)]
        store = lost_messages(stored_user_texts(f"sqlite:///{assistant.tracker_db}", senders), CONVERSATION)
        report(args.users, figures, store, before, memory(assistant.pids))


if __name__ == "__main__":
    main()
