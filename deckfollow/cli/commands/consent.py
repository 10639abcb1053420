"""`deckfollow consent …` and `deckfollow cadence …`: permission from the command line.

consent show|grant|revoke|stop|agree|hours|ledger --customer ID …
cadence list|start|stop|runs|copy …
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.cli.files import check_out_file
from deckfollow.core.clock_format import both_clocks_text, hours_text, weekday_date_time_text
from deckfollow.core.enums import Channel, ConsentChannel, ConsentEventKind
from deckfollow.core.errors import ValidationError

if TYPE_CHECKING:
    from deckfollow.core.consent_ledger import LedgerEntry
    from deckfollow.core.consent_overview import ConsentOverview

ORDER = 50

_CONSENT_CHOICES = [c.value for c in ConsentChannel]
_CHANNEL_CHOICES = [c.value for c in Channel]


def _hidden_globals(p: argparse.ArgumentParser) -> None:
    # So "deckfollow consent show --db x.db" works like the top-level commands do.
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--now", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def _who(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--customer", type=shapes.record_id, required=True, metavar="ID", help="customer id"
    )


def _source(text: str) -> str:
    from deckfollow.core.enums import LedgerSource

    source = LedgerSource.parse(text)
    if source is None:
        names = ", ".join(s.value for s in LedgerSource)
        raise argparse.ArgumentTypeError(f"{text!r} is not a source (use one of: {names})")
    return source.value


def _said(p: argparse.ArgumentParser, *, words_required: bool) -> None:
    p.add_argument(
        "--source",
        required=True,
        type=_source,
        help="how they told you: call, text, email, in person, web form, post or import",
    )
    p.add_argument(
        "--words", required=words_required, help="the customer's own words, as they said them"
    )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("consent", help="what each customer agreed to: show, grant, stop, ledger")
    cs = c.add_subparsers(dest="consent_cmd", metavar="ACTION", required=True)

    p = cs.add_parser("show", help="consent per channel, allowed hours and preferences")
    _who(p)
    p.add_argument("--json", action="store_true")
    p = cs.add_parser("grant", help="record a yes for one channel (in their words)")
    _who(p)
    p.add_argument("--channel", required=True, choices=_CONSENT_CHOICES)
    _said(p, words_required=True)
    p = cs.add_parser("revoke", help="record a no for one channel; cancels what it covers")
    _who(p)
    p.add_argument("--channel", required=True, choices=_CONSENT_CHOICES)
    _said(p, words_required=False)
    p = cs.add_parser("stop", help="do not contact at all: every channel, everything pending")
    _who(p)
    _said(p, words_required=False)
    p = cs.add_parser("agree", help="record a follow-up the customer agreed to")
    _who(p)
    p.add_argument("--quote", type=shapes.record_id, metavar="ID")
    p.add_argument("--channel", required=True, choices=_CHANNEL_CHOICES)
    p.add_argument(
        "--on", type=shapes.day, required=True, metavar="YYYY-MM-DD", help="day, your calendar"
    )
    p.add_argument(
        "--at",
        type=shapes.clock_time,
        required=True,
        metavar="HH:MM",
        help="time, your clock (settings' timezone); the result shows theirs beside it",
    )
    p.add_argument(
        "--until",
        type=shapes.clock_time,
        metavar="HH:MM",
        help="end of the agreed window, your clock",
    )
    p.add_argument("--reason", required=True, help='why: "The reason I\'m calling is …"')
    p.add_argument("--reopen", action="store_true", help="their words re-open a closed channel")
    _said(p, words_required=True)
    p.set_defaults(field_options={"when": "--on", "window": "--until", "agreed words": "--words"})
    p = cs.add_parser("hours", help="time zone, allowed hours, best times, preferred channel")
    _who(p)
    p.add_argument("--timezone", help="IANA zone, e.g. America/New_York")
    p.add_argument("--hours", help='e.g. "evenings only; not mon" ("" for the default)')
    p.add_argument("--best-times", help='e.g. "mon-fri 17:30-19:00"')
    p.add_argument("--preferred", choices=_CHANNEL_CHOICES)
    _said(p, words_required=False)
    p.set_defaults(
        field_options={
            "time zone": "--timezone",
            "contact hours": "--hours",
            "best times": "--best-times",
        }
    )
    p = cs.add_parser("ledger", help="the consent ledger; export as CSV or PDF evidence")
    _who(p)
    out = p.add_mutually_exclusive_group()
    out.add_argument("--csv", type=Path, metavar="FILE")
    out.add_argument("--pdf", type=Path, metavar="FILE")
    out.add_argument("--json", action="store_true")
    for parser in cs.choices.values():
        _hidden_globals(parser)
    c.set_defaults(run=run_consent)

    k = sub.add_parser("cadence", help="follow-up plans: list, start, stop, copy")
    ks = k.add_subparsers(dest="cadence_cmd", metavar="ACTION", required=True)
    p = ks.add_parser("list", help="the cadences and their steps")
    p.add_argument("--json", action="store_true")
    p = ks.add_parser("start", help="start a cadence for a customer")
    p.add_argument("key", help="cadence key, e.g. after_quote")
    _who(p)
    p.add_argument("--quote", type=shapes.record_id, metavar="ID")
    # The dest is not "run": that is the handler every command's parser sets.
    p = ks.add_parser("stop", help="stop a running cadence")
    p.add_argument("run_id", type=shapes.record_id, metavar="RUN_ID")
    p = ks.add_parser("resume", help="continue a paused cadence")
    p.add_argument("run_id", type=shapes.record_id, metavar="RUN_ID")
    p = ks.add_parser("runs", help="a customer's cadences and their next step")
    _who(p)
    p = ks.add_parser("copy", help="an editable copy of a cadence")
    p.add_argument("key")
    p.add_argument("--name")
    for parser in ks.choices.values():
        _hidden_globals(parser)
    k.set_defaults(run=run_cadence)


def _local(dt: datetime | None, tz: str) -> str:
    """A moment that happened (a consent given, a merge), on the owner's clock `tz`."""
    return weekday_date_time_text(dt.astimezone(ZoneInfo(tz))) if dt else ""


def _planned(dt: datetime, owner_tz: str, their_tz: str) -> str:
    """A planned or agreed touch: the owner's clock, the customer's time beside it."""
    return both_clocks_text(dt, owner_tz, their_tz, year=True)


def _owner_zone(read: Callable[[], str | None]) -> str:
    """The owner's zone as the settings hold it, else this computer's (as the app shows)."""
    from deckfollow.core.timezones import system_timezone

    return read() or system_timezone()


def run_consent(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.consent_cmd == "show":
        return _show(args, ctx)
    from deckfollow.core import consent as svc
    from deckfollow.core.consent_ledger import grant_consent, ledger_entries
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.followups import agree_follow_up, agreed_plan
    from deckfollow.core.settings import load_settings

    cmd = args.consent_cmd
    if cmd == "ledger":  # a destination that cannot be written fails before any file is opened
        for option, target in (("--csv", args.csv), ("--pdf", args.pdf)):
            if target is not None:
                check_out_file(target, option)
    with ctx.database() as db:
        if cmd == "ledger":
            with db.reading() as s:
                ov = svc.consent_overview(s, args.customer)
                entries = ledger_entries(s, args.customer)
                owner_tz = load_settings(s).owner_timezone
                if args.csv or args.pdf:
                    from deckfollow.exchange.ledger_export import (
                        load_ledger,
                        write_ledger_csv,
                        write_ledger_pdf,
                    )

                    doc = load_ledger(s, args.customer, now=ctx.now)
                    option, target = ("--csv", args.csv) if args.csv else ("--pdf", args.pdf)
                    try:
                        path = (
                            write_ledger_csv(doc, target)
                            if args.csv
                            else write_ledger_pdf(doc, target)
                        )
                    except OSError as exc:
                        raise ValidationError(
                            option, f"could not write {target}: {exc.strerror or exc}"
                        ) from exc
                    print(f"{len(entries)} ledger entries written to {path}", file=ctx.out)
                    return 0
            _print_ledger(ov, entries, ctx, owner_tz, as_json=args.json)
            return 0
        with db.unit_of_work() as s:
            if cmd == "grant":
                grant_consent(
                    s,
                    args.customer,
                    ConsentChannel(args.channel),
                    source=args.source,
                    words=args.words,
                    now=ctx.now,
                )
                msg = f"{args.channel}: granted"
            elif cmd == "revoke":
                revoked = svc.revoke_consent(
                    s,
                    args.customer,
                    ConsentChannel(args.channel),
                    source=args.source,
                    words=args.words,
                    now=ctx.now,
                )
                msg = "\n".join((f"{args.channel}: revoked", *revoked.notices))
            elif cmd == "stop":
                stopped = svc.revoke_consent(
                    s, args.customer, None, source=args.source, words=args.words, now=ctx.now
                )
                msg = "\n".join(("do not contact: every channel revoked", *stopped.notices))
            elif cmd == "agree":
                tz = get_customer(s, args.customer).timezone
                owner_tz = load_settings(s).owner_timezone
                plan = agreed_plan(
                    args.on,
                    args.at,
                    args.until,
                    owner_tz,
                    Channel(args.channel),
                    args.reason,
                    args.words,
                )
                fu = agree_follow_up(
                    s,
                    args.customer,
                    args.quote,
                    plan,
                    now=ctx.now,
                    source=args.source,
                    reopen=args.reopen,
                )
                when = both_clocks_text(fu.due_at, owner_tz, tz, year=True)
                msg = f"agreed follow-up {fu.id}: {args.channel} {when}"
            else:
                prefs = svc.ContactPreferences(
                    timezone=args.timezone,
                    contact_hours=args.hours,
                    best_times=args.best_times,
                    preferred_channel=Channel(args.preferred) if args.preferred else None,
                )
                changes = svc.set_contact_preferences(
                    s, args.customer, prefs, source=args.source, words=args.words, now=ctx.now
                )
                msg = "contact preferences saved" if changes.consent else "nothing changed"
    print(msg, file=ctx.out)
    return 0


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    """`consent show`: straight from a SQLite file when it can (no SQLAlchemy to import),
    else through the services."""
    conn = ctx.read_sqlite()
    if conn is not None:
        from deckfollow.core.due_sqlite import owner_timezone
        from deckfollow.core.sqlite_reads import read_consent

        try:
            ov, merges = read_consent(conn, args.customer)
            owner_tz = _owner_zone(lambda: owner_timezone(conn))
        finally:
            conn.close()
    else:
        from deckfollow.core.consent import consent_overview
        from deckfollow.core.consent_ledger import ledger_entries
        from deckfollow.core.settings import load_settings

        with ctx.database() as db, db.reading() as s:
            ov = consent_overview(s, args.customer)
            merges = [
                (e.at, e.detail)
                for e in ledger_entries(s, args.customer)
                if e.kind is ConsentEventKind.CUSTOMER_MERGED
            ]
            owner_tz = load_settings(s).owner_timezone
    _print_overview(ov, merges, ctx, owner_tz, as_json=args.json)
    return 0


def _print_overview(
    ov: ConsentOverview,
    merges: list[tuple[datetime, str | None]],
    ctx: CliContext,
    owner_tz: str,
    *,
    as_json: bool,
) -> None:
    # A merge re-read two ledgers into this one: the state shown rests on both records.
    if as_json:
        data = {
            "customer_id": ov.customer_id,
            "name": ov.name,
            "timezone": ov.timezone,
            "do_not_contact": ov.do_not_contact,
            "contact_hours": ov.contact_hours,
            "effective_hours": ov.effective_hours,
            "best_times": ov.best_times,
            "preferred_channel": ov.preferred_channel.value if ov.preferred_channel else None,
            "channels": {
                c.channel.value: {
                    "state": c.state.value,
                    "since": c.since.isoformat() if c.since else None,
                    "source": c.source,
                    "words": c.words,
                }
                for c in ov.channels
            },
            "merges": [{"at": at.isoformat(), "detail": detail} for at, detail in merges],
        }
        json.dump(data, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return
    print(f"{ov.name} (customer {ov.customer_id}, {ov.timezone})", file=ctx.out)
    if ov.do_not_contact:
        print("DO NOT CONTACT", file=ctx.out)
    print(f"allowed hours: {hours_text(ov.effective_hours)}", file=ctx.out)
    if ov.best_times:
        print(f"best times: {ov.best_times}", file=ctx.out)
    if ov.preferred_channel:
        print(f"preferred: {ov.preferred_channel.value}", file=ctx.out)
    for c in ov.channels:
        extra = ""
        if c.since:
            extra = f"  since {_local(c.since, owner_tz)} ({c.source or 'unrecorded'})"
            if c.words:
                extra += f' "{c.words}"'
        print(f"  {c.channel.value:<6} {c.state.value:<8}{extra}", file=ctx.out)
    for at, detail in merges:
        print(f"merged {_local(at, owner_tz)}: {detail}", file=ctx.out)


def _print_ledger(
    ov: ConsentOverview,
    rows: list[LedgerEntry],
    ctx: CliContext,
    owner_tz: str,
    *,
    as_json: bool,
) -> None:
    if as_json:
        json.dump(
            [
                {
                    "id": e.id,
                    "at": e.at.isoformat(),
                    "kind": e.kind.value,
                    "channel": e.channel.value if e.channel else None,
                    "source": e.source,
                    "words": e.words,
                    "detail": e.detail,
                    "follow_up_id": e.follow_up_id,
                }
                for e in rows
            ],
            ctx.out,
            ensure_ascii=False,
            indent=1,
        )
        ctx.out.write("\n")
        return
    print(
        f"Consent ledger of {ov.name} ({len(rows)} entries, times on your clock, {owner_tz})",
        file=ctx.out,
    )
    for e in rows:
        words = f' "{e.words}"' if e.words else ""
        detail = f" — {e.detail}" if e.detail else ""
        print(
            f"{_local(e.at, owner_tz)}  {e.kind_label:<22} {e.channel_label:<12} "
            f"({e.source}){words}{detail}",
            file=ctx.out,
        )


def run_cadence(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core import cadence_library as cad
    from deckfollow.core import cadence_runs as runs
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.settings import load_settings

    cmd = args.cadence_cmd
    with ctx.database() as db, db.unit_of_work() as s:
        cad.seed_builtin_cadences(s)
        if cmd == "list":
            specs = cad.list_cadences(s)
            if args.json:
                json.dump(
                    [
                        {
                            "key": c.key,
                            "name": c.name,
                            "builtin": c.builtin,
                            "steps": [
                                {
                                    "day": st.offset_days,
                                    "channel": st.channel.value,
                                    "reason": st.reason,
                                }
                                for st in c.steps
                            ],
                        }
                        for c in specs
                    ],
                    ctx.out,
                    ensure_ascii=False,
                    indent=1,
                )
                ctx.out.write("\n")
                return 0
            for c in specs:
                mark = "built-in" if c.builtin else "yours"
                print(f"{c.key:<18} {c.name} ({len(c.steps)} steps, {mark})", file=ctx.out)
                for st in c.steps:
                    print(
                        f"    day {st.offset_days:>4}  {st.channel.value:<5}  {st.reason}",
                        file=ctx.out,
                    )
            return 0
        if cmd == "start":
            info = runs.start_cadence(s, args.customer, args.key, quote_id=args.quote, now=ctx.now)
            tz, owner_tz = get_customer(s, args.customer).timezone, load_settings(s).owner_timezone
            nxt = (
                f"; first step: {info.next_channel.value} {_planned(info.next_due, owner_tz, tz)}"
                if info.next_channel and info.next_due
                else ""
            )
            print(f"run {info.id} started: {info.cadence_name}{nxt}", file=ctx.out)
        elif cmd == "stop":
            runs.stop_cadence(s, args.run_id, now=ctx.now)
            print(f"run {args.run_id} stopped", file=ctx.out)
        elif cmd == "resume":
            runs.resume_cadence(s, args.run_id, now=ctx.now)
            print(f"run {args.run_id} resumed", file=ctx.out)
        elif cmd == "runs":
            tz, owner_tz = get_customer(s, args.customer).timezone, load_settings(s).owner_timezone
            for r in runs.customer_runs(s, args.customer):
                nxt = (
                    f"next {r.next_channel.value} {_planned(r.next_due, owner_tz, tz)}: "
                    f"{r.next_reason}"
                    if r.next_channel and r.next_due
                    else (r.paused_reason or "")
                )
                print(f"{r.id:>4}  {r.cadence_key:<16} {r.status.value:<8} {nxt}", file=ctx.out)
        else:
            spec = cad.copy_cadence(s, args.key, name=args.name)
            print(f"{spec.key}: {spec.name}", file=ctx.out)
    return 0
