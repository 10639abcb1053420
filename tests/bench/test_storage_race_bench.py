"""The full restore race (50 trials): `pytest tests/bench/test_storage_race_bench.py -m bench`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bench.report import record
from tests.conftest import Prebuilt
from tests.storage.test_restore_race import restore_race


@pytest.mark.bench
@pytest.mark.slow
@pytest.mark.timeout(1800)
def test_restore_raced_against_an_import_and_a_stop_50_times(tmp_path: Path, prebuilt: Prebuilt):
    figures = restore_race(tmp_path, 50, seed=50, prebuilt=prebuilt)
    print(f"\nrestore race: {figures}")
    record("data safety", "restore race: trials", figures.trials, "trials")
    record(
        "data safety", "restore race: imports reported saved", figures.imports_reported, "trials"
    )
    record("data safety", "restore race: stops reported saved", figures.stops_reported, "trials")
    record("data safety", "restore race: reported writes lost", len(figures.lost), "writes", "0")
    record("data safety", "restore race: raw errors shown", len(figures.raw_errors), "errors", "0")
    assert figures.lost == []
    assert figures.raw_errors == []
