"""Browser sign-in (authorization code + PKCE on a loopback redirect), refresh, revocation,
and XOAUTH2 for sending: the token endpoint stood in on loopback, a real aiosmtpd server."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
from keyring.backends import fail

from deckfollow.core.enums import Channel
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.messaging.credentials import CredentialStore
from deckfollow.messaging.email_providers import SignIn, guess_provider, provider
from deckfollow.messaging.oauth import (
    OAuthError,
    SignInNeeded,
    access_token,
    google_client,
    microsoft_client,
    save_tokens,
    sign_in,
    token_account,
)
from deckfollow.messaging.outbox import Draft, send_email_and_log
from deckfollow.messaging.sasl import xoauth2
from deckfollow.messaging.smtp import Security, SendError, SmtpSettings
from deckfollow.storage.database import Database
from tests.messaging.conftest import Handler, free_port

USER = "sam.carpenter@gmail.com"
CLIENT_ID = "1234-desktop.apps.googleusercontent.com"


@dataclass
class TokenEndpoint:
    """Answers as Google's and Microsoft's documented /authorize and /token endpoints."""

    base: str = ""
    challenges: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # code -> (challenge, redirect)
    revoked: set[str] = field(default_factory=set)
    issued: int = 0
    rotate: bool = False  # Microsoft hands a new refresh token on each refresh
    wrong_state: bool = False


def _endpoint_handler(state: TokenEndpoint) -> type[BaseHTTPRequestHandler]:
    class H(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # /authorize: the user signs in, the browser is sent back
            q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            assert q["client_id"] == CLIENT_ID and q["response_type"] == "code"
            assert q["code_challenge_method"] == "S256"
            code = f"4/code-{len(state.challenges)}"
            state.challenges[code] = (q["code_challenge"], q["redirect_uri"])
            back = q["state"] + ("-tampered" if state.wrong_state else "")
            self.send_response(302)
            self.send_header(
                "Location",
                q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": back}),
            )
            self.end_headers()

        def do_POST(self) -> None:  # /token
            form = dict(
                urllib.parse.parse_qsl(
                    self.rfile.read(int(self.headers["Content-Length"])).decode()
                )
            )
            if form["grant_type"] == "authorization_code":
                challenge, redirect = state.challenges.pop(form["code"], ("", ""))
                digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                made = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if not challenge or made != challenge or redirect != form["redirect_uri"]:
                    return self._json(
                        400,
                        {"error": "invalid_grant", "error_description": "Bad code or verifier."},
                    )
                return self._issue(None)
            if form["grant_type"] == "refresh_token":
                if form["refresh_token"] in state.revoked:
                    return self._json(
                        400,
                        {
                            "error": "invalid_grant",
                            "error_description": "Token has been expired or revoked.",
                        },
                    )
                return self._issue(form["refresh_token"])
            self._json(400, {"error": "unsupported_grant_type"})

        def _issue(self, old_refresh: str | None) -> None:
            state.issued += 1
            body: dict[str, Any] = {
                "access_token": f"ya29.access-{state.issued}",
                "expires_in": 3599,
                "token_type": "Bearer",
                "scope": "https://mail.google.com/",
            }
            if old_refresh is None or state.rotate:
                body["refresh_token"] = f"1//refresh-{state.issued}"
            self._json(200, body)

    return H


@pytest.fixture
def endpoint() -> Iterator[TokenEndpoint]:
    state = TokenEndpoint()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _endpoint_handler(state))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def _browser(url: str) -> None:
    """What the owner's browser does: open the page, sign in, follow the redirect home."""
    with urllib.request.urlopen(url, timeout=10) as resp:
        resp.read()


def _store() -> CredentialStore:
    return CredentialStore(fail.Keyring())  # type: ignore[no-untyped-call]


def test_sign_in_with_pkce_then_refresh_then_revocation_asks_to_sign_in_again(
    endpoint: TokenEndpoint, now: datetime
) -> None:
    client = google_client(CLIENT_ID).with_endpoints(endpoint.base)
    tokens = sign_in(client, login_hint=USER, open_browser=_browser, clock=lambda: now, timeout=20)
    assert tokens.access_token == "ya29.access-1" and tokens.refresh_token == "1//refresh-1"
    store = _store()
    save_tokens(store, SignIn.GOOGLE, USER, tokens)
    # Still fresh: no call to the server.
    assert access_token(store, client, USER, clock=lambda: now) == "ya29.access-1"
    # An hour on: refreshed by itself, the refresh token kept (Google does not rotate it).
    later = now + timedelta(hours=1)
    assert access_token(store, client, USER, clock=lambda: later) == "ya29.access-2"
    assert access_token(store, client, USER, clock=lambda: later) == "ya29.access-2"
    # The owner withdraws deckfollow's access in their Google account.
    endpoint.revoked.add("1//refresh-1")
    with pytest.raises(SignInNeeded, match="sign in to your email again"):
        access_token(store, client, USER, clock=lambda: later + timedelta(hours=2))
    assert store.get(token_account(SignIn.GOOGLE, USER)) is None


def test_microsoft_rotates_its_refresh_token_and_the_new_one_is_kept(
    endpoint: TokenEndpoint, now: datetime
) -> None:
    endpoint.rotate = True
    client = microsoft_client(CLIENT_ID).with_endpoints(endpoint.base)
    assert "offline_access" in client.scopes
    store = _store()
    save_tokens(
        store,
        SignIn.MICROSOFT,
        USER,
        sign_in(client, login_hint=USER, open_browser=_browser, clock=lambda: now, timeout=20),
    )
    assert (
        access_token(store, client, USER, clock=lambda: now + timedelta(hours=2)) == "ya29.access-2"
    )
    endpoint.revoked.add("1//refresh-1")  # the old one is spent once rotated
    assert (
        access_token(store, client, USER, clock=lambda: now + timedelta(hours=4)) == "ya29.access-3"
    )


def test_a_tampered_state_or_a_missing_registration_is_refused(
    endpoint: TokenEndpoint, now: datetime
) -> None:
    endpoint.wrong_state = True
    client = google_client(CLIENT_ID).with_endpoints(endpoint.base)
    with pytest.raises(OAuthError, match="state_mismatch"):
        sign_in(client, login_hint=USER, open_browser=_browser, clock=lambda: now, timeout=20)
    with pytest.raises(OAuthError, match="no app registration"):
        sign_in(google_client(""), login_hint=USER, open_browser=_browser, clock=lambda: now)


class XOAuth2Handler(Handler):
    """aiosmtpd with an XOAUTH2 mechanism accepting one token for one user."""

    token = "ya29.access-1"

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        raw = base64.b64decode(args[1]) if len(args) > 1 else b""
        ok = raw == xoauth2(USER, self.token)
        if not ok:
            await server.push("334 eyJzdGF0dXMiOiI0MDEiLCJzY2hlbWVzIjoiYmVhcmVyIn0=")
            await server.challenge_auth("", encode_to_b64=False)
            return AuthResult(
                success=False, handled=False, message="535 5.7.8 Username and Password not accepted"
            )
        return AuthResult(success=True, auth_data=LoginPassword(USER.encode(), b""))


def test_sending_signs_in_with_xoauth2_and_a_refused_token_is_explained(
    db: Database, now: datetime, customer: LeadCreated
) -> None:
    handler = XOAuth2Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, auth_require_tls=False)
    controller.start()
    try:
        smtp = SmtpSettings("127.0.0.1", port, Security.PLAIN, USER, USER, "Sam", timeout=10)
        with db.unit_of_work() as s:
            fu_id = schedule_follow_up(
                s,
                customer.customer_id,
                customer.quote_id,
                FollowUpPlan(now, Channel.EMAIL, "Check the quote arrived"),
                now=now - timedelta(hours=1),
            ).id
        draft = Draft(
            customer.customer_id,
            Channel.EMAIL,
            "Did the quote arrive?",
            subject="Your quote",
            quote_id=customer.quote_id,
            follow_up_id=fu_id,
            to_address="zoe@example.com",
            to_name="Zoë",
        )
        nxt = FollowUpPlan(now + timedelta(days=4), Channel.EMAIL, "Send photos")
        with pytest.raises(SendError) as err:
            send_email_and_log(
                db,
                draft,
                nxt,
                smtp=smtp,
                password=None,
                clock=lambda: now,
                access_token="ya29.stale",
            )
        assert "ya29.stale" not in str(err.value)
        assert handler.received == []
        result = send_email_and_log(
            db,
            draft,
            nxt,
            smtp=smtp,
            password=None,
            clock=lambda: now,
            access_token="ya29.access-1",
        )
        assert result.logged and len(handler.received) == 1
    finally:
        controller.stop()


def test_providers_fill_in_their_servers_and_say_how_to_sign_in() -> None:
    gmail = guess_provider("sam@gmail.com")
    assert (gmail.smtp_host, gmail.smtp_port, gmail.imap_host) == (
        "smtp.gmail.com",
        465,
        "imap.gmail.com",
    )
    assert gmail.sign_in is SignIn.GOOGLE
    assert guess_provider("sam@hotmail.com").sign_in is SignIn.MICROSOFT
    assert provider("microsoft365").smtp_host == "smtp.office365.com"
    icloud = guess_provider("sam@icloud.com")
    assert icloud.sign_in is SignIn.APP_PASSWORD and icloud.help_url.startswith("https://")
    assert guess_provider("sam@carpenterdecks.example").key == "other"


def test_the_inbox_is_read_with_xoauth2_and_a_withdrawn_token_is_refused(
    db: Database, now: datetime, customer: LeadCreated
) -> None:
    import shutil
    import tempfile
    from pathlib import Path

    from deckfollow.messaging.imap import AccessToken, ImapError, ImapSettings
    from deckfollow.messaging.inbox import check_inbox
    from tests.messaging.imap_server import IMAP_USER, start_dovecot
    from tests.messaging.test_inbox import mail

    good = {"ya29.inbox-token"}

    class Introspect(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:  # RFC 7662, as the provider's endpoint answers
            form = dict(
                urllib.parse.parse_qsl(
                    self.rfile.read(int(self.headers["Content-Length"])).decode()
                )
            )
            token = form.get("token", "")
            body = {"active": True, "email": IMAP_USER} if token in good else {"active": False}
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    http = ThreadingHTTPServer(("127.0.0.1", 0), Introspect)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    root = Path(tempfile.mkdtemp(prefix="deckfollow-dovecot-"))
    root.chmod(0o755)
    server = start_dovecot(
        root / "server", introspection_url=f"http://127.0.0.1:{http.server_address[1]}/introspect"
    )
    try:
        server.deliver(mail("zoe@example.com", "Yes please.", at=now - timedelta(minutes=2)))
        imap = ImapSettings("127.0.0.1", server.port, Security.PLAIN, IMAP_USER, timeout=10)
        report = check_inbox(db, imap, AccessToken("ya29.inbox-token"), clock=lambda: now)
        assert report.read == 1 and report.handled[0].customer_id == customer.customer_id
        with pytest.raises(ImapError, match="refused the sign-in") as err:
            check_inbox(db, imap, AccessToken("ya29.withdrawn"), clock=lambda: now)
        assert "ya29.withdrawn" not in str(err.value)
    finally:
        server.stop()
        http.shutdown()
        http.server_close()
        shutil.rmtree(root, ignore_errors=True)
