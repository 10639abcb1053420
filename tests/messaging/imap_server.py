"""A real Dovecot IMAP server on loopback with a throw-away config, mailbox and user."""

from __future__ import annotations

import getpass
import imaplib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

IMAP_USER = "sam@carpenterdecks.example"
IMAP_PASSWORD = "Imap-Pässword-keyring-ONLY-7"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen[bytes]

    def deliver(self, *messages: EmailMessage | bytes, arrived: datetime | None = None) -> None:
        """Put messages in the inbox (IMAP APPEND, as a mail server's delivery would)."""
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        try:
            token = f"\0{IMAP_USER}\0{IMAP_PASSWORD}".encode()
            imap.authenticate("PLAIN", lambda _: token)
            for m in messages:
                raw = m if isinstance(m, bytes) else m.as_bytes()
                when = imaplib.Time2Internaldate(arrived) if arrived else None
                typ, data = imap.append("INBOX", None, when, raw)
                assert typ == "OK", data
        finally:
            imap.logout()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_dovecot(root: Path, *, introspection_url: str = "") -> Dovecot:
    """Start Dovecot as this user (or, as root, with Dovecot's own unprivileged users).

    With `introspection_url` it also takes XOAUTH2, asking that URL (RFC 7662 token
    introspection, as a provider's would answer) whether a bearer token is good.
    """
    if not Path(DOVECOT).exists():
        raise RuntimeError("install dovecot-imapd (packaging/debian-test-packages.txt)")
    root.mkdir(parents=True, exist_ok=True)
    me = getpass.getuser()
    as_root = os.geteuid() == 0
    internal, login, mail_user = ("dovecot", "dovenull", "dovecot") if as_root else (me, me, me)
    mail = root / "mail"
    mail.mkdir(exist_ok=True)
    (root / "run").mkdir(exist_ok=True)
    if as_root:
        pw = pwd.getpwnam(mail_user)
        os.chown(mail, pw.pw_uid, pw.pw_gid)
    uid = pwd.getpwnam(mail_user).pw_uid
    users = root / "users"
    users.write_text(f"{IMAP_USER}:{{PLAIN}}{IMAP_PASSWORD}::::::\n", encoding="utf-8")
    port = _free_port()
    oauth = ""
    mechanisms = "plain login"
    if introspection_url:
        (root / "oauth2.conf").write_text(
            f"introspection_mode = post\nintrospection_url = {introspection_url}\n"
            "username_attribute = email\nactive_attribute = active\nactive_value = true\n",
            encoding="utf-8",
        )
        mechanisms += " xoauth2"
        oauth = f"""passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf
}}
"""
    conf = root / "dovecot.conf"
    conf.write_text(
        f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = {mechanisms}
login_trusted_networks = 127.0.0.1/8
default_internal_user = {internal}
default_internal_group = {pwd.getpwnam(internal).pw_gid and internal}
default_login_user = {login}
first_valid_uid = {min(uid, 1)}
mail_location = maildir:{mail}/%u
{oauth}passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {users}
}}
userdb {{
  driver = static
  args = uid={uid} gid={pwd.getpwnam(mail_user).pw_gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""",
        encoding="utf-8",
    )
    with open(root / "stderr.log", "wb") as err_file:
        proc = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=err_file
        )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                err = (root / "stderr.log").read_text(errors="replace")
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                raise RuntimeError(f"dovecot did not start: {err}\n{log}") from None
            if time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError("dovecot did not start listening") from None
            time.sleep(0.05)
    return Dovecot(root, port, proc)
