"""A throwaway PostgreSQL server for team-mode tests, started from Debian's binaries."""

from __future__ import annotations

import atexit
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


# PostgreSQL's programs refuse to run as root: a test run as root starts them as `postgres`.
# The process is then the server itself, so stopping it is one signal to it (through
# `runuser` it took two seconds more: runuser waits that long before it lets go).
POSTGRES_USER = "postgres" if os.geteuid() == 0 else None


def _owned_by_postgres(*paths: Path) -> None:
    if os.geteuid() == 0:
        for path in paths:
            shutil.chown(path, "postgres")


# Per password: a stopped cluster with its empty `deckfollow` database, made once per run
# and copied for each server (initdb costs seconds, a copy a fraction of one).
_clusters: dict[str | None, Path] = {}


def _start(data: Path, sock: Path, port: int, options: list[str]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            _bin("postgres"),
            *("-D", str(data), "-p", str(port), "-k", str(sock)),
            *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"),
            *options,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        user=POSTGRES_USER,
    )
    deadline = time.monotonic() + 30
    while True:
        # Ready when it accepts sessions: an open port alone still answers "starting up".
        ready = subprocess.run(
            [_bin("pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port)], check=False
        )
        if ready.returncode == 0:
            return proc
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            err = proc.communicate()[1].decode()
            raise RuntimeError(f"PostgreSQL did not start: {err}")
        time.sleep(0.02)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(timeout=30)
    if proc.stderr is not None:
        proc.stderr.close()


def _cluster(password: str | None) -> Path:
    """The data folder of a new cluster whose `deckfollow` user owns a `deckfollow`
    database; with `password`, it asks for it (scram-sha-256)."""
    made = _clusters.get(password)
    if made is None:
        root = Path(tempfile.mkdtemp(prefix="deckfollow-pgcluster-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        made, sock = root / "data", root / "sock"
        sock.mkdir()
        auth = ["-A", "trust"]
        env = dict(os.environ)
        if password is not None:
            (root / "pw").write_text(password)
            auth = ["-A", "scram-sha-256", f"--pwfile={root / 'pw'}"]
            env["PGPASSWORD"] = password
            _owned_by_postgres(root / "pw")
        _owned_by_postgres(root, sock)
        subprocess.run(
            [_bin("initdb"), "-D", str(made), "-U", "deckfollow", *auth, "--no-sync", "-E", "UTF8"],
            check=True,
            capture_output=True,
            user=POSTGRES_USER,
        )
        port = _free_port()
        env["PGUSER"] = "deckfollow"
        proc = _start(made, sock, port, [])
        try:
            subprocess.run(
                [_bin("createdb"), *("-h", "127.0.0.1", "-p", str(port)), "deckfollow"],
                check=True,
                capture_output=True,
                env=env,
            )
        finally:
            _stop(proc)
        _clusters[password] = made
    return made


@contextmanager
def postgres_server(
    password: str | None = None, tls: tuple[Path, Path] | None = None
) -> Iterator[str]:
    """Start a private cluster on a free loopback port; yield a SQLAlchemy URL; stop it.

    With `password`, the server asks for it (scram-sha-256) and the URL carries it; with
    `tls` (certificate and key files) it also offers TLS with that certificate."""
    cluster = _cluster(password)
    root = Path(tempfile.mkdtemp(prefix="deckfollow-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    _owned_by_postgres(root, sock)
    subprocess.run(
        ["cp", "-a", str(cluster), str(data)],
        check=True,
        capture_output=True,
        user=POSTGRES_USER,
    )
    ssl: list[str] = []
    if tls is not None:
        for name, source in zip(("server.crt", "server.key"), tls, strict=True):
            shutil.copy(source, root / name)
            (root / name).chmod(0o600)
            _owned_by_postgres(root / name)
        ssl = ["-c", "ssl=on", "-c", f"ssl_cert_file={root / 'server.crt'}"]
        ssl += ["-c", f"ssl_key_file={root / 'server.key'}"]
    port = _free_port()
    proc = _start(data, sock, port, ssl)
    try:
        who = "deckfollow" if password is None else f"deckfollow:{password}"
        yield f"postgresql+psycopg://{who}@127.0.0.1:{port}/deckfollow"
    finally:
        _stop(proc)
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
