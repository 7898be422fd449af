"""The real servers for a benchmark: the action server and the Rasa server on free ports, with a
tracker database of their own, and the memory of each process."""

import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

from assistant.runtime.model import ensure_model
from assistant.runtime.servers import Ports, start_processes, wait_until_ready


@dataclass(frozen=True)
class Assistant:
    url: str  # the Rasa server, e.g. http://localhost:40123
    tracker_db: Path
    pids: Dict[str, int]  # per server name

    @property
    def rest_url(self) -> str:
        return f"{self.url}/webhooks/rest/webhook"


@contextmanager
def running_assistant(logs: Optional[Path] = None) -> Iterator[Assistant]:
    """Both servers, ready, while the block runs; their logs in `logs` when given."""
    ports = Ports.free()
    with tempfile.TemporaryDirectory() as tmp:
        tracker_db = Path(tmp) / "tracker.db"
        if logs:
            logs.mkdir(parents=True, exist_ok=True)
        running = start_processes(ensure_model(), ports, tracker_db=str(tracker_db), log_dir=logs or Path(tmp))
        try:
            started = time.monotonic()
            wait_until_ready(running, ports)
            print(f"Servers ready after {time.monotonic() - started:.0f} s", flush=True)
            pids = {item.spec.name: item.process.pid for item in running.supervised}
            yield Assistant(f"http://localhost:{ports.rasa}", tracker_db, pids)
        finally:
            running.stop()


def memory(pids: Dict[str, int]) -> Dict[str, Tuple[float, float]]:
    """Per server: RSS now and its peak so far (VmHWM), in MB, read from /proc (Linux)."""
    found = {}
    for name, pid in pids.items():
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
        fields = dict(line.split(":", 1) for line in lines if ":" in line)
        found[name] = (int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024)
    return found


def print_memory(pids: Dict[str, int]) -> None:
    print()
    for name, (rss, _) in memory(pids).items():
        print(f"  {name:13} RSS {rss:6.0f} MB")
