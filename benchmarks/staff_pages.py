"""Page times of the staff app's conversations list and figures page with many stored
conversations, through the real web server over HTTP, as an employee's browser asks for them.

Usage: .venv/bin/python -m benchmarks.staff_pages [--conversations 100000] [--baseline 1000] [--rounds 40]

Seeds two conversation logs (SQLite, in a temporary folder): the baseline and the large one,
each with conversations over the last 90 days, spread over all municipalities by population
share (a big city has many, a village few), about four resident messages each, some not
understood, some asking for a person, some with feedback. The day counts are made with the
counting rules of the store itself (assistant.conversations.store.day_counts). Then, for each
log, a web server of its own is started and each page is asked for `rounds` times: p50 and p95
in milliseconds, side by side. Goal (issue 15): p95 under 300 ms with 100,000 conversations.
"""

import argparse
import random
import statistics
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Dict, Iterator, List, Tuple

import requests

from assistant.content import municipal_directory
from assistant.conversations.store import (
    NATIONAL,
    ConversationLog,
    ConversationRow,
    DayCountRow,
    TurnRow,
    day_counts,
    feedback_summary,
)
from assistant.conversations.turns import ANSWERED, NOT_UNDERSTOOD, PERSON
from assistant.settings import TRACKER_DB
from assistant.web.server import web_server_on_free_port
from tests.support.staff_app import signed_in, staff_stores

TOPICS = ["pgb_wat", "eigen_bijdrage_hoeveel", "wmo_aanvragen", "clientondersteuning_wat", "kennis/cak_termijnen"]
TEXTS = ["Hoe zit het met de regiotaxi?", "mijn moeder kan niet meer traplopen", "Wat moet ik doen?", "help"]
DAYS = 90
BIG_CITY = "GM0363"  # Amsterdam: the helpdesk with the most conversations


def seed(log: ConversationLog, conversations: int, municipalities: List[str]) -> str:
    """`conversations` conversations in bulk, with their day counts; returns the reference of
    one of the big city's conversations."""
    rng = random.Random(15)
    now = time.time()
    weights = [30 if code == BIG_CITY else 1 for code in municipalities]
    codes = rng.choices(municipalities, weights, k=conversations)
    conversation_rows, turn_rows, counts = [], [], Counter()
    for number, code in enumerate(codes, start=1):
        start = now - rng.random() * DAYS * 86400
        turns = [_turn(rng, number, code, position, start + position * 40) for position in range(1, rng.randint(2, 7))]
        wanted_person = any(turn["outcome"] == PERSON for turn in turns)
        conversation_rows.append(
            {
                "id": number,
                "sender_id": f"bench-{number}",
                "reference": f"{number:012x}",
                "municipality_code": code,
                "started_at": start,
                "last_at": turns[-1]["at"],
                "messages": len(turns),
                "not_understood": sum(turn["outcome"] == NOT_UNDERSTOOD for turn in turns),
                "wanted_person": wanted_person,
                "feedback": feedback_summary(turn["helped"] for turn in turns),
                "expired": False,
            }
        )
        turn_rows.extend(turns)
        for (day, measure, key), count in day_counts([SimpleNamespace(**t) for t in turns], wanted_person).items():
            counts[(day, code, measure, key)] += count
            counts[(day, NATIONAL, measure, key)] += count
    with log.engine.begin() as connection:
        connection.execute(ConversationRow.__table__.insert(), conversation_rows)
        connection.execute(TurnRow.__table__.insert(), turn_rows)
        connection.execute(
            DayCountRow.__table__.insert(),
            [
                {"day": day, "municipality_code": code, "measure": measure, "key": key, "count": count}
                for (day, code, measure, key), count in counts.items()
            ],
        )
    return next(row["reference"] for row in conversation_rows if row["municipality_code"] == BIG_CITY)


def _turn(rng: random.Random, conversation: int, code: str, position: int, at: float) -> Dict:
    outcome = rng.choices([ANSWERED, NOT_UNDERSTOOD, PERSON], [80, 15, 5])[0]
    topic = (
        rng.choice(TOPICS) if outcome == ANSWERED else "nlu_fallback" if outcome == NOT_UNDERSTOOD else "human_handover"
    )
    return {
        "conversation_id": conversation,
        "position": position,
        "at": at,
        "municipality_code": code,
        "text": rng.choice(TEXTS),
        "topic": topic,
        "confidence": rng.random(),
        "outcome": outcome,
        "replies": '["Een antwoord met bronnen."]',
        "helped": rng.choice([None, None, None, True, False]),
        "comment": None,
    }


def pages(transcript: str) -> Dict[str, str]:
    return {
        "gesprekken": "/beheer/gesprekken",
        "gesprekken, niet begrepen": "/beheer/gesprekken?niet_begrepen=1",
        "gesprekken, onderwerp": "/beheer/gesprekken?onderwerp=pgb_wat&pagina=3",
        "gesprek": f"/beheer/gesprekken/{transcript}",
        "cijfers, 30 dagen": "/beheer/cijfers?dagen=30",
        "cijfers, 365 dagen": "/beheer/cijfers?dagen=365",
    }


@contextmanager
def staff_app(folder: Path, conversations: int, municipalities: List[str]) -> Iterator[Tuple[str, str, Dict]]:
    """A web server on a seeded log of its own, a transcript's reference, and signed-in sessions
    of a helpdesk and a beheerder."""
    with staff_stores(folder) as (staff, _):
        assert Path(TRACKER_DB.get()).parent == folder
        transcript = seed(ConversationLog(f"sqlite:///{folder / 'tracker.db'}"), conversations, municipalities)
        with web_server_on_free_port() as url:
            sessions = {
                "helpdesk Amsterdam": signed_in(url, staff, "helpdesk", "helpdesk", (BIG_CITY,)),
                "beheerder (landelijk)": signed_in(url, staff, "beheer", "beheerder", ()),
            }
            yield url, transcript, sessions


def timings(url: str, browser: requests.Session, path: str, rounds: int) -> List[float]:
    browser.get(url + path, timeout=60).raise_for_status()  # warm: templates compiled, caches filled
    measured = []
    for _ in range(rounds):
        started = time.perf_counter()
        browser.get(url + path, timeout=60).raise_for_status()
        measured.append((time.perf_counter() - started) * 1000)
    return measured


def p95(values: List[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=40)
    arguments = parser.parse_args()
    municipalities = [item.cbs_code for item in municipal_directory.load().all()]
    results: Dict[Tuple[str, str, int], List[float]] = {}
    for size in (arguments.baseline, arguments.conversations):
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            with staff_app(Path(folder), size, municipalities) as (url, transcript, sessions):
                print(f"seeded {size:,} conversations in {time.perf_counter() - started:.0f} s")
                for who, browser in sessions.items():
                    for name, path in pages(transcript).items():
                        results[(who, name, size)] = timings(url, browser, path, arguments.rounds)
    print(f"\npage time in ms, p50 / p95 over {arguments.rounds} requests")
    print(f"{'account':<24}{'page':<28}{arguments.baseline:>16,}{arguments.conversations:>20,}")
    for who, name, size in results:
        if size != arguments.baseline:
            continue
        row = [results[(who, name, n)] for n in (arguments.baseline, arguments.conversations)]
        cells = [f"{statistics.median(v):.0f} / {p95(v):.0f}" for v in row]
        print(f"{who:<24}{name:<28}{cells[0]:>16}{cells[1]:>20}")


if __name__ == "__main__":
    main()
