"""One pass over everywhere a customer can answer: the mailbox and the SMS provider."""

from __future__ import annotations

from datetime import timedelta

from deckfollow.core.clock import Clock
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.imap import Auth
from deckfollow.messaging.inbox import (
    InboxReport,
    check_inbox,
    inbox_enabled,
    inbox_interval,
    last_pass,
    stored_auth,
)
from deckfollow.messaging.sms_providers import load_sms_settings
from deckfollow.messaging.text_inbox import check_texts


def check_all(
    db: Store, store: CredentialStore, *, clock: Clock, mailbox_auth: Auth | None = None
) -> InboxReport:
    """Read the inbox (when set up) and the provider's texts (when set up), once each."""
    imap, auth = stored_auth(db, store, clock=clock)
    report = InboxReport()
    auth = mailbox_auth or auth
    if imap.configured and auth is not None:
        report = check_inbox(db, imap, auth, clock=clock)
    with db.reading() as s:
        sms = load_sms_settings(s)
    secret = store.get(sms.secret_account) if sms.configured else None
    if secret:
        texts = check_texts(db, sms, secret, clock=clock)
        report.read += texts.read
        report.already += texts.already
        report.handled += texts.handled
    return report


def check_if_due(db: Store, store: CredentialStore, *, clock: Clock) -> InboxReport | None:
    """The app's timed pass: only when turned on and the owner's interval has passed."""
    now = clock()
    with db.reading() as s:
        if not inbox_enabled(s):
            return None
        last = last_pass(s)
        interval = inbox_interval(s)
    if last is not None and now - last < timedelta(minutes=interval) - timedelta(seconds=5):
        return None
    return check_all(db, store, clock=clock)
