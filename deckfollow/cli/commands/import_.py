"""`deckfollow import FILE [--dry-run] [--json] [--mapping COLUMN=FIELD ...]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING

from deckfollow.cli.context import CliContext

if TYPE_CHECKING:
    from deckfollow.exchange.csv_import import ImportPlan

ORDER = 45


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import",
        help="import customers from a contacts CSV (Google, Outlook or any spreadsheet)",
        description=(
            "Google Contacts and Outlook exports are recognised by their columns; any other "
            "CSV is read through a column mapping suggested from its header. Duplicates of "
            "existing customers (same email or phone) and people who asked not to be "
            "contacted are never imported. A backup is taken before anything is saved."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the CSV file")
    p.add_argument("--dry-run", action="store_true", help="show what would happen; save nothing")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument(
        "--mapping",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help=(
            "read COLUMN (a header name or a 1-based number) as FIELD: name, first_name, "
            "middle_name, last_name, company, email, phone, phone_cell, phone_office, "
            "phone_home, street, suburb, region, postcode, country, timezone, birthday, notes, "
            "do_not_contact or ignore; repeat for more columns. Columns not named keep the "
            "field suggested from their header. A mapping given for a Google or Outlook "
            "export replaces their automatic reading"
        ),
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.exchange.csv_import import (
        check_reading,
        import_table,
        plan_import,
        read_import_file,
    )
    from deckfollow.exchange.import_mapping import parse_mapping_options, suggest_mapping

    path = Path(args.file).expanduser()
    table = read_import_file(path)
    mapping = None
    if args.mapping:
        mapping = parse_mapping_options(args.mapping, table.header, suggest_mapping(table.header))
    # A file no mapping can read is refused before a database or a backup is made for it.
    check_reading(table, mapping)
    with ctx.database(create=not args.dry_run) as db:
        if args.dry_run:
            with db.reading() as session:
                plan = plan_import(session, table, mapping=mapping)
        else:
            if not all(r.is_blank for r in table.rows):
                from deckfollow.storage.backup_copies import backup_before

                backup_before(db, "import", now=ctx.now)
            with db.unit_of_work() as session:
                plan = import_table(session, table, now=ctx.now, mapping=mapping)
    if args.json:
        print(json.dumps(plan.summary_json(), ensure_ascii=False), file=ctx.out)
    else:
        _print_summary(plan, path, ctx, dry_run=args.dry_run)
    return 0


def _print_summary(plan: ImportPlan, path: Path, ctx: CliContext, *, dry_run: bool) -> None:
    from deckfollow.core.customers import FIELDS
    from deckfollow.exchange.import_summary import import_summary

    out = ctx.out
    print(
        f"Read {path.name} as {plan.format_label} ({plan.encoding_label}, "
        f"{plan.delimiter_label}-separated).",
        file=out,
    )
    for note in plan.file_notes:
        print(note, file=out)
    # The wizard's preview words: only the counts that apply ("2 to import · 1 problem").
    completes = plan.completable if dry_run else plan.completed
    summary = import_summary(
        plan.imported, plan.duplicates, completes, len(plan.problems), done=not dry_run
    )
    print(f"{summary}.", file=out)
    if plan.stopped or plan.suppressions:
        # Rule 9: the stop travels with the person; nothing is planned for them.
        print(
            f"  kept as do-not-contact: {plan.stopped} customer{'s' * (plan.stopped != 1)}, "
            f"{plan.suppressions} erased {'person' if plan.suppressions == 1 else 'people'}",
            file=out,
        )
    for row in plan.rows:
        if row.duplicate_of:
            # An existing customer gains what their row has and they lacked (never a change).
            adds = ""
            if row.fills:
                what = ", ".join(FIELDS.get(k, k) for k in row.fills)
                adds = f"; {'would add' if dry_run else 'added'} their {what}"
            print(f"  row {row.row}: {row.name} is the same as {row.duplicate_of}{adds}", file=out)
    problems = plan.problems
    if problems:
        print(f"{len(problems)} problem{'s' * (len(problems) != 1)}:", file=out)
        for p in problems:
            print(f"  row {p.row}: {p.message}", file=out)
    if dry_run:
        print("Nothing was saved (--dry-run).", file=out)
