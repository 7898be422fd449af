"""Every path, port and WEGWIJZER_* variable, with its default: the one place that reads the
environment or knows where the project lies. Variables are read when asked for, not at import,
so that a test or a process can set them first.

The municipal directory library (municipalities/) keeps its own data files beside its code
and gets its database URL from here: it imports nothing from assistant/.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent  # rasa, pytest: beside the Python that runs us
VAR_DIR = PROJECT_ROOT / "var"  # what a run makes: databases, keys, the spaCy pipeline, results
MODELS_DIR = PROJECT_ROOT / "models"

# Rasa's project files
DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
CONFIG_FILE = PROJECT_ROOT / "config.yml"
DATA_DIR = PROJECT_ROOT / "data"
CREDENTIALS_FILE = PROJECT_ROOT / "credentials.yml"
ENDPOINTS_FILE = PROJECT_ROOT / "endpoints.yml"
GENERATED_RULES_FILE = DATA_DIR / "rules" / "generated" / "flows.yml"
GENERATED_LOOKUP_FILE = DATA_DIR / "nlu" / "generated" / "lookup_gemeente.yml"
GENERATED_KNOWLEDGE_FILE = DATA_DIR / "nlu" / "generated" / "knowledge.yml"
KUBERNETES_BALANCER_FILE = PROJECT_ROOT / "deploy" / "kubernetes" / "balancer-config.yaml"
# Our own NLU component: its code is a training input like config.yml.
KNOWLEDGE_SELECTOR_FILE = PROJECT_ROOT / "assistant" / "rasa_plugins" / "knowledge_selector.py"

# What residents read
CONTENT_DIR = PROJECT_ROOT / "assistant" / "content"
FACTS_FILE = CONTENT_DIR / "facts.yml"
ANSWERS_FILE = CONTENT_DIR / "answers.yml"
MESSAGES_FILE = CONTENT_DIR / "messages.yml"
QUESTIONS_FILE = CONTENT_DIR / "questions.yml"
LABELS_FILE = CONTENT_DIR / "labels.yml"
RIGHT_DOORS_FILE = CONTENT_DIR / "right_doors.yml"
KNOWLEDGE_DIR = CONTENT_DIR / "knowledge"  # the knowledge base: one YAML file per theme

# The website: npm packages in WEB_DIR, what is served in WEB_PUBLIC_DIR
WEB_DIR = PROJECT_ROOT / "assistant" / "web"
WEB_PUBLIC_DIR = WEB_DIR / "public"

SPACY_PIPELINE_DIR = VAR_DIR / "spacy_nl"
PRODUCTION_DIR = VAR_DIR / "production"  # `start --replicas`: each server's log, the balancer's files
REFRESHED_REGISTER_FILE = VAR_DIR / "register" / "gemeenten.csv"  # saved by `./wegwijzer refresh-directory`


@dataclass(frozen=True)
class Variable:
    """A WEGWIJZER_* environment variable and its default ("" when it has none)."""

    name: str
    default: str
    meaning: str
    shared: Optional["Variable"] = None  # read when this one is not set: DATABASE_URL for each store

    def get(self) -> str:
        own = os.environ.get(self.name, "").strip()
        return own or (self.shared.get() if self.shared else "") or self.default

    def number(self) -> int:
        return int(self.get())

    def use(self, value: str) -> None:
        """Set it for this process and the ones it starts."""
        os.environ[self.name] = value


RASA_PORT = Variable("WEGWIJZER_RASA_PORT", "5005", "the Rasa server: REST and socket.io")
ACTIONS_PORT = Variable("WEGWIJZER_ACTIONS_PORT", "5055", "the action server")
WEB_PORT = Variable("WEGWIJZER_WEB_PORT", "8080", "the demo pages, the widget and the admin API")
ACTIONS_HOST = Variable(
    "WEGWIJZER_ACTIONS_HOST", "127.0.0.1", "where the action server listens (an internal network in production)"
)
WEB_HOST = Variable(
    "WEGWIJZER_WEB_HOST", "127.0.0.1", "where the web server listens (0.0.0.0 in a container, behind a proxy)"
)
ACTION_URL = Variable("WEGWIJZER_ACTION_URL", "", "the action server's webhook, for the Rasa server (set by start)")
ACTION_SECRET = Variable(
    "WEGWIJZER_ACTION_SECRET", "", "shared by the Rasa server and the action server (new per run when empty)"
)
ALLOWED_ORIGINS = Variable(
    "WEGWIJZER_ALLOWED_ORIGINS", "", "the municipalities' sites whose pages may talk to Rasa, space-separated"
)
DATABASE_URL = Variable(
    "WEGWIJZER_DATABASE_URL",
    "",
    "one database for every store below, e.g. postgresql://user@host/wegwijzer; a store's own variable wins",
)
TRACKER_DB = Variable(
    "WEGWIJZER_TRACKER_DB", "var/tracker.db", "the conversation store: a SQLite file, or a database URL", DATABASE_URL
)
DIRECTORY_URL = Variable(
    "WEGWIJZER_DIRECTORY_URL",
    f"sqlite:///{VAR_DIR / 'directory.db'}",
    "the municipal directory's database",
    DATABASE_URL,
)
CALLBACK_URL = Variable(
    "WEGWIJZER_CALLBACK_URL",
    f"sqlite:///{VAR_DIR / 'callbacks.db'}",
    "the helpdesk's database: callback requests, chats",
    DATABASE_URL,
)
CALLBACK_KEY = Variable(
    "WEGWIJZER_CALLBACK_KEY", "", "the Fernet key that seals callback requests (else var/callback.key)"
)
CALLBACK_KEY_FILE = VAR_DIR / "callback.key"
STAFF_URL = Variable(
    "WEGWIJZER_STAFF_URL", f"sqlite:///{VAR_DIR / 'staff.db'}", "the staff accounts' database", DATABASE_URL
)
REDIS_URL = Variable(
    "WEGWIJZER_REDIS_URL",
    "",
    "the Redis lock store, needed by more than one Rasa server, e.g. redis://127.0.0.1:6379/0 (empty: locks in memory)",
)
METRICS_TOKEN = Variable(
    "WEGWIJZER_METRICS_TOKEN", "", "the bearer token Prometheus shows to read /metrics (closed while empty)"
)
LOG_FORMAT = Variable("WEGWIJZER_LOG_FORMAT", "text", "text, or json: one JSON object per line, masked like the rest")
TEST_POSTGRES = Variable(
    "WEGWIJZER_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres", "the PostgreSQL server the tests use"
)
TODAY = Variable("WEGWIJZER_TODAY", "", "answer as on this day (YYYY-MM-DD), to preview; never where residents talk")
VARIABLES = (
    RASA_PORT,
    ACTIONS_PORT,
    WEB_PORT,
    ACTIONS_HOST,
    WEB_HOST,
    ACTION_URL,
    ACTION_SECRET,
    ALLOWED_ORIGINS,
    DATABASE_URL,
    TRACKER_DB,
    DIRECTORY_URL,
    CALLBACK_URL,
    CALLBACK_KEY,
    STAFF_URL,
    REDIS_URL,
    METRICS_TOKEN,
    LOG_FORMAT,
    TEST_POSTGRES,
    TODAY,
)


def make_sqlite_folder(url: str) -> None:
    """SQLite makes its database file, not the folder it goes in: make that folder for a
    sqlite:/// URL (for other databases there is nothing to make)."""
    if url.startswith("sqlite:///"):
        Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)


def database_url(file_or_url: str) -> str:
    """A database URL as it is; a SQLite file (relative to the project) as its URL."""
    if "://" in file_or_url:
        return file_or_url
    path = Path(file_or_url)
    return f"sqlite:///{path if path.is_absolute() else PROJECT_ROOT / path}"


def conversation_store_url() -> str:
    """The conversation store's database (TRACKER_DB) as a URL: for the Rasa server, and for
    those who read the store beside it, such as the conversation log of the staff app."""
    return database_url(TRACKER_DB.get())


# Switches that make libraries print less at start (TensorFlow's C++ log, SQLAlchemy 2.0 notices,
# deprecation warnings of the Python that first loads them): for this process and the ones it starts.
QUIET_LIBRARIES = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore::DeprecationWarning",
}


def quiet_this_process() -> None:
    """QUIET_LIBRARIES for this process, before it imports TensorFlow; what is set already stays."""
    for name, value in QUIET_LIBRARIES.items():
        os.environ.setdefault(name, value)


def environment(**changes: str) -> Dict[str, str]:
    """This process's environment with `changes`: for the processes we start."""
    return {**os.environ, **changes}
