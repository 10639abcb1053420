"""The app's log file: deckfollow.log in the user's log folder, rotated at 1 MB, 3 kept.

Only what helps with a problem goes in: which step failed and the ids of the records involved.
Customer data never does: as a net under every message, anything shaped like an email address
or a phone number is masked before it is written.
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

from platformdirs import user_log_dir

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
    return Path(user_log_dir("deckfollow", appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_NAME


def start_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Send the app's log to the rotating file (once per process); returns the file."""
    path = (folder or log_folder()) / LOG_NAME
    root = logging.getLogger()
    for handler in root.handlers:
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            return path
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
    )
    handler.setFormatter(_MaskingFormatter(_FORMAT))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    return path


def stop_logging(path: Path) -> None:
    """Close and remove the file handler writing to `path`."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path:
            root.removeHandler(handler)
            handler.close()
