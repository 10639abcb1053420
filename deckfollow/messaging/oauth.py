"""Signing in to Gmail and Microsoft the way desktop apps do: OAuth 2.0 authorization code
with PKCE, the browser sent back to a one-shot listener on 127.0.0.1.

Built on the standard library (`http.server`, `secrets`, `hashlib`, `urllib`): one flow
serves both providers, with nothing to install, and every step can be tested against a
local server answering as their token endpoints do. Tokens live in the keyring (through
`credentials`), never in the database or a log; the access token is refreshed by itself,
and a refresh the provider refuses (`invalid_grant`: revoked, expired, password changed)
raises `SignInNeeded` so the app asks to sign in again.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import secrets
import ssl
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

from deckfollow.core.clock import Clock
from deckfollow.core.errors import DeckfollowError
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_providers import SignIn
from deckfollow.messaging.smtp import system_context

log = logging.getLogger(__name__)

# Refresh a little before the provider's expiry, so a send never starts with a dying token.
EARLY = timedelta(minutes=2)


@dataclass(frozen=True)
class OAuthClient:
    """One provider's endpoints and the app's registration with it."""

    kind: SignIn
    authorize_url: str
    token_url: str
    client_id: str
    scopes: tuple[str, ...]
    client_secret: str = ""  # Google issues one to desktop apps; it is not a real secret

    def with_endpoints(self, base: str) -> OAuthClient:
        """The same client against another server (a stand-in in tests)."""
        return OAuthClient(
            self.kind,
            f"{base}/authorize",
            f"{base}/token",
            self.client_id,
            self.scopes,
            self.client_secret,
        )


def google_client(client_id: str, client_secret: str = "") -> OAuthClient:
    return OAuthClient(
        SignIn.GOOGLE,
        "https://accounts.google.com/o/oauth2/v2/auth",
        "https://oauth2.googleapis.com/token",
        client_id,
        ("https://mail.google.com/",),
        client_secret,
    )


def microsoft_client(client_id: str, tenant: str = "common") -> OAuthClient:
    base = f"https://login.microsoftonline.com/{tenant}/oauth2/v2.0"
    return OAuthClient(
        SignIn.MICROSOFT,
        f"{base}/authorize",
        f"{base}/token",
        client_id,
        (
            "https://outlook.office.com/SMTP.Send",
            "https://outlook.office.com/IMAP.AccessAsUser.All",
            "offline_access",
        ),
    )


class OAuthError(DeckfollowError):
    """Signing in did not work; `str()` says why."""


class SignInNeeded(OAuthError):
    """The provider no longer accepts the saved sign-in: the owner must sign in again."""


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: datetime

    def to_json(self) -> str:
        return json.dumps(
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "expires_at": self.expires_at.isoformat(),
            }
        )

    @staticmethod
    def from_json(raw: str) -> Tokens:
        d = json.loads(raw)
        return Tokens(
            d["access_token"], d["refresh_token"], datetime.fromisoformat(d["expires_at"])
        )


def token_account(kind: SignIn, user: str) -> str:
    """The keyring account that holds the tokens for this sign-in."""
    return f"oauth:{kind.value}:{user.casefold()}"


@dataclass(frozen=True)
class Pkce:
    verifier: str
    challenge: str

    @staticmethod
    def make() -> Pkce:
        verifier = secrets.token_urlsafe(64)  # 86 characters, inside RFC 7636's 43..128
        digest = hashlib.sha256(verifier.encode("ascii")).digest()
        return Pkce(verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii"))


def authorize_url(
    client: OAuthClient, *, redirect_uri: str, state: str, pkce: Pkce, login_hint: str
) -> str:
    query = {
        "client_id": client.client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": " ".join(client.scopes),
        "state": state,
        "code_challenge": pkce.challenge,
        "code_challenge_method": "S256",
    }
    if login_hint:
        query["login_hint"] = login_hint
    if client.kind is SignIn.GOOGLE:
        query["access_type"] = "offline"  # a refresh token, too
        query["prompt"] = "consent"
    return client.authorize_url + "?" + urllib.parse.urlencode(query)


def _post(
    client: OAuthClient, form: dict[str, str], ssl_context: ssl.SSLContext | None
) -> dict[str, Any]:
    if client.client_secret:
        form = {**form, "client_secret": client.client_secret}
    req = urllib.request.Request(
        client.token_url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    ctx = ssl_context if ssl_context is not None else system_context()
    try:
        with urllib.request.urlopen(req, timeout=30, context=ctx) as resp:
            body = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        try:
            body = json.loads(exc.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = {}
        error = str(body.get("error") or f"HTTP {exc.code}")
        if error == "invalid_grant":
            raise SignInNeeded(
                "your sign-in has expired or was withdrawn; sign in to your email again"
            ) from None
        said = str(body.get("error_description") or "").splitlines()[0][:200] if body else ""
        raise OAuthError(
            f"the sign-in server refused ({error}{': ' + said if said else ''})"
        ) from None
    except (urllib.error.URLError, OSError, json.JSONDecodeError) as exc:
        raise OAuthError(
            f"the sign-in server is not answering ({type(exc).__name__}); check that you are online"
        ) from exc
    if not isinstance(body, dict) or "access_token" not in body:
        raise OAuthError("the sign-in server's answer had no access token")
    return body


def _tokens(body: dict[str, Any], now: datetime, previous_refresh: str = "") -> Tokens:
    refresh = str(body.get("refresh_token") or previous_refresh)
    if not refresh:
        raise OAuthError("the sign-in server gave no refresh token; sign in again")
    expires = now + timedelta(seconds=int(body.get("expires_in") or 3600))
    return Tokens(str(body["access_token"]), refresh, expires)


def exchange_code(
    client: OAuthClient,
    *,
    code: str,
    pkce: Pkce,
    redirect_uri: str,
    now: datetime,
    ssl_context: ssl.SSLContext | None = None,
) -> Tokens:
    body = _post(
        client,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client.client_id,
            "code_verifier": pkce.verifier,
        },
        ssl_context,
    )
    return _tokens(body, now)


def refresh(
    client: OAuthClient, tokens: Tokens, *, now: datetime, ssl_context: ssl.SSLContext | None = None
) -> Tokens:
    """New tokens; Microsoft may hand a new refresh token too, which then replaces the old."""
    body = _post(
        client,
        {
            "grant_type": "refresh_token",
            "refresh_token": tokens.refresh_token,
            "client_id": client.client_id,
            "scope": " ".join(client.scopes),
        },
        ssl_context,
    )
    return _tokens(body, now, tokens.refresh_token)


class _Redirect(BaseHTTPRequestHandler):
    result: dict[str, str]
    expected_state: str

    def log_message(self, format: str, *args: Any) -> None:  # the URL holds the code
        pass

    def do_GET(self) -> None:
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
        if "code" not in query and "error" not in query:
            self.send_response(404)
            self.end_headers()
            return
        ok = query.get("state") == self.expected_state and "code" in query
        if not self.result:
            self.result.update(query if ok else {"error": query.get("error", "state_mismatch")})
        text = (
            "Signed in. You can close this tab and go back to deckfollow."
            if ok
            else "Sign-in did not finish: "
            + html.escape(query.get("error_description") or query.get("error", "it was refused"))
        )
        page = f"<!doctype html><meta charset=utf-8><title>deckfollow</title><p>{text}</p>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        self.wfile.write(page)


def sign_in(
    client: OAuthClient,
    *,
    login_hint: str,
    open_browser: Callable[[str], object],
    clock: Clock,
    timeout: float = 300,
    ssl_context: ssl.SSLContext | None = None,
) -> Tokens:
    """Open the provider's sign-in page and wait for it to send the browser back here."""
    if not client.client_id:
        raise OAuthError(
            "this copy of deckfollow has no app registration for this provider; use an app "
            "password, or enter a client ID in Email settings"
        )
    pkce = Pkce.make()
    state = secrets.token_urlsafe(24)
    result: dict[str, str] = {}
    handler = type("Redirect", (_Redirect,), {"result": result, "expected_state": state})
    server = HTTPServer(("127.0.0.1", 0), handler)
    server.timeout = 1
    redirect_uri = f"http://127.0.0.1:{server.server_address[1]}/"
    done = threading.Event()

    def serve() -> None:
        deadline = clock() + timedelta(seconds=timeout)
        while not result and clock() < deadline and not done.is_set():
            server.handle_request()

    thread = threading.Thread(target=serve, name="oauth-redirect", daemon=True)
    thread.start()
    try:
        open_browser(
            authorize_url(
                client, redirect_uri=redirect_uri, state=state, pkce=pkce, login_hint=login_hint
            )
        )
        thread.join(timeout + 2)
    finally:
        done.set()
        thread.join(3)
        server.server_close()
    if "code" not in result:
        reason = result.get("error", "no answer from the browser in time")
        raise OAuthError(f"sign-in did not finish ({reason})")
    return exchange_code(
        client,
        code=result["code"],
        pkce=pkce,
        redirect_uri=redirect_uri,
        now=clock(),
        ssl_context=ssl_context,
    )


def save_tokens(store: CredentialStore, kind: SignIn, user: str, tokens: Tokens) -> None:
    store.put(token_account(kind, user), tokens.to_json())


def access_token(
    store: CredentialStore,
    client: OAuthClient,
    user: str,
    *,
    clock: Clock,
    ssl_context: ssl.SSLContext | None = None,
) -> str:
    """A valid access token for `user`, refreshed (and saved) when it is about to expire.

    Raises SignInNeeded when there is no sign-in or the provider withdrew it (the saved
    tokens are then forgotten).
    """
    account = token_account(client.kind, user)
    raw = store.get(account)
    if not raw:
        raise SignInNeeded("sign in to your email first")
    tokens = Tokens.from_json(raw)
    now = clock()
    if tokens.expires_at - EARLY > now:
        return tokens.access_token
    try:
        fresh = refresh(client, tokens, now=now, ssl_context=ssl_context)
    except SignInNeeded:
        store.forget(account)
        raise
    store.put(account, fresh.to_json())
    log.info("refreshed the %s sign-in", client.kind.value)
    return fresh.access_token
