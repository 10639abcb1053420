"""Shared set-up for the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QLocale

from deckfollow.ui import formatting


@pytest.fixture(autouse=True)
def _owner_clock_from_this_computer() -> Iterator[None]:
    """Each test starts with the owner's clock unknown (the computer's) and the locale it
    found, as a fresh app does: a zone or country saved by one test must not leak into the
    next."""
    locale = QLocale()
    formatting._OWNER_ZONE.clear()
    yield
    formatting._OWNER_ZONE.clear()
    QLocale.setDefault(locale)
