"""Texts through an SMS provider account: Twilio and ClickSend, over their REST APIs.

- Twilio: `POST {base}/2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP
  basic auth (Account SID : Auth Token); replies listed by `GET` on the same path.
- ClickSend: `POST {base}/v3/sms/send`, JSON, HTTP basic auth (username : API key);
  replies listed by `GET {base}/v3/sms/inbound`.

The secret (auth token or API key) comes from the keyring through `credentials` and is
never logged; the base URL is a setting so a test can point it at a stand-in on loopback.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from deckfollow.core.errors import DeckfollowError, ValidationError
from deckfollow.core.settings import get_setting, set_setting
from deckfollow.messaging.smtp import is_loopback, system_context

log = logging.getLogger(__name__)


class Provider(StrEnum):
    TWILIO = "twilio"
    CLICKSEND = "clicksend"

    @property
    def label(self) -> str:
        return {Provider.TWILIO: "Twilio", Provider.CLICKSEND: "ClickSend"}[self]

    @property
    def default_base(self) -> str:
        return {
            Provider.TWILIO: "https://api.twilio.com",
            Provider.CLICKSEND: "https://rest.clicksend.com",
        }[self]

    @property
    def account_label(self) -> str:
        return {Provider.TWILIO: "Account SID", Provider.CLICKSEND: "Username"}[self]

    @property
    def secret_label(self) -> str:
        return {Provider.TWILIO: "Auth token", Provider.CLICKSEND: "API key"}[self]


@dataclass(frozen=True)
class SmsSettings:
    provider: Provider | None = None
    account: str = ""  # Twilio Account SID, or ClickSend username
    sender: str = ""  # the number texts come from (E.164), or a sender name where allowed
    base_url: str = ""  # empty: the provider's own
    timeout: float = 30.0

    @property
    def configured(self) -> bool:
        return self.provider is not None and bool(self.account and self.sender)

    @property
    def base(self) -> str:
        assert self.provider is not None
        return (self.base_url or self.provider.default_base).rstrip("/")

    @property
    def secret_account(self) -> str:
        """The keyring account name (the secret itself is never stored here)."""
        return f"sms:{self.provider.value if self.provider else ''}:{self.account}"


_KEYS = ("provider", "account", "sender", "base_url")


def load_sms_settings(session: Session) -> SmsSettings:
    raw = {k: get_setting(session, f"sms.provider.{k}") or "" for k in _KEYS}
    return SmsSettings(
        Provider(raw["provider"]) if raw["provider"] else None,
        raw["account"],
        raw["sender"],
        raw["base_url"],
    )


def validate_sms_settings(s: SmsSettings) -> SmsSettings:
    if s.provider is None:
        raise ValidationError("provider", "choose Twilio or ClickSend")
    account = s.account.strip()
    if not account:
        raise ValidationError(s.provider.account_label.lower(), "is empty")
    if s.provider is Provider.TWILIO and not (account.startswith("AC") and len(account) == 34):
        raise ValidationError("account SID", "a Twilio Account SID starts with AC (34 characters)")
    sender = s.sender.strip()
    if not sender:
        raise ValidationError("sender", "enter the number texts come from, e.g. +61412555019")
    if not sender.startswith("+") and not (sender.isalnum() and len(sender) <= 11):
        raise ValidationError(
            "sender",
            "a number in international form (+61…), or a sender name of up to 11 letters "
            "and digits",
        )
    base = s.base_url.strip().rstrip("/")
    if base:
        parts = urllib.parse.urlsplit(base)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValidationError("address", f"{base!r} is not a web address")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ValidationError("address", "the provider must be reached over https")
    return SmsSettings(s.provider, account, sender, base, s.timeout)


def save_sms_settings(session: Session, s: SmsSettings) -> SmsSettings:
    s = validate_sms_settings(s)
    for k, v in (
        ("provider", s.provider.value if s.provider else ""),
        ("account", s.account),
        ("sender", s.sender),
        ("base_url", s.base_url),
    ):
        set_setting(session, f"sms.provider.{k}", v)
    return s


class SmsFailure(StrEnum):
    CONFIG = "config"
    AUTH = "auth"
    NUMBER = "number"
    RATE = "rate"
    CONNECT = "connect"
    SERVER = "server"


class SmsError(DeckfollowError):
    """The text was not sent; `str()` says why and what to do."""

    def __init__(self, failure: SmsFailure, message: str) -> None:
        super().__init__(message)
        self.failure = failure


@dataclass(frozen=True)
class SmsSent:
    provider_id: str
    status: str
    cost: Decimal | None  # what the provider charged, if it said
    currency: str | None
    parts: int = 1

    def cost_text(self) -> str:
        if self.cost is None:
            return "cost not reported yet"
        return f"{self.cost.copy_abs():.4f} {self.currency or ''}".strip()


@dataclass(frozen=True)
class InboundText:
    provider_id: str
    sender: str
    at: datetime
    body: str


def _request(
    s: SmsSettings,
    secret: str,
    method: str,
    path: str,
    *,
    form: dict[str, str] | None = None,
    payload: object = None,
    ssl_context: ssl.SSLContext | None,
) -> tuple[int, Any]:
    if not s.configured:
        raise SmsError(SmsFailure.CONFIG, "set up your text provider first (Settings › Texts)")
    if not secret:
        raise SmsError(
            SmsFailure.AUTH, f"enter your {s.provider.secret_label if s.provider else 'key'}"
        )
    data: bytes | None = None
    headers = {"Accept": "application/json", "User-Agent": "deckfollow"}
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif payload is not None:
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    token = base64.b64encode(f"{s.account}:{secret}".encode()).decode("ascii")
    headers["Authorization"] = "Basic " + token
    url = s.base + path
    req = urllib.request.Request(url, data=data, headers=headers, method=method)
    ctx = ssl_context if ssl_context is not None else system_context()
    try:
        with urllib.request.urlopen(req, timeout=s.timeout, context=ctx) as resp:
            return resp.status, _json(resp.read())
    except urllib.error.HTTPError as exc:
        body = _json(exc.read())
        return exc.code, body
    except ssl.SSLCertVerificationError as exc:
        raise SmsError(
            SmsFailure.CONNECT,
            f"the provider's certificate could not be trusted ({exc.verify_message})",
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SmsError(
            SmsFailure.CONNECT,
            f"{s.provider.label if s.provider else 'the provider'} is not answering "
            f"({type(exc).__name__}); check that you are online, then try again",
        ) from exc


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw.decode("utf-8") or "null")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _failure(s: SmsSettings, status: int, body: Any, to: str) -> SmsError:
    name = s.provider.label if s.provider else "The provider"
    info = body if isinstance(body, dict) else {}
    said = str(info.get("message") or info.get("response_msg") or "").strip()
    said = f" ({said[:200]})" if said else ""
    if status in (401, 403):
        return SmsError(
            SmsFailure.AUTH,
            f"{name} refused the {s.provider.account_label if s.provider else 'account'} or "
            f"{s.provider.secret_label.lower() if s.provider else 'key'}{said}; check them in "
            "Settings › Texts",
        )
    if status == 429:
        return SmsError(
            SmsFailure.RATE, f"{name} is busy (too many texts at once); try again in a minute"
        )
    if status == 400 and (
        info.get("code") in (21211, 21614, 21408)
        or "number" in said.lower()
        or "recipient" in said.lower()
    ):
        return SmsError(
            SmsFailure.NUMBER, f"{name} cannot text {to}{said}; check the customer's cell number"
        )
    return SmsError(SmsFailure.SERVER, f"{name} did not send the text (HTTP {status}){said}")


def send_sms(
    s: SmsSettings,
    secret: str,
    to_e164: str,
    body: str,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> SmsSent:
    """Send one text; returns the provider's id and the cost it reported. Raises SmsError."""
    if not body.strip():
        raise ValidationError("text", "is empty")
    if s.provider is Provider.TWILIO:
        form = {"To": to_e164, "Body": body}
        form["MessagingServiceSid" if s.sender.startswith("MG") else "From"] = s.sender
        status, answer = _request(
            s,
            secret,
            "POST",
            f"/2010-04-01/Accounts/{urllib.parse.quote(s.account)}/Messages.json",
            form=form,
            ssl_context=ssl_context,
        )
        if status not in (200, 201) or not isinstance(answer, dict):
            raise _failure(s, status, answer, to_e164)
        return SmsSent(
            str(answer.get("sid", "")),
            str(answer.get("status", "queued")),
            _decimal(answer.get("price")),
            answer.get("price_unit"),
            int(answer.get("num_segments") or 1),
        )
    payload = {
        "messages": [{"source": "deckfollow", "from": s.sender, "to": to_e164, "body": body}]
    }
    status, answer = _request(
        s, secret, "POST", "/v3/sms/send", payload=payload, ssl_context=ssl_context
    )
    if status != 200 or not isinstance(answer, dict):
        raise _failure(s, status, answer, to_e164)
    data = answer.get("data") or {}
    messages = data.get("messages") or [{}]
    first = messages[0]
    if first.get("status") not in (None, "SUCCESS", "QUEUED"):
        raise SmsError(
            SmsFailure.NUMBER if "RECIPIENT" in str(first.get("status")) else SmsFailure.SERVER,
            f"ClickSend did not send the text ({first.get('status')}); check the customer's "
            "cell number",
        )
    currency = (data.get("_currency") or {}).get("currency_name_short")
    return SmsSent(
        str(first.get("message_id", "")),
        str(first.get("status", "SUCCESS")).lower(),
        _decimal(first.get("message_price") or data.get("total_price")),
        currency,
        int(first.get("message_parts") or 1),
    )


def inbound_texts(
    s: SmsSettings,
    secret: str,
    *,
    since: datetime | None,
    ssl_context: ssl.SSLContext | None = None,
) -> list[InboundText]:
    """Texts people sent to the owner's number (newest pages until `since`), oldest first."""
    out: list[InboundText] = []
    if s.provider is Provider.TWILIO:
        query = {"To": s.sender, "PageSize": "200"}
        if since is not None:
            query["DateSent>"] = since.date().isoformat()
        path = (
            f"/2010-04-01/Accounts/{urllib.parse.quote(s.account)}/Messages.json?"
            + urllib.parse.urlencode(query)
        )
        for _ in range(20):  # pages; a day's replies fit in one
            status, answer = _request(s, secret, "GET", path, ssl_context=ssl_context)
            if status != 200 or not isinstance(answer, dict):
                raise _failure(s, status, answer, s.sender)
            for m in answer.get("messages") or []:
                if not str(m.get("direction", "")).startswith("inbound"):
                    continue
                try:
                    at = parsedate_to_datetime(str(m.get("date_sent") or m.get("date_created")))
                except (TypeError, ValueError):
                    continue
                out.append(
                    InboundText(
                        str(m["sid"]),
                        str(m.get("from", "")),
                        at.astimezone(UTC),
                        str(m.get("body") or ""),
                    )
                )
            nxt = answer.get("next_page_uri")
            if not nxt:
                break
            path = str(nxt)
    else:
        path = "/v3/sms/inbound?limit=100"
        for _ in range(20):
            status, answer = _request(s, secret, "GET", path, ssl_context=ssl_context)
            if status != 200 or not isinstance(answer, dict):
                raise _failure(s, status, answer, s.sender)
            page = answer.get("data") or {}
            for m in page.get("data") or []:
                at = datetime.fromtimestamp(int(m.get("timestamp") or 0), UTC)
                out.append(
                    InboundText(
                        str(m.get("message_id")),
                        str(m.get("from", "")),
                        at,
                        str(m.get("body") or ""),
                    )
                )
            if page.get("current_page", 1) >= page.get("last_page", 1):
                break
            path = f"/v3/sms/inbound?limit=100&page={int(page.get('current_page', 1)) + 1}"
    if since is not None:
        out = [m for m in out if m.at >= since]
    return sorted(out, key=lambda m: m.at)
