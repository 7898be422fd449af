"""Where a turn's time goes: the trained model loaded in this process, the turns of the load
conversation (load_conversation.json) handled by Rasa's Agent one after the other, timed part by
part and then profiled with cProfile.

Usage: .venv/bin/python -m benchmarks.turn_profile [--turns 60] [--database URL | --postgres] [--redis URL]

The agent gets the project's endpoints.yml, as the Rasa server does: the conversation store is
RedactingSQLTrackerStore on a temporary SQLite file (or --database URL; --postgres: a new
database on the machine's PostgreSQL, dropped afterwards), the actions go to the real action
server, started here on a free port, and the locks stay in memory (or Redis with --redis). One
conversation warms up first (not counted). Then the turns run twice, with new conversations
each time:

1. with timers only: wall and CPU time per turn, and the wall time of each part of a turn. The
   parts do not overlap (a part inside another counts for the inner one only), so they add up
   with "the rest" to the whole turn. First as Rasa 3.6 runs a turn, then with the
   project's speed-ups (assistant/rasa_plugins/speedups.py), side by side;
2. under cProfile (with the speed-ups): each part's cumulative time, and the top
   functions by their own time. cProfile does not count the time a coroutine waits (for the
   action server's answer, say); the timers do.

Not in it: the Rasa server's HTTP handling and its input channel (limits, turn timeout,
/metrics); benchmarks.latency and benchmarks.scale measure the whole round trip. Rasa's
imports and the model take about half a minute to load. The profile is kept in
var/bench/turn_profile/ (`python -m pstats` or snakeviz read it).
"""

import argparse
import asyncio
import cProfile
import functools
import logging
import os
import pstats
import sys
import sysconfig
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

from assistant.content.answers import message_templates
from assistant.runtime.model import ensure_model
from assistant.runtime.quiet import silence_library_warnings
from assistant.runtime.servers import (
    ProcessSpec,
    Running,
    action_server_command,
    free_port,
    quiet_environment,
    wait_for_urls,
)
from assistant.settings import (
    ACTION_SECRET,
    ACTION_URL,
    ENDPOINTS_FILE,
    PROJECT_ROOT,
    QUIET_LIBRARIES,
    REDIS_URL,
    TEST_POSTGRES,
    TRACKER_DB,
    VAR_DIR,
)
from benchmarks.load import CONVERSATION, FAULT_MESSAGES
from benchmarks.scale import cpu_seconds, new_database

OUTPUT = VAR_DIR / "bench" / "turn_profile"
LOG_LEVEL = logging.INFO  # the Rasa server's default: Rasa's debug lines would cost time of their own
TOP = 15


@dataclass(frozen=True)
class Part:
    label: str
    module: str  # where the owner is
    owner: str  # a class
    function: str


# The parts of a turn, by the functions of Rasa 3.6 and of the project that do them.
PARTS = (
    Part("NLU (MessageProcessor.parse_message)", "rasa.core.processor", "MessageProcessor", "parse_message"),
    Part(
        "policies (MessageProcessor._predict_next_with_tracker)",
        "rasa.core.processor",
        "MessageProcessor",
        "_predict_next_with_tracker",
    ),
    Part("tracker store: retrieve", "assistant.rasa_plugins.tracker_store", "RedactingSQLTrackerStore", "retrieve"),
    Part(
        "tracker store: save (Rasa's events)",
        "assistant.rasa_plugins.tracker_store",
        "RedactingSQLTrackerStore",
        "save",
    ),
    Part("tracker store: the conversation log", "assistant.conversations.store", "ConversationLog", "record"),
    Part(
        "action server calls: the request's JSON (RemoteAction._action_call_format)",
        "rasa.core.actions.action",
        "RemoteAction",
        "_action_call_format",
    ),
    Part(
        "action server calls: checking the answer (RemoteAction._validate_action_result, jsonschema)",
        "rasa.core.actions.action",
        "RemoteAction",
        "_validate_action_result",
    ),
    Part(
        "action server calls: the rest, the round trip included (RemoteAction.run)",
        "rasa.core.actions.action",
        "RemoteAction",
        "run",
    ),
)
TOTAL = Part("the whole turn (Agent.handle_message)", "rasa.core.agent", "Agent", "handle_message")


class Timers:
    """Wall time per part. A part that runs inside another counts for the inner one only, so the
    parts and the rest add up to the whole turn (the turns run one after the other)."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.seconds: Dict[str, float] = {}  # without the parts inside it
        self.inclusive: Dict[str, float] = {}  # with them
        self.calls: Dict[str, int] = {}
        self._stack: List[List[Any]] = []  # [label, start, time in inner parts]

    def reset(self) -> None:
        self.seconds, self.inclusive, self.calls = {}, {}, {}

    def enter(self, label: str) -> None:
        self._stack.append([label, self.clock(), 0.0])

    def leave(self) -> None:
        label, start, inner = self._stack.pop()
        elapsed = self.clock() - start
        self.seconds[label] = self.seconds.get(label, 0.0) + elapsed - inner
        self.inclusive[label] = self.inclusive.get(label, 0.0) + elapsed
        self.calls[label] = self.calls.get(label, 0) + 1
        if self._stack:
            self._stack[-1][2] += elapsed

    def timed(self, label: str, original: Callable) -> Callable:
        if asyncio.iscoroutinefunction(original):

            @functools.wraps(original)
            async def timed_coroutine(*args: Any, **kwargs: Any) -> Any:
                self.enter(label)
                try:
                    return await original(*args, **kwargs)
                finally:
                    self.leave()

            return timed_coroutine

        @functools.wraps(original)
        def timed_function(*args: Any, **kwargs: Any) -> Any:
            self.enter(label)
            try:
                return original(*args, **kwargs)
            finally:
                self.leave()

        return timed_function


def install_timers(timers: Timers, parts: Sequence[Part]) -> Dict[str, Any]:
    """Wraps each part's function in a timer; returns each one's own code, for the profile."""
    import importlib

    codes = {}
    for part in parts:
        owner = getattr(importlib.import_module(part.module), part.owner)
        original = owner.__dict__[part.function]
        codes[part.label] = original.__code__
        setattr(owner, part.function, timers.timed(part.label, original))
    return codes


def profile_key(code: Any) -> Tuple[str, int, str]:
    """How pstats names a function."""
    return code.co_filename, code.co_firstlineno, code.co_name


def part_cumulative(raw: Dict[Tuple[str, int, str], tuple], codes: Dict[str, Any]) -> Dict[str, Tuple[float, int]]:
    """Each part's cumulative seconds and calls in the profile (a coroutine counts a call per resumption)."""
    found = {}
    for label, code in codes.items():
        _, calls, _, cumulative, _ = raw.get(profile_key(code), (0, 0, 0.0, 0.0, {}))
        found[label] = (cumulative, calls)
    return found


def function_name(key: Tuple[str, int, str]) -> str:
    """A short name for a function in pstats: its file from the package on, its line and name."""
    filename, line, name = key
    if filename == "~":
        return name  # a built-in
    roots = [path for path in sys.path if path.endswith("site-packages")]
    for root in (*roots, str(PROJECT_ROOT), sysconfig.get_paths()["stdlib"]):
        if filename.startswith(root.rstrip("/") + "/"):
            filename = filename[len(root.rstrip("/")) + 1 :]
            break
    return f"{filename}:{line}({name})"


def top_functions(raw: Dict[Tuple[str, int, str], tuple], count: int = TOP) -> List[Tuple[str, float, float, int]]:
    """The functions with the most own time (this benchmark's own left out): name, own seconds,
    cumulative seconds, calls."""
    others = [item for item in raw.items() if item[0][0] != __file__]
    ordered = sorted(others, key=lambda item: item[1][2], reverse=True)[:count]
    return [(function_name(key), own, cumulative, calls) for key, (_, calls, own, cumulative, _) in ordered]


@dataclass
class Turns:
    """What a run of turns took."""

    turns: int = 0
    wall: float = 0.0
    cpu: float = 0.0  # this process
    action_server_cpu: float = 0.0
    failed: int = 0
    parts: Dict[str, float] = field(default_factory=dict)  # wall seconds per part, without the parts inside it
    whole: float = 0.0  # wall seconds in Agent.handle_message
    calls: Dict[str, int] = field(default_factory=dict)


def senders_and_texts(turns: int, tag: str) -> Iterator[Tuple[str, str]]:
    """The load conversation again and again, a new conversation each time, `turns` turns in all."""
    for number in range(turns):
        yield f"profile-{tag}-{number // len(CONVERSATION)}", CONVERSATION[number % len(CONVERSATION)]


def failed(reply: Optional[List[Dict[str, Any]]], faults: Sequence[str]) -> bool:
    texts = [part.get("text") or "" for part in reply or [] if isinstance(part, dict)]
    return not any(texts) or any(text.startswith(fault) for text in texts for fault in faults)


async def handle_turns(agent: Any, turns: int, tag: str, faults: Sequence[str]) -> int:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    failures = 0
    for sender, text in senders_and_texts(turns, tag):
        reply = await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender, input_channel="rest"))
        failures += failed(reply, faults)
    return failures


def run_turns(loop: asyncio.AbstractEventLoop, agent: Any, turns: int, timers: Timers, action_pid: int) -> Turns:
    faults = [message_templates()[name][:40] for name in FAULT_MESSAGES]
    timers.reset()
    tag = uuid.uuid4().hex[:6]
    wall, cpu, action_cpu = time.perf_counter(), time.process_time(), cpu_seconds([action_pid])
    failures = loop.run_until_complete(handle_turns(agent, turns, tag, faults))
    return Turns(
        turns=turns,
        wall=time.perf_counter() - wall,
        cpu=time.process_time() - cpu,
        action_server_cpu=cpu_seconds([action_pid]) - action_cpu,
        failed=failures,
        parts=dict(timers.seconds),
        whole=timers.inclusive.get(TOTAL.label, 0.0),
        calls=dict(timers.calls),
    )


def _ms(seconds: float, turns: int) -> str:
    return f"{seconds / turns * 1000:.1f}"


def parts_table(plain: Turns, profiled: Dict[str, Tuple[float, int]], profiled_turns: int) -> str:
    """Per part: wall ms per turn and share (timers), calls per turn, cProfile's cumulative ms per turn."""
    n = plain.turns
    total = plain.whole or plain.wall
    lines = ["| part | wall ms/turn | share | calls/turn | cProfile cumulative ms/turn |", "|---|---|---|---|---|"]
    accounted = 0.0
    for part in PARTS:
        seconds = plain.parts.get(part.label, 0.0)
        accounted += seconds
        cumulative, _ = profiled.get(part.label, (0.0, 0))
        lines.append(
            f"| {part.label} | {_ms(seconds, n)} | {seconds / total:.0%} | {plain.calls.get(part.label, 0) / n:.1f} | "
            f"{_ms(cumulative, profiled_turns)} |"
        )
    rest = total - accounted
    lines.append(f"| the rest (Rasa's processor, events, locks, output) | {_ms(rest, n)} | {rest / total:.0%} | | |")
    cumulative, _ = profiled.get(TOTAL.label, (0.0, 0))
    lines.append(f"| **{TOTAL.label}** | **{_ms(total, n)}** | 100% | 1.0 | {_ms(cumulative, profiled_turns)} |")
    return "\n".join(lines)


def top_table(rows: List[Tuple[str, float, float, int]], turns: int) -> str:
    lines = ["| own ms/turn | cumulative ms/turn | calls/turn | function |", "|---|---|---|---|"]
    for name, own, cumulative, calls in rows:
        lines.append(f"| {_ms(own, turns)} | {_ms(cumulative, turns)} | {calls / turns:,.1f} | `{name}` |")
    return "\n".join(lines)


@contextmanager
def conversation_store(database: Optional[str], postgres: bool) -> Iterator[str]:
    if postgres:
        with new_database(TEST_POSTGRES.get()) as url:
            yield url
    elif database:
        yield database
    else:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'tracker.db'}"


@contextmanager
def action_server(store_url: str, logs: Path) -> Iterator[Tuple[int, int]]:
    """The real action server on a free port; its port and pid. Sets this process's environment
    for endpoints.yml: the action server's URL and secret, the conversation store."""
    port = free_port()
    env = quiet_environment(store_url, port)
    for variable in (ACTION_URL, ACTION_SECRET, TRACKER_DB):
        os.environ[variable.name] = env[variable.name]
    running = Running()
    running.start(ProcessSpec("action server", action_server_command(port), env, logs / "actions.log"))
    try:
        wait_for_urls(running, [f"http://localhost:{port}/health"])
        yield port, running.processes[0].pid
    finally:
        running.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", type=int, default=60, help="turns per run (a conversation has 20)")
    store = parser.add_mutually_exclusive_group()
    store.add_argument("--database", help="the conversation store's URL (default: a temporary SQLite file)")
    store.add_argument("--postgres", action="store_true", help="a new database on the machine's PostgreSQL")
    parser.add_argument("--redis", default="", help="the lock store's Redis URL (default: locks in memory)")
    args = parser.parse_args()
    os.chdir(PROJECT_ROOT)
    os.environ.update(QUIET_LIBRARIES)
    os.environ[REDIS_URL.name] = args.redis
    OUTPUT.mkdir(parents=True, exist_ok=True)
    model = ensure_model()
    with ExitStack() as stack:
        store_url = stack.enter_context(conversation_store(args.database, args.postgres))
        port, action_pid = stack.enter_context(action_server(store_url, OUTPUT))
        print(f"Action server on port {port}; conversation store {store_url.split('@')[-1]}", flush=True)
        started = time.monotonic()
        silence_library_warnings()
        import rasa.core.agent  # noqa: F401 - after the warnings' filters: about 20 s
        from rasa.core.agent import load_agent
        from rasa.core.utils import AvailableEndpoints
        from rasa.utils.common import configure_logging_and_warnings
        from rasa.utils.log_utils import configure_structlog

        configure_logging_and_warnings(LOG_LEVEL)  # as `rasa run` does, at its default level
        configure_structlog(LOG_LEVEL)
        silence_library_warnings()
        timers = Timers()
        codes = install_timers(timers, (*PARTS, TOTAL))
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))
        agent = loop.run_until_complete(load_agent(model_path=str(model), endpoints=endpoints))
        if not agent.is_ready():
            raise SystemExit(f"The model {model} could not be loaded (see the log above).")
        print(f"Rasa and the model loaded in {time.monotonic() - started:.0f} s: {model.name}", flush=True)
        run_turns(loop, agent, len(CONVERSATION), timers, action_pid)  # warm-up
        rasa_check = run_turns(loop, agent, args.turns, timers, action_pid)  # before: Rasa 3.6 as it is
        from assistant.rasa_plugins import speedups

        speedups.install()  # after: as the Rasa server runs (assistant/rasa_plugins/rasa_server.py)
        codes.update(install_timers(timers, [part for part in PARTS if part.function == "_validate_action_result"]))
        plain = run_turns(loop, agent, args.turns, timers, action_pid)
        print(before_and_after(rasa_check, plain), flush=True)
        profiler = cProfile.Profile()
        profiler.enable()
        profiled = run_turns(loop, agent, args.turns, timers, action_pid)
        profiler.disable()
        profiler.dump_stats(str(OUTPUT / "profile.prof"))
        raw = pstats.Stats(profiler).stats
        print(report(plain, profiled, part_cumulative(raw, codes), top_functions(raw), store_url))
        loop.close()


def before_and_after(before: Turns, after: Turns) -> str:
    """The whole turn as Rasa 3.6 runs it and with the project's speed-ups."""
    return "\n".join(
        [
            "",
            "| a turn | wall ms/turn | CPU ms/turn (Rasa process) | failed |",
            "|---|---|---|---|",
            f"| as Rasa 3.6 runs it | {_ms(before.wall, before.turns)} | {_ms(before.cpu, before.turns)} "
            f"| {before.failed} |",
            f"| with assistant/rasa_plugins/speedups.py | {_ms(after.wall, after.turns)} "
            f"| {_ms(after.cpu, after.turns)} | {after.failed} |",
        ]
    )


def report(
    plain: Turns,
    profiled: Turns,
    cumulative: Dict[str, Tuple[float, int]],
    top: List[Tuple[str, float, float, int]],
    store_url: str,
) -> str:
    n = plain.turns
    kind = store_url.split(":", 1)[0]
    return "\n".join(
        [
            "",
            f"{n} turns of the load conversation, one after the other; conversation store: {kind}.",
            f"Per turn, timers only: wall {_ms(plain.wall, n)} ms, CPU {_ms(plain.cpu, n)} ms in this process "
            f"+ {_ms(plain.action_server_cpu, n)} ms in the action server; failed turns {plain.failed}.",
            f"Per turn under cProfile: wall {_ms(profiled.wall, n)} ms, CPU {_ms(profiled.cpu, n)} ms "
            f"(the profiler's own cost included); failed turns {profiled.failed}.",
            "",
            parts_table(plain, cumulative, profiled.turns),
            "",
            f"Top {len(top)} functions by own time (cProfile; the profile is in "
            f"{OUTPUT.relative_to(PROJECT_ROOT)}/profile.prof):",
            "",
            top_table(top, profiled.turns),
        ]
    )


if __name__ == "__main__":
    main()
