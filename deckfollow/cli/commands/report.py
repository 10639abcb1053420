"""`deckfollow report [--from D] [--to D] [--period P] [--member NAME] [--json] [--pdf FILE]
[--csv FILE]`."""

from __future__ import annotations

import argparse
import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.cli.files import check_out_file
from deckfollow.core.errors import ValidationError
from deckfollow.core.report_periods import PeriodKind

if TYPE_CHECKING:
    from deckfollow.core.reports_model import Report

ORDER = 35

_WINDOW = re.compile(r"^\s*(\d{1,4})\s*[-–,]\s*(\d{1,4})\s*$")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report",
        help="win rate, touches to close, speed to lead, follow-up discipline and more",
        description="The report for a period (default: the last 90 days). Definitions: "
        "docs/reports.md.",
    )
    p.add_argument(
        "--from",
        dest="first",
        type=shapes.day,
        metavar="YYYY-MM-DD",
        help="first day of the period",
    )
    p.add_argument(
        "--to", dest="last", type=shapes.day, metavar="YYYY-MM-DD", help="last day (default: today)"
    )
    p.add_argument(
        "--period",
        choices=[k.value for k in PeriodKind if k is not PeriodKind.CUSTOM],
        help="a named period instead of --from/--to (the financial year follows the "
        "business's country)",
    )
    p.add_argument(
        "--win-rate-window",
        metavar="MIN-MAX",
        default="30-90",
        help="win rate counts quotes sent MIN to MAX days before the period ends (30-90)",
    )
    p.add_argument(
        "--member",
        metavar="NAME",
        help="one team member's figures: the quotes they own, the follow-ups that are theirs "
        "(their name or login)",
    )
    p.add_argument("--json", action="store_true", help="print the report as one JSON object")
    p.add_argument("--pdf", metavar="FILE", help="also write the report as a PDF")
    p.add_argument("--csv", metavar="FILE", help="also write the report's numbers as CSV")
    p.set_defaults(run=run, field_options={"member": "--member"})


def _window(text: str) -> tuple[int, int]:
    found = _WINDOW.match(text)
    if not found:
        raise ValidationError("--win-rate-window", f"{text!r} is not MIN-MAX days, e.g. 30-90")
    low, high = int(found.group(1)), int(found.group(2))
    if low >= high:
        raise ValidationError("--win-rate-window", "the first number must be smaller")
    return low, high


def _target(text: str | None, field: str) -> Path | None:
    if text is None:
        return None
    path = Path(text).expanduser()
    check_out_file(path, field)
    return path


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.report_periods import custom, period_of
    from deckfollow.core.reports import ReportOptions, build_report
    from deckfollow.core.reports_members import find_member
    from deckfollow.core.settings import load_settings

    # Every argument is checked before the database is opened.
    first: date | None = args.first
    last: date | None = args.last
    if args.period and (first or last):
        raise ValidationError("--period", "give either --period or --from/--to, not both")
    if first and last and last < first:
        raise ValidationError("--to", f"{last.isoformat()} is before --from {first.isoformat()}")
    low, high = _window(args.win_rate_window)
    pdf, csv = _target(args.pdf, "--pdf"), _target(args.csv, "--csv")
    options = ReportOptions(win_min_age_days=low, win_max_age_days=high)

    db = ctx.open_db()
    try:
        with db.reading() as session:
            member = find_member(session, args.member) if args.member is not None else None
            settings = load_settings(session)
            tz, country = settings.owner_timezone, settings.default_country
            if args.period:
                period = period_of(
                    PeriodKind(args.period), timezone=tz, country=country, now=ctx.now
                )
            else:
                today = ctx.now.astimezone(ZoneInfo(tz)).date()
                end: date = last or today
                start: date = first or end - timedelta(days=89)
                if first is None and last is None:
                    period = period_of(
                        PeriodKind.LAST_90_DAYS, timezone=tz, country=country, now=ctx.now
                    )
                else:
                    period = custom(start, end, tz)
            report = build_report(session, period, now=ctx.now, options=options, member=member)
    finally:
        db.close()
    if pdf is not None:
        from deckfollow.printing.report_pdf import write_report_pdf

        try:
            write_report_pdf(report, pdf, country=country)
        except OSError as exc:
            raise ValidationError("--pdf", f"could not write {pdf}: {exc.strerror}") from exc
    if csv is not None:
        from deckfollow.exchange.report_csv import write_report_csv

        try:
            write_report_csv(report, csv)
        except OSError as exc:
            raise ValidationError("--csv", f"could not write {csv}: {exc.strerror}") from exc
    if args.json:
        json.dump(report.as_json(), ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
    else:
        _print_text(report, ctx)
        for path in (pdf, csv):
            if path is not None:
                print(f"Wrote {path}", file=ctx.out)
    return 0


def _print_text(report: Report, ctx: CliContext) -> None:
    name = report.business_name or "Your business"
    print(f"{name} — {report.title}", file=ctx.out)
    titles = {
        "win_rate": "Win rate",
        "touches_to_close": "Touches to close",
        "lost_no_reply": "Lost for no reply",
        "speed_to_lead": "Speed to lead",
        "discipline": "Follow-up discipline",
        "pipeline": "Pipeline now",
        "by_month": "By month",
        "lost_reasons": "Lost reasons",
        "time_in_stage": "Time in stage",
    }
    for key, reading in report.readings().items():
        print(f"  {titles[key] + ':':<23}{reading}", file=ctx.out)
