"""Wegwijzer's command line: `./wegwijzer start` and `./wegwijzer test` (see README.md).

start              prepare, train if needed, run the assistant with its demo page;
                   `start --replicas 2 --database postgresql://... --redis redis://...`: the
                   production profile, several Rasa servers behind HAProxy
test               prepare, validate the data, run unit tests, train if needed, run the
                   test stories, the end-to-end tests and the widget tests (headless Chromium)
prepare            build the spaCy pipeline and the municipal directory
generate           write the generated files (data/*/generated/): the flows' rules and the
                   municipality lookup table
train              train the model if the data changed
refresh-directory  download the register's current export and rebuild the directory
                   (keeps the current data when the download fails or looks incomplete)
check-overrides    check the municipalities' own data files and print what they cover
check-facts        list every dated fact with its check date; exit 1 when this year has
                   no abonnementstarief (--today and --facts to look ahead or at another file)
staff              staff accounts of the web app under /beheer/: `staff add NAME --role helpdesk
                   --gemeente GM0363` (prints a one-time password), `staff list`, `staff remove NAME`
gespreksboek       the conversation book as an HTML file (and --pdf): `gespreksboek --gemeente GM0363 --out DIR`
scenarios          run test conversations against the running assistant: `scenarios run FILE`
"""

import argparse
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable, Dict, List, Optional

from assistant import clock, log_format
from assistant.content import municipal_directory
from assistant.content.facts import Facts, load_facts
from assistant.content.facts_check import check_facts as facts_report
from assistant.content.facts_check import local_facts
from assistant.content.knowledge import training_data_yaml
from assistant.content.override_checks import coverage_report, override_store
from assistant.flows.dialogue import rules_yaml
from assistant.review.book_file import main as book_command
from assistant.review.scenarios import main as scenarios_command
from assistant.runtime.load_balancer import ensure_haproxy, kubernetes_config_map
from assistant.runtime.model import ensure_model
from assistant.runtime.production import Layout, Production, problems, start_production, wait_until_serving
from assistant.runtime.servers import (
    Ports,
    ProcessSpec,
    quiet_environment,
    start_processes,
    wait_for_urls,
    wait_until_ready,
)
from assistant.runtime.spacy_model import build_pipeline
from assistant.runtime.widget_setup import ensure_chromium, ensure_npm_packages
from assistant.settings import (
    DATABASE_URL,
    DIRECTORY_URL,
    GENERATED_KNOWLEDGE_FILE,
    GENERATED_LOOKUP_FILE,
    GENERATED_RULES_FILE,
    KUBERNETES_BALANCER_FILE,
    PRODUCTION_DIR,
    PROJECT_ROOT,
    REDIS_URL,
    REFRESHED_REGISTER_FILE,
    TODAY,
    VAR_DIR,
    VENV_BIN,
    environment,
)
from assistant.staff.commands import main as staff_command
from assistant.web.server import web_command
from municipalities.nlu_lookup import lookup_yaml
from municipalities.refresh import LIVE_URL, RefreshError, describe
from municipalities.refresh import refresh_directory as download_register
from municipalities.zorgkantoren import load_zorgkantoren


def prepare() -> None:
    VAR_DIR.mkdir(exist_ok=True)
    build_pipeline()
    summary = municipal_directory.build()
    register = municipal_directory.active_register().relative_to(PROJECT_ROOT)
    print(
        f"Municipal directory ready: {summary.municipalities} municipalities, {summary.places} places, "
        f"{summary.postcodes} postcode areas (register: {register})."
    )


def generate() -> None:
    """Write every generated file: the flows' rules, the municipality lookup table, the
    knowledge base's training data and the balancer's configuration for Kubernetes."""
    outputs = {
        GENERATED_RULES_FILE: rules_yaml(),
        GENERATED_LOOKUP_FILE: lookup_yaml(municipal_directory.load()),
        GENERATED_KNOWLEDGE_FILE: training_data_yaml(),
        KUBERNETES_BALANCER_FILE: kubernetes_config_map(),
    }
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"Wrote {path.relative_to(PROJECT_ROOT)}")


def check_overrides() -> None:
    """Exit code 1 when a file has a problem, so CI and helpdesks notice."""
    directory = municipal_directory.load()
    store = override_store(directory)
    print(coverage_report(directory, store))
    sys.exit(1 if store.errors else 0)


def check_facts(facts_file: Optional[Path], today: Optional[date]) -> None:
    """Exit code 1 when this year has no abonnementstarief."""
    facts = Facts.from_file(facts_file) if facts_file else load_facts()
    local = local_facts(override_store(municipal_directory.load()).all(), load_zorgkantoren().values())
    report = facts_report(facts, today or clock.today(), local)
    print(report.render())
    sys.exit(report.exit_code)


def _stop_on_sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _preview_notice() -> str:
    """Stops with a clear message when WEGWIJZER_TODAY is not a date; says so when it is set."""
    try:
        day = clock.preview_day()
    except ValueError:
        print(f"{TODAY.name} must be a date as YYYY-MM-DD, e.g. 2027-01-01.", file=sys.stderr)
        sys.exit(2)
    if day is None:
        return ""
    return f"  PREVIEW: the assistant answers as on {day.isoformat()} ({TODAY.name}); not for residents.\n"


def start(production: Optional[Production] = None) -> None:
    """The embedded default (one Rasa server, SQLite), or with `production` several behind a balancer."""
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C, even when started in the background
    signal.signal(signal.SIGTERM, _stop_on_sigterm)  # `kill` stops the servers too, like Ctrl-C
    preview = _preview_notice()
    if production:
        _stop_unless_ready_for(production)
    prepare()
    model = ensure_model()
    ports = Ports()
    if production:
        print(f"Starting {production.replicas} Rasa servers, the action server, the web server and HAProxy...")
        layout = Layout.free(production.replicas)
        running = start_production(model, ports, production, layout, PRODUCTION_DIR)
    else:
        print("Starting the action server and the Rasa server (about a minute)...")
        running = start_processes(model, ports)
    try:
        if production:
            wait_until_serving(running, ports, layout, PRODUCTION_DIR)
        else:
            wait_until_ready(running, ports)
            web = web_command(ports.web, f"http://localhost:{ports.rasa}")
            running.start(ProcessSpec("web server", web, environment()))
            wait_for_urls(running, [f"http://localhost:{ports.web}/privacy.html"])
        print(_ready_text(ports, layout if production else None, preview), flush=True)
        while True:  # a server that stops is started again, with a growing delay if it keeps stopping
            for line in running.restart_crashed():
                print(line, file=sys.stderr, flush=True)
            time.sleep(1)
    except KeyboardInterrupt:
        print("\nStopping Wegwijzer...")
    finally:
        running.stop()


def _stop_unless_ready_for(production: Production) -> None:
    """Says what is missing (HAProxy, PostgreSQL, Redis) and stops; else every store goes to the database."""
    missing = problems(production)
    if missing:
        print(
            "The production profile cannot start:",
            *(f"  - {problem}" for problem in missing),
            sep="\n",
            file=sys.stderr,
        )
        sys.exit(2)
    DATABASE_URL.use(production.database_url)  # prepare() builds the directory there
    REDIS_URL.use(production.redis_url)


def _ready_text(ports: Ports, layout: Optional[Layout], preview: str) -> str:
    behind = ""
    if layout:
        replicas = ", ".join(f"http://localhost:{port}" for port in layout.rasa)
        behind = (
            f"  Behind HAProxy: the Rasa servers ({replicas}: each with its /metrics),\n"
            f"  the action server and the web server; every store in PostgreSQL, the conversation\n"
            f"  locks in Redis. Logs and the balancer's files: {PRODUCTION_DIR.relative_to(PROJECT_ROOT)}/\n"
        )
    return (
        f"\nWegwijzer is ready.\n"
        f"{behind}"
        f"  Demo page:     http://localhost:{ports.web}/\n"
        f"  Staff app:     http://localhost:{ports.web}/beheer/ (accounts: ./wegwijzer staff add)\n"
        f"  REST channel:  http://localhost:{ports.rasa}/webhooks/rest/webhook\n"
        f"  Socket.io:     http://localhost:{ports.rasa}/socket.io\n"
        f"{preview}"
        f"Press Ctrl-C to stop."
    )


def _run(step: str, command: List[str]) -> None:
    print(f"\n=== {step} ===", flush=True)
    result = subprocess.run(command, cwd=PROJECT_ROOT, env=quiet_environment())
    if result.returncode != 0:
        print(f"\nFAILED: {step}", file=sys.stderr)
        sys.exit(result.returncode)


def test() -> None:
    prepare()
    ensure_chromium()
    ensure_npm_packages()
    ensure_haproxy()
    rasa, python = str(VENV_BIN / "rasa"), str(VENV_BIN / "python")
    _run("Lint (ruff, settings in pyproject.toml)", [str(VENV_BIN / "ruff"), "check", "."])
    _run("Format (ruff)", [str(VENV_BIN / "ruff"), "format", "--check", "."])
    _run("Rasa data validation", [rasa, "data", "validate", "--fail-on-warnings"])
    _run("Unit tests (no servers, no browser)", [python, "-m", "pytest", "-q", "-m", "not servers and not chromium"])
    stories = ["--stories", "tests/stories", "--fail-on-prediction-errors", "--out", "var/results"]
    _run("Test stories", [rasa, "test", "core", "--model", str(ensure_model()), *stories])
    _run(
        "End-to-end, reliability and widget tests (real servers, the widget in headless Chromium)",
        [python, "-m", "pytest", "-q", "-m", "servers or chromium"],
    )
    print("\nAll tests passed.")


def refresh_directory(url: str, allow_fewer: bool) -> None:
    """Exit code 1 when the download fails or is refused; the current data stays."""
    try:
        print(
            describe(
                download_register(
                    url, allow_fewer=allow_fewer, database_url=DIRECTORY_URL.get(), destination=REFRESHED_REGISTER_FILE
                )
            )
        )
    except RefreshError as error:
        print(error, file=sys.stderr)
        sys.exit(1)


COMMANDS: Dict[str, Callable[[argparse.Namespace], None]] = {
    "start": lambda arguments: start(_production(arguments)),
    "test": lambda _: test(),
    "prepare": lambda _: prepare(),
    "generate": lambda _: generate(),
    "train": lambda _: (prepare(), ensure_model()),
    "refresh-directory": lambda arguments: refresh_directory(arguments.url, arguments.allow_fewer),
    "check-overrides": lambda _: check_overrides(),
    "check-facts": lambda arguments: check_facts(arguments.facts, arguments.today),
}


def _production(arguments: argparse.Namespace) -> Optional[Production]:
    if arguments.replicas is None:
        return None
    return Production(arguments.replicas, arguments.database or DATABASE_URL.get(), arguments.redis or REDIS_URL.get())


def main() -> None:
    log_format.install(log_format.CLI)
    own_options = {"staff": staff_command, "gespreksboek": book_command, "scenarios": scenarios_command}
    if sys.argv[1:2] and sys.argv[1] in own_options:  # commands with options of their own: `staff --help`
        sys.exit(own_options[sys.argv[1]](sys.argv[2:]) or 0)
    parser = argparse.ArgumentParser(
        prog="wegwijzer", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=[*COMMANDS, "staff", "gespreksboek", "scenarios"])
    parser.add_argument(
        "--replicas", type=int, help="start: this many Rasa servers behind HAProxy, with PostgreSQL and Redis"
    )
    parser.add_argument("--database", help=f"start --replicas: PostgreSQL's URL (else ${DATABASE_URL.name})")
    parser.add_argument("--redis", help=f"start --replicas: Redis's URL (else ${REDIS_URL.name})")
    parser.add_argument("--url", default=LIVE_URL, help="refresh-directory: where to download the register export")
    parser.add_argument(
        "--allow-fewer", action="store_true", help="refresh-directory: accept fewer municipalities than now"
    )
    parser.add_argument("--today", type=date.fromisoformat, help="check-facts: check as on this day (YYYY-MM-DD)")
    parser.add_argument("--facts", type=Path, help="check-facts: another facts file than assistant/content/facts.yml")
    arguments = parser.parse_args()
    COMMANDS[arguments.command](arguments)


if __name__ == "__main__":
    main()
