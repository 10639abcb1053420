"""One pass over the owner's inbox: every new message read once, logged once.

Each message is handled in its own transaction together with "seen" (its Message-ID) and
the mailbox position (the last UID, kept with the mailbox's UIDVALIDITY). A pass that is
killed part-way leaves every message before the kill logged and marked, and nothing of
the one it was on; the next pass goes on from there. When the server renumbers the
mailbox (a new UIDVALIDITY) the pass reads it all again and the kept Message-IDs stop
anything being logged twice.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from deckfollow.core.clock import Clock
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.core.unit_of_work import Store
from deckfollow.messaging import threads
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_auth import mail_secret, sign_in_kind
from deckfollow.messaging.email_providers import SignIn
from deckfollow.messaging.imap import (
    AccessToken,
    Auth,
    ImapSettings,
    Mailbox,
    Password,
    load_imap_settings,
)
from deckfollow.messaging.inbound import Handled, Kind, handle, parse_email
from deckfollow.messaging.smtp import load_smtp_settings

log = logging.getLogger(__name__)


ENABLED_KEY = "inbox.enabled"
INTERVAL_KEY = "inbox.interval_minutes"
DEFAULT_INTERVAL = 10
_UIDVALIDITY = "inbox.uidvalidity"
_LAST_UID = "inbox.last_uid"
_LAST_PASS = "inbox.last_pass"
FIRST_LOOK_BACK = timedelta(days=14)
KEEP_SEEN = timedelta(days=90)


def inbox_enabled(session: Session) -> bool:
    return get_setting(session, ENABLED_KEY, "0") == "1"


def set_inbox_enabled(session: Session, enabled: bool, interval_minutes: int | None = None) -> None:
    set_setting(session, ENABLED_KEY, "1" if enabled else "0")
    if interval_minutes is not None:
        set_setting(session, INTERVAL_KEY, str(max(1, min(interval_minutes, 24 * 60))))


def inbox_interval(session: Session) -> int:
    raw = get_setting(session, INTERVAL_KEY)
    return int(raw) if raw and raw.isdigit() else DEFAULT_INTERVAL


def last_pass(session: Session) -> datetime | None:
    raw = get_setting(session, _LAST_PASS)
    return datetime.fromisoformat(raw) if raw else None


@dataclass
class InboxReport:
    """What one pass did (the CLI prints it; the app shows the replies and stops)."""

    read: int = 0
    already: int = 0
    handled: list[Handled] = field(default_factory=list)

    def of(self, kind: Kind) -> list[Handled]:
        return [h for h in self.handled if h.kind is kind]

    @property
    def logged(self) -> list[Handled]:
        return [h for h in self.handled if h.kind in (Kind.REPLY, Kind.STOP, Kind.BOUNCE)]

    def summary(self) -> str:
        replies, stops, bounces = (len(self.of(k)) for k in (Kind.REPLY, Kind.STOP, Kind.BOUNCE))
        other = len(self.of(Kind.AUTOMATIC)) + len(self.of(Kind.UNKNOWN))
        return (
            f"{self.read} new message{'s' if self.read != 1 else ''}: {replies} "
            f"repl{'ies' if replies != 1 else 'y'}, {stops} asked to stop, {bounces} "
            f"bounce{'s' if bounces != 1 else ''}, {other} not for follow-up"
        )

    def as_json(self) -> dict[str, object]:
        return {
            "read": self.read,
            "already_seen": self.already,
            "messages": [h.as_json() for h in self.handled],
        }


def check_inbox(
    db: Store,
    settings: ImapSettings,
    auth: Auth,
    *,
    clock: Clock,
    ssl_context: ssl.SSLContext | None = None,
) -> InboxReport:
    """Read what is new in the inbox and log what it means. Raises ImapError."""
    report = InboxReport()
    with Mailbox(settings, auth, ssl_context=ssl_context) as mb:
        with db.reading() as s:
            kept = int(get_setting(s, _UIDVALIDITY, "0") or 0)
            last = int(get_setting(s, _LAST_UID, "0") or 0)
        if kept == mb.uidvalidity:
            uids = mb.uids_after(last)
        else:
            # The first pass reads back a fortnight, not years of mail (old replies and old
            # "stop"s were dealt with by hand). A renumbered mailbox is read back to the day
            # before the last pass; the kept Message-IDs stop anything being logged twice.
            with db.reading() as s:
                before = last_pass(s)
            since = (before - timedelta(days=1)) if kept and before else clock() - FIRST_LOOK_BACK
            uids = mb.uids_since(since.date())
            last = mb.highest_uid()  # older messages are behind us from now on
        for raw in mb.fetch(uids):
            now = clock()
            inc = parse_email(
                raw.header, raw.text, fallback_key=f"uid:{mb.uidvalidity}:{raw.uid}", now=now
            )
            with db.unit_of_work() as s:
                if threads.seen(s, inc.key):
                    report.already += 1
                else:
                    report.read += 1
                    done = handle(s, inc, now=now)
                    threads.mark_seen(s, inc.key, now)
                    report.handled.append(done)
                set_setting(s, _UIDVALIDITY, str(mb.uidvalidity))
                set_setting(s, _LAST_UID, str(raw.uid))
        with db.unit_of_work() as s:
            set_setting(s, _UIDVALIDITY, str(mb.uidvalidity))
            set_setting(s, _LAST_UID, str(max([*uids, last])))
            set_setting(s, _LAST_PASS, clock().isoformat())
            # Keep the marks a renumbered mailbox could need (a day back), and then some.
            threads.forget_seen_before(s, (clock() - KEEP_SEEN).date())
    log.info("inbox pass: %s", report.summary())
    return report


def _accounts(imap: ImapSettings, smtp_account: str, smtp_user: str) -> list[str]:
    """Keyring accounts that may hold the mailbox password: its own, then the sending
    account's when both are the same login (most providers use one password for both)."""
    accounts = [imap.account]
    if smtp_user and smtp_user.casefold() == imap.username.casefold():
        accounts.append(smtp_account)
    return accounts


def stored_auth(
    db: Store, store: CredentialStore, *, clock: Clock | None = None
) -> tuple[ImapSettings, Auth | None]:
    """The mailbox settings and the sign-in kept for them (None: ask for the password).

    A browser sign-in (Gmail, Microsoft) gives a fresh access token for XOAUTH2; raises
    SignInNeeded when the provider no longer accepts it.
    """
    with db.reading() as s:
        imap = load_imap_settings(s)
        smtp = load_smtp_settings(s)
        if clock is not None and sign_in_kind(s) is not SignIn.PASSWORD and imap.configured:
            secret = mail_secret(s, store, imap.username, imap.account, clock=clock)
            if secret.access_token:
                return imap, AccessToken(secret.access_token)
    for account in _accounts(imap, smtp.account, smtp.username):
        password = store.get(account)
        if password:
            return imap, Password(password)
    return imap, None
