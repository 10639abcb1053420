"""PySide never reads the source of the app's modules (see `ui.pyside_modules`)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

# Run in a fresh interpreter: which modules PySide has seen depends on everything the
# process imported before, and a test process has imported a great deal.
_PROBE = textwrap.dedent(
    """
    import linecache, sys
    import colorsys  # loaded before the window's package and before PySide
    import deckfollow.ui
    import PySide6.QtCore
    import shown_after  # a module of the app's kind, loaded after both
    feature = sys.modules["shibokensupport.feature"]
    read = sorted(name for name in ("colorsys", "shown_after")
                  if any(name in path for path in linecache.cache))
    print(",".join(read) or "none")
    print(feature.pyside_feature_dict.get("shown_after"))
    """
)


def _run(tmp_path: Path) -> list[str]:
    (tmp_path / "shown_after.py").write_text(
        "import colorsys\nfrom PySide6.QtCore import QObject\n\nWIDGET = QObject\n"
    )
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", _PROBE],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={"PYTHONPATH": f"{tmp_path}:{root}", "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )
    return done.stdout.split()


def test_no_module_source_is_read_after_the_window_package_loads(tmp_path: Path) -> None:
    read, selection = _run(tmp_path)
    # Neither the module loaded before (checked when next imported by name) nor the one
    # loaded after: their lines were never read, so none are kept in memory either.
    assert read == "none"
    # PySide's table holds the default selection for the new module, as its own check
    # would have given a module that uses PySide.
    assert selection == "0"
