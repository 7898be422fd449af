"""The production profile in tests: a PostgreSQL server and a Redis server of the test's own
(so that a test may stop them without touching the machine's), and Wegwijzer's servers behind
HAProxy (assistant/runtime/production.py)."""

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Dict, Iterator, List

import redis
from cryptography.fernet import Fernet

from assistant.runtime.load_balancer import server_stats, wait_until_all_up
from assistant.runtime.model import ensure_model
from assistant.runtime.production import (
    Layout,
    Production,
    admin_socket,
    create_database_if_missing,
    start_production,
    wait_until_serving,
)
from assistant.runtime.servers import Ports, Running, free_port, wait_for_urls
from assistant.settings import CALLBACK_KEY, CALLBACK_URL, STAFF_URL
from tests.support.environment import environment

POSTGRES_USER = "postgres"  # PostgreSQL will not run as root: the tests run it as this user then


def _as_postgres(command: List[str]) -> List[str]:
    return ["runuser", "-u", POSTGRES_USER, "--", *command] if os.geteuid() == 0 else command


def _postgres_bin(program: str) -> str:
    found = sorted(glob(f"/usr/lib/postgresql/*/bin/{program}"))
    return found[-1] if found else program


class OwnPostgres:
    """A PostgreSQL server in a folder of its own, on a free port, trusting local connections."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="wegwijzer-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.folder, POSTGRES_USER)
        initdb = [_postgres_bin("initdb"), "-D", str(self.folder / "data"), "-A", "trust", "-U", "postgres"]
        subprocess.run(_as_postgres([*initdb, "--no-sync"]), check=True, stdout=subprocess.DEVNULL)

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/wegwijzer"

    def _pg_ctl(self, *arguments: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        command = [_postgres_bin("pg_ctl"), "-D", str(self.folder / "data"), "-w", "-l", str(self.folder / "log")]
        subprocess.run(_as_postgres([*command, "-o", options, *arguments]), check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self._pg_ctl("start")

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


class OwnRedis:
    """A Redis server on a free port that keeps nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis(port=self.port, socket_timeout=1).ping():
                    return
            except redis.RedisError:
                time.sleep(0.1)
        raise TimeoutError("the test's Redis did not start")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@dataclass
class Cluster:
    ports: Ports  # the balancer's
    layout: Layout  # the servers behind it
    running: Running
    postgres: OwnPostgres
    redis: OwnRedis
    folder: Path
    callback_key: bytes  # seals callback requests and chat messages in PostgreSQL

    @property
    def url(self) -> str:
        return f"http://localhost:{self.ports.rasa}"

    def replica(self, number: int) -> int:
        """The index in `running` of Rasa server `number` (1, 2, ...)."""
        names = [item.spec.name for item in self.running.supervised]
        return names.index(f"Rasa server {number}")

    def kill_replica(self, number: int) -> None:
        process = self.running.supervised[self.replica(number)].process
        process.kill()
        process.wait()
        wait_until_down(admin_socket(self.folder), f"rasa{number}")

    def restart_crashed(self) -> None:
        """Start again what a test killed, and wait until the balancer sends it requests again."""
        self.running.restart_crashed()
        wait_for_urls(self.running, [f"http://localhost:{port}/" for port in self.layout.rasa])
        wait_until_all_up(admin_socket(self.folder))

    def balancer_stats(self) -> Dict[str, int]:
        """Requests per REST server of the balancer, from its admin socket."""
        rows = server_stats(admin_socket(self.folder))
        return {row["svname"]: int(row["stot"]) for row in rows if row["pxname"] == "rasa_rest"}


def wait_until_down(admin: Path, server: str, timeout: float = 10) -> None:
    """The balancer has taken `server` (e.g. "rasa1") out: within two checks, or at its next request."""
    deadline = time.monotonic() + timeout
    while any(row["svname"] == server and row["status"] != "DOWN" for row in server_stats(admin)):
        if time.monotonic() > deadline:
            raise TimeoutError(f"the balancer still uses {server}")
        time.sleep(0.1)


@contextmanager
def running_cluster(folder: Path, replicas: int = 2) -> Iterator[Cluster]:
    """PostgreSQL, Redis, `replicas` Rasa servers, the action and web servers, and HAProxy."""
    postgres, own_redis = OwnPostgres(), OwnRedis()
    postgres.start()
    own_redis.start()
    try:
        ports, layout = Ports.free(), Layout.free(replicas)
        production = Production(replicas, postgres.url, own_redis.url)
        create_database_if_missing(postgres.url)
        key = Fernet.generate_key()
        # Every store but the test directory in the cluster's PostgreSQL, whatever other fixtures set.
        own_stores = {CALLBACK_URL.name: postgres.url, STAFF_URL.name: postgres.url, CALLBACK_KEY.name: key.decode()}
        with environment(own_stores):
            running = start_production(ensure_model(), ports, production, layout, folder)
        try:
            wait_until_serving(running, ports, layout, folder)
            yield Cluster(ports, layout, running, postgres, own_redis, folder, key)
        finally:
            running.stop()
    finally:
        own_redis.stop()
        postgres.stop()
        postgres.remove()
