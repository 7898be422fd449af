"""Start, watch and stop Wegwijzer's server processes: the action server, the Rasa server and
the web server (assistant/web/server.py)."""

import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from assistant.settings import (
    ACTION_SECRET,
    ACTION_URL,
    ACTIONS_PORT,
    ALLOWED_ORIGINS,
    CREDENTIALS_FILE,
    ENDPOINTS_FILE,
    PROJECT_ROOT,
    QUIET_LIBRARIES,
    RASA_PORT,
    REDIS_URL,
    TRACKER_DB,
    WEB_PORT,
    database_url,
    environment,
)

STARTUP_TIMEOUT = 300  # seconds; loading TensorFlow and the model takes most of it


@dataclass(frozen=True)
class Ports:
    rasa: int = field(default_factory=RASA_PORT.number)
    actions: int = field(default_factory=ACTIONS_PORT.number)
    web: int = field(default_factory=WEB_PORT.number)

    @classmethod
    def free(cls) -> "Ports":
        """Ports nobody listens on now: for tests and benchmarks beside a running assistant."""
        return cls(rasa=free_port(), actions=free_port(), web=free_port())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def action_secret() -> str:
    """The secret the Rasa server shows the action server: WEGWIJZER_ACTION_SECRET when set (set
    it on both when they run on different machines), else a new one for this run."""
    return ACTION_SECRET.get() or secrets.token_urlsafe(32)


def quiet_environment(
    tracker_db: Optional[str] = None, actions_port: int = 5055, secret: Optional[str] = None
) -> Dict[str, str]:
    """Environment for Rasa processes: our settings, and less start-up noise."""
    return environment(
        **{
            ACTION_URL.name: f"http://localhost:{actions_port}/webhook",
            ACTION_SECRET.name: secret or action_secret(),
            TRACKER_DB.name: database_url(tracker_db or TRACKER_DB.get()),
            REDIS_URL.name: REDIS_URL.get(),  # endpoints.yml names it: empty keeps the locks in memory
            **QUIET_LIBRARIES,
        }
    )


STOP_GRACE = 15.0  # seconds after SIGTERM before a process that does not stop gets SIGKILL
FIRST_RESTART_DELAY, LONGEST_RESTART_DELAY = 1.0, 60.0  # seconds; doubled after each crash in a row
STABLE_AFTER = 120.0  # seconds of running that reset the restart delay


@dataclass
class ProcessSpec:
    """How a server process is started, so that it can be started again after a crash."""

    name: str  # "action server", "Rasa server"
    command: List[str]
    env: Dict[str, str]
    log: Optional[Path] = None

    def start(self) -> subprocess.Popen:
        output = open(self.log, "a") if self.log else None
        try:
            return subprocess.Popen(
                self.command,
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT if output else None,
            )
        finally:
            if output:
                output.close()  # the child process keeps its own copy of the file descriptor


@dataclass
class Supervised:
    """A server process and what restarting it needs: when it was started, how long to wait."""

    spec: ProcessSpec
    process: subprocess.Popen
    started: float = field(default_factory=time.monotonic)
    delay: float = FIRST_RESTART_DELAY  # before it is started again after a crash


@dataclass
class Running:
    supervised: List[Supervised] = field(default_factory=list)

    @property
    def specs(self) -> List[ProcessSpec]:
        return [item.spec for item in self.supervised]

    @property
    def processes(self) -> List[subprocess.Popen]:
        """The processes running now, one per spec."""
        return [item.process for item in self.supervised]

    def start(self, spec: ProcessSpec) -> None:
        self.supervised.append(Supervised(spec, spec.start()))

    def restart_crashed(self) -> List[str]:
        """Starts again each process that exited, after a delay that doubles while it keeps
        crashing (up to LONGEST_RESTART_DELAY); returns a line for each one restarted."""
        restarted = []
        now = time.monotonic()
        for item in self.supervised:
            if item.process.poll() is None:
                if now - item.started > STABLE_AFTER:
                    item.delay = FIRST_RESTART_DELAY
                continue
            if now - item.started < item.delay:
                continue  # crashed again soon after a restart: wait a little longer first
            restarted.append(f"The {item.spec.name} stopped (exit code {item.process.returncode}); started it again.")
            item.process, item.started = item.spec.start(), now
            item.delay = min(item.delay * 2, LONGEST_RESTART_DELAY)
        return restarted

    def stop(self) -> None:
        """Ask every process to stop; after STOP_GRACE seconds, force the ones still running."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def allowed_origins(web_port: int) -> List[str]:
    """The sites whose pages may call the Rasa server from a browser (CORS; the widget's socket.io
    starts with HTTP polling): the demo pages `start` serves, and WEGWIJZER_ALLOWED_ORIGINS
    (space-separated, e.g. "https://www.amsterdam.nl https://www.utrecht.nl"). Any other origin
    gets no CORS headers; Rasa's `--cors "*"` reflected every origin, with credentials."""
    return [f"http://localhost:{web_port}", f"http://127.0.0.1:{web_port}", *ALLOWED_ORIGINS.get().split()]


def action_server_command(port: int) -> List[str]:
    return [sys.executable, "-m", "assistant.rasa_plugins.action_server", "--port", str(port)]


def rasa_server_command(model: Path, port: int, web_port: int) -> List[str]:
    """A Rasa server with the REST and socket.io channels, for pages served on `web_port`."""
    command = [sys.executable, "-m", "assistant.rasa_plugins.rasa_server", "run", "--model", str(model)]
    command += ["--port", str(port), "--credentials", str(CREDENTIALS_FILE), "--endpoints", str(ENDPOINTS_FILE)]
    return command + ["--cors", *allowed_origins(web_port)]


def start_processes(
    model: Path, ports: Ports, tracker_db: Optional[str] = None, log_dir: Optional[Path] = None
) -> Running:
    """Start the action server and the Rasa server (REST and socket.io channels)."""
    env = quiet_environment(tracker_db, ports.actions)  # one environment, so one secret, for both
    commands = {
        "action server": ("actions.log", action_server_command(ports.actions)),
        "Rasa server": ("rasa.log", rasa_server_command(model, ports.rasa, ports.web)),
    }
    running = Running()
    for name, (log, command) in commands.items():
        running.start(ProcessSpec(name, command, env, log_dir / log if log_dir else None))
    return running


def wait_until_ready(running: Running, ports: Ports, timeout: float = STARTUP_TIMEOUT) -> None:
    """Wait until both servers answer; raise if one exits or time runs out."""
    wait_for_urls(running, [f"http://localhost:{ports.actions}/health", f"http://localhost:{ports.rasa}/"], timeout)


def wait_for_urls(running: Running, urls: List[str], timeout: float = STARTUP_TIMEOUT) -> None:
    """Wait until each URL answers; raise if a process exits or time runs out."""
    urls = list(urls)
    deadline = time.monotonic() + timeout
    while urls:
        for process in running.processes:
            if process.poll() is not None:
                raise RuntimeError(f"{' '.join(process.args[:3])} stopped with exit code {process.returncode}")
        try:
            with urllib.request.urlopen(urls[0], timeout=2):
                urls.pop(0)
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no answer from {urls[0]} after {timeout:.0f} s")
            time.sleep(1)
