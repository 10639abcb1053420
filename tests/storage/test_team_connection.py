"""Testing a team connection says plainly what it found, on a real server that asks for a
password; the remembered connection never holds the password."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from deckfollow.core.errors import ValidationError
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import open_database
from deckfollow.storage.team_connection import (
    Found,
    TeamConnection,
    check_connection,
    forget,
    remember,
    remembered,
)
from tests.storage.pg_server import new_database as fresh_database
from tests.storage.pg_server import postgres_server

PASSWORD = "s3cret-Pa55"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with postgres_server(password=PASSWORD) as url:
        yield url


def new_database(server: str, name: str) -> TeamConnection:
    """A fresh, empty database on the server, and the connection to it (no TLS on loopback)."""
    url = make_url(fresh_database(server, name))
    return TeamConnection(
        host=url.host or "", port=int(url.port or 5432), database=name, user="deckfollow", tls=False
    )


def test_an_empty_database_is_ready_for_a_move(server: str) -> None:
    conn = new_database(server, "empty_one")
    found = check_connection(conn, PASSWORD)
    assert found.found is Found.EMPTY and found.ok
    assert "empty" in found.message


def test_a_wrong_password_is_named(server: str) -> None:
    conn = new_database(server, "pw_one")
    found = check_connection(conn, "not-it")
    assert found.found is Found.SIGN_IN and found.field == "password"
    assert found.message == "The server refused the sign-in: wrong password for deckfollow."
    assert "not-it" not in found.message


def test_a_database_that_is_not_there_is_named(server: str) -> None:
    conn = new_database(server, "there")
    found = check_connection(
        TeamConnection(conn.host, "nowhere", conn.user, conn.port, tls=False), PASSWORD
    )
    assert found.found is Found.NO_DATABASE and found.field == "database"
    assert "no database called nowhere" in found.message


def test_a_server_that_does_not_answer_is_unreachable(server: str) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])  # nothing listens here once closed
    found = check_connection(
        TeamConnection("127.0.0.1", "deckfollow", "deckfollow", port, tls=False), PASSWORD
    )
    assert found.found is Found.UNREACHABLE and found.field == "host"
    assert f"127.0.0.1:{port} cannot be reached" in found.message


def test_a_team_database_is_named_with_its_schema_and_business(server: str, now: datetime) -> None:
    conn = new_database(server, "team_one")
    db = open_database(conn.url(PASSWORD))
    with db.unit_of_work() as s:
        generate_demo(s, customers=5, quotes=8, seed=1, now=now)
    db.close()
    found = check_connection(conn, PASSWORD)
    assert found.found is Found.TEAM and found.revision is not None
    assert f"schema {found.revision}" in found.message
    assert "5 customers and 8 quotes" in found.message


def test_a_newer_schema_says_this_deckfollow_is_older(server: str) -> None:
    conn = new_database(server, "newer_one")
    engine = create_engine(conn.url(PASSWORD))
    with engine.begin() as c:
        c.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        c.execute(text("INSERT INTO alembic_version VALUES ('9999')"))
    engine.dispose()
    found = check_connection(conn, PASSWORD)
    assert found.found is Found.TOO_NEW and not found.ok
    assert "schema 9999" in found.message and "older" in found.message


def test_other_tables_are_not_taken_for_an_empty_database(server: str) -> None:
    conn = new_database(server, "other_one")
    engine = create_engine(conn.url(PASSWORD))
    with engine.begin() as c:
        c.execute(text("CREATE TABLE invoices (id int)"))
    engine.dispose()
    found = check_connection(conn, PASSWORD)
    assert found.found is Found.OTHER and found.field == "database"


@pytest.mark.parametrize(
    ("conn", "field"),
    [
        (TeamConnection("", "db", "me"), "host"),
        (TeamConnection("a host", "db", "me"), "host"),
        (TeamConnection("h", "db", "me", port=0), "port"),
        (TeamConnection("h", " ", "me"), "database"),
        (TeamConnection("h", "db", ""), "user"),
        (TeamConnection("h", "db", "me", ca_file="/no/such/ca.crt"), "CA file"),
    ],
)
def test_a_field_that_cannot_be_used_is_named(conn: TeamConnection, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        conn.validate()
    assert caught.value.field == field


def test_verify_full_is_asked_for_with_the_ca_file(tmp_path: Path) -> None:
    ca = tmp_path / "team-ca.crt"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    url = make_url(TeamConnection("db.example.com", "team", "pia", ca_file=str(ca)).url("pw"))
    assert url.query["sslmode"] == "verify-full" and url.query["sslrootcert"] == str(ca)
    system = make_url(TeamConnection("db.example.com", "team", "pia").url(None))
    assert system.query["sslrootcert"] == "system" and system.password is None


def test_the_remembered_connection_has_no_password(tmp_path: Path) -> None:
    path = tmp_path / "config" / "team.json"
    conn = TeamConnection("db.example.com", "team", "pia", local_file="/home/pia/mine.db")
    remember(conn, path)
    assert remembered(path) == conn
    assert PASSWORD not in path.read_text() and "password" not in json.loads(path.read_text())
    assert path.stat().st_mode & 0o077 == 0  # owner only
    forget(path)
    assert remembered(path) is None


def _certificates(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A certificate authority and a server certificate it signed for `name`."""
    ca_key, ca = folder / "ca.key", folder / "ca.crt"
    key, csr, crt = folder / "server.key", folder / "server.csr", folder / "server.crt"

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=Team test CA", "-keyout", str(ca_key), "-out", str(ca))  # fmt: skip
    run("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
        "-keyout", str(key), "-out", str(csr))  # fmt: skip
    ext = folder / "ext.cnf"
    ext.write_text(f"subjectAltName=DNS:{name}\n")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key),
        "-CAcreateserial", "-days", "2", "-extfile", str(ext), "-out", str(crt))  # fmt: skip
    return ca, crt, key


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl for certificates")
def test_tls_checks_the_certificate_names_the_host(tmp_path: Path) -> None:
    ca, crt, key = _certificates(tmp_path, "db.team.test")
    with postgres_server(password=PASSWORD, tls=(crt, key)) as url:
        parsed = make_url(url)
        conn = TeamConnection(
            "127.0.0.1", "deckfollow", "deckfollow", int(parsed.port or 0), ca_file=str(ca)
        )
        found = check_connection(conn, PASSWORD)
        assert found.found is Found.TLS and found.field == "host"
        assert "certificate is not for 127.0.0.1" in found.message
        assert "TLS name mismatch" in found.message
        # A certificate authority that did not sign the server's certificate is refused.
        (tmp_path / "other").mkdir()
        other, _crt, _key = _certificates(tmp_path / "other", "db.team.test")
        wrong = check_connection(
            TeamConnection(conn.host, conn.database, conn.user, conn.port, ca_file=str(other)),
            PASSWORD,
        )
        assert wrong.found is Found.TLS and wrong.field == "CA file"
        assert "certificate is not signed by the CA file chosen" in wrong.message


def test_a_password_with_url_characters_survives() -> None:
    conn = TeamConnection("db.example.com", "team", "pia", tls=False)
    odd = "p@ss:w/rd%?#&"
    assert make_url(conn.url(odd)).password == odd
