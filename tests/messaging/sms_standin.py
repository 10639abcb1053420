"""A stand-in for Twilio's and ClickSend's REST APIs on loopback, answering as their
documents describe (success, 401, 400 for a bad number, 429), and listing inbound texts."""

from __future__ import annotations

import base64
import json
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-auth-token-KEYRING-ONLY"
CLICKSEND_USER = "sam.carpenter"
CLICKSEND_KEY = "CLICKSEND-API-KEY-KEYRING-ONLY"
INVALID = "+15005550001"  # Twilio's documented "invalid number" test value


@dataclass
class Inbound:
    sid: str
    sender: str
    to: str
    body: str
    at: datetime


@dataclass
class Standin:
    port: int = 0
    sent: list[dict[str, Any]] = field(default_factory=list)
    inbound: list[Inbound] = field(default_factory=list)
    busy: bool = False  # answer 429

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _handler(state: Standin) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _auth(self) -> tuple[str, str]:
            raw = self.headers.get("Authorization", "")
            if not raw.startswith("Basic "):
                return "", ""
            user, _, secret = base64.b64decode(raw[6:]).decode().partition(":")
            return user, secret

        def _answer(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self) -> bytes:
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            if path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                return self._twilio_send()
            if path == "/v3/sms/send":
                return self._clicksend_send()
            self._answer(404, {"message": "not found"})

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path == f"/2010-04-01/Accounts/{TWILIO_SID}/Messages.json":
                if self._auth() != (TWILIO_SID, TWILIO_TOKEN):
                    return self._answer(
                        401, {"code": 20003, "message": "Authenticate", "status": 401}
                    )
                to = parse_qs(parts.query).get("To", [""])[0]
                msgs = [
                    {
                        "sid": m.sid,
                        "from": m.sender,
                        "to": m.to,
                        "body": m.body,
                        "direction": "inbound",
                        "date_sent": format_datetime(m.at),
                    }
                    for m in state.inbound
                    if m.to == to
                ]
                return self._answer(200, {"messages": msgs, "next_page_uri": None})
            if parts.path == "/v3/sms/inbound":
                if self._auth() != (CLICKSEND_USER, CLICKSEND_KEY):
                    return self._answer(401, {"http_code": 401, "response_code": "UNAUTHORIZED"})
                rows = [
                    {
                        "message_id": m.sid,
                        "from": m.sender,
                        "to": m.to,
                        "body": m.body,
                        "timestamp": str(int(m.at.timestamp())),
                    }
                    for m in state.inbound
                ]
                page = {"total": len(rows), "current_page": 1, "last_page": 1, "data": rows}
                return self._answer(
                    200, {"http_code": 200, "response_code": "SUCCESS", "data": page}
                )
            self._answer(404, {"message": "not found"})

        def _twilio_send(self) -> None:
            if self._auth() != (TWILIO_SID, TWILIO_TOKEN):
                return self._answer(
                    401,
                    {
                        "code": 20003,
                        "message": "Authenticate",
                        "more_info": "https://www.twilio.com/docs/errors/20003",
                        "status": 401,
                    },
                )
            if state.busy:
                return self._answer(
                    429, {"code": 20429, "message": "Too Many Requests", "status": 429}
                )
            form = {k: v[0] for k, v in parse_qs(self._body().decode()).items()}
            to = form.get("To", "")
            if to == INVALID or not to.startswith("+"):
                return self._answer(
                    400,
                    {
                        "code": 21211,
                        "message": f"The 'To' number {to} is not a valid phone number.",
                        "status": 400,
                    },
                )
            sid = "SM" + uuid.uuid4().hex
            state.sent.append({"provider": "twilio", **form})
            self._answer(
                201,
                {
                    "sid": sid,
                    "status": "queued",
                    "to": to,
                    "from": form.get("From"),
                    "body": form.get("Body"),
                    "price": "-0.07900",
                    "price_unit": "USD",
                    "num_segments": "1",
                },
            )

        def _clicksend_send(self) -> None:
            if self._auth() != (CLICKSEND_USER, CLICKSEND_KEY):
                return self._answer(
                    401,
                    {
                        "http_code": 401,
                        "response_code": "UNAUTHORIZED",
                        "response_msg": "Invalid credentials.",
                        "data": None,
                    },
                )
            if state.busy:
                return self._answer(
                    429,
                    {
                        "http_code": 429,
                        "response_code": "TOO_MANY_REQUESTS",
                        "response_msg": "Too many requests.",
                    },
                )
            payload = json.loads(self._body())
            out = []
            for m in payload["messages"]:
                status = "INVALID_RECIPIENT" if m["to"] == INVALID else "SUCCESS"
                if status == "SUCCESS":
                    state.sent.append({"provider": "clicksend", **m})
                out.append(
                    {
                        "message_id": str(uuid.uuid4()).upper(),
                        "to": m["to"],
                        "from": m["from"],
                        "body": m["body"],
                        "status": status,
                        "message_price": "0.0771",
                        "message_parts": 1,
                    }
                )
            self._answer(
                200,
                {
                    "http_code": 200,
                    "response_code": "SUCCESS",
                    "response_msg": "Messages queued for delivery.",
                    "data": {
                        "total_price": 0.0771,
                        "total_count": len(out),
                        "queued_count": len(out),
                        "messages": out,
                        "_currency": {"currency_name_short": "AUD", "currency_prefix_d": "$"},
                    },
                },
            )

    return Handler


class StandinServer:
    def __init__(self) -> None:
        self.state = Standin()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.state.port = int(self._server.server_address[1])
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
