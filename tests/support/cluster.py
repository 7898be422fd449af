"""The production profile in tests: a PostgreSQL server and a Redis server of the test's own
(so that a test may stop them without touching the machine's), and Wegwijzer's servers behind
HAProxy (assistant/runtime/production.py)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import Dict, Iterator, List

import redis

from assistant.runtime.model import ensure_model
from assistant.runtime.production import (
    Layout,
    Production,
    create_database_if_missing,
    start_production,
    wait_until_serving,
)
from assistant.runtime.servers import Ports, Running, free_port, wait_for_urls

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
        wait_until_out_of_balancer(self.layout.rasa[number - 1])

    def restart_crashed(self) -> None:
        """Start again what a test killed, and wait until the balancer sends it requests again."""
        self.running.restart_crashed()
        wait_for_urls(self.running, [f"http://localhost:{port}/" for port in self.layout.rasa])
        time.sleep(2.5)  # two good health checks, one second apart

    def balancer_stats(self) -> Dict[str, int]:
        """Requests per REST server of the balancer (HAProxy's `show stat`, its admin socket)."""
        answer = admin_command(self.folder / "balancer" / "admin.sock", "show stat")
        header, *rows = [line.split(",") for line in answer.splitlines() if line]
        names = [name.lstrip("# ") for name in header]
        stats = [dict(zip(names, row)) for row in rows]
        servers = [row for row in stats if row["pxname"] == "rasa_rest" and row["svname"].startswith("rasa")]
        return {row["svname"]: int(row["stot"]) for row in servers}


def admin_command(socket_path: Path, command: str) -> str:
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(str(socket_path))
        connection.sendall(f"{command}\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def wait_until_out_of_balancer(port: int, timeout: float = 10) -> None:
    """The killed server's port refuses connections (the balancer notices within two checks)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                time.sleep(2.5)  # two failed health checks, one second apart
                return
        time.sleep(0.1)
    raise TimeoutError(f"port {port} still answers")


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
        running = start_production(ensure_model(), ports, production, layout, folder)
        try:
            wait_until_serving(running, ports, layout)
            yield Cluster(ports, layout, running, postgres, own_redis, folder)
        finally:
            running.stop()
    finally:
        own_redis.stop()
        postgres.stop()
        postgres.remove()
