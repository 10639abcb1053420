"""Shared set-up for the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deckfollow.ui import formatting


@pytest.fixture(autouse=True)
def _owner_clock_from_this_computer() -> Iterator[None]:
    """Each test starts with the owner's clock unknown (the computer's), as a fresh app does:
    a zone set by one test's settings must not leak into the next."""
    formatting._OWNER_ZONE.clear()
    yield
    formatting._OWNER_ZONE.clear()
