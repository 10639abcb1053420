"""Data safety from the command line.

backup [--out FILE]            a verified copy (default: into the backups folder)
restore FILE [--yes]           replace the database with a backup (the current file is kept)
backups [--json]               the backups beside the database
check [--json]                 the integrity check (read-only)
trash list|add ID|restore ID|empty  the trash; ID is a customer id, or q<ID> for a quote
erase CUSTOMER_ID --yes        erase a customer for good (a privacy request)
erase --wipe                   finish an erasure another program's read held up
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.errors import StorageError, ValidationError

if TYPE_CHECKING:
    from deckfollow.storage.backup_catalogue import BackupInfo
    from deckfollow.storage.database import Database

ORDER = 80


def _hidden_globals(p: argparse.ArgumentParser) -> None:
    # So "deckfollow trash list --db x.db" works like the top-level commands do.
    p.add_argument("--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--now", default=argparse.SUPPRESS, help=argparse.SUPPRESS)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="make a verified copy of the database")
    p.add_argument("--out", metavar="FILE", help="where to write it (default: the backups folder)")
    p.set_defaults(run=run_backup)

    p = sub.add_parser("restore", help="replace the database with a backup (current one kept)")
    p.add_argument("file", metavar="FILE", help="the backup file to restore")
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(run=run_restore)

    p = sub.add_parser("backups", help="list the backups kept beside the database")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_backups)

    p = sub.add_parser("check", help="check the database file's integrity (read-only)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_check)

    t = sub.add_parser("trash", help="deleted customers and quotes: list, restore, empty")
    ts = t.add_subparsers(dest="trash_cmd", metavar="ACTION", required=True)
    tp = ts.add_parser("list", help="what is in the trash")
    tp.add_argument("--json", action="store_true")
    _hidden_globals(tp)
    tp = ts.add_parser("add", help="move a customer (ID) or quote (qID) to the trash")
    tp.add_argument("id", metavar="ID")
    _hidden_globals(tp)
    tp = ts.add_parser("restore", help="take a customer (ID) or quote (qID) out of the trash")
    tp.add_argument("id", metavar="ID")
    _hidden_globals(tp)
    tp = ts.add_parser("empty", help="remove for good what has been in the trash a while")
    tp.add_argument(
        "--older-than",
        type=shapes.bounded(0, 36_500),
        default=30,
        metavar="DAYS",
        help="default: 30 days",
    )
    tp.add_argument("--all", action="store_true", help="everything in the trash, now")
    _hidden_globals(tp)
    t.set_defaults(run=run_trash)

    p = sub.add_parser("erase", help="erase a customer for good (privacy request)")
    p.add_argument("customer_id", type=shapes.record_id, metavar="CUSTOMER_ID", nargs="?")
    p.add_argument("--yes", action="store_true", help="confirm: this cannot be undone")
    p.add_argument(
        "--wipe",
        action="store_true",
        help="finish an erasure another program held up: wipe the old bytes from the file",
    )
    p.set_defaults(run=run_erase)


def _db_file(ctx: CliContext) -> Path | None:
    from deckfollow.storage.location import is_url

    return None if is_url(ctx.db_target) else Path(ctx.db_target).expanduser()


def _open_checked(ctx: CliContext) -> Database:
    from deckfollow.storage.integrity import open_checked

    return open_checked(ctx.db_target, create=False)


def _backup_json(b: BackupInfo) -> dict[str, object]:
    return {
        "path": str(b.path),
        "kind": b.kind,
        "reason": b.reason,
        "taken_at": b.taken_at.isoformat(),
        "size": b.size,
    }


def run_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.storage.backup_catalogue import take_backup
    from deckfollow.storage.backup_copies import backup_to

    db = _open_checked(ctx)
    try:
        if db.path is None:
            return _backup_server(db, args, ctx)
        path = backup_to(db, Path(args.out)) if args.out else take_backup(db.path, "manual")
    finally:
        db.close()
    print(f"Backed up to {path} ({path.stat().st_size} bytes, verified).", file=ctx.out)
    return 0


def _backup_server(db: Database, args: argparse.Namespace, ctx: CliContext) -> int:
    """A team database: pg_dump when installed, else the JSON export; say which."""
    from deckfollow.storage.pg_backup import default_dump_path, dump_server, find_pg_dump

    pg_dump = find_pg_dump()
    folder = Path.cwd()
    if pg_dump is not None:
        out = Path(args.out) if args.out else default_dump_path(db, folder, ctx.now)
        dump_server(db, out, pg_dump=pg_dump)
        print(
            f"Backed up {db.display} with pg_dump to {out} ({out.stat().st_size} bytes); "
            "restore it with pg_restore (see docs/team.md).",
            file=ctx.out,
        )
        return 0
    from deckfollow.exchange.json_export import export_json

    out = Path(args.out) if args.out else folder / f"deckfollow-{ctx.now:%Y%m%d-%H%M%S}.json"
    with db.reading() as session:
        export_json(session, out, now=ctx.now)
    print(
        f"pg_dump is not installed, so {db.display} was saved as a JSON export to {out}; "
        "install PostgreSQL's client tools for a full restorable dump.",
        file=ctx.out,
    )
    return 0


def _confirm(question: str, ctx: CliContext) -> bool:
    if not sys.stdin.isatty():
        raise ValidationError("--yes", "not asking on a non-interactive input; add --yes")
    ctx.out.write(f"{question} [y/N] ")
    ctx.out.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def run_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.restore import restore_from
    from deckfollow.storage.instance_lock import acquire_instance_lock

    db_path = _db_file(ctx)
    if db_path is None:
        raise StorageError(
            "restoring a shared PostgreSQL database is the server administrator's job (pg_restore)"
        )
    backup = Path(args.file).expanduser()
    if not backup.is_file():
        raise ValidationError("FILE", f"no backup file at {backup}")
    if not args.yes and not _confirm(
        f"Replace {db_path} with {backup}? The current file is backed up first.", ctx
    ):
        print("Nothing changed.", file=ctx.out)
        return 1
    with acquire_instance_lock(db_path):
        result = restore_from(db_path, backup, now=ctx.now)
    print(f"Restored {db_path} from {backup}.", file=ctx.out)
    if result.previous_kept_at is not None:
        print(f"The file it replaced is kept at {result.previous_kept_at}.", file=ctx.out)
    if result.do_not_contact_reapplied:
        print(
            f"{result.do_not_contact_reapplied} newer do-not-contact requests were re-applied.",
            file=ctx.out,
        )
    if result.erased_again:
        print(f"{result.erased_again} people erased since were erased again.", file=ctx.out)
    for note in result.notes:
        print(f"Note: {note}", file=ctx.out)
    return 0


def run_backups(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.wording import plural
    from deckfollow.storage.backup import backup_dir_for
    from deckfollow.storage.backup_catalogue import list_backups

    db_path = _db_file(ctx)
    if db_path is None:
        print(
            "This is a shared PostgreSQL database: backups are made on the server by its "
            "administrator (e.g. pg_dump --format=custom).",
            file=ctx.out,
        )
        return 0
    backups = list_backups(db_path)
    if args.json:
        json.dump([_backup_json(b) for b in backups], ctx.out, indent=1)
        ctx.out.write("\n")
        return 0
    if not backups:
        print(f"No backups yet in {backup_dir_for(db_path)}.", file=ctx.out)
        return 0
    print(
        f"{plural(len(backups), 'backup')} in {backup_dir_for(db_path)}, newest first:",
        file=ctx.out,
    )
    for b in backups:
        print(
            f"{b.taken_at:%Y-%m-%d %H:%M} UTC  {b.description:<28} {b.size_text:>9}  {b.path.name}",
            file=ctx.out,
        )
    return 0


def run_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.storage.integrity import check_integrity

    db_path = _db_file(ctx)
    if db_path is None:
        print("A server database's integrity is checked by its server.", file=ctx.out)
        return 0
    if not db_path.exists():
        raise StorageError(f"no deckfollow database at {db_path}")
    report = check_integrity(db_path)
    if args.json:
        good = report.latest_good_backup
        json.dump(
            {
                "ok": report.ok,
                "problems": list(report.problems),
                "revision": report.revision,
                "latest_good_backup": str(good.path) if good else None,
            },
            ctx.out,
            indent=1,
        )
        ctx.out.write("\n")
    else:
        print(report.summary(), file=ctx.out)
        if not report.ok and report.latest_good_backup is not None:
            print(
                f"To go back to it: deckfollow restore {report.latest_good_backup.path}",
                file=ctx.out,
            )
    return 0 if report.ok else 1


def _trash_id(text: str) -> tuple[str, int]:
    from deckfollow.core.trash import CUSTOMER, QUOTE

    raw = text.strip().lower()
    kind = CUSTOMER
    if raw[:1] in ("q", "c"):
        kind = QUOTE if raw[0] == "q" else CUSTOMER
        raw = raw[1:]
    if not raw.isdigit() or not 1 <= int(raw) <= shapes.MAX_ID:
        raise ValidationError("ID", f"{text!r} is not a customer id (12) or quote id (q34)")
    return kind, int(raw)


def run_trash(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.trash import (
        CUSTOMER,
        list_trash,
        restore_item,
        trash_customer,
        trash_quote,
    )
    from deckfollow.core.wording import plural

    kind, item_id = _trash_id(args.id) if args.trash_cmd in ("add", "restore") else ("", 0)
    db = _open_checked(ctx)
    try:
        if args.trash_cmd == "list":
            with db.reading() as s:
                items = list_trash(s)
            if args.json:
                rows = [
                    {
                        "kind": i.kind,
                        "id": i.id,
                        "label": i.label,
                        "deleted_at": i.deleted_at.isoformat(),
                        "quotes": i.quotes,
                    }
                    for i in items
                ]
                json.dump(rows, ctx.out, indent=1, ensure_ascii=False)
                ctx.out.write("\n")
            elif not items:
                print("The trash is empty.", file=ctx.out)
            for i in items if not args.json else []:
                ref = f"{'' if i.kind == CUSTOMER else 'q'}{i.id}"
                extra = f" (with {plural(i.quotes, 'quote')})" if i.quotes else ""
                print(
                    f"{ref:>6}  {i.kind:<8}  {i.label}{extra}  deleted {i.deleted_at:%Y-%m-%d}",
                    file=ctx.out,
                )
        elif args.trash_cmd == "add":
            with db.unit_of_work() as s:
                if kind == CUSTOMER:
                    trash_customer(s, item_id, now=ctx.now)
                else:
                    trash_quote(s, item_id, now=ctx.now)
            print(
                f"Moved {kind} {item_id} to the trash (undo: deckfollow trash restore {args.id}).",
                file=ctx.out,
            )
        elif args.trash_cmd == "restore":
            with db.unit_of_work() as s:
                restore_item(s, kind, item_id, now=ctx.now)
            print(f"Restored {kind} {item_id} from the trash.", file=ctx.out)
        else:
            from deckfollow.core.erasure import empty_trash_for_good

            days = None if args.all else args.older_than
            emptied = empty_trash_for_good(db, now=ctx.now, older_than_days=days)
            print(
                f"Removed {plural(emptied.customers, 'customer')} and "
                f"{plural(emptied.quotes, 'quote')} from the trash for good.",
                file=ctx.out,
            )
    finally:
        db.close()
    return 0


def run_erase(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.erasure import erase_for_good
    from deckfollow.storage.scrub import wipe_freed_bytes

    if args.wipe:
        if args.customer_id is not None:
            raise ValidationError("--wipe", "give either a CUSTOMER_ID or --wipe, not both")
        db = _open_checked(ctx)
        try:
            done = wipe_freed_bytes(db)
        finally:
            db.close()
        if not done:
            raise StorageError(
                "another program is still reading the database, so the old bytes could not "
                "be wiped; close it and run this again"
            )
        print("The bytes freed by erasing are wiped from the database file.", file=ctx.out)
        return 0
    if args.customer_id is None:
        raise ValidationError("CUSTOMER_ID", "say which customer to erase (or --wipe)")
    if not args.yes:
        raise ValidationError(
            "--yes", "erasing removes the customer and their history for good; add --yes"
        )
    db = _open_checked(ctx)
    try:
        report = erase_for_good(db, args.customer_id, now=ctx.now)
    finally:
        db.close()
    print(report.summary(), file=ctx.out)
    return 0 if report.scrubbed else 1
