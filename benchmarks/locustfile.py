"""Locust users for benchmarks/load.py: each user is one resident who has the conversation of
load_conversation.json over the REST channel, waiting for every reply, then stops.

Runs in its own environment (Locust 2.46; see benchmarks/load.py), so it
imports nothing of the project. A reply counts as a failure when it is not HTTP 200, has no
text, or is the assistant's fault message (the start of each one in WEGWIJZER_LOAD_FAULTS).
"""

import itertools
import json
import os
from pathlib import Path

from locust import HttpUser, events, task
from locust.exception import StopUser

CONVERSATION = json.loads(Path(__file__).with_name("load_conversation.json").read_text(encoding="utf-8"))["turns"]
SENDER_PREFIX = os.environ.get("WEGWIJZER_LOAD_SENDER_PREFIX", "load-")
FAULTS = json.loads(os.environ.get("WEGWIJZER_LOAD_FAULTS", "[]"))
RESULT = os.environ.get("WEGWIJZER_LOAD_RESULT")  # where the final figures go, as JSON
numbers = itertools.count()
finished = itertools.count(1)


def reply_of(response) -> object:
    try:
        return response.json()
    except ValueError:
        return None


def problem_with(reply: object) -> str:
    """Why a reply is not an answer; empty when it is one."""
    if not isinstance(reply, list) or not any(isinstance(part, dict) and part.get("text") for part in reply):
        return "no text in the reply"
    if any(part.get("text", "").startswith(fault) for part in reply for fault in FAULTS):
        return "the fault message"
    return ""


class Resident(HttpUser):
    """One conversation per user; the last user to finish ends the run."""

    def on_start(self) -> None:
        self.sender = f"{SENDER_PREFIX}{next(numbers)}"  # benchmarks/load.py reads the store by it

    @task
    def converse(self) -> None:
        for text in CONVERSATION:
            with self.client.post(
                "/webhooks/rest/webhook",
                json={"sender": self.sender, "message": text},
                name="turn",
                catch_response=True,
            ) as response:
                problem = (
                    problem_with(reply_of(response)) if response.status_code == 200 else f"HTTP {response.status_code}"
                )
                if problem:
                    response.failure(problem)
        if next(finished) == self.environment.parsed_options.num_users:
            self.environment.runner.quit()
        raise StopUser()


@events.quitting.add_listener
def write_result(environment, **kwargs) -> None:
    """The final figures for benchmarks/load.py (Locust's CSV may miss the last seconds)."""
    total = environment.stats.total
    result = {
        "turns": total.num_requests,
        "failures": total.num_failures,
        "max": total.max_response_time,
        "seconds": total.last_request_timestamp - total.start_time,
        **{f"p{share}": total.get_response_time_percentile(share / 100) for share in (50, 95, 99)},
        "errors": {str(error.error): error.occurrences for error in environment.stats.errors.values()},
    }
    if RESULT:
        Path(RESULT).write_text(json.dumps(result), encoding="utf-8")
