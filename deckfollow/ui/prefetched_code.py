"""The GUI modules' compiled code, read from disk ahead on another thread.

The GUI thread imports the GUI's modules itself (see `start_modules`). Importing one reads
and checks files: each read or check lets go of the interpreter's lock, and while the
database thread reads the quotes it takes a turn of that thread to get it back. The
start's GUI modules imported so froze the window up to a third of a second at 100,000
quotes, for 24-30 ms of its own work. So the files are read on another thread first, and the GUI
thread's imports find their code here: what is left on the GUI thread is running it.

Only code compiled from the source as it is now is used (the same check Python makes);
any other module imports as usual. Nothing is read where the GUI's modules have no files
of their own (an installed app's bundle).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import marshal
import os
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from types import CodeType, ModuleType

# The package whose modules are served, and where its files are.
_PACKAGE = "deckfollow.ui"
_FOLDER = Path(__file__).resolve().parent


def _code_of(source: Path) -> CodeType | None:
    """The code compiled from `source` as it is now, from its cached file; else None."""
    cached = importlib.util.cache_from_source(str(source))
    try:
        with open(cached, "rb") as file:
            data = file.read()
        found = os.stat(source)
    except OSError:
        return None
    header = data[:16]
    if (
        len(header) < 16
        or header[:4] != importlib.util.MAGIC_NUMBER
        or int.from_bytes(header[4:8], "little") != 0  # compiled from the source's hash
        or int.from_bytes(header[8:12], "little") != int(found.st_mtime) & 0xFFFFFFFF
        or int.from_bytes(header[12:16], "little") != found.st_size & 0xFFFFFFFF
    ):
        return None
    try:
        code = marshal.loads(memoryview(data)[16:])
    except (EOFError, ValueError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


def _module_name(package: str, folder: Path, source: Path) -> str:
    parts = source.relative_to(folder).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join((package, *parts))


class _Served(importlib.machinery.SourceFileLoader):
    """Python's own loader of a source file, given the module's code read ahead: its
    source, resources and package are found as usual."""

    def __init__(self, fullname: str, path: str, code: CodeType) -> None:
        super().__init__(fullname, path)
        self._code = code

    def get_code(self, fullname: str) -> CodeType:
        return self._code


class PrefetchedCode(importlib.abc.MetaPathFinder):
    """Serves the GUI modules' code once `read` has run (on any thread), while installed.

    One per app: `GUI_CODE`."""

    def __init__(self, package: str = _PACKAGE, folder: Path = _FOLDER) -> None:
        """Serves the modules of `package`, whose files are in `folder`."""
        self._package, self._folder = package, folder
        self._code: dict[str, tuple[Path, CodeType]] = {}
        self._lock = threading.Lock()
        self._read = False

    def read(self) -> None:
        """Read the current compiled code of every GUI module not imported yet (about
        15 ms; not on the GUI thread: that is the point). Once per start."""
        with self._lock:
            if self._read:
                return
            self._read = True
        found: dict[str, tuple[Path, CodeType]] = {}
        for source in self._folder.rglob("*.py"):
            name = _module_name(self._package, self._folder, source)
            if name not in sys.modules:
                code = _code_of(source)
                if code is not None:
                    found[name] = (source, code)
        with self._lock:
            self._code = found

    def install(self) -> None:
        """Serve the code `read` finds, just ahead of Python's own finder of files (on the
        GUI thread, as a start begins): a finder placed before it for every module
        (`pyside_modules`) still sees each name first."""
        if self in sys.meta_path:
            return
        files = importlib.machinery.PathFinder
        place = sys.meta_path.index(files) if files in sys.meta_path else len(sys.meta_path)
        sys.meta_path.insert(place, self)

    def uninstall(self) -> None:
        """Stop serving (the start is over) and let go of what was not imported; the next
        start reads afresh."""
        if self in sys.meta_path:
            sys.meta_path.remove(self)
        with self._lock:
            self._code = {}
            self._read = False

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        with self._lock:
            found = self._code.pop(fullname, None)
        if found is None:
            return None
        source, code = found
        package = source.name == "__init__.py"
        return importlib.util.spec_from_file_location(
            fullname,
            source,
            loader=_Served(fullname, str(source), code),
            submodule_search_locations=[str(source.parent)] if package else None,
        )


# The app's one server of the GUI's code read ahead (installed by each start, read by the
# first of its threads to get there, uninstalled once the start is over).
GUI_CODE = PrefetchedCode()
