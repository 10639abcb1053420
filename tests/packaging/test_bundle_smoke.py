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


@pytest.mark.skipif(not EXE.is_file(), reason="no bundle in dist/deckfollow (make bundle)")
def test_the_bundle_fits_in_150_mb_on_disk() -> None:
    # What `du` counts: allocated blocks, each file once (symlinks are tiny).
    used = sum(p.lstat().st_blocks * 512 for p in BUNDLE.rglob("*"))
    assert used <= 150 * 2**20, f"the bundle takes {used / 2**20:.1f} MiB"


@pytest.mark.skipif(
    not (EXE.is_file() and sys.platform.startswith("linux")), reason="no Linux bundle"
)
def test_the_linux_bundle_leaves_out_what_a_desktop_never_loads() -> None:
    plugins = BUNDLE / "_internal" / "PySide6" / "Qt" / "plugins"
    names = {str(p.relative_to(plugins)) for p in plugins.rglob("*.so")}
    assert "platforms/libqxcb.so" in names and "platforms/libqwayland.so" in names
    assert "platforms/libqoffscreen.so" in names
    for unused in ("platforms/libqlinuxfb", "platforms/libqvnc", "generic/", "tls/"):
        assert not any(n.startswith(unused) for n in names), unused
    top = {p.name for p in (BUNDLE / "_internal").iterdir()}
    assert not top & {"libjpeg.so.62", "libpng16.so.16"}
