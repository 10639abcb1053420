"""The XOAUTH2 SASL string Gmail and Microsoft accept for SMTP and IMAP (an access token,
never a password)."""

from __future__ import annotations


def xoauth2(user: str, access_token: str) -> bytes:
    """`user=…^Aauth=Bearer …^A^A`, unencoded (imaplib and smtplib base64 it themselves)."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01".encode()
