"""`deckfollow settings` and a first lead, run in-process through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckfollow.cli.main import main

NOW = "2026-11-22T22:00:00Z"  # Monday 09:00 in Sydney


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse refuses a bad option value itself, with exit 2
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_an_australian_owner_adds_a_local_mobile_and_its_first_reply_is_due(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "first.db")
    for key, value in (
        ("business", "Harbour Decks"),
        ("owner", "Sam Carter"),
        ("country", "AU"),
        ("region", "new south wales"),
        ("timezone", "Australia/Sydney"),
        ("currency", "aud"),
        ("cell", "0412 555 019"),
    ):
        code, _out, err = _run(capsys, "--db", db, "settings", "set", key, value)
        assert (code, err) == (0, "")
    code, out, _err = _run(capsys, "--db", db, "settings", "show", "--json")
    shown = json.loads(out)
    assert {k: shown[k] for k in ("country", "region", "timezone", "currency", "cell")} == {
        "country": "AU",
        "region": "NSW",
        "timezone": "Australia/Sydney",
        "currency": "AUD",
        "cell": "+61412555019",
    }
    assert shown["not_chosen"] == ["address", "weekly-cap", "going-cold-days"]

    code, out, err = _run(
        capsys,
        "--db", db, "--now", NOW,
        "add-lead", "--name", "Mia Chen", "--phone", "0412 345 679", "--note", "Deck, 5x4 m",
    )  # fmt: skip
    assert (code, out, err) == (0, "customer 1, quote 1\n", "")
    code, out, _err = _run(capsys, "--db", db, "--now", NOW, "due", "--json")
    [item] = json.loads(out)
    assert (item["customer"], item["channel"], item["basis"], item["reason"]) == (
        "Mia Chen",
        "text",
        "planned",
        "First reply to their enquiry about deck, 5x4 m",
    )
    assert item["due_at"] == "2026-11-23T09:00:00+11:00"


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("country", "Atlantis", "deckfollow: error: country: 'Atlantis' is not a country"),
        ("timezone", "Mars/Olympus", "deckfollow: error: timezone: 'Mars/Olympus' is not an"),
        ("currency", "DOGE", "deckfollow: error: currency: 'DOGE' is not an ISO currency"),
        ("colour", "blue", "deckfollow: error: colour: is not a setting"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_key_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, message: str
) -> None:
    db = tmp_path / "bad.db"
    code, out, err = _run(capsys, "--db", str(db), "settings", "set", key, value)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert err.count("\n") == 1
    assert not db.exists(), "a refused first setting leaves no empty database behind"


def test_revoking_says_what_it_cancelled_and_sources_are_a_fixed_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ledger.db")
    _run(capsys, "--db", db, "settings", "set", "timezone", "Australia/Sydney")
    _run(capsys, "--db", db, "--now", NOW, "add-lead", "--name", "Mia Chen",
         "--phone", "+61 412 345 679", "--answered")  # fmt: skip
    agree = (
        "--db", db, "--now", NOW, "consent", "agree", "--customer", "1", "--channel", "call",
        "--on", "2026-12-10", "--at", "10:00", "--reason", "Go through the quote",
        "--words", "Thursday at ten",
    )  # fmt: skip
    code, _out, err = _run(capsys, *agree, "--source", "carrier pigeon")
    assert code == 2
    assert "--source: 'carrier pigeon' is not a source (use one of: call, text" in err
    code, out, err = _run(capsys, *agree, "--source", "phone call")
    assert (code, err) == (0, "")
    code, out, _err = _run(capsys, "--db", db, "--now", NOW, "consent", "ledger",
                           "--customer", "1", "--json")  # fmt: skip
    assert {e["source"] for e in json.loads(out)} == {"call"}
    code, out, _err = _run(
        capsys, "--db", db, "--now", NOW, "consent", "revoke", "--customer", "1",
        "--channel", "call", "--source", "text", "--words", "No more calls please",
    )  # fmt: skip
    assert out == "call: revoked\nCancelled the agreed call on Thu 10 Dec at 10:00 am\n"


@pytest.mark.parametrize(
    ("country", "typed", "zone"),
    [
        ("AU", "sydney", "Australia/Sydney"),
        ("NZ", "pacific/auckland", "Pacific/Auckland"),
        ("IE", "Dublin", "Europe/Dublin"),
        ("GB", "london", "Europe/London"),
        ("CA", "America/Toronto", "America/Toronto"),
    ],
)
def test_a_zone_is_found_however_it_is_typed_and_the_cell_reads_the_local_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], country: str, typed: str, zone: str
) -> None:
    db = str(tmp_path / "zone.db")
    assert _run(capsys, "--db", db, "settings", "set", "country", country)[0] == 0
    code, out, err = _run(capsys, "--db", db, "settings", "set", "timezone", typed)
    assert (code, out, err) == (0, f"timezone = {zone}\n", "")
    cells = {"AU": "0412 555 019", "NZ": "021 123 4567", "IE": "087 123 4567",
             "GB": "07911 123456", "CA": "(416) 555-0199"}  # fmt: skip
    code, out, err = _run(capsys, "--db", db, "settings", "set", "cell", cells[country])
    assert (code, out, err) == (0, f"cell = {cells[country]}\n", "")


def test_a_first_command_on_a_database_not_made_yet_says_how_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.db"
    db = str(path)
    reads: tuple[tuple[str, ...], ...] = (
        ("settings", "show"),
        ("due", "--json"),
        ("customer", "list"),
    )
    for command in reads:
        code, out, err = _run(capsys, "--db", db, *command)
        assert (code, out) == (2, "")  # bad input, not a failure
        assert err.strip().splitlines() == [
            f"deckfollow: error: --db: no deckfollow database at {path} yet — run "
            f"`deckfollow --db {path} settings set business NAME` (or add a customer or "
            "lead), or start the app, to create it"
        ]
        assert not path.exists()  # reading makes no file
    # The checks and backups stay strict: there is nothing to check or back up.
    for strict in ("check", "backup"):
        code, _out, err = _run(capsys, "--db", db, strict)
        assert code == 1 and err.strip() == f"deckfollow: error: no deckfollow database at {path}"
    # Doing what the line says works, and the next read shows it.
    code, _out, err = _run(capsys, "--db", db, "settings", "set", "business", "Harbour Decks")
    assert (code, err) == (0, "")
    code, out, err = _run(capsys, "--db", db, "settings", "show", "--json")
    assert code == 0 and json.loads(out)["business"] == "Harbour Decks"


def test_a_number_read_in_a_country_nobody_chose_says_how_to_choose(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A "C" locale in UTC names no country: the number is read as American, and said so.
    for var in ("LC_ALL", "LC_CTYPE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TZ", "UTC")
    db = str(tmp_path / "first.db")
    lead = ("add-lead", "--name", "Jo Bloggs", "--phone", "0412 345 679", "--job", "deck")
    code, out, err = _run(capsys, "--db", db, *lead)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "not a valid phone number for US" in err
    assert "set yours with `deckfollow settings set country AU`" in err
    assert not Path(db).exists(), "nothing saved, not even an empty database"

    assert _run(capsys, "--db", db, "settings", "set", "country", "AU")[0] == 0
    code, out, err = _run(capsys, "--db", db, *lead)
    assert (code, err) == (0, "")

    # A country the owner chose is not second-guessed: the number is simply wrong there.
    code, _out, err = _run(capsys, "--db", db, "add-lead", "--name", "Al", "--phone", "555")
    assert code == 2 and "for AU" in err and "settings set country" not in err


def test_a_new_country_brings_its_zone_and_clears_a_region_it_has_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")  # a computer whose clock says nothing of the business
    db = str(tmp_path / "moving.db")
    code, out, _err = _run(capsys, "--db", db, "settings", "set", "country", "AU")
    assert code == 0
    assert "timezone = Australia/Sydney (follows the country" in out
    assert _run(capsys, "--db", db, "settings", "set", "region", "NSW")[0] == 0

    code, out, _err = _run(capsys, "--db", db, "settings", "set", "country", "NZ")
    assert code == 0
    assert "timezone = Pacific/Auckland (follows the country" in out
    assert "region NSW cleared: not a region of NZ" in out
    code, out, _err = _run(capsys, "--db", db, "settings", "show", "--json")
    shown = json.loads(out)
    assert (shown["country"], shown["timezone"], shown["region"]) == ("NZ", "Pacific/Auckland", "")

    # A zone of the country the owner chose is theirs: naming the country again keeps it.
    assert _run(capsys, "--db", db, "settings", "set", "timezone", "Pacific/Chatham")[0] == 0
    code, out, _err = _run(capsys, "--db", db, "settings", "set", "country", "NZ")
    assert (code, out) == (0, "country = NZ\n")
    code, out, _err = _run(capsys, "--db", db, "settings", "show", "--json")
    assert json.loads(out)["timezone"] == "Pacific/Chatham"
