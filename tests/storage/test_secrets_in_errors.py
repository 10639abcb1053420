"""A database password never shows: not in a message, a log line or a traceback.

Wrong URLs and wrong passwords are fed to every way in (the command line for several
commands, `open_database`, the integrity-checked open; the GUI's open path is in
tests/ui/test_open_hides_password.py), and everything printed, logged or raised is
searched for the password.
"""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from deckfollow.cli.main import main
from deckfollow.core.enums import ConsentChannel, ConsentState
from deckfollow.core.errors import DeckfollowError, StorageError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import ChannelConsent
from deckfollow.storage.database import open_database
from deckfollow.storage.integrity import open_checked
from deckfollow.storage.secrets_hidden import display_target, hide_secrets
from tests.storage.pg_server import postgres_server

SECRET = "Zq8SECRETpw"
RIGHT = "right-horse-battery"


@pytest.fixture(scope="module")
def pg_with_passwords() -> Iterator[tuple[str, int]]:
    """A private PostgreSQL that checks passwords (SCRAM); yields (host, port)."""
    with postgres_server(password=RIGHT) as url:
        parsed = make_url(url)
        assert parsed.host is not None and parsed.port is not None
        yield parsed.host, parsed.port


def _urls(port: int) -> dict[str, str]:
    return {
        "nobody listening": f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:1/biz",
        "wrong password": f"postgresql+psycopg://deckfollow:{SECRET}@127.0.0.1:{port}/postgres",
        "unknown user": f"postgresql+psycopg://ghost:{SECRET}@127.0.0.1:{port}/postgres",
        "port not a number": f"postgresql+psycopg://pia:{SECRET}@127.0.0.1:notaport/biz",
        "unknown driver": f"postgresql+nosuchdriver://pia:{SECRET}@127.0.0.1/biz",
        "driver not installed": f"mysql+pymysql://pia:{SECRET}@127.0.0.1/biz",
        "password in the query": f"postgresql+psycopg://pia@127.0.0.1:1/biz?password={SECRET}",
        "quoted password": f"postgresql+psycopg://pia:{SECRET}%40x@127.0.0.1:1/biz",
    }


COMMANDS = (
    ["due"],
    ["add-lead", "--name", "Pia Example", "--country", "AU"],
    ["consent", "show", "--customer", "1"],
    ["export", "--format", "json", "--out", "{tmp}/out.json"],
    ["backup"],
    ["check"],
)


def _chain(exc: BaseException) -> str:
    return "".join(traceback.format_exception(exc))


def _assert_hidden(text: str, what: str) -> None:
    assert SECRET not in text, f"{what} shows the password:\n{text}"
    assert SECRET.lower() not in text.lower(), f"{what} shows the password:\n{text}"


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_command_line_never_prints_the_password(
    pg_with_passwords: tuple[str, int], tmp_path: Path, all_logs: pytest.LogCaptureFixture
) -> None:
    for name, url in _urls(pg_with_passwords[1]).items():
        for command in COMMANDS:
            argv = ["--db", url, *(a.replace("{tmp}", str(tmp_path)) for a in command)]
            out, err = io.StringIO(), io.StringIO()
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(argv)
                except BaseException as exc:  # a traceback is what the user would see
                    pytest.fail(f"{name} / {command[0]}: raised\n{_chain(exc)}")
            printed = out.getvalue() + err.getvalue()
            _assert_hidden(printed, f"{name} / {command[0]}")
            if command[0] == "check":  # a server checks its own files: nothing to open
                continue
            assert code != 0, f"{name} / {command[0]} claimed success"
            assert printed.startswith("deckfollow: error: "), printed
            assert printed.count("\n") == 1, f"{name} / {command[0]}: {printed}"
    _assert_hidden(all_logs.text, "the log")


def test_the_command_line_names_the_problem(pg_with_passwords: tuple[str, int]) -> None:
    urls = _urls(pg_with_passwords[1])
    expected = {
        "wrong password": "wrong user or password",
        "unknown user": "wrong user or password",
        "nobody listening": "cannot reach the database",
        "port not a number": "is not a database URL",
        "driver not installed": "driver is not installed",
    }
    for name, words in expected.items():
        err = io.StringIO()
        with redirect_stderr(err), redirect_stdout(io.StringIO()):
            main(["--db", urls[name], "due"])
        assert words in err.getvalue(), f"{name}: {err.getvalue()}"
        assert "***" in err.getvalue() or name == "port not a number", err.getvalue()


def test_opening_in_code_never_raises_the_password(
    pg_with_passwords: tuple[str, int], all_logs: pytest.LogCaptureFixture
) -> None:
    for name, url in _urls(pg_with_passwords[1]).items():
        for opener in (open_database, open_checked):
            with pytest.raises(StorageError) as info:
                opener(url)
            _assert_hidden(_chain(info.value), f"{name} / {opener.__name__}")
            _assert_hidden(repr(info.value), f"{name} / {opener.__name__}")
    _assert_hidden(all_logs.text, "the log")


def test_the_right_password_opens_and_its_messages_hide_it(
    pg_with_passwords: tuple[str, int],
) -> None:
    host, port = pg_with_passwords
    right = f"postgresql+psycopg://deckfollow:{RIGHT}@{host}:{port}/postgres"
    db = open_database(right)
    try:
        assert RIGHT not in db.display and "***" in db.display
        assert RIGHT not in repr(db)
    finally:
        db.close()


@pytest.mark.parametrize(
    ("target", "shown"),
    [
        ("/home/pia/deckfollow.db", "/home/pia/deckfollow.db"),
        (
            "postgresql+psycopg://pia:pw@db.example/biz",
            "postgresql+psycopg://pia:***@db.example/biz",
        ),
        ("postgresql+psycopg://pia@db.example/biz", "postgresql+psycopg://pia@db.example/biz"),
        (
            "postgresql://pia:p%40ss@h:5/biz?sslmode=require",
            "postgresql://pia:***@h:5/biz?sslmode=require",
        ),
        ("postgresql://pia:pw@h:notaport/biz", "postgresql://pia:***@h:notaport/biz"),
    ],
)
def test_display_target_hides_only_the_password(target: str, shown: str) -> None:
    assert display_target(target) == shown


def test_hide_secrets_scrubs_every_form_of_the_password() -> None:
    target = "postgresql://pia:p%40ss@h/biz"
    text = f"failed for {target}: p@ss was wrong (p%40ss); password=p@ss"
    scrubbed = hide_secrets(text, target)
    assert "p@ss" not in scrubbed and "p%40ss" not in scrubbed
    assert "postgresql://pia:***@h/biz" in scrubbed


def test_a_duplicate_saved_at_the_same_moment_is_one_clear_line(tmp_path: Path) -> None:
    db = open_database(str(tmp_path / "dup.db"))
    now = datetime(2026, 11, 22, tzinfo=UTC)
    with db.unit_of_work() as s:
        cid = add_lead(s, NewLead("Twice Recorded", country="AU"), now=now).customer_id
        s.add(
            ChannelConsent(
                customer_id=cid,
                channel=ConsentChannel.CALL,
                state=ConsentState.GRANTED,
                since=now,
                source="phone",
            )
        )
    with pytest.raises(DeckfollowError) as info, db.unit_of_work() as s:
        s.add(
            ChannelConsent(
                customer_id=cid,
                channel=ConsentChannel.CALL,
                state=ConsentState.GRANTED,
                since=now,
                source="phone",
            )
        )
    db.close()
    message = str(info.value)
    assert "just recorded by someone else" in message and "nothing was saved" in message
    assert "\n" not in message and "UNIQUE" not in message
