"""Waiting, as a user would, for a card dialog's reads and its preview to be in."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from deckfollow.ui.cards import CardBatchDialog, CardsDialog


def ready(qtbot: QtBot, dlg: CardsDialog | CardBatchDialog, timeout: int = 15000) -> None:
    """Until the dialog's database reads have been shown and its preview, rendered off the
    GUI thread, shows the card (or batch) as it stands, at its final quality."""
    ops = dlg._ops
    qtbot.waitUntil(
        lambda: ops.is_idle() and dlg.preview_current() and dlg.preview.settled(),
        timeout=timeout,
    )
