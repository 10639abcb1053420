"""Backing up a team database with PostgreSQL's own `pg_dump`, when it is installed.

The dump (custom format, restorable with `pg_restore`, see docs/team.md) holds the whole
database as the server has it. The password never goes on the command line, where other
users of the computer could read it: it is handed over in the child's environment.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

from deckfollow.core.errors import StorageError
from deckfollow.storage.database import Database
from deckfollow.storage.secrets_hidden import hide_secrets


def find_pg_dump() -> str | None:
    """pg_dump on the PATH, else in the usual Debian/Ubuntu place (newest version first)."""
    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"), reverse=True)
    return candidates[0] if candidates else None


def default_dump_path(db: Database, folder: Path, now: datetime) -> Path:
    name = db.engine.url.database or "deckfollow"
    return folder / f"{name}-{now:%Y%m%d-%H%M%S}.dump"


def dump_server(db: Database, out: Path, *, pg_dump: str) -> Path:
    """Write a pg_dump of the team database to `out`; StorageError in one line on failure."""
    url = db.engine.url
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for key, value in (("PGSSLMODE", url.query.get("sslmode")),):
        if isinstance(value, str):
            env[key] = value
    args = [pg_dump, "--format=custom", f"--file={out}", "--no-password"]
    if url.host:
        args.append(f"--host={url.host}")
    if url.port:
        args.append(f"--port={url.port}")
    if url.username:
        args.append(f"--username={url.username}")
    args.append(str(url.database or ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        out.unlink(missing_ok=True)
        said = hide_secrets((done.stderr.strip().splitlines() or ["failed"])[-1], db.target)
        raise StorageError(f"pg_dump could not back up {db.display}: {said}")
    os.chmod(out, 0o600)  # the business's customers: the owner's eyes only
    return out
