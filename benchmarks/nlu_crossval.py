"""Cross-validated intent F1 of Wegwijzer's NLU config against Rasa's default config.

Usage: .venv/bin/python -m benchmarks.nlu_crossval [--folds 5] [config names...]
Prints one line per config (weighted F1, macro F1, accuracy) and each config's
weakest intents. Reports land in var/bench/nlu/<config>/. Takes minutes per config.
"""

import argparse
import json
import subprocess
import time
from pathlib import Path
from typing import Dict

from assistant.runtime.servers import quiet_environment
from assistant.runtime.spacy_model import build_pipeline
from assistant.settings import PROJECT_ROOT, VENV_BIN

# config.yml, and every config in benchmarks/configs (Rasa's default and variants of ours), by name.
CONFIGS: Dict[str, Path] = {
    "wegwijzer": PROJECT_ROOT / "config.yml",
    **{path.stem: path for path in sorted((PROJECT_ROOT / "benchmarks" / "configs").glob("*.yml"))},
}
OUT_DIR = PROJECT_ROOT / "var" / "bench" / "nlu"


def cross_validate(name: str, folds: int) -> Dict:
    out = OUT_DIR / name
    started = time.monotonic()
    subprocess.run(
        [
            str(VENV_BIN / "rasa"),
            "test",
            "nlu",
            "--nlu",
            "data/nlu",
            "--config",
            str(CONFIGS[name]),
            "--cross-validation",
            "--folds",
            str(folds),
            "--out",
            str(out),
        ],
        cwd=PROJECT_ROOT,
        env=quiet_environment(),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    report = json.loads((out / "intent_report.json").read_text())
    report["_seconds"] = time.monotonic() - started
    return report


def intent_scores(report: Dict) -> Dict[str, Dict]:
    """The per-intent rows of a Rasa intent report (without the averages)."""
    return {
        key: value
        for key, value in report.items()
        if isinstance(value, dict) and "support" in value and not key.endswith("avg")
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("configs", nargs="*", default=list(CONFIGS))
    args = parser.parse_args()
    build_pipeline()
    print(f"{'config':24} {'weighted F1':>11} {'macro F1':>9} {'accuracy':>9} {'time':>7}")
    for name in args.configs:
        report = cross_validate(name, args.folds)
        intents = intent_scores(report)
        weakest = sorted(intents.items(), key=lambda item: item[1]["f1-score"])[:3]
        print(
            f"{name:24} {report['weighted avg']['f1-score']:11.3f} {report['macro avg']['f1-score']:9.3f} "
            f"{report['accuracy']:9.3f} {report['_seconds']:6.0f}s   weakest: "
            + ", ".join(f"{intent} {values['f1-score']:.2f}" for intent, values in weakest),
            flush=True,
        )


if __name__ == "__main__":
    main()
