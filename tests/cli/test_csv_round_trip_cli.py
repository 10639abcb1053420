"""Rule 9 across a CSV round trip: `export --format csv`, then `import` into a new database.

A customer who said stop comes back do-not-contact (with the stop in their ledger), an
erased one comes back as a suppression entry; neither can be re-added nor given a plan.
Run in-process through the command line's own entry point.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from deckfollow.cli.main import main
from deckfollow.core.consent_ledger import ledger
from deckfollow.core.enums import FollowUpStatus
from deckfollow.core.models import Customer, FollowUp, Suppression
from deckfollow.storage.database import open_database

NOW = "2026-11-23T10:00:00+11:00"


def _cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args[:1], "--now", NOW, *args[1:]])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_do_not_contact_and_erasures_survive_export_and_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    monkeypatch.setenv("TZ", "Australia/Sydney")
    old, new = tmp_path / "old.db", tmp_path / "new.db"
    people = [
        ("Grace Hopper", "+61412555019", "grace@example.com"),
        ("Alan Turing", "+61412555020", "alan@example.com"),
        ("Ada Lovelace", "+61412555021", "ada@example.com"),
    ]
    for name, phone, email in people:
        code, _out, err = _cli(
            capsys, old, "add-lead", "--name", name, "--phone", phone, "--email", email
        )
        assert code == 0, err
    for customer in ("1", "3"):
        code, _out, err = _cli(
            capsys, old, "consent", "stop", "--customer", customer, "--source", "phone call"
        )
        assert code == 0, err
    code, _out, err = _cli(capsys, old, "erase", "--yes", "3")
    assert code == 0, err

    folder = tmp_path / "export"
    code, _out, err = _cli(capsys, old, "export", "--format", "csv", "--out", str(folder))
    assert code == 0, err
    code, out, err = _cli(capsys, new, "import", str(folder / "customers.csv"))
    assert code == 0, err
    assert "2 imported." in out.splitlines()
    assert "kept as do-not-contact: 1 customer, 1 erased person" in out

    db = open_database(str(new), create=False)
    try:
        with db.reading() as s:
            found = {c.display_name: c for c in s.scalars(select(Customer))}
            assert set(found) == {"Grace Hopper", "Alan Turing"}
            assert found["Grace Hopper"].do_not_contact
            assert not found["Alan Turing"].do_not_contact
            grace = found["Grace Hopper"].id
            assert [e.kind.value for e in ledger(s, grace)] == ["do_not_contact"]
            assert len(list(s.scalars(select(Suppression)))) == 1
    finally:
        db.close()

    # No plan starts for the stopped customer; the other one may have one.
    code, _out, err = _cli(capsys, new, "cadence", "start", "--customer", str(grace), "after_quote")
    assert code != 0 and "asked not to be contacted" in err
    # Neither person can be added back as contactable, by phone or by email.
    code, _out, err = _cli(capsys, new, "add-lead", "--name", "G Hopper", "--phone", "0412555019")
    assert code == 2 and "asked not to be contacted" in err
    code, _out, err = _cli(capsys, new, "add-lead", "--name", "A L", "--email", "ada@example.com")
    assert code == 2 and "erased" in err
    # Importing the same file again adds nobody and no second suppression entry.
    code, out, err = _cli(capsys, new, "import", str(folder / "customers.csv"))
    assert code == 0, err
    assert "0 imported" not in out and "already there" in out

    db = open_database(str(new), create=False)
    try:
        with db.reading() as s:
            assert len(list(s.scalars(select(Customer)))) == 2
            assert len(list(s.scalars(select(Suppression)))) == 1
            pending = s.scalars(
                select(FollowUp).where(
                    FollowUp.customer_id == grace, FollowUp.status == FollowUpStatus.PENDING
                )
            )
            assert list(pending) == []
    finally:
        db.close()
