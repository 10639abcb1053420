"""Every command answers bad input the same way: one line naming the field, exit 2, nothing
saved, no traceback, no hang.

The probe table drives each command with input a person or a script gets wrong. A database
holding a customer, a quote, a follow-up and a follow-up plan is copied for each probe, and
its full contents must be the same afterwards: rows that exist survive every bad attempt.
Most probes run in-process through `main(argv)`; a few run as the real command.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.helpers import dump, run_in_process

NOW = "2026-11-22T22:00:00Z"  # FROZEN_NOW: Monday 09:00 in Sydney
BIG = str(2**64)  # beyond SQLite's 64-bit integers
HUGE = "x" * 100_000
FUTURE = "2026-11-26T10:00"  # a Thursday morning, the customer's clock


@dataclass(frozen=True)
class Probe:
    name: str
    argv: tuple[str, ...]
    field: str  # what the one error line must name
    subprocess: bool = False


def _p(name: str, field: str, *argv: str, subprocess: bool = False) -> Probe:
    return Probe(name, argv, field, subprocess)


_SEND = ("send", "email", "{follow_up}")
_AGREE = (
    "consent",
    "agree",
    "--customer",
    "{customer}",
    "--channel",
    "call",
    "--at",
    "10:00",
    "--reason",
    "Answer questions on the quote",
    "--source",
    "phone call",
    "--words",
    "Call me then",
)

# fmt: off
PROBES: list[Probe] = [
    # --- the global clock
    _p("now-year-1", "--now", "--now", "0001-01-01T00:00Z", "due"),
    _p("now-year-9999", "--now", "--now", "9999-12-31T23:00Z", "due"),
    _p("now-year-9999-remind", "--now", "--now", "9999-12-31T23:59+00:00", "remind", "--once"),
    _p("now-not-a-time", "--now", "--now", "tomorrow", "due"),
    _p("now-without-offset", "--now", "--now", "2026-11-22T09:00", "due"),
    _p("now-after-nested-command", "--now", "consent", "show", "--customer", "{customer}",
       "--now", "0001-01-01T00:00Z"),
    _p("now-after-trash-list", "--now", "trash", "list", "--now", "9999-12-31T23:00Z"),
    # --- add-lead
    _p("lead-name-empty", "--name", "add-lead", "--name", "  "),
    _p("lead-name-huge", "--name", "add-lead", "--name", HUGE),
    _p("lead-name-101", "--name", "add-lead", "--name", "A" * 101),
    _p("lead-job-huge", "--job", "add-lead", "--name", "Bo", "--job", HUGE),
    _p("lead-source-huge", "--source", "add-lead", "--name", "Bo", "--source", HUGE),
    _p("lead-note-huge", "--note", "add-lead", "--name", "Bo", "--note", HUGE),
    _p("lead-email-huge", "--email", "add-lead", "--name", "Bo", "--email", HUGE + "@x.com"),
    _p("lead-phone-huge", "--phone", "add-lead", "--name", "Bo", "--phone", "1" * 100_000),
    _p("lead-zone-unknown", "--timezone", "add-lead", "--name", "Bo", "--timezone", "Mars/Base"),
    _p("lead-zone-huge", "--timezone", "add-lead", "--name", "Bo", "--timezone", HUGE),
    _p("lead-country-bad", "--country", "add-lead", "--name", "Bo", "--country", "ZZZ"),
    _p("lead-name-huge-real", "--name", "add-lead", "--name", HUGE, subprocess=True),
    # --- due, ics, remind
    _p("due-on-year-1", "--on", "due", "--on", "0001-01-01"),
    _p("due-on-year-9999", "--on", "due", "--on", "9999-12-31"),
    _p("due-on-not-a-day", "--on", "due", "--on", "soon"),
    _p("ics-days-huge", "--days", "ics", "--out", "{tmp}/f.ics", "--days", str(10**12)),
    _p("ics-days-negative", "--days", "ics", "--out", "{tmp}/f.ics", "--days", "-1"),
    _p("ics-out-folder", "--out", "ics", "--out", "{tmp}"),
    # --- export and import (argument shapes)
    _p("export-customer-big", "--customer", "export", "--format", "vcard", "--out", "{tmp}/c.vcf",
       "--customer", BIG),
    _p("export-customer-zero", "--customer", "export", "--format", "vcard", "--out", "{tmp}/c.vcf",
       "--customer", "0"),
    _p("export-customer-negative", "--customer", "export", "--format", "vcard", "--out",
       "{tmp}/c.vcf", "--customer", "-3"),
    _p("export-customer-missing", "customer", "export", "--format", "vcard", "--out", "{tmp}/c.vcf",
       "--customer", "999"),
    _p("export-customer-not-vcard", "--customer", "export", "--out", "{tmp}/e.json", "--customer",
       "{customer}"),
    _p("export-out-folder", "--out", "export", "--out", "{tmp}"),
    _p("import-no-such-file", "file", "import", "{tmp}/no-such.csv"),
    # --- consent
    _p("consent-show-big", "--customer", "consent", "show", "--customer", BIG),
    _p("consent-show-zero", "--customer", "consent", "show", "--customer", "0"),
    _p("consent-show-negative", "--customer", "consent", "show", "--customer", "-1"),
    _p("consent-show-missing", "customer", "consent", "show", "--customer", "999"),
    _p("consent-show-word", "--customer", "consent", "show", "--customer", "mia"),
    _p("consent-show-big-real", "--customer", "consent", "show", "--customer", BIG,
       subprocess=True),
    _p("consent-grant-big", "--customer", "consent", "grant", "--customer", BIG, "--channel",
       "email", "--source", "phone call", "--words", "Email is fine"),
    _p("consent-grant-words-empty", "--words", "consent", "grant", "--customer", "{customer}",
       "--channel", "text", "--source", "phone call", "--words", ""),
    _p("consent-grant-words-blank", "--words", "consent", "grant", "--customer", "{customer}",
       "--channel", "text", "--source", "phone call", "--words", "   "),
    _p("consent-grant-words-huge", "--words", "consent", "grant", "--customer", "{customer}",
       "--channel", "text", "--source", "phone call", "--words", HUGE),
    _p("consent-grant-source-huge", "--source", "consent", "grant", "--customer", "{customer}",
       "--channel", "text", "--source", HUGE, "--words", "Text me"),
    _p("consent-revoke-source-empty", "--source", "consent", "revoke", "--customer", "{customer}",
       "--channel", "text", "--source", ""),
    _p("consent-revoke-words-huge", "--words", "consent", "revoke", "--customer", "{customer}",
       "--channel", "text", "--source", "email", "--words", HUGE),
    _p("consent-stop-big", "--customer", "consent", "stop", "--customer", BIG, "--source",
       "phone call"),
    _p("consent-stop-missing", "customer", "consent", "stop", "--customer", "999", "--source",
       "phone call"),
    _p("agree-on-year-1", "--on", *_AGREE, "--on", "0001-01-01"),
    _p("agree-on-year-9999", "--on", *_AGREE, "--on", "9999-12-31"),
    _p("agree-on-1900", "--on", *_AGREE, "--on", "1900-01-01"),
    _p("agree-on-yesterday", "--on", *_AGREE, "--on", "2026-11-22"),
    _p("agree-on-beyond-horizon", "--on", *_AGREE, "--on", "2100-01-04"),
    _p("agree-on-not-a-day", "--on", *_AGREE, "--on", "Thursday"),
    _p("agree-at-bad", "--at", *_AGREE, "--on", "2026-11-26", "--at", "25:00"),
    _p("agree-until-before", "--until", *_AGREE, "--on", "2026-11-26", "--until", "09:00"),
    _p("agree-reason-empty", "--reason", *_AGREE, "--on", "2026-11-26", "--reason", " "),
    _p("agree-reason-huge", "--reason", *_AGREE, "--on", "2026-11-26", "--reason", HUGE),
    _p("agree-words-empty", "--words", *_AGREE, "--on", "2026-11-26", "--words", ""),
    _p("agree-quote-big", "--quote", *_AGREE, "--on", "2026-11-26", "--quote", BIG),
    _p("agree-quote-missing", "quote", *_AGREE, "--on", "2026-11-26", "--quote", "999"),
    _p("agree-customer-big", "--customer", *_AGREE, "--on", "2026-11-26", "--customer", BIG),
    _p("hours-zone-unknown", "--timezone", "consent", "hours", "--customer", "{customer}",
       "--timezone", "Mars/Base", "--source", "phone call"),
    _p("hours-rule-huge", "--hours", "consent", "hours", "--customer", "{customer}", "--hours",
       "evenings only; " * 20, "--source", "phone call"),
    _p("hours-best-huge", "--best-times", "consent", "hours", "--customer", "{customer}",
       "--best-times", "mon 17:00-18:00; " * 20, "--source", "phone call"),
    _p("ledger-big", "--customer", "consent", "ledger", "--customer", BIG),
    _p("ledger-pdf-folder", "--pdf", "consent", "ledger", "--customer", "{customer}", "--pdf",
       "{tmp}"),
    _p("ledger-pdf-no-folder", "--pdf", "consent", "ledger", "--customer", "{customer}", "--pdf",
       "{tmp}/nowhere/l.pdf"),
    _p("ledger-pdf-device", "--pdf", "consent", "ledger", "--customer", "{customer}", "--pdf",
       "{device}", subprocess=True),
    _p("ledger-csv-folder", "--csv", "consent", "ledger", "--customer", "{customer}", "--csv",
       "{tmp}"),
    _p("ledger-csv-device", "--csv", "consent", "ledger", "--customer", "{customer}", "--csv",
       "{device}", subprocess=True),
    _p("cards-out-device", "--out", "cards", "--out", "{device}", subprocess=True),
    _p("ics-out-device", "--out", "ics", "--out", "{device}", subprocess=True),
    # --- cadence
    _p("cadence-start-big", "--customer", "cadence", "start", "after_quote", "--customer", BIG),
    _p("cadence-start-unknown", "cadence", "cadence", "start", "no_such_plan", "--customer",
       "{customer}"),
    _p("cadence-start-quote-big", "--quote", "cadence", "start", "after_quote", "--customer",
       "{customer}", "--quote", BIG),
    _p("cadence-stop-big", "RUN_ID", "cadence", "stop", BIG),
    _p("cadence-stop-zero", "RUN_ID", "cadence", "stop", "0"),
    _p("cadence-stop-missing", "run", "cadence", "stop", "999"),
    _p("cadence-stop-big-real", "RUN_ID", "cadence", "stop", BIG, subprocess=True),
    _p("cadence-resume-big", "RUN_ID", "cadence", "resume", BIG),
    _p("cadence-resume-missing", "run", "cadence", "resume", "999"),
    _p("cadence-resume-active", "cadence", "cadence", "resume", "{run}"),
    _p("cadence-runs-big", "--customer", "cadence", "runs", "--customer", BIG),
    _p("cadence-copy-unknown", "cadence", "cadence", "copy", "no_such_plan"),
    _p("cadence-copy-name-huge", "--name", "cadence", "copy", "after_quote", "--name", HUGE),
    # --- cards
    _p("cards-due-within-huge", "--due-within", "cards", "--out", "{tmp}/c.pdf", "--due-within",
       str(10**12)),
    _p("cards-due-within-negative", "--due-within", "cards", "--out", "{tmp}/c.pdf", "--due-within",
       "-1"),
    _p("cards-next-in-days-negative", "--next-in-days", "cards", "--mark-mailed", "--next-in-days",
       "-5"),
    _p("cards-next-in-days-huge", "--next-in-days", "cards", "--mark-mailed", "--next-in-days",
       str(10**9)),
    _p("cards-next-reason-empty", "--next-reason", "cards", "--mark-mailed", "--next-reason", " "),
    _p("cards-start-label-zero", "--start-label", "cards", "--out", "{tmp}/c.pdf", "--start-label",
       "0"),
    _p("cards-seed-big", "--seed", "cards", "--out", "{tmp}/c.pdf", "--seed", BIG),
    _p("cards-out-folder", "--out", "cards", "--out", "{tmp}"),
    # --- templates
    _p("templates-customer-big", "--customer", "templates", "show", "email_follow_up", "--customer",
       BIG),
    _p("templates-customer-missing", "customer", "templates", "show", "email_follow_up",
       "--customer", "999"),
    _p("templates-follow-up-big", "--follow-up", "templates", "show", "email_follow_up",
       "--customer", "{customer}", "--follow-up", BIG),
    _p("templates-unknown", "template", "templates", "show", "no_such_template"),
    # --- send
    _p("send-follow-up-big", "follow_up", "send", "email", BIG, "--next-at", FUTURE,
       "--next-reason", "Check the quote arrived", "--dry-run"),
    _p("send-follow-up-missing", "follow-up", "send", "email", "999", "--next-at", FUTURE,
       "--next-reason", "Check the quote arrived", "--dry-run"),
    _p("send-next-at-past", "--next-at", *_SEND, "--next-at", "2026-11-20T10:00", "--next-reason",
       "Check the quote arrived", "--dry-run"),
    _p("send-next-at-year-1", "--next-at", *_SEND, "--next-at", "0001-01-01T10:00", "--next-reason",
       "Check the quote arrived", "--dry-run"),
    _p("send-next-at-year-9999", "--next-at", *_SEND, "--next-at", "9999-12-31T10:00",
       "--next-reason", "Check the quote arrived", "--dry-run"),
    _p("send-next-reason-empty", "--next-reason", *_SEND, "--next-at", FUTURE, "--next-reason", "",
       "--dry-run"),
    _p("send-next-reason-huge", "--next-reason", *_SEND, "--next-at", FUTURE, "--next-reason", HUGE,
       "--dry-run"),
    # --- trash, erase, restore
    _p("trash-add-big", "ID", "trash", "add", BIG),
    _p("trash-add-quote-big", "ID", "trash", "add", "q" + BIG),
    _p("trash-add-zero", "ID", "trash", "add", "0"),
    _p("trash-add-missing", "customer", "trash", "add", "999"),
    _p("trash-add-quote-missing", "quote", "trash", "add", "q999"),
    _p("trash-restore-not-trashed", "customer", "trash", "restore", "{customer}"),
    _p("trash-empty-negative", "--older-than", "trash", "empty", "--older-than", "-1"),
    _p("trash-empty-huge", "--older-than", "trash", "empty", "--older-than", str(10**12)),
    _p("erase-big", "CUSTOMER_ID", "erase", BIG, "--yes"),
    _p("erase-zero", "CUSTOMER_ID", "erase", "0", "--yes"),
    _p("erase-missing", "customer", "erase", "999", "--yes"),
    _p("restore-no-such-file", "FILE", "restore", "{tmp}/no-such.db", "--yes"),
    # --- demo
    _p("demo-customers-huge", "--customers", "demo", "--customers", str(10**12), subprocess=True),
    _p("demo-customers-zero", "--customers", "demo", "--customers", "0"),
    _p("demo-quotes-negative", "--quotes", "demo", "--quotes", "-1"),
    _p("demo-quotes-huge", "--quotes", "demo", "--customers", "5", "--quotes", str(10**12)),
    # --- more shapes, one or two per command
    _p("now-empty", "--now", "--now", "", "due"),
    _p("lead-no-name", "--name", "add-lead", "--phone", "+61 412 000 111"),
    _p("due-on-february-30", "--on", "due", "--on", "2026-02-30"),
    _p("ics-days-word", "--days", "ics", "--out", "{tmp}/f.ics", "--days", "sixty"),
    _p("export-format-unknown", "--format", "export", "--format", "xml", "--out", "{tmp}/e.x"),
    _p("import-folder", "file", "import", "{tmp}"),
    _p("consent-customer-empty", "--customer", "consent", "show", "--customer", ""),
    _p("consent-grant-channel-unknown", "--channel", "consent", "grant", "--customer",
       "{customer}", "--channel", "fax", "--source", "phone call", "--words", "Fax me"),
    _p("consent-revoke-missing", "customer", "consent", "revoke", "--customer", "999",
       "--channel", "text", "--source", "phone call"),
    _p("agree-until-bad", "--until", *_AGREE, "--on", "2026-11-26", "--until", "99:99"),
    _p("hours-preferred-unknown", "--preferred", "consent", "hours", "--customer",
       "{customer}", "--preferred", "fax", "--source", "phone call"),
    _p("cadence-start-customer-missing", "customer", "cadence", "start", "after_quote",
       "--customer", "999"),
    _p("cadence-start-quote-missing", "quote", "cadence", "start", "after_quote",
       "--customer", "{customer}", "--quote", "999"),
    _p("templates-quote-without-customer", "--customer", "templates", "show",
       "email_follow_up", "--quote", "{quote}"),
    _p("templates-kind-unknown", "--kind", "templates", "list", "--kind", "fax"),
    # An offset says the moment exactly (and wins over the owner's clock): a past one is refused.
    _p("send-next-at-offset-past", "--next-at", *_SEND, "--next-at", "2026-11-20T10:00+10:00",
       "--next-reason", "Check the quote arrived", "--dry-run"),
    _p("send-next-at-no-such-day", "--next-at", *_SEND, "--next-at", "2026-11-31T10:00",
       "--next-reason", "Check the quote arrived", "--dry-run"),
    _p("send-next-channel-unknown", "--next-channel", *_SEND, "--next-at", FUTURE,
       "--next-reason", "Check the quote arrived", "--next-channel", "fax", "--dry-run"),
    _p("remind-without-once", "--once", "remind"),
    _p("trash-restore-quote-zero", "ID", "trash", "restore", "q0"),
    _p("trash-add-letter", "ID", "trash", "add", "c"),
    _p("erase-without-yes", "--yes", "erase", "{customer}"),
    _p("demo-seed-negative", "--seed", "demo", "--seed", "-1"),
    _p("demo-customers-word", "--customers", "demo", "--customers", "many"),
    # --- report
    _p("report-from-year-1", "--from", "report", "--from", "0001-01-01"),
    _p("report-to-year-9999", "--to", "report", "--to", "9999-12-31"),
    _p("report-to-before-from", "--to", "report", "--from", "2026-11-01", "--to", "2026-10-01"),
    _p("report-period-and-from", "--period", "report", "--period", "this-month", "--from",
       "2026-11-01"),
    _p("report-window-bad", "--win-rate-window", "report", "--win-rate-window", "90-30"),
    _p("report-pdf-folder", "--pdf", "report", "--pdf", "{tmp}"),
    _p("report-pdf-device", "--pdf", "report", "--pdf", "{device}", subprocess=True),
    _p("report-csv-device", "--csv", "report", "--csv", "{device}", subprocess=True),
    # --- settings
    _p("settings-unknown-key", "colour", "settings", "set", "colour", "blue"),
    _p("settings-country-bad", "country", "settings", "set", "country", "ZZZ"),
    _p("settings-zone-bad", "timezone", "settings", "set", "timezone", "Mars/Base"),
    _p("settings-currency-bad", "currency", "settings", "set", "currency", "DOLLARS"),
    _p("settings-business-huge", "business", "settings", "set", "business", HUGE),
    _p("settings-cell-bad", "cell", "settings", "set", "cell", "12"),
    _p("settings-weekly-cap-huge", "weekly-cap", "settings", "set", "weekly-cap", str(10**12)),
    _p("settings-going-cold-negative", "going-cold-days", "settings", "set", "going-cold-days",
       "-5"),
]
# fmt: on


@dataclass(frozen=True)
class Outcome:
    kind: str  # answered | traceback | hang | silent | exit-N | unclear | changed
    code: int | None
    stderr: str


def _run_real(argv: list[str], cwd: Path) -> tuple[int | None, str, str]:
    try:
        done = subprocess.run(
            [sys.executable, "-m", "deckfollow", *argv],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            cwd=cwd,
        )
    except subprocess.TimeoutExpired:
        return -9, "", "(no answer within 60 s)"
    return done.returncode, done.stdout, done.stderr


def run_probe(probe: Probe, db: Path, ids: dict[str, int], tmp: Path) -> Outcome:
    # A named pipe stands in for a device such as /dev/full: a file that is not a regular
    # file, where a test that went wrong can do no harm outside its own folder.
    device = tmp / "device"
    if any("{device}" in a for a in probe.argv):
        os.mkfifo(device)
    argv = [a.format(tmp=tmp, device=device, **ids) for a in probe.argv]
    full = ["--db", str(db), *([] if "--now" in argv else ["--now", NOW]), *argv]
    before = dump(db)
    if probe.subprocess:
        code, _out, err = _run_real(full, tmp)
    else:
        code, _out, err = run_in_process(full)
    lines = err.splitlines()
    if code is None or "Traceback" in err:
        kind = "traceback"
    elif code == -9:
        kind = "hang"
    elif code == 0:
        kind = "silent"
    elif code != 2:
        kind = f"exit-{code}"
    elif dump(db) != before or (device.exists() and not stat.S_ISFIFO(device.stat().st_mode)):
        kind = "changed"  # rows lost or altered, or the "device" replaced by a file
    elif len(lines) != 1 or probe.field.lower() not in lines[0].lower():
        kind = "unclear"
    else:
        kind = "answered"
    return Outcome(kind, code, err[-600:])


@pytest.mark.parametrize("probe", PROBES, ids=[p.name for p in PROBES])
def test_bad_input_is_answered_with_one_line_and_exit_2(
    probe: Probe, template_db: tuple[Path, dict[str, int]], tmp_path: Path
) -> None:
    source, ids = template_db
    db = tmp_path / "business.db"
    shutil.copy(source, db)
    outcome = run_probe(probe, db, ids, tmp_path)
    assert outcome.kind == "answered", f"{outcome.kind}, exit {outcome.code}: {outcome.stderr}"
    # No stray database, PDF, export or half-written file was left behind.
    left = [p.name for p in tmp_path.iterdir() if not p.name.startswith("business.db")]
    assert left in ([], ["device"])
