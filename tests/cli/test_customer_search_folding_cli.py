"""`deckfollow customer list --search` finds a customer typed without accents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckfollow.cli.main import main

NOW = "2026-11-22T22:00:00Z"


def _run(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["--db", str(db), "--now", NOW, *args])
    out, _err = capsys.readouterr()
    return code, out


def test_list_search_nguyen_finds_nguyen_van_an(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "d.db"
    for name, city in (("Nguyễn Văn An", "Cabramatta"), ("Nguyen Thi Mai", "Bankstown")):
        code, _ = _run(db, capsys, "customer", "add", "--name", name, "--city", city)
        assert code == 0
    code, _ = _run(db, capsys, "customer", "add", "--name", "Mia Chen", "--city", "Bình Dương")
    assert code == 0

    code, out = _run(db, capsys, "customer", "list", "--search", "nguyen", "--json")
    assert code == 0
    assert sorted(r["name"] for r in json.loads(out)) == ["Nguyen Thi Mai", "Nguyễn Văn An"]
    code, out = _run(db, capsys, "customer", "list", "--search", "NGUYEN VAN")
    assert code == 0
    assert "Nguyễn Văn An" in out and "Nguyen Thi Mai" not in out
    code, out = _run(db, capsys, "customer", "list", "--search", "binh duong", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Mia Chen"]
