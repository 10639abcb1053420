"""How the owner's email account signs in: a password (keyring) or a browser sign-in
(Gmail, Microsoft) whose tokens are in the keyring. Settings hold only which one."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from deckfollow.core.clock import Clock
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_providers import SignIn
from deckfollow.messaging.oauth import (
    OAuthClient,
    access_token,
    google_client,
    microsoft_client,
)

SIGN_IN_KEY = "email.sign_in"
PROVIDER_KEY = "email.provider"


def sign_in_kind(session: Session) -> SignIn:
    raw = get_setting(session, SIGN_IN_KEY)
    return SignIn(raw) if raw else SignIn.PASSWORD


def set_sign_in(session: Session, provider_key: str, kind: SignIn) -> None:
    set_setting(session, PROVIDER_KEY, provider_key)
    set_setting(session, SIGN_IN_KEY, kind.value)


def oauth_client(session: Session, kind: SignIn, store: CredentialStore) -> OAuthClient | None:
    """The app's registration with Google or Microsoft (client ID in settings; Google's
    installed-app client secret, if any, in the keyring)."""
    client_id = get_setting(session, f"oauth.{kind.value}.client_id") or ""
    if kind is SignIn.GOOGLE:
        return google_client(client_id, store.get("oauth-client:google") or "")
    if kind is SignIn.MICROSOFT:
        tenant = get_setting(session, "oauth.microsoft.tenant") or "common"
        return microsoft_client(client_id, tenant)
    return None


def set_oauth_client(
    session: Session, kind: SignIn, client_id: str, store: CredentialStore, secret: str = ""
) -> None:
    set_setting(session, f"oauth.{kind.value}.client_id", client_id.strip())
    if kind is SignIn.GOOGLE and secret:
        store.put("oauth-client:google", secret.strip())


@dataclass(frozen=True)
class MailSecret:
    password: str | None = None
    access_token: str | None = None


def mail_secret(
    session: Session, store: CredentialStore, user: str, password_account: str, *, clock: Clock
) -> MailSecret:
    """The password or a fresh access token for `user`. Raises SignInNeeded when a browser
    sign-in is set up but no longer accepted."""
    kind = sign_in_kind(session)
    client = oauth_client(session, kind, store)
    if client is not None:
        return MailSecret(access_token=access_token(store, client, user, clock=clock))
    return MailSecret(password=store.get(password_account))
