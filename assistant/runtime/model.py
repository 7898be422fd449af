"""Train the Rasa model only when its inputs changed.

The model file is named after a hash of everything training reads (config, domain,
training data), so a second start with unchanged data reuses the model.
"""

import hashlib
import subprocess
from pathlib import Path
from typing import Iterable, List

from assistant.runtime.servers import quiet_environment
from assistant.settings import (
    CONFIG_FILE,
    DATA_DIR,
    DOMAIN_FILE,
    KNOWLEDGE_DIR,
    KNOWLEDGE_SELECTOR_FILE,
    MODELS_DIR,
    PROJECT_ROOT,
    VENV_BIN,
)

# The knowledge selector is our own component, trained on the knowledge base's answers too: a
# change to either needs a new model.
TRAINING_INPUTS = (CONFIG_FILE, DOMAIN_FILE, DATA_DIR, KNOWLEDGE_SELECTOR_FILE, KNOWLEDGE_DIR)


def training_files() -> List[Path]:
    files: List[Path] = []
    for path in TRAINING_INPUTS:
        files.extend(sorted(path.rglob("*.yml")) if path.is_dir() else [path])
    return files


def fingerprint(files: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def current_model_path() -> Path:
    return MODELS_DIR / f"wegwijzer-{fingerprint(training_files())}.tar.gz"


def ensure_model() -> Path:
    """The model for the current data, trained first if there is none."""
    model = current_model_path()
    if model.exists():
        print(f"Model is up to date: {model.relative_to(PROJECT_ROOT)}")
        return model
    print("Training the model (a few minutes)...")
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "train",
            "--out",
            str(MODELS_DIR),
            "--fixed-model-name",
            model.name.removesuffix(".tar.gz"),
        ],
        cwd=PROJECT_ROOT,
        env=quiet_environment(),
        check=True,
    )
    return model
