"""The GUI modules' code read ahead on another thread: served as Python's own import would
load it, never when the source changed since it was compiled, and only while installed."""

from __future__ import annotations

import importlib
import importlib.resources
import inspect
import os
import py_compile
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from deckfollow.ui.prefetched_code import PrefetchedCode


@pytest.fixture
def package(tmp_path: Path) -> Iterator[Path]:
    """A package `shop` of two modules with their compiled files, importable from tmp_path."""
    folder = tmp_path / "shop"
    (folder / "tools").mkdir(parents=True)
    (folder / "__init__.py").write_text("KIND = 'package'\n")
    (folder / "prices.py").write_text("def price():\n    return 'from the source'\n")
    (folder / "tools" / "__init__.py").write_text("")
    (folder / "tools" / "saw.py").write_text("from shop.prices import price\nBLADE = 30\n")
    for source in folder.rglob("*.py"):
        py_compile.compile(str(source), doraise=True)
    sys.path.insert(0, str(tmp_path))
    yield folder
    sys.path.remove(str(tmp_path))
    for name in [m for m in sys.modules if m == "shop" or m.startswith("shop.")]:
        del sys.modules[name]


def _served(name: str) -> bool:
    spec = sys.modules[name].__spec__
    assert spec is not None
    return type(spec.loader).__name__ == "_Served"


def _import_through(code: PrefetchedCode, name: str) -> ModuleType:
    """`name` imported while `code` is installed."""
    code.install()
    try:
        return importlib.import_module(name)
    finally:
        code.uninstall()


def test_modules_read_on_another_thread_import_as_usual(package: Path) -> None:
    code = PrefetchedCode("shop", package)
    reading = threading.Thread(target=code.read)
    reading.start()
    reading.join()
    saw = _import_through(code, "shop.tools.saw")
    assert saw.BLADE == 30
    assert saw.price() == "from the source"
    assert all(_served(name) for name in ("shop", "shop.tools", "shop.tools.saw", "shop.prices"))
    # What a traceback, a reload or a look at the package needs is where Python puts it.
    assert saw.__file__ == str(package / "tools" / "saw.py")
    assert sys.modules["shop.tools"].__path__ == [str(package / "tools")]
    assert sys.modules["shop"].KIND == "package"
    listed = {entry.name for entry in importlib.resources.files("shop.tools").iterdir()}
    assert {"__init__.py", "saw.py"} <= listed
    assert "BLADE = 30" in inspect.getsource(saw)


def test_a_source_changed_since_it_was_compiled_is_imported_from_the_source(
    package: Path,
) -> None:
    prices = package / "prices.py"
    prices.write_text("def price():\n    return 'changed since it was compiled'\n")
    compiled = prices.stat().st_mtime + 10  # a compiled file's time would differ too
    os.utime(prices, (compiled, compiled))
    code = PrefetchedCode("shop", package)
    code.read()
    module = _import_through(code, "shop.prices")
    assert module.price() == "changed since it was compiled"
    assert not _served("shop.prices")
    assert _served("shop")


def test_nothing_is_served_once_uninstalled(package: Path) -> None:
    code = PrefetchedCode("shop", package)
    code.read()
    code.install()
    code.uninstall()
    assert code not in sys.meta_path
    importlib.import_module("shop.prices")
    assert not _served("shop.prices")


def test_it_is_asked_after_the_finders_placed_before_python_s_own(package: Path) -> None:
    """The finder that names modules to PySide ahead (`pyside_modules`) still sees each."""
    code = PrefetchedCode("shop", package)
    code.install()
    try:
        here = sys.meta_path.index(code)
        assert sys.meta_path[here + 1] is importlib.machinery.PathFinder
    finally:
        code.uninstall()
