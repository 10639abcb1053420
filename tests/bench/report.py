"""One place every benchmark writes its figures to: the terminal and `bench-report.txt`."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

REPORT = Path(os.environ.get("DECKFOLLOW_BENCH_REPORT", "bench-report.txt"))


def record(section: str, name: str, value: float, unit: str, goal: str = "") -> None:
    """Print one figure and append it to the report file."""
    goal_text = f"   (goal {goal})" if goal else ""
    line = f"{section:<12} {name:<58} {value:>12.4g} {unit:<6}{goal_text}"
    print(line, flush=True)
    new = not REPORT.exists()
    with REPORT.open("a", encoding="utf-8") as fh:
        if new:
            fh.write(
                f"# deckfollow benchmarks on {platform.node()} ({platform.python_version()})\n"
            )
        fh.write(f"{datetime.now(UTC):%Y-%m-%dT%H:%MZ}  {line}\n")


def median_seconds(fn: Callable[[], object], *, repeat: int = 7, warmup: int = 1) -> float:
    """The median wall time of `fn` over `repeat` runs, after warm-up runs."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)
