"""The owner's email account as its settings screen reads and saves it, in one piece.

Reading gathers the server, how emails look, the footer and how the owner signs in;
saving checks and stores them together (never a password: that goes to the keyring), and
prepares reading replies from the same provider's inbox, left off until asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from deckfollow.core.changes import Changes
from deckfollow.core.contact_info import normalise_email
from deckfollow.core.settings import get_setting
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_auth import (
    PROVIDER_KEY,
    oauth_client,
    set_oauth_client,
    set_sign_in,
    sign_in_kind,
)
from deckfollow.messaging.email_extras import Extras, load_extras, save_extras
from deckfollow.messaging.email_providers import SignIn, guess_provider, provider
from deckfollow.messaging.imap import ImapSettings, load_imap_settings, save_imap_settings
from deckfollow.messaging.oauth import OAuthClient, google_client
from deckfollow.messaging.smtp import (
    DEFAULT_OPT_OUT,
    Security,
    SmtpSettings,
    footer_enabled,
    load_smtp_settings,
    save_footer,
    save_smtp_settings,
    validate_smtp_settings,
)

__all__ = [
    "EmailAccount",
    "EmailAccountEdit",
    "SavedEmailAccount",
    "check_email_account",
    "load_email_account",
    "save_email_account",
    "save_oauth_client",
    "save_sign_in",
]

SAVED = Changes(settings=True)


@dataclass(frozen=True)
class EmailAccount:
    """What the email settings show when they open."""

    smtp: SmtpSettings
    extras: Extras
    footer_on: bool
    opt_out: str
    sign_in: SignIn
    provider_key: str
    client_ids: dict[SignIn, str]


def load_email_account(session: Session, credentials: CredentialStore) -> EmailAccount:
    """The owner's email account as set (a provider guessed from the address if none chosen)."""
    smtp = load_smtp_settings(session)
    return EmailAccount(
        smtp=smtp,
        extras=load_extras(session),
        footer_on=footer_enabled(session),
        opt_out=get_setting(session, "email.opt_out_text") or DEFAULT_OPT_OUT,
        sign_in=sign_in_kind(session),
        provider_key=get_setting(session, PROVIDER_KEY) or guess_provider(smtp.from_address).key,
        client_ids={
            k: (oauth_client(session, k, credentials) or google_client("")).client_id
            for k in (SignIn.GOOGLE, SignIn.MICROSOFT)
        },
    )


@dataclass(frozen=True)
class EmailAccountEdit:
    """What the owner typed. `signature=None` keeps the one made from their details."""

    smtp: SmtpSettings
    footer_on: bool
    opt_out: str
    signature: str | None
    reply_to: str
    html: bool
    provider_key: str
    sign_in: SignIn


@dataclass(frozen=True)
class SavedEmailAccount:
    """The server settings as stored (checked and tidied)."""

    smtp: SmtpSettings
    changes: Changes = field(default=SAVED)


def check_email_account(edit: EmailAccountEdit) -> None:
    """Refuse what no database is needed to refuse (a server sent to in the clear, a
    Reply-To that is no address), naming the field, before anything is stored."""
    validate_smtp_settings(edit.smtp)
    if edit.reply_to.strip():
        normalise_email(edit.reply_to, "reply-to address")


def save_email_account(session: Session, edit: EmailAccountEdit) -> SavedEmailAccount:
    """Check and store the account; a refusal names its field and stores nothing."""
    check_email_account(edit)
    saved = save_smtp_settings(session, edit.smtp)
    save_footer(session, enabled=edit.footer_on, opt_out=edit.opt_out)
    save_extras(session, signature=edit.signature, reply_to=edit.reply_to, html_part=edit.html)
    set_sign_in(session, edit.provider_key, edit.sign_in)
    chosen = provider(edit.provider_key)
    if chosen.imap_host and not load_imap_settings(session).host:
        # Reading replies later needs no more typing (it stays off until asked).
        save_imap_settings(
            session,
            ImapSettings(
                chosen.imap_host,
                chosen.imap_port,
                Security.SSL,
                saved.username or saved.from_address,
            ),
        )
    return SavedEmailAccount(saved)


@dataclass(frozen=True)
class SavedClient:
    """The app's registration with a provider, ready for the browser sign-in."""

    client: OAuthClient
    changes: Changes = field(default=SAVED)


def save_oauth_client(
    session: Session, kind: SignIn, client_id: str, credentials: CredentialStore
) -> SavedClient:
    """Store the client ID typed for Google or Microsoft; the registration to sign in with."""
    set_oauth_client(session, kind, client_id, credentials)
    client = oauth_client(session, kind, credentials)
    if client is None:
        raise ValueError(f"{kind} is not signed in through a browser")
    return SavedClient(client)


def save_sign_in(session: Session, provider_key: str, kind: SignIn) -> Changes:
    """Remember the provider and how the owner signs in (after a browser sign-in)."""
    set_sign_in(session, provider_key, kind)
    return SAVED
