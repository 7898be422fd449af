"""Intent F1 on a test set that is never trained on, Wegwijzer's config against Rasa's default.

Usage: .venv/bin/python -m benchmarks.nlu_heldout [--test-set heldout|dev] [--top 12] [config names...]
The held-out set (tests/nlu_heldout) gives the figure we report; the development set (tests/nlu_dev)
is the one to study errors on and to compare configs with, so the held-out set stays unseen.
Copies data/nlu once (so every config trains on the same data, even while it is being edited),
trains an NLU model on it with each config (no training cache, so the time is a full training),
tests it on the chosen set, and prints one line per config
(weighted F1, macro F1, accuracy, training time). Then, for the first config, the F1 per
intent, lowest first, and the most frequent confusions. Models, reports and Rasa's output
(rasa.log) land in var/bench/nlu_<test set>/<config>/. Takes a few minutes per config.
"""

import argparse
import json
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Dict, List, Set, Tuple

from assistant.runtime.servers import quiet_environment
from assistant.runtime.spacy_model import build_pipeline
from assistant.settings import PROJECT_ROOT, VENV_BIN
from benchmarks.nlu_crossval import CONFIGS, intent_scores

TEST_SETS = {name: PROJECT_ROOT / "tests" / f"nlu_{name}" / "nlu.yml" for name in ("heldout", "dev")}
TRAINING_DATA = PROJECT_ROOT / "data" / "nlu"
DEFAULT_CONFIGS = ["wegwijzer", "rasa_default"]


def snapshot_training_data(out_dir: Path) -> Path:
    target = out_dir / "data_nlu"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(TRAINING_DATA, target)
    return target


def run_rasa(log: Path, *arguments: str) -> None:
    """A rasa command in the project, its output appended to `log`; RASA_MAX_CACHE_SIZE=0 turns
    off the training cache."""
    with log.open("a") as output:
        subprocess.run(
            [str(VENV_BIN / "rasa"), *arguments],
            cwd=PROJECT_ROOT,
            env={**quiet_environment(), "RASA_MAX_CACHE_SIZE": "0"},
            check=True,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def train_and_test(name: str, training_data: Path, test_set: Path, out_dir: Path) -> Tuple[Dict, float]:
    """The intent report of `rasa test nlu` on `test_set`, and the training time in seconds."""
    out = out_dir / name
    shutil.rmtree(out, ignore_errors=True)  # no intent_errors.json left over from an earlier run
    out.mkdir(parents=True)
    log = out / "rasa.log"
    started = time.monotonic()
    run_rasa(
        log,
        "train",
        "nlu",
        "--config",
        str(CONFIGS[name]),
        "--nlu",
        str(training_data),
        "--out",
        str(out),
        "--fixed-model-name",
        "model",
    )
    seconds = time.monotonic() - started
    run_rasa(log, "test", "nlu", "--nlu", str(test_set), "--model", str(out / "model.tar.gz"), "--out", str(out))
    return json.loads((out / "intent_report.json").read_text()), seconds


def confusions(out: Path, top: int) -> List[Tuple[Tuple[str, str], int, str]]:
    """The most frequent (intent, predicted intent) pairs, each with its first example text."""
    errors = out / "intent_errors.json"
    pairs: Counter = Counter()
    example: Dict[Tuple[str, str], str] = {}
    for error in json.loads(errors.read_text()) if errors.exists() else []:
        pair = (error["intent"], error["intent_prediction"]["name"])
        pairs[pair] += 1
        example.setdefault(pair, error["text"])
    return [(pair, count, example[pair]) for pair, count in pairs.most_common(top)]


def trained_intents(training_data: Path) -> Set[str]:
    from rasa.shared.nlu.training_data.loading import load_data  # importing Rasa takes seconds

    return load_data(str(training_data)).intents


def print_summary(name: str, report: Dict, seconds: float) -> None:
    print(
        f"{name:24} {report['weighted avg']['f1-score']:11.3f} {report['macro avg']['f1-score']:9.3f} "
        f"{report['accuracy']:9.3f} {seconds:6.0f}s",
        flush=True,
    )


def print_details(name: str, report: Dict, top: int, training_data: Path, out_dir: Path) -> None:
    known = trained_intents(training_data)
    print(f"\n{name}: F1 per intent, lowest first (* = intent not in data/nlu)")
    print(f"{'intent':42} {'prec':>5} {'rec':>5} {'F1':>5} {'n':>3}")
    for intent, values in sorted(intent_scores(report).items(), key=lambda item: (item[1]["f1-score"], item[0])):
        mark = "" if intent in known else " *"
        print(
            f"{intent + mark:42} {values['precision']:5.2f} {values['recall']:5.2f} "
            f"{values['f1-score']:5.2f} {values['support']:3d}"
        )
    print(f"\n{name}: most frequent confusions (intent -> predicted, count, first example)")
    for (intent, predicted), count, text in confusions(out_dir / name, top):
        print(f'{count:3d}  {intent} -> {predicted}   "{text[:60]}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--test-set", choices=TEST_SETS, default="heldout", help="which set to test on")
    parser.add_argument("--top", type=int, default=12, help="how many confused pairs to list")
    parser.add_argument("configs", nargs="*", default=DEFAULT_CONFIGS, help=f"any of {', '.join(CONFIGS)}")
    args = parser.parse_args()
    unknown = set(args.configs) - set(CONFIGS)
    if unknown:
        parser.error(f"unknown config: {', '.join(sorted(unknown))}")
    build_pipeline()
    out_dir = PROJECT_ROOT / "var" / "bench" / f"nlu_{args.test_set}"
    training_data = snapshot_training_data(out_dir)
    print(f"{'config':24} {'weighted F1':>11} {'macro F1':>9} {'accuracy':>9} {'train':>7}")
    reports: Dict[str, Dict] = {}
    for name in args.configs:
        reports[name], seconds = train_and_test(name, training_data, TEST_SETS[args.test_set], out_dir)
        print_summary(name, reports[name], seconds)
    print_details(args.configs[0], reports[args.configs[0]], args.top, training_data, out_dir)


if __name__ == "__main__":
    main()
