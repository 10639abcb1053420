"""Contact screens as the window opens them: what they show is read first, then they are built."""

from __future__ import annotations

import ssl
from datetime import datetime

from deckfollow.core.clock import Clock
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.screens import (
    read_call_screen,
    read_email_screen,
    read_log_outcome_screen,
    read_text_screen,
)
from deckfollow.storage.database import Database
from deckfollow.ui import operations
from deckfollow.ui.log_outcome import LogOutcomeDialog
from deckfollow.ui.messaging.call import CallDialog
from deckfollow.ui.messaging.compose_email import ComposeEmailDialog
from deckfollow.ui.messaging.text_message import TextMessageDialog
from deckfollow.ui.operations import Operations


def call_dialog(
    db: Database,
    now: datetime,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> CallDialog:
    """The call screen at `now` for whichever id the caller had, its data read beforehand."""
    with db.unit_of_work() as s:
        screen = read_call_screen(
            s, now=now, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )
    return CallDialog(db, screen, clock=lambda: now)


def text_dialog(
    db: Database,
    now: datetime,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
    credentials: CredentialStore | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> TextMessageDialog:
    """The text screen at `now` for whichever id the caller had, its data read beforehand."""
    with db.unit_of_work() as s:
        screen = read_text_screen(
            s, now=now, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )
    return TextMessageDialog(
        db, screen, clock=lambda: now, credentials=credentials, ssl_context=ssl_context
    )


def email_dialog(
    db: Database,
    now: datetime,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
    credentials: CredentialStore | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> ComposeEmailDialog:
    """The email screen at `now` for whichever id the caller had, its data read beforehand."""
    with db.unit_of_work() as s:
        screen = read_email_screen(
            s, now=now, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )
    return ComposeEmailDialog(
        db, screen, clock=lambda: now, credentials=credentials, ssl_context=ssl_context
    )


def log_outcome_dialog(
    db: Database,
    clock: Clock,
    *,
    follow_up_id: int | None = None,
    quote_id: int | None = None,
    customer_id: int | None = None,
) -> LogOutcomeDialog:
    """The log-outcome screen for whichever id the caller had, its data read beforehand;
    what it saves goes through the window's database thread (started here if none runs)."""
    if operations.serving(db) is None:
        Operations(db)
    with db.reading() as s:
        screen = read_log_outcome_screen(
            s, follow_up_id=follow_up_id, quote_id=quote_id, customer_id=customer_id
        )
    return LogOutcomeDialog(db, screen, clock=clock)
