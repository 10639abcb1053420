"""The desktop window on a 20,000-quote business, against a bare PySide6 window, same run."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import open_database
from tests.bench.report import record

pytestmark = pytest.mark.bench

RUNS = 5


def _probe(*args: str, env: dict[str, str]) -> tuple[float, dict[str, float]]:
    started = time.time()
    out = subprocess.run(
        [sys.executable, "-m", "tests.bench.window_probe", *args],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    line = [ln for ln in out.stdout.splitlines() if ln.startswith("{")][-1]
    return started, json.loads(line)


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import FROZEN_NOW

    path = tmp_path_factory.mktemp("window") / "big.db"
    db = open_database(str(path))
    with db.unit_of_work() as session:
        generate_demo(session, customers=8_000, quotes=20_000, seed=7, now=FROZEN_NOW, country="AU")
    db.close()
    return path


def test_window_against_bare_pyside(big_db: Path, tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    bare_first, bare_mem = [], []
    app_first, app_data, app_mem, search = [], [], [], []
    for _ in range(RUNS):
        t0, bare = _probe("bare", env=env)
        bare_first.append(bare["first_paint"] - t0)
        bare_mem.append(bare["peak_rss_mb"])
        t0, app = _probe("app", str(big_db), env=env)
        app_first.append(app["first_paint"] - t0)
        app_data.append(app["data_paint"] - t0)
        app_mem.append(app["peak_rss_mb"])
        search.append(app["search_median_ms"])
    bare_t = statistics.median(bare_first)
    first = statistics.median(app_first)
    data = statistics.median(app_data)
    record("window", "bare PySide6 window: start to first paint", bare_t, "s")
    record("window", "bare PySide6 window: peak memory", statistics.median(bare_mem), "MB")
    record("window", "(a) start to first painted window", first, "s")
    record("window", "(a) ratio to bare window", first / bare_t, "x", "<= 1.3x")
    record("window", "(b) start to pipeline painted, 20k quotes", data, "s")
    record("window", "(b) ratio to bare window", data / bare_t, "x", "<= 2.5x")
    record(
        "window",
        "(c) keystroke to updated list, 20k, median",
        statistics.median(search),
        "ms",
        "<= 16 ms",
    )
    record("window", "(d) peak memory, 20k quotes", statistics.median(app_mem), "MB", "<= 250 MB")
