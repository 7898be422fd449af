"""The load balancer in front of Wegwijzer's servers when they run as several processes:
HAProxy, from Debian's package, configured here.

- REST (/webhooks/rest/webhook): a consistent hash of the JSON body's "sender", so that every
  turn of a conversation goes to the same Rasa server. Rasa's Redis lock store alone can let
  two replicas take one conversation at the same moment (Rasa issue 9213, fixed in Rasa Pro
  only); with one conversation on one replica the lock is only a second line.
- socket.io (everything else of the Rasa servers): a consistent hash of the client's address.
  Rasa's socket.io channel keeps a connection on the server that accepted it, and the widget's
  first requests are HTTP polling, so each of them must reach that server; cookies do not help
  a widget on a municipality's own site.
- When a Rasa server stops, its conversations go to the others (their history is in the shared
  database); a request whose server stopped before it answered is tried on another one, with
  the key (Idempotency-Key) that makes Rasa answer it from the stored conversation when the
  stopped server had handled it already. A resident whose turn was lost all the same gets the
  kind fault message, in the shape the REST channel answers, not HAProxy's own page.
- Every server is health-checked each second; /metrics is not reachable through the balancer.

Locally `./wegwijzer start --replicas N` runs it (assistant/runtime/production.py); Kubernetes
runs the same rules with its servers found through DNS (`kubernetes_config`, written to
deploy/kubernetes/balancer-config.yaml by `./wegwijzer generate`).
"""

import json
import shutil
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence

import yaml

from assistant.content.answers import message
from assistant.runtime.servers import ProcessSpec
from assistant.runtime.widget_setup import apt_install
from assistant.settings import environment

HAPROXY = "haproxy"
CHECK_EVERY = "1s"  # a stopped Rasa server is out after two failed checks
TURN_LIMIT = "65s"  # longer than a turn (channels.TURN_TIMEOUT) and a socket.io long poll
FAULT_STATUSES = (502, 503, 504)
STATUS_TEXTS = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


@dataclass(frozen=True)
class Backend:
    """A group of servers behind one address of the balancer."""

    name: str
    port: int  # where the balancer listens for it
    servers: Sequence[int]  # the servers' ports on this machine
    health_path: str


def haproxy_missing() -> str:
    """What to do when HAProxy is not installed, or "" when it is."""
    if shutil.which(HAPROXY):
        return ""
    return "HAProxy is not installed; it balances the replicas. Install it as root: apt-get install -y haproxy"


def ensure_haproxy() -> None:
    """For the tests of the production profile: install HAProxy when we may, else stop with what to do."""
    if haproxy_missing() and not apt_install(HAPROXY):
        raise SystemExit(haproxy_missing())


def fault_response(status: int) -> str:
    """An HAProxy error file: the kind fault message as the REST channel's answer."""
    body = json.dumps([{"recipient_id": "", "text": message("storing")}], ensure_ascii=False)
    size = len(body.encode("utf-8"))
    return (
        f"HTTP/1.1 {status} {STATUS_TEXTS[status]}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        "Cache-Control: no-store\r\n"
        f"Content-Length: {size}\r\n"
        "Connection: close\r\n\r\n"
        f"{body}"
    )


def _common(error_folder: str, *global_settings: str) -> List[str]:
    return [
        "global",
        "    maxconn 4096",
        "    hard-stop-after 10s",
        "    log stdout format raw local0",
        *(f"    {setting}" for setting in global_settings),
        "",
        "defaults",
        "    mode http",
        "    log global",
        "    option httplog",
        "    option dontlog-normal  # only failed requests: a path holds no message, but quiet is enough",
        "    timeout connect 2s",
        "    timeout http-request 10s",
        f"    timeout client {TURN_LIMIT}",
        f"    timeout server {TURN_LIMIT}",
        "    timeout tunnel 1h  # a widget's websocket stays open while the resident reads",
        "    option redispatch",
        "    retries 2",
        # Tried again elsewhere only when it cannot have been handled: never a turn twice.
        "    retry-on conn-failure empty-response",
        # A Rasa server busy with NLU answers its check late, not never: only a refused
        # connection (a stopped server, noticed at once on a real request too) or ten seconds
        # of silence takes it out; else under load every server would be out at once.
        "    timeout check 10s",
        f"    default-server inter {CHECK_EVERY} fall 2 rise 2 observe layer4 error-limit 1 on-error mark-down",
        *(f"    errorfile {status} {error_folder}/{status}.http" for status in FAULT_STATUSES),
        "",
    ]


def _rasa_frontend(port: str) -> List[str]:
    return [
        "frontend rasa",
        f"    bind {port}",
        "    http-request deny deny_status 404 if { path /metrics }  # for Prometheus, on each server itself",
        # A key per request, kept when HAProxy sends it again: the REST channel runs a turn once.
        "    unique-id-format %{+X}o%ci-%cp-%fi-%fp-%Ts-%rt-%pid",
        "    http-request set-header Idempotency-Key %[unique-id] unless { req.hdr(Idempotency-Key) -m found }",
        "    use_backend rasa_rest if { path /webhooks/rest/webhook }",
        "    default_backend rasa_socketio",
        "",
    ]


def _rasa_backends(servers: List[str], client: str = "source") -> List[str]:
    """`client` tells one widget from another: its address, or behind a Kubernetes ingress the
    address the ingress passes on (hdr(X-Forwarded-For))."""
    check = ["    option httpchk GET /", "    hash-type consistent"]
    return [
        "backend rasa_rest",
        "    option http-buffer-request  # the sender is in the body",
        "    balance hash req.body,json_query('$.sender')",
        *check,
        *servers,
        "",
        "backend rasa_socketio",
        f"    balance {client}",
        *check,
        *servers,
        "",
    ]


def local_config(rasa: Backend, others: Sequence[Backend], folder: Path, host: str = "127.0.0.1") -> str:
    """The configuration for servers on this machine: the Rasa servers and `others` (the action
    server, the web server), each behind its own port of the balancer. Its error files and its
    admin socket (`show stat`, for its user only) are in `folder`."""
    lines = _common(str(folder), f"stats socket {folder}/admin.sock mode 600 level admin")
    lines += _rasa_frontend(f"{host}:{rasa.port}")
    lines += _rasa_backends([f"    server rasa{n} 127.0.0.1:{port} check" for n, port in enumerate(rasa.servers, 1)])
    for backend in others:
        lines += [
            f"listen {backend.name}",
            f"    bind {host}:{backend.port}",
            "    balance roundrobin",
            f"    option httpchk GET {backend.health_path}",
            *(f"    server {backend.name}{n} 127.0.0.1:{port} check" for n, port in enumerate(backend.servers, 1)),
            "",
        ]
    return "\n".join(lines)


# Kubernetes: the Rasa pods behind the headless Service's DNS records (deploy/kubernetes/).
KUBERNETES_RASA_SRV = "_http._tcp.wegwijzer-rasa-headless.wegwijzer.svc.cluster.local"
KUBERNETES_MAX_REPLICAS = 20  # slots for pods; the HorizontalPodAutoscaler's maximum fits in them
KUBERNETES_ERROR_FOLDER = "/usr/local/etc/haproxy"


def kubernetes_config() -> str:
    """The same rules for the Rasa pods in Kubernetes, found through DNS as they come and go."""
    lines = _common(KUBERNETES_ERROR_FOLDER) + ["resolvers cluster", "    parse-resolv-conf", "    hold valid 5s", ""]
    lines += _rasa_frontend("*:8080")
    # init-addr none: the balancer starts before the first Rasa pod is ready. Two balancer pods
    # may give a Rasa pod different slots, and so a conversation different pods (HAProxy 2.6 has
    # no hash-key addr): the ingress keeps a client on one balancer pod, the Redis lock does the rest.
    slots = f"rasa {KUBERNETES_MAX_REPLICAS} {KUBERNETES_RASA_SRV}"
    template = f"    server-template {slots} resolvers cluster init-addr none check"
    lines += _rasa_backends([template], client="hdr(X-Forwarded-For)")
    return "\n".join(lines)


def config_files(config: str) -> Dict[str, str]:
    """The files the balancer reads, by name: its configuration and its error pages."""
    return {"haproxy.cfg": config, **{f"{status}.http": fault_response(status) for status in FAULT_STATUSES}}


class _Manifest(yaml.SafeDumper):
    """Writes a multi-line text without carriage returns as a literal block, readable in the file."""


_Manifest.add_representer(
    str,
    lambda dumper, text: dumper.represent_scalar(
        "tag:yaml.org,2002:str", text, style="|" if "\n" in text and "\r" not in text else None
    ),
)


def kubernetes_config_map() -> str:
    """deploy/kubernetes/balancer-config.yaml: the ConfigMap the balancer's pods mount."""
    manifest = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {
            "name": "wegwijzer-balancer",
            "namespace": "wegwijzer",
            "labels": {"app.kubernetes.io/part-of": "wegwijzer", "app.kubernetes.io/component": "balancer"},
        },
        "data": config_files(kubernetes_config()),
    }
    header = "# Written by `./wegwijzer generate` from assistant/runtime/load_balancer.py: change it there.\n"
    return header + yaml.dump(manifest, Dumper=_Manifest, sort_keys=False, allow_unicode=True, width=1000)


def admin_command(admin_socket: Path, command: str) -> str:
    """A command on the balancer's admin socket (`local_config` makes one), e.g. "show stat"."""
    with socket.socket(socket.AF_UNIX) as connection:
        connection.connect(str(admin_socket))
        connection.sendall(f"{command}\n".encode())
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_stats(admin_socket: Path) -> List[Dict[str, str]]:
    """HAProxy's counters and state per server: dicts with "pxname", "svname", "status", "stot", ..."""
    header, *rows = [line.split(",") for line in admin_command(admin_socket, "show stat").splitlines() if line]
    names = [name.lstrip("# ") for name in header]
    stats = [dict(zip(names, row)) for row in rows]
    return [row for row in stats if row["svname"] not in ("FRONTEND", "BACKEND")]


def wait_until_all_up(admin_socket: Path, timeout: float = 30) -> None:
    """Every server is in use: a server is up for the balancer two checks after it answers."""
    deadline = time.monotonic() + timeout
    while any(row["status"] != "UP" for row in server_stats(admin_socket)):
        if time.monotonic() > deadline:
            raise TimeoutError("the balancer does not see every server up")
        time.sleep(0.2)


def balancer_process(folder: Path, config: str) -> ProcessSpec:
    """HAProxy in the foreground (so that `start` watches it like the other servers), its files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in config_files(config).items():
        (folder / name).write_text(text, encoding="utf-8")
    command = [HAPROXY, "-db", "-f", str(folder / "haproxy.cfg")]
    return ProcessSpec("load balancer", command, environment(), folder / "haproxy.log")
