"""What saving a turn costs in the conversation store: Rasa's own SQLTrackerStore against ours
(masking, and since issue 15 the conversation log for the staff app), side by side in one run.

Usage: .venv/bin/python -m benchmarks.tracker_save [--conversations 200] [--turns 5]

Each store gets a fresh SQLite file; every conversation is saved after each of its turns, as the
Rasa server does (a resident's message, the actions, the answer with its feedback request).
Prints ms per save, p50 and p95, and the time for all saves.
"""

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import List, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.conversations.feedback import FEEDBACK_REQUEST
from assistant.rasa_plugins.tracker_store import RedactingSQLTrackerStore
from assistant.settings import DOMAIN_FILE

QUESTION = "Hoeveel is de eigen bijdrage voor de Wmo? Mijn bsn is 111222333"
ANSWER = "In 2026 betaalt u maximaal € 21,80 per maand.\n\nBron: CAK, https://www.hetcak.nl"


class MaskingOnly(RedactingSQLTrackerStore):
    """Our store as it was before issue 15: masking, no conversation log (a baseline only)."""

    def _log_turn(self, sender_id: str, paused: bool, municipality: Optional[str] = None) -> None:
        self._stored.pop(sender_id, None)


def one_turn(tracker: DialogueStateTracker) -> None:
    intent = {"name": "eigen_bijdrage_hoeveel", "confidence": 0.87}
    parse_data = {"text": QUESTION, "intent": intent, "entities": [], "intent_ranking": [intent]}
    tracker.update(UserUttered(QUESTION, intent=intent, parse_data=parse_data, metadata={"gemeente": "GM0363"}))
    tracker.update(ActionExecuted("action_answer_question"))
    tracker.update(BotUttered(ANSWER))
    tracker.update(BotUttered(None, data={"custom": FEEDBACK_REQUEST}))
    tracker.update(ActionExecuted("action_listen"))


def save_times(store: SQLTrackerStore, domain: Domain, conversations: int, turns: int) -> List[float]:
    trackers = [
        DialogueStateTracker.from_events(
            f"bench-{n}", [ActionExecuted("action_session_start"), SessionStarted()], domain.slots
        )
        for n in range(conversations)
    ]
    measured = []
    for _ in range(turns):
        for tracker in trackers:
            one_turn(tracker)
            started = time.perf_counter()
            asyncio.run(store.save(tracker))
            measured.append((time.perf_counter() - started) * 1000)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--turns", type=int, default=5)
    arguments = parser.parse_args()
    domain = Domain.load(str(DOMAIN_FILE))
    print(f"ms per save, {arguments.conversations} conversations x {arguments.turns} turns, SQLite")
    with tempfile.TemporaryDirectory() as folder:
        for name, kind in (
            ("Rasa's SQLTrackerStore", SQLTrackerStore),
            ("ours: masking", MaskingOnly),
            ("ours: masking + log", RedactingSQLTrackerStore),
        ):
            store = kind(domain=domain, dialect="sqlite", db=str(Path(folder) / f"{kind.__name__}.db"))
            started = time.perf_counter()
            times = save_times(store, domain, arguments.conversations, arguments.turns)
            elapsed = time.perf_counter() - started
            p95 = statistics.quantiles(times, n=20)[-1]
            print(f"{name:<30} p50 {statistics.median(times):6.2f}   p95 {p95:6.2f}   all: {elapsed:5.1f} s")


if __name__ == "__main__":
    main()
