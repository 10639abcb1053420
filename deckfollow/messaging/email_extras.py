"""What makes a follow-up email look like it came from a real business: an HTML part beside
the plain text, the owner's signature with their cell number, `Reply-To`, and attachments
(the quote's PDF, a photo)."""

from __future__ import annotations

import html
import mimetypes
import re
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from sqlalchemy.orm import Session

from deckfollow.core.contact_info import format_phone, normalise_email
from deckfollow.core.errors import ValidationError
from deckfollow.core.settings import get_setting, load_settings, set_setting

# Most providers refuse messages over 20-25 MB once encoded (base64 adds a third).
MAX_ATTACHMENTS = 15 * 1024 * 1024


@dataclass(frozen=True)
class Extras:
    signature: str = ""
    reply_to: str = ""
    attachments: tuple[Path, ...] = ()
    html: bool = True


def default_signature(session: Session) -> str:
    owner = load_settings(session)
    cell = format_phone(owner.owner_phone) if owner.owner_phone else ""
    lines = [owner.owner_name, owner.business_name, f"Cell {cell}" if cell else ""]
    return "\n".join(line for line in lines if line)


def load_extras(session: Session) -> Extras:
    """The owner's signature (their own, or name · business · cell) and Reply-To."""
    signature = get_setting(session, "email.signature")
    return Extras(
        signature=default_signature(session) if signature is None else signature,
        reply_to=get_setting(session, "email.reply_to") or "",
        html=get_setting(session, "email.html", "1") == "1",
    )


def save_extras(session: Session, *, signature: str | None, reply_to: str, html_part: bool) -> None:
    """Store the owner's choices; `signature=None` keeps the one made from their details
    (it then follows a change of name, business or cell)."""
    reply = normalise_email(reply_to, "reply-to address") if reply_to.strip() else ""
    if signature is not None:
        set_setting(session, "email.signature", signature.strip())
    set_setting(session, "email.reply_to", reply)
    set_setting(session, "email.html", "1" if html_part else "0")


def with_attachments(extras: Extras, paths: list[Path]) -> Extras:
    return Extras(extras.signature, extras.reply_to, tuple(paths), extras.html)


def check_attachments(paths: tuple[Path, ...]) -> None:
    total = 0
    for p in paths:
        if not p.is_file():
            raise ValidationError("attachment", f"{p.name} is not there any more")
        total += p.stat().st_size
    if total > MAX_ATTACHMENTS:
        raise ValidationError(
            "attachment",
            f"the attachments come to {total / 1_048_576:.1f} MB; most mail servers refuse more "
            f"than {MAX_ATTACHMENTS // 1_048_576} MB",
        )


_URL = re.compile(r"(https?://[^\s<>\"]+)")


def _html(text: str) -> str:
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    out = []
    for p in paragraphs:
        escaped = html.escape(p)
        escaped = _URL.sub(r'<a href="\1">\1</a>', escaped)
        out.append("<p>" + escaped.replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def apply_extras(msg: EmailMessage, text: str, footer: str, extras: Extras) -> None:
    """Fill `msg` with the plain text (and signature, footer), an HTML twin, attachments."""
    plain = text.rstrip() + "\n"
    if extras.signature.strip():
        plain += "\n" + extras.signature.strip() + "\n"
    if footer:
        plain += "\n" + footer + "\n"
    msg.set_content(plain, cte="quoted-printable" if not plain.isascii() else "7bit")
    if extras.html:
        body = _html(text)
        if extras.signature.strip():
            body += (
                '\n<p style="color:#444">'
                + html.escape(extras.signature.strip()).replace("\n", "<br>\n")
                + "</p>"
            )
        if footer:
            body += (
                '\n<p style="color:#777;font-size:smaller">'
                + html.escape(footer.strip()).replace("\n", "<br>\n")
                + "</p>"
            )
        page = (
            '<!doctype html>\n<html><body style="font-family:sans-serif">\n'
            f"{body}\n</body></html>\n"
        )
        msg.add_alternative(page, subtype="html")
    if extras.reply_to:
        msg["Reply-To"] = extras.reply_to
    check_attachments(extras.attachments)
    for path in extras.attachments:
        kind, _ = mimetypes.guess_type(path.name)
        main, _, sub = (kind or "application/octet-stream").partition("/")
        msg.add_attachment(path.read_bytes(), maintype=main, subtype=sub, filename=path.name)
