"""`deckfollow report`, run in-process: JSON, text, CSV and PDF from one report; bad input."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from deckfollow.cli.main import main
from deckfollow.demo.generator import generate_demo
from deckfollow.storage.database import open_database

NOW = "2026-11-22T22:00:00Z"  # Monday 09:00 in Sydney
KEYS = {
    "win_rate",
    "touches_to_close",
    "speed_to_lead",
    "discipline",
    "pipeline",
    "by_month",
    "lost_reasons",
    "time_in_stage",
}


@pytest.fixture
def empty_db(tmp_path: Path) -> Path:
    path = tmp_path / "empty.db"
    open_database(str(path)).close()
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    db = open_database(str(path))
    with db.unit_of_work() as s:
        generate_demo(
            s,
            customers=60,
            quotes=150,
            seed=7,
            now=datetime(2026, 11, 22, 22, tzinfo=UTC),
            country="AU",
        )
    db.close()
    return path


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    try:
        code = main(["--db", str(db), "--now", NOW, "report", *args])
    except SystemExit as stop:  # refused by the argument parser, before any work
        code = stop.code if isinstance(stop.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_an_empty_business_reports_zeros_and_null_medians(
    capsys: pytest.CaptureFixture[str], empty_db: Path
) -> None:
    code, out, err = run(capsys, empty_db, "--json")
    assert code == 0, err
    report = json.loads(out)
    assert set(report) >= KEYS
    assert report["win_rate"]["count"] == {
        "won": 0, "lost": 0, "open": 0, "decided": 0, "rate": None,
    }  # fmt: skip
    assert report["touches_to_close"]["won"]["median"] is None
    assert report["touches_to_close"]["lost_no_reply"]["quotes"] == 0
    speed = report["speed_to_lead"]
    assert (speed["leads"], speed["median_minutes"], speed["p90_minutes"]) == (0, None, None)
    assert speed["within_5_min"] is None
    assert report["discipline"]["on_time"] == 0 and report["discipline"]["agreed_missed"] == 0
    assert report["lost_reasons"] == [] and report["time_in_stage"]["lead_to_quoted"] == {
        "quotes": 0,
        "median_days": None,
    }
    # The default period is the last 90 days, ending today in the owner's clock.
    assert report["period"]["kind"] == "last-90-days"


def test_the_text_report_reads_each_figure_in_plain_words(
    capsys: pytest.CaptureFixture[str], empty_db: Path
) -> None:
    code, out, _err = run(capsys, empty_db, "--from", "2026-07-01", "--to", "2026-09-30")
    assert code == 0
    assert "1 Jul – 30 Sep 2026" in out.splitlines()[0]
    assert "No leads came in during this period." in out
    assert "No follow-ups fell due in this period." in out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--from", "2026-13-01"], "--from"),
        (["--to", "yesterday"], "--to"),
        (["--from", "2026-09-30", "--to", "2026-09-01"], "--to"),
        (["--period", "financial-year", "--from", "2026-07-01"], "--period"),
        (["--win-rate-window", "90-30"], "--win-rate-window"),
        (["--win-rate-window", "a month"], "--win-rate-window"),
        (["--pdf", "/no/such/folder/report.pdf"], "--pdf"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_exit_2(
    capsys: pytest.CaptureFixture[str], empty_db: Path, tmp_path: Path, args: list[str], field: str
) -> None:
    code, out, err = run(capsys, empty_db, *args, "--csv", str(tmp_path / "r.csv"))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    # A malformed day is refused by the parser ("argument --from: …"), a rule by the command.
    assert err.startswith((f"deckfollow: error: {field}:", f"deckfollow: error: argument {field}:"))
    assert not (tmp_path / "r.csv").exists()  # nothing written on bad input


def test_a_period_choice_the_command_does_not_know_exits_2(
    capsys: pytest.CaptureFixture[str], empty_db: Path
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(empty_db), "report", "--period", "fortnight"])
    assert stop.value.code == 2
    assert "--period" in capsys.readouterr().err


def test_json_csv_and_pdf_carry_the_same_numbers(
    capsys: pytest.CaptureFixture[str], demo_db: Path, tmp_path: Path
) -> None:
    pdf, sheet = tmp_path / "report.pdf", tmp_path / "report.csv"
    code, out, err = run(
        capsys, demo_db, "--period", "financial-year", "--json", "--pdf", str(pdf),
        "--csv", str(sheet),
    )  # fmt: skip
    assert code == 0, err
    report = json.loads(out)
    assert report["period"] == {
        "kind": "financial-year",
        "from": "2026-07-01",
        "to": "2026-11-23",
        "timezone": "Australia/Sydney",
        "starts": "2026-06-30T14:00:00+00:00",
        "ends": "2026-11-22T22:00:00+00:00",
    }
    assert report["win_rate"]["count"]["decided"] > 0
    for path in (pdf, sheet):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pdf.read_bytes().startswith(b"%PDF")

    rows = list(csv.reader(io.StringIO(sheet.read_text("utf-8-sig"))))
    assert rows[0] == ["Figure", "Group", "Currency", "Measure", "Value"]
    cell = {(f, g, c, m): v for f, g, c, m, v in rows[1:]}
    win = report["win_rate"]
    assert cell[("Win rate", "All quotes", "", "Rate")] == win["count"]["rate"]
    assert cell[("Win rate", "All quotes", "", "Decided")] == str(win["count"]["decided"])
    for currency, value in win["value"].items():
        assert cell[("Win rate", "By value", currency, "Won")] == value["won"]
    speed = report["speed_to_lead"]
    assert cell[("Speed to lead", "All leads", "", "Share within 1 day")] == speed["within_1_day"]
    assert cell[("Speed to lead", "All leads", "", "Leads")] == str(speed["leads"])
    for stage, by_currency in report["pipeline"].items():
        label = stage.replace("_", " ").capitalize()
        for currency, figure in by_currency.items():
            assert cell[("Pipeline now", label, currency, "Value")] == figure["value"]
    for key in ("on_time", "late", "missed", "agreed_missed"):
        measure = key.replace("_", " ").capitalize()
        assert cell[("Follow-up discipline", "Follow-ups due", "", measure)] == str(
            report["discipline"][key]
        )
    assert cell[("Win rate", "", "", "Reading")] == report["readings"]["win_rate"]


def test_the_win_rate_window_is_configurable(
    capsys: pytest.CaptureFixture[str], demo_db: Path
) -> None:
    _code, out, _err = run(capsys, demo_db, "--json", "--win-rate-window", "10-40")
    report = json.loads(out)
    assert report["options"]["win_rate_sent_days_before_end"] == [10, 40]
    assert report["win_rate"]["sent_from"] == "2026-10-13T22:00:00+00:00"
    assert report["win_rate"]["sent_before"] == "2026-11-12T22:00:00+00:00"
