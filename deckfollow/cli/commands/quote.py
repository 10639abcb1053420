"""`deckfollow quote add|edit|stage|list`: enter quotes and move them through the pipeline."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.clock_format import date_text
from deckfollow.core.enums import Stage
from deckfollow.core.errors import NotFoundError, ValidationError

ORDER = 25

# Core field names the options fill, where the option reads differently.
_FIELD_OPTIONS = {
    "sent": "--sent",
    "valid until": "--valid-until",
    "competing quotes": "--competitors",
    "lost reason": "--reason",
    "parked reason": "--reason",
    "parked until": "--until",
}


# -- argument types for quotes (ids, days and text take the shared shapes) -------------------


def day_or_clear(text: str) -> date | None:
    return shapes.day(text) if text.strip() else None


def amount(text: str) -> Decimal:
    from deckfollow.core.quotes import parse_amount

    try:
        return parse_amount(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def amount_or_clear(text: str) -> Decimal | None:
    return amount(text) if text.strip() else None


def currency(text: str) -> str:
    from deckfollow.core.quotes import check_currency

    try:
        return check_currency(text)
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def sent_file(text: str) -> str:
    """The quote's document: a file that is there, kept by its full path (the app opens it
    from wherever the command was run)."""
    path = Path(text.strip()).expanduser()
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise argparse.ArgumentTypeError(f"{text!r} {what}; give the file you sent")
    return str(path.resolve())


def sent_file_or_clear(text: str) -> str:
    return sent_file(text) if text.strip() else ""


def competitors(text: str) -> int:
    from deckfollow.core.quotes import MAX_COMPETING

    return shapes.bounded(0, MAX_COMPETING)(text)


def stage(text: str) -> Stage:
    try:
        return Stage(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        names = ", ".join(s.value for s in Stage)
        raise argparse.ArgumentTypeError(f"{text!r} is not a stage ({names})") from None


@contextmanager
def not_found_names(option: str, **by_kind: str) -> Iterator[None]:
    """An unknown id is bad input: one line naming the option, exit 2. `by_kind` names the
    option for each kind of record when a command takes several ids
    (`customer="--customer", quote="--quote"`)."""
    try:
        yield
    except NotFoundError as exc:
        said = str(exc)
        kind = next((k for k in by_kind if said.startswith(f"no {k.replace('_', '-')} ")), None)
        raise ValidationError(by_kind[kind] if kind else option, said) from None


# -- the commands ---------------------------------------------------------------------------


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("quote", help="enter, edit, move and list quotes")
    verbs = p.add_subparsers(dest="verb", metavar="add|edit|stage|list", required=True)

    add = verbs.add_parser("add", help="a quote for a customer (answers their waiting enquiry)")
    add.add_argument("--customer", type=shapes.record_id, required=True, metavar="ID")
    add.add_argument("--amount", type=amount, required=True, help="e.g. 4850.00 or 4,850")
    _fields(add, clearing=False)
    add.add_argument("--json", action="store_true", help="print the quote as JSON")
    add.set_defaults(run=run_add, field_options=_FIELD_OPTIONS)

    edit = verbs.add_parser("edit", help="change a quote's fields ('' empties one)")
    edit.add_argument("quote_id", type=shapes.record_id, metavar="ID")
    edit.add_argument("--amount", type=amount_or_clear, default=argparse.SUPPRESS)
    _fields(edit, clearing=True)
    edit.add_argument("--json", action="store_true", help="print the quote as JSON")
    edit.set_defaults(run=run_edit, field_options=_FIELD_OPTIONS)

    move = verbs.add_parser("stage", help="move a quote to a stage")
    move.add_argument("quote_id", type=shapes.record_id, metavar="ID")
    move.add_argument(
        "stage", type=stage, metavar="STAGE", help="lead, quoted, following_up, won, lost or parked"
    )
    move.add_argument(
        "--reason", type=shapes.text(300), help="why it was lost, or why it is parked"
    )
    move.add_argument("--until", type=shapes.day, metavar="YYYY-MM-DD", help="parked until")
    move.add_argument(
        "--no-after-sale",
        dest="after_sale",
        action="store_false",
        help="won: do not start the after-sale follow-ups",
    )
    move.add_argument("--json", action="store_true", help="print the quote as JSON")
    move.set_defaults(run=run_stage, field_options=_FIELD_OPTIONS)

    lst = verbs.add_parser("list", help="every quote, newest first")
    lst.add_argument("--stage", type=stage, metavar="STAGE")
    lst.add_argument("--json", action="store_true", help="print a JSON list")
    lst.set_defaults(run=run_list, field_options=_FIELD_OPTIONS)


def _fields(p: argparse.ArgumentParser, *, clearing: bool) -> None:
    # Left out of the namespace when not given, so an edit keeps what it was not told.
    keep = argparse.SUPPRESS
    dates = day_or_clear if clearing else shapes.day
    p.add_argument("--currency", type=currency, default=keep, help="default: the business's")
    p.add_argument("--job", default=keep, help="what the quote is for")
    p.add_argument("--number", default=keep, metavar="Q-…", help="default: the next in line")
    p.add_argument("--sent", type=dates, default=keep, metavar="YYYY-MM-DD", help="day sent")
    p.add_argument("--valid-until", type=dates, default=keep, metavar="YYYY-MM-DD")
    p.add_argument(
        "--competitors",
        type=competitors,
        default=keep,
        metavar="N",
        help="how many others quote the job",
    )
    p.add_argument(
        "--file",
        type=sent_file_or_clear if clearing else sent_file,
        default=keep,
        metavar="PATH",
        help="the document sent (its PDF)",
    )


# Option (as argparse stores it) -> QuoteEdit field.
_FIELDS = {
    "number": "number",
    "job": "job",
    "amount": "amount",
    "currency": "currency",
    "sent": "sent_on",
    "valid_until": "valid_until",
    "competitors": "competing_quotes",
    "file": "file",
}


def _edit_of(args: argparse.Namespace) -> Any:
    """The fields given on the command line ('' empties one); the others are kept."""
    from deckfollow.core.quotes import QuoteEdit

    values: dict[str, Any] = {}
    for option, name in _FIELDS.items():
        if hasattr(args, option):
            value = getattr(args, option)
            values[name] = None if isinstance(value, str) and not value.strip() else value
    return QuoteEdit(**values)


def _print(ctx: CliContext, args: argparse.Namespace, quote_id: int, extra: dict[str, Any]) -> None:
    from deckfollow.core.quotes import quote_details

    if not args.json:
        print(quote_id, file=ctx.out)
        return
    with ctx.database() as db, db.reading() as session:
        shown = quote_details(session, quote_id).as_json()
    json.dump({**shown, **extra}, ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")


def run_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.quotes import NewQuote, create_quote

    new = NewQuote(customer_id=args.customer, fields=_edit_of(args))
    with ctx.database() as db, not_found_names("--customer"), db.unit_of_work() as session:
        saved = create_quote(session, new, now=ctx.now)
    _print(ctx, args, saved.quote_id, {})
    return 0


def run_edit(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.quotes import QuoteEdit, edit_quote

    edit = _edit_of(args)
    if edit == QuoteEdit():
        raise ValidationError("quote edit", "say what to change, e.g. --amount 4850.00")
    with ctx.database() as db, not_found_names("ID"), db.unit_of_work() as session:
        # Read and written in one transaction: nothing can come between.
        edit_quote(session, args.quote_id, edit, version=None, now=ctx.now)
    _print(ctx, args, args.quote_id, {})
    return 0


def run_stage(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.quotes import change_stage

    # Said and then dropped would be worse than refused: only a close keeps a reason, only
    # parking a date.
    if args.reason is not None and args.stage not in (Stage.LOST, Stage.PARKED):
        raise ValidationError("--reason", "only a lost or parked quote keeps a reason")
    if args.until is not None and args.stage is not Stage.PARKED:
        raise ValidationError("--until", "only a parked quote has a date to try again")
    with ctx.database() as db, not_found_names("ID"), db.unit_of_work() as session:
        moved = change_stage(
            session,
            args.quote_id,
            args.stage,
            now=ctx.now,
            lost_reason=args.reason if args.stage is Stage.LOST else None,
            parked_until=args.until,
            parked_reason=args.reason if args.stage is Stage.PARKED else None,
            after_sale=args.after_sale,
        )
    if args.json:
        extra = {
            "missing": list(moved.missing),
            "after_sale_started": moved.after_sale_started,
            "after_sale_stopped": moved.after_sale_stopped is not None,
            "follow_ups_cancelled": moved.after_sale_stopped or 0,
        }
        _print(ctx, args, args.quote_id, extra)
        return 0
    stopped = f"; {moved.after_sale_stopped_text}" if moved.after_sale_stopped_text else ""
    print(f"Quote {args.quote_id} is now {args.stage.label}{stopped}.", file=ctx.out)
    if moved.after_sale_started:
        print("The after-sale follow-ups have started.", file=ctx.out)
    if moved.missing:
        hints = {"amount": "--amount 4850.00", "sent date": "--sent YYYY-MM-DD"}
        print(
            f"Still missing: {', '.join(moved.missing)} "
            f"(deckfollow quote edit {args.quote_id} "
            f"{' '.join(hints[m] for m in moved.missing)})",
            file=ctx.out,
        )
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    conn = ctx.read_sqlite()  # straight from a SQLite file: no SQLAlchemy to import
    if conn is not None:
        from deckfollow.core.sqlite_reads import read_quotes, read_settings

        try:
            owner_tz = read_settings(conn)[0].owner_timezone
            quotes = read_quotes(conn, args.stage, owner_tz=owner_tz)
        finally:
            conn.close()
    else:
        from deckfollow.core.quotes import list_quotes

        with ctx.database() as db, db.reading() as session:
            quotes = list_quotes(session, args.stage)
    if args.json:
        json.dump([q.as_json() for q in quotes], ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    if not quotes:
        empty = "No quotes yet." if args.stage is None else f"No {args.stage.label} quotes."
        print(empty, file=ctx.out)
        return 0
    for q in quotes:
        money = f"{q.amount:,.2f} {q.currency}" if q.amount is not None else "no amount"
        sent = f"sent {date_text(q.sent_on)}" if q.sent_on else "not sent"
        print(
            f"{q.id:>6}  {q.number or '—':<12} {q.stage.label:<13} {money:>16}  {sent:<17}"
            f"  {q.customer} — {q.job}",
            file=ctx.out,
        )
    return 0
