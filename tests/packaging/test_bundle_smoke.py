"""The built Linux bundle runs with no Python of ours: packaging/smoke.sh on a clean copy.

Building takes minutes, so the suite never builds: `make bundle` does, and this test then
checks what it built (and is skipped, saying so, when there is no bundle).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "deckfollow"
EXE = BUNDLE / ("deckfollow.exe" if sys.platform == "win32" else "deckfollow")

pytestmark = pytest.mark.slow


@pytest.mark.skipif(not EXE.is_file(), reason="no bundle in dist/deckfollow (make bundle)")
@pytest.mark.skipif(shutil.which("bash") is None, reason="the smoke script needs bash")
def test_the_built_bundle_passes_its_smoke_steps() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(
        ["bash", str(ROOT / "packaging" / "smoke.sh"), str(BUNDLE)],
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: all steps passed" in done.stdout


@pytest.mark.skipif(not EXE.is_file(), reason="no bundle in dist/deckfollow (make bundle)")
def test_the_bundle_carries_no_qt_add_ons() -> None:
    names = {p.name for p in BUNDLE.rglob("*")}
    for unused in ("QtWebEngineCore", "QtPdf", "QtQuick", "QtMultimedia", "Qt3DCore"):
        assert not any(unused in n for n in names), unused
