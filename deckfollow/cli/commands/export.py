"""`deckfollow export --format json|csv|vcard --out PATH [--customer ID] [--vcard-version V]`.

json: everything in one file. csv: a folder receiving customers.csv and quotes.csv.
vcard: one .vcf file with every customer (or one with --customer).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.errors import DeckfollowError, ValidationError

ORDER = 40


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="export everything to a file")
    p.add_argument(
        "--format",
        choices=["json", "csv", "vcard"],
        default="json",
        help="json: everything in one file; csv: customers.csv and quotes.csv in the folder "
        "--out; vcard: customers as a .vcf file",
    )
    p.add_argument(
        "--out", required=True, metavar="PATH", help="file to write (a folder for --format csv)"
    )
    p.add_argument(
        "--customer", type=shapes.record_id, metavar="ID", help="vcard: only this customer"
    )
    p.add_argument(
        "--vcard-version", choices=["3.0", "4.0"], default="3.0", help="vcard: version (3.0)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    out = Path(args.out).expanduser()
    if args.customer is not None and args.format != "vcard":
        raise ValidationError("--customer", "goes with --format vcard")
    if args.format == "csv":
        return _run_csv(out, ctx)
    if out.is_dir():
        raise ValidationError("--out", f"{out} is a folder; give a file name for the export")
    if args.format == "vcard":
        return _run_vcard(out, ctx, args.customer, args.vcard_version)
    from deckfollow.exchange.json_export import export_json

    try:
        with ctx.database() as db, db.reading() as session:
            counts = export_json(session, out, now=ctx.now)
    except DeckfollowError:
        raise  # already says what could not be written and why
    except OSError as exc:
        raise DeckfollowError(f"cannot write {out}: {exc.strerror}") from exc
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    print(f"Exported {summary} to {out}", file=ctx.out)
    return 0


def _run_csv(out: Path, ctx: CliContext) -> int:
    from deckfollow.exchange.csv_export import export_csv

    with ctx.database() as db, db.reading() as session:
        done = export_csv(session, out)
    print(
        f"Exported {done.customers} customer{'s' * (done.customers != 1)} to "
        f"{done.customers_path} and {done.quotes} quote{'s' * (done.quotes != 1)} to "
        f"{done.quotes_path}",
        file=ctx.out,
    )
    return 0


def _run_vcard(out: Path, ctx: CliContext, customer: int | None, version: str) -> int:
    from deckfollow.exchange.vcard import write_vcard

    try:
        with ctx.database() as db, db.reading() as session:
            count = write_vcard(session, out, customer, version)
    except DeckfollowError:
        raise  # already says what could not be written and why
    except OSError as exc:
        raise DeckfollowError(f"cannot write {out}: {exc.strerror}") from exc
    print(f"Exported {count} customer{'s' * (count != 1)} to {out} (vCard {version})", file=ctx.out)
    return 0
