"""The app's log file: deckfollow.log in the user's log folder, rotated at 1 MB, 3 kept.

Only what helps with a problem goes in: which step failed and the ids of the records involved.
Customer data never does: as a net under every message, anything shaped like an email address
or a phone number is masked before it is written.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded when the log starts: at the app's start, after its first paint
    from logging.handlers import RotatingFileHandler

LOG_NAME = "deckfollow.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits, maybe with +, spaces, dots, dashes or brackets between them; ids and
# counts are shorter, years and times have other separators.
_PHONE = re.compile(r"\+?\(?\d[\d ().-]{5,}\d")


def mask_contact_details(text: str) -> str:
    """`text` with email addresses and phone numbers replaced by a placeholder."""
    text = _EMAIL.sub("[email]", text)
    return _PHONE.sub(_phone_or_not, text)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _phone_or_not(match: re.Match[str]) -> str:
    found = match.group()
    if sum(c.isdigit() for c in found) < 7 or _DATE.search(found):
        return found  # an id, a count or a date, not a number to dial
    return "[phone]"


class _MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_contact_details(super().format(record))


def log_folder() -> Path:
    from platformdirs import user_log_dir

    return Path(user_log_dir("deckfollow", appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_NAME


class _Held(logging.Handler):
    """Keeps what is logged before the file is open, and hands it over once it is."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.target: logging.Handler | None = None  # the file's handler, once it took over

    def emit(self, record: logging.LogRecord) -> None:
        # Called under this handler's lock: the hand-over (`_hand_over`) takes it too.
        if self.target is not None:
            self.target.handle(record)  # logged while the hand-over ran
        else:
            self.records.append(record)


_held_lock = threading.Lock()


def hold_log(level: int = logging.INFO) -> None:
    """Keep what is logged from now until `start_logging` opens the file, and write it there
    then: the app's start opens the file (and loads what that needs) after its first paint."""
    root = logging.getLogger()
    with _held_lock:
        if any(isinstance(h, _Held) for h in root.handlers) or _file_handler(root, None):
            return
        root.addHandler(_Held())
        if root.level == logging.NOTSET or root.level > level:
            root.setLevel(level)


def _file_handler(root: logging.Logger, path: Path | None) -> RotatingFileHandler | None:
    """The handler writing to `path` (any log file with None), if there is one."""
    if "logging.handlers" not in sys.modules:  # none made yet, and none loaded for nothing
        return None
    from logging.handlers import RotatingFileHandler

    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and (
            path is None or Path(handler.baseFilename) == path
        ):
            return handler
    return None


def start_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's log to the rotating file (once per process); returns the file.
    What was kept since `hold_log` is written there first."""
    from logging.handlers import RotatingFileHandler

    path = (folder or log_folder()) / LOG_NAME
    root = logging.getLogger()
    with _held_lock:
        if _file_handler(root, path) is not None:
            return path
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        handler.setFormatter(_MaskingFormatter(_FORMAT))
        if root.level == logging.NOTSET or root.level > level:
            root.setLevel(level)
        held = [h for h in root.handlers if isinstance(h, _Held)]
        root.addHandler(handler)
        for keeper in held:
            _hand_over(root, keeper, handler)
    return path


def _hand_over(root: logging.Logger, keeper: _Held, handler: logging.Handler) -> None:
    # Under the keeper's lock no record is kept meanwhile: one logged as it is removed goes
    # to the file through it (`target`), each exactly once, in order.
    keeper.acquire()
    try:
        root.removeHandler(keeper)
        for record in keeper.records:
            handler.handle(record)
        keeper.records.clear()
        keeper.target = handler
    finally:
        keeper.release()


def stop_logging(path: Path) -> None:
    """Close and remove the file handler writing to `path`."""
    root = logging.getLogger()
    with _held_lock:
        handler = _file_handler(root, path)
        if handler is not None:
            root.removeHandler(handler)
            handler.close()
