"""A throwaway PostgreSQL server for team-mode tests, started from Debian's binaries."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(
            f"PostgreSQL's {name} is missing: run scripts/bootstrap.sh --tests (package postgresql)"
        )
    return found[-1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@contextmanager
def postgres_server(
    password: str | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[str]:
    """Start a private cluster on a free loopback port; yield a SQLAlchemy URL; stop it.

    With `password`, the server asks for it (scram-sha-256) and the URL carries it; with
    `tls` (certificate and key files) it also offers TLS with that certificate."""
    root = Path(tempfile.mkdtemp(prefix="deckfollow-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    auth = ["-A", "trust"]
    env = dict(os.environ)
    if password is not None:
        pwfile = root / "pw"
        pwfile.write_text(password)
        auth = ["-A", "scram-sha-256", f"--pwfile={pwfile}"]
        env["PGPASSWORD"] = password
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")
        if password is not None:
            shutil.chown(root / "pw", "postgres")
    ssl: list[str] = []
    if tls is not None:
        for name, source in zip(("server.crt", "server.key"), tls, strict=True):
            shutil.copy(source, root / name)
            (root / name).chmod(0o600)
            if os.geteuid() == 0:
                shutil.chown(root / name, "postgres")
        ssl = ["-c", "ssl=on", "-c", f"ssl_cert_file={root / 'server.crt'}"]
        ssl += ["-c", f"ssl_key_file={root / 'server.key'}"]
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                _bin("initdb"),
                "-D",
                str(data),
                "-U",
                "deckfollow",
                *auth,
                "--no-sync",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    proc = subprocess.Popen(
        _as_postgres(
            [
                _bin("postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(sock),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                *ssl,
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"PostgreSQL did not start: {err}")
            time.sleep(0.1)
        subprocess.run(
            _as_postgres(
                [
                    _bin("createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "deckfollow",
                    "deckfollow",
                ]
            ),
            check=True,
            capture_output=True,
            env=env,
        )
        who = "deckfollow" if password is None else f"deckfollow:{password}"
        yield f"postgresql+psycopg://{who}@127.0.0.1:{port}/deckfollow"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()
        shutil.rmtree(root, ignore_errors=True)


def new_database(url: str, name: str) -> str:
    """A fresh, empty database `name` on the server at `url`; its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)
