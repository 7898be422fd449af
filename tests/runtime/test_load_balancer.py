"""The balancer's configuration: HAProxy accepts it, it keeps a conversation on one Rasa server,
and its error pages are the kind fault message in the REST channel's shape."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from assistant.content.answers import message
from assistant.runtime.load_balancer import (
    Backend,
    config_files,
    fault_response,
    kubernetes_config,
    kubernetes_config_map,
    local_config,
)
from assistant.settings import KUBERNETES_BALANCER_FILE


def local(folder: Path) -> str:
    rasa = Backend("rasa", 5005, [40001, 40002], "/")
    return local_config(rasa, [Backend("actions", 5055, [40003], "/health")], folder)


@pytest.mark.skipif(not shutil.which("haproxy"), reason="HAProxy is not installed (`./wegwijzer test` installs it)")
@pytest.mark.parametrize("which", ["local", "kubernetes"])
def test_haproxy_accepts_the_configuration(tmp_path, which):
    config = (
        local(tmp_path) if which == "local" else kubernetes_config().replace("/usr/local/etc/haproxy", str(tmp_path))
    )
    for name, text in config_files(config).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    check = subprocess.run(["haproxy", "-c", "-f", str(tmp_path / "haproxy.cfg")], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_rest_is_sticky_per_sender_and_socketio_per_client(tmp_path):
    config = local(tmp_path)
    rest = config[config.index("\nbackend rasa_rest") : config.index("\nbackend rasa_socketio")]
    socketio = config[config.index("\nbackend rasa_socketio") : config.index("\nlisten actions")]
    assert "balance hash req.body,json_query('$.sender')" in rest and "hash-type consistent" in rest
    assert "balance source" in socketio and "hash-type consistent" in socketio
    assert rest.count("server rasa") == socketio.count("server rasa") == 2
    assert "balance hdr(X-Forwarded-For)" in kubernetes_config()  # behind an ingress: the client it passes on


def test_every_request_gets_a_key_that_a_retry_keeps_and_metrics_stay_inside(tmp_path):
    config = local(tmp_path)
    assert "set-header Idempotency-Key %[unique-id] unless { req.hdr(Idempotency-Key) -m found }" in config
    assert "retry-on conn-failure empty-response" in config and "response-timeout" not in config
    assert "deny deny_status 404 if { path /metrics }" in config


@pytest.mark.parametrize("status", [502, 503, 504])
def test_an_error_page_is_the_kind_fault_message_as_rest_answers(status):
    head, body = fault_response(status).split("\r\n\r\n", 1)
    assert head.startswith(f"HTTP/1.1 {status} ")
    assert f"Content-Length: {len(body.encode())}" in head
    assert json.loads(body) == [{"recipient_id": "", "text": message("storing")}]


def test_the_kubernetes_config_map_is_generated_from_the_same_rules():
    assert KUBERNETES_BALANCER_FILE.read_text(encoding="utf-8") == kubernetes_config_map(), "run ./wegwijzer generate"
    data = yaml.safe_load(kubernetes_config_map())["data"]
    assert data["haproxy.cfg"] == kubernetes_config() and data["503.http"] == fault_response(503)
