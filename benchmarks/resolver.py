"""Lookup speed of the municipality resolver: every name, place and postcode, plus typos,
sentences and garbage. Prints p50/p95/p99/max per kind of input, the time to build the
indexes, and the memory they take. Goal: p99 under 2 ms per lookup.

    .venv/bin/python -m benchmarks.resolver [--rounds 5]
"""

import argparse
import gc
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Dict, List

from municipalities.aliases import load_aliases
from municipalities.directory import Directory
from municipalities.importer import REGISTER_CSV, import_directory, read_postcodes, read_register
from municipalities.resolver import Resolver


def inputs(directory: Directory) -> Dict[str, List[str]]:
    municipalities = directory.all()
    places = [place for municipality in municipalities for place in municipality.places]
    names = [name for municipality in municipalities for name in (municipality.name, municipality.short_name)]
    long_names = [name for name in names if len(name) >= 8]
    return {
        "municipality names": names,
        "places": places,
        "PC4": directory.postcodes(),
        "PC6 (1011 AB)": [f"{pc4} AB" for pc4 in directory.postcodes()],
        "typos (a letter dropped)": [name[:4] + name[5:] for name in long_names],
        "sentences": [f"Wat is het nummer van het Wmo-loket in {place}?" for place in places],
        "garbage": ["Bank", "asdf", "ik wil een mens spreken", "<script>alert(1)</script>", "🏠🏠🏠", "x" * 10_240]
        * 50,
    }


def percentile(sorted_values: List[float], fraction: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def measure(resolver: Resolver, texts: List[str], rounds: int) -> List[float]:
    """Milliseconds per lookup, every text `rounds` times."""
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter_ns()
            resolver.resolve(text)
            timings.append((time.perf_counter_ns() - start) / 1e6)
    return sorted(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'directory.db'}"
        import_directory(url, read_register(REGISTER_CSV), read_postcodes())
        directory = Directory.load(url)
    aliases = load_aliases()
    gc.collect()
    tracemalloc.start()
    start = time.perf_counter()
    resolver = Resolver(directory, aliases)
    build_seconds = time.perf_counter() - start
    memory_mb = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    print(f"Resolver: {len(resolver.known_names())} names indexed in {build_seconds * 1000:.0f} ms, {memory_mb:.1f} MB")
    print(f"{'input':26} {'lookups':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    everything: List[float] = []
    for kind, texts in inputs(directory).items():
        timings = measure(resolver, texts, rounds)
        everything += timings
        print(
            f"{kind:26} {len(timings):8} {statistics.median(timings):8.3f} {percentile(timings, 0.95):8.3f} "
            f"{percentile(timings, 0.99):8.3f} {timings[-1]:8.3f}"
        )
    everything.sort()
    p99 = percentile(everything, 0.99)
    print(
        f"{'all':26} {len(everything):8} {statistics.median(everything):8.3f} {percentile(everything, 0.95):8.3f} "
        f"{p99:8.3f} {everything[-1]:8.3f}"
    )
    print(f"Goal p99 < 2 ms: {'met' if p99 < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
