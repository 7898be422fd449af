"""JSON log lines (assistant/log_format.py): one object per line with time, level, logger, role and
message, the exception's type and traceback; masked like the text log (assistant/log_privacy.py),
in the message and in the exception text, also when no filter ran; and the real action server
writing nothing but such lines with WEGWIJZER_LOG_FORMAT=json."""

import io
import json
import logging
import subprocess
import sys
import time
from datetime import datetime
from typing import Callable, Iterator, List

import pytest
import requests

from assistant import log_format, log_privacy
from assistant.log_privacy import RedactingFilter
from assistant.runtime.servers import free_port
from assistant.settings import ACTION_SECRET, LOG_FORMAT, METRICS_TOKEN, PROJECT_ROOT, environment
from tests.support.logs import logged

BSN, PHONE, EMAIL = "111222333", "06-12345678", "jan.jansen@example.nl"
PERSONAL = (BSN, PHONE, EMAIL)
TEXT = f"bsn {BSN}, bel {PHONE} of mail {EMAIL}"


def json_lines(emit: Callable[[logging.Logger], None], with_filter: bool = True) -> List[dict]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log_format.JsonFormatter(log_format.ACTIONS))
    if with_filter:
        handler.addFilter(RedactingFilter())
    logger = logging.getLogger("test_log_format")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        emit(logger)
    finally:
        logger.removeHandler(handler)
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def fails(logger: logging.Logger) -> None:
    try:
        raise ValueError(f"kapot: {TEXT}")
    except ValueError:
        logger.exception("Een beurt mislukte voor %s", EMAIL)


def test_a_line_has_time_level_logger_role_and_message():
    [line] = json_lines(lambda logger: logger.warning("Actie %s klaar", "action_listen"))
    assert line["level"] == "WARNING" and line["logger"] == "test_log_format" and line["role"] == "actions"
    assert line["message"] == "Actie action_listen klaar" and "exception" not in line
    assert line["time"].endswith("Z") and datetime.fromisoformat(line["time"][:-1])  # ISO 8601, UTC


@pytest.mark.parametrize("with_filter", [True, False], ids=["filter and formatter", "formatter alone"])
def test_personal_data_is_masked_in_the_message(with_filter):
    [line] = json_lines(lambda logger: logger.info("Gekregen: %s", TEXT), with_filter)
    assert not any(secret in json.dumps(line) for secret in PERSONAL)
    assert "[BSN]" in line["message"] and "[telefoonnummer]" in line["message"] and "[e-mail]" in line["message"]


@pytest.mark.parametrize("with_filter", [True, False], ids=["filter and formatter", "formatter alone"])
def test_an_exception_gives_its_type_and_a_masked_traceback(with_filter):
    [line] = json_lines(fails, with_filter)
    assert line["exception"] == "ValueError" and line["level"] == "ERROR"
    assert "Traceback" in line["traceback"] and "[BSN]" in line["traceback"]
    assert not any(secret in json.dumps(line) for secret in PERSONAL)


def test_the_text_format_still_writes_the_masked_traceback_under_the_message():
    text = logged(fails, "test_log_format_text")
    assert text.startswith("Een beurt mislukte voor [e-mail]\nTraceback") and "ValueError: kapot" in text
    assert not any(secret in text for secret in PERSONAL)


def test_a_structured_rasa_event_becomes_a_message_with_fields_without_frame_locals():
    event = {
        "event": "rest.message.received",
        "level": "error",
        "sender_id": f"bel {PHONE}",
        "exception": [{"frames": [{"name": "f", "locals": {"text": "mijn dementie"}}]}],
    }
    [line] = json_lines(lambda logger: logger.error(json.dumps(event)))
    assert line["message"] == "rest.message.received"
    assert line["fields"]["sender_id"] == "bel [telefoonnummer]" and "dementie" not in json.dumps(line)


@pytest.fixture
def restored_handlers() -> Iterator[None]:
    """install() changes every handler of this process: put back their formatters and filters."""
    saved = [(handler, handler.formatter, list(handler.filters)) for handler in log_privacy.every_handler()]
    yield
    for handler, formatter, filters in saved:
        handler.setFormatter(formatter)
        handler.filters[:] = filters


def test_install_puts_masking_and_json_on_every_handler(monkeypatch, restored_handlers):
    own = logging.StreamHandler(io.StringIO())
    logging.getLogger("test_log_format_own").addHandler(own)  # a library's logger with a handler of its own
    monkeypatch.setenv(LOG_FORMAT.name, "json")
    try:
        log_format.install(log_format.WEB)
        for handler in (own, logging.lastResort, *logging.getLogger().handlers):
            assert isinstance(handler.formatter, log_format.JsonFormatter) and handler.formatter.role == "web"
            assert any(isinstance(existing, RedactingFilter) for existing in handler.filters)
    finally:
        logging.getLogger("test_log_format_own").removeHandler(own)


def test_install_in_text_format_leaves_the_formatters(monkeypatch, restored_handlers):
    own = logging.StreamHandler(io.StringIO())
    logging.getLogger("test_log_format_text_own").addHandler(own)
    monkeypatch.delenv(LOG_FORMAT.name, raising=False)
    try:
        log_format.install(log_format.CLI)
        assert own.formatter is None and any(isinstance(existing, RedactingFilter) for existing in own.filters)
    finally:
        logging.getLogger("test_log_format_text_own").removeHandler(own)


def test_a_process_writes_only_json_lines_warnings_included():
    program = (
        "import logging, warnings\n"
        "from assistant import log_format\n"
        "log_format.install(log_format.CLI)\n"
        f"logging.getLogger('wegwijzer').warning('bel %s', {PHONE!r})\n"
        f"warnings.warn('mail {EMAIL}')\n"
        f"logging.getLogger('sanic.error').error('bsn {BSN}')  # no handler of its own: the last resort\n"
    )
    env = environment(**{LOG_FORMAT.name: "json"})
    finished = subprocess.run(
        [sys.executable, "-c", program], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    lines = [json.loads(line) for line in finished.stderr.splitlines()]
    assert [line["logger"] for line in lines] == ["wegwijzer", "py.warnings", "sanic.error"]
    assert {line["role"] for line in lines} == {"cli"}
    assert not any(secret in finished.stderr for secret in PERSONAL)


def test_the_action_server_logs_only_json_lines():
    port, secret, token = free_port(), "s" * 40, "t" * 40
    env = environment(**{LOG_FORMAT.name: "json", ACTION_SECRET.name: secret, METRICS_TOKEN.name: token})
    command = [sys.executable, "-m", "assistant.rasa_plugins.action_server", "--port", str(port)]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for(f"{url}/health")
        refused = requests.post(f"{url}/webhook", data=f'{{"next_action": "x", "bsn": "{BSN}"}}', timeout=10)
        scraped = requests.get(f"{url}/metrics", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert refused.status_code == 401 and scraped.status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0].decode()
    lines = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert lines and {line["role"] for line in lines} == {"actions"}
    assert any("without the shared secret" in line["message"] for line in lines) and BSN not in output


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise TimeoutError(url)
