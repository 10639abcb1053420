"""The team server this computer connects to: its details, a check of it, and remembering it.

What is remembered (a small JSON file in the user's configuration folder) is the host,
port, database, user and TLS choice, never the password: that lives in the OS keyring
and is put into the URL only when the database is opened.

`check_connection` says plainly what it found: the server cannot be reached, the sign-in
was refused, the certificate does not name the host, the database is empty (ready for a
move), already a deckfollow team database (with its schema revision: join it), holds
something else, or was upgraded by a newer deckfollow than this one.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from deckfollow.core.errors import StorageError, ValidationError
from deckfollow.core.models import Customer, Quote
from deckfollow.storage import schema
from deckfollow.storage.secrets_hidden import hide_secrets
from deckfollow.storage.team_schema import upgraded_by

CONNECT_SECONDS = 5
_CONFIG_NAME = "team.json"


@dataclass(frozen=True)
class TeamConnection:
    """Where the team database is and who signs in; `tls` means sslmode=verify-full."""

    host: str
    database: str
    user: str
    port: int = 5432
    tls: bool = True
    ca_file: str = ""  # empty: the system's trusted authorities
    local_file: str = ""  # the file the business came from, to go back to

    def validate(self) -> None:
        """Raise ValidationError naming the first field that cannot be used."""
        host = self.host.strip()
        if not host:
            raise ValidationError("host", "give the server's name or address")
        if any(c.isspace() for c in host) or "/" in host or "@" in host:
            raise ValidationError("host", f"{host!r} is not a server name or address")
        if not 1 <= self.port <= 65535:
            raise ValidationError("port", "give a port from 1 to 65535 (PostgreSQL uses 5432)")
        if not self.database.strip():
            raise ValidationError("database", "give the name of the team's database")
        if not self.user.strip():
            raise ValidationError("user", "give your sign-in name on the server")
        if self.tls and self.ca_file and not Path(self.ca_file).expanduser().is_file():
            raise ValidationError("CA file", f"there is no file at {self.ca_file}")

    def url(self, password: str | None) -> str:
        """The SQLAlchemy URL to open, with the password (when given) inside it."""
        query: dict[str, str] = {}
        if self.tls:
            query["sslmode"] = "verify-full"
            ca = str(Path(self.ca_file).expanduser()) if self.ca_file else "system"
            query["sslrootcert"] = ca
        url = URL.create(
            "postgresql+psycopg",
            username=self.user.strip(),
            password=password or None,
            host=self.host.strip(),
            port=self.port,
            database=self.database.strip(),
            query=query,
        )
        return url.render_as_string(hide_password=False)

    @property
    def display(self) -> str:
        """user@host:port/database, as it may be shown."""
        return f"{self.user}@{self.host}:{self.port}/{self.database}"

    @property
    def keyring_account(self) -> str:
        """The name the password is kept under in the keyring."""
        return f"team:{self.display}"


class Found(StrEnum):
    EMPTY = "empty"  # ready for a move
    TEAM = "team"  # a deckfollow team database: join it
    OTHER = "other"  # holds tables that are not deckfollow's
    TOO_NEW = "too_new"  # upgraded by a newer deckfollow than this one
    UNREACHABLE = "unreachable"
    SIGN_IN = "sign_in"  # wrong user or password
    NO_DATABASE = "no_database"
    TLS = "tls"


@dataclass(frozen=True)
class ConnectionCheck:
    found: Found
    message: str
    field: str | None = None  # the field to look at again, if one is to blame
    revision: str | None = None
    customers: int = 0
    quotes: int = 0

    @property
    def ok(self) -> bool:
        return self.found in (Found.EMPTY, Found.TEAM)


def _failure(exc: BaseException, conn: TeamConnection, url: str) -> ConnectionCheck:
    """One plain sentence for what stopped the connection."""
    orig = getattr(exc, "orig", exc)
    said = hide_secrets(" ".join(str(orig).split()), url)
    low = said.lower()
    where = f"{conn.host}:{conn.port}"
    if "password authentication failed" in low or "no password supplied" in low:
        return ConnectionCheck(
            Found.SIGN_IN, f"The server refused the sign-in: wrong password for {conn.user}.",
            "password",
        )  # fmt: skip
    if "role" in low and "does not exist" in low:
        return ConnectionCheck(
            Found.SIGN_IN, f"The server has no sign-in called {conn.user}.", "user"
        )
    if "database" in low and "does not exist" in low:
        return ConnectionCheck(
            Found.NO_DATABASE,
            f"The server has no database called {conn.database}: ask its administrator to "
            "create it (empty), or check the name.",
            "database",
        )
    if "does not match host name" in low:
        return ConnectionCheck(
            Found.TLS,
            f"The server's certificate is not for {conn.host}: connect by the name the "
            "certificate gives (TLS name mismatch).",
            "host",
        )
    if "certificate verify failed" in low:
        by = "the CA file chosen" if conn.ca_file else "an authority this computer trusts"
        return ConnectionCheck(
            Found.TLS,
            f"The secure connection to {where} failed: the server's certificate is not "
            f"signed by {by}. Choose the team's CA file.",
            "CA file",
        )
    if "server does not support ssl" in low:
        return ConnectionCheck(
            Found.TLS,
            f"The server {where} does not offer a secure connection: ask its administrator "
            "to turn TLS on (or untick TLS on a network you trust).",
            "host",
        )
    if "certificate" in low or "ssl" in low or "tls" in low:
        detail = said.rsplit("failed:", 1)[-1].strip()
        return ConnectionCheck(
            Found.TLS, f"The secure connection to {where} failed: {detail}", "CA file"
        )
    if "no pg_hba.conf entry" in low:
        return ConnectionCheck(
            Found.SIGN_IN,
            f"The server does not let {conn.user} in from this computer (pg_hba.conf).",
            "user",
        )
    return ConnectionCheck(
        Found.UNREACHABLE,
        f"The server {where} cannot be reached: check the host and port, and that this "
        "computer may connect to it.",
        "host",
    )


def _engine(url: str) -> Engine:
    return create_engine(url, connect_args={"connect_timeout": CONNECT_SECONDS})


def check_connection(conn: TeamConnection, password: str | None) -> ConnectionCheck:
    """Connect once and say what is there. Slow (network): run it off the GUI thread."""
    conn.validate()
    url = conn.url(password)
    engine = _engine(url)
    try:
        with engine.connect() as c:
            names = set(engine.dialect.get_table_names(c))
            if "alembic_version" not in names:
                if names:
                    return ConnectionCheck(
                        Found.OTHER,
                        f"{conn.database} already holds other tables ({len(names)}), not "
                        "deckfollow's: use an empty database.",
                        "database",
                    )
                return ConnectionCheck(
                    Found.EMPTY,
                    f"Connected. The database {conn.database} is empty: ready for your business.",
                )
            revision = c.execute(text("SELECT version_num FROM alembic_version")).scalar()
            if revision is not None and revision not in schema.REVISIONS:
                who = upgraded_by(engine)
                ask = f"ask {who} to update deckfollow here" if who else "update deckfollow"
                return ConnectionCheck(
                    Found.TOO_NEW,
                    f"{conn.database} is a deckfollow team database from a newer version "
                    f"(schema {revision}); this deckfollow is older: {ask}.",
                    revision=revision,
                )
            customers = int(c.execute(select(func.count()).select_from(Customer)).scalar_one())
            quotes = int(c.execute(select(func.count()).select_from(Quote)).scalar_one())
    except DBAPIError as exc:
        return _failure(exc, conn, url)
    finally:
        engine.dispose()
    if customers == 0 and quotes == 0:
        return ConnectionCheck(
            Found.EMPTY,
            f"Connected. The database {conn.database} is a deckfollow database (schema "
            f"{revision}) with no business in it yet: ready for yours.",
            revision=revision,
        )
    return ConnectionCheck(
        Found.TEAM,
        f"Connected. The database {conn.database} is already a deckfollow team database (schema "
        f"{revision}) with {customers} customers and {quotes} quotes: join it.",
        revision=revision,
        customers=customers,
        quotes=quotes,
    )


def keyring_account_for(target: str) -> str | None:
    """The name Settings › Team keeps a server URL's password under, or None for a URL
    that already carries its password or is not a PostgreSQL one."""
    try:
        url = make_url(target)
    except ArgumentError:
        return None
    if url.get_backend_name() != "postgresql" or url.password is not None:
        return None
    conn = TeamConnection(url.host or "", url.database or "", url.username or "", url.port or 5432)
    return conn.keyring_account


def with_password(target: str, password: str) -> str:
    """The server URL with `password` in it (for opening only: never shown or stored)."""
    return make_url(target).set(password=password).render_as_string(hide_password=False)


def server_reachable(target: str) -> bool:
    """Whether a server database answers now (a quick probe while it is away)."""
    engine = _engine(target)
    try:
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
        return True
    except DBAPIError:
        return False
    finally:
        engine.dispose()


# -- remembering the connection (without its password) -----------------------------------


def config_path() -> Path:
    """deckfollow's team.json in the user's configuration folder."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("deckfollow", appauthor=False)) / _CONFIG_NAME


def remember(conn: TeamConnection, path: Path | None = None) -> None:
    """Keep the connection for the next start; written owner-only, never with a password."""
    path = path or config_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    data = json.dumps(asdict(conn), indent=2)
    partial = path.with_suffix(".tmp")
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(data)
    partial.replace(path)


def remembered(path: Path | None = None) -> TeamConnection | None:
    """The remembered team connection, or None when this computer works on its own file."""
    path = path or config_path()
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise StorageError(f"cannot read the team settings in {path}: {exc}") from exc
    fields = TeamConnection.__dataclass_fields__
    try:
        return TeamConnection(**{k: v for k, v in dict(data).items() if k in fields})
    except (TypeError, ValueError) as exc:
        raise StorageError(f"the team settings in {path} are damaged: {exc}") from exc


def forget(path: Path | None = None) -> None:
    """Work on the local file again at the next start."""
    (path or config_path()).unlink(missing_ok=True)
