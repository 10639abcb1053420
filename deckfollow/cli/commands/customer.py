"""`deckfollow customer list|show|add|edit|merge`: everyone the business knows.

`customer add` prints the new customer's id. Someone who is already a customer (the same
phone, the same email, or the same name in the same suburb) is not added again: as
`add-lead` does, the command names them on one line after the field that matched and
exits 2 with nothing saved; add `--new` to add another customer anyway.
`customer edit ID --FIELD VALUE …` changes only the fields given ("" clears one).
"""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from deckfollow.core.customer_details import CustomerDetails
    from deckfollow.core.customer_rows import CustomerRow
    from deckfollow.storage.database import Database

ORDER = 25
_T = TypeVar("_T")

# Option -> (customer field, help). --city and --state read as people say them.
_DETAILS: list[tuple[tuple[str, ...], str, str]] = [
    (("--name",), "display_name", "first and last name"),
    (("--phone",), "phone_cell", "mobile number, any formatting"),
    (("--office-phone",), "phone_office", "office number"),
    (("--home-phone",), "phone_home", "home number"),
    (("--email",), "email", "email address"),
    (("--company",), "company", "company or business name"),
    (("--street",), "street", "street address"),
    (("--city", "--suburb"), "suburb", "suburb, town or city"),
    (("--region", "--state"), "region", "state, county or region"),
    (("--postcode",), "postcode", "postcode or ZIP"),
    (("--country",), "country", "country code or name (default: your business's)"),
    (("--birthday",), "birthday", "YYYY-MM-DD"),
    (("--notes",), "notes", "anything worth remembering"),
]
# The core names a field as forms label it ("cell phone"); the command line names its option.
_FIELD_OPTIONS = {
    "name": "--name",
    "cell phone": "--phone",
    "office phone": "--office-phone",
    "home phone": "--home-phone",
    "suburb or city": "--city",
    "state or region": "--region",
}
_SORTS = ("name", "company", "suburb", "phone", "email", "open_quotes", "last_touch")


def _detail_options(p: argparse.ArgumentParser, *, name_required: bool) -> None:
    for flags, key, help_text in _DETAILS:
        p.add_argument(
            *flags,
            dest=key,
            # The core checks each value (a birthday that does not exist, a bad phone), so
            # the app and the command line refuse the same things the same way.
            metavar="TEXT" if key != "birthday" else "YYYY-MM-DD",
            required=name_required and key == "display_name",
            help=help_text,
        )


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser(
        "customer",
        help="everyone you know: list, show, add, edit, merge",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    cs = c.add_subparsers(dest="customer_cmd", metavar="ACTION", required=True)
    p = cs.add_parser("list", help="every customer, with or without quotes")
    p.add_argument("--search", default="", metavar="TEXT", help="name, phone, email, suburb …")
    p.add_argument("--sort", choices=_SORTS, default="name")
    p.add_argument("--desc", action="store_true", help="largest / latest first")
    p.add_argument("--json", action="store_true")
    p = cs.add_parser("show", help="one customer's details and quotes")
    p.add_argument("id", type=shapes.record_id, metavar="ID")
    p.add_argument("--json", action="store_true")
    p = cs.add_parser("add", help="add a customer; prints their id")
    _detail_options(p, name_required=True)
    p.set_defaults(field_options=_FIELD_OPTIONS)
    p.add_argument(
        "--new",
        action="store_true",
        help="add them even if they look like an existing customer",
    )
    p = cs.add_parser("edit", help="change a customer's details (only the ones given)")
    p.add_argument("id", type=shapes.record_id, metavar="ID")
    _detail_options(p, name_required=False)
    p.set_defaults(field_options=_FIELD_OPTIONS)
    p = cs.add_parser("merge", help="fold OTHER_ID into KEEP_ID (everything is kept)")
    p.add_argument("keep", type=shapes.record_id, metavar="KEEP_ID")
    p.add_argument("other", type=shapes.record_id, metavar="OTHER_ID")
    for parser in cs.choices.values():
        parser.add_argument(
            "--db", metavar="PATH", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        parser.add_argument("--now", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    c.set_defaults(run=run)


def _typed(args: argparse.Namespace) -> dict[str, str | None]:
    return {key: getattr(args, key) for _f, key, _h in _DETAILS if getattr(args, key) is not None}


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    cmd = args.customer_cmd
    if cmd == "edit" and not _typed(args):
        raise ValidationError("edit", "give at least one detail to change, e.g. --email TEXT")
    if cmd == "add":
        return _add(args, ctx)
    if cmd == "list":
        return _list(args, ctx)
    if cmd == "show":
        return _show(args, ctx)
    with ctx.database() as db:
        if cmd == "edit":
            return _edit(args, ctx, db)
        return _merge(args, ctx, db)


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.customer_rows import CustomerSort

    sort = CustomerSort(args.sort)
    conn = ctx.read_sqlite()  # straight from a SQLite file: no SQLAlchemy to import
    if conn is not None:
        from deckfollow.core.sqlite_reads import read_customers, read_settings

        try:
            country = read_settings(conn)[0].default_country
            rows = read_customers(
                conn, args.search, sort=sort, descending=args.desc, country=country
            )
        finally:
            conn.close()
    else:
        from deckfollow.core.customer_search import search_customers
        from deckfollow.core.settings import load_settings

        with ctx.database() as db, db.reading() as s:
            rows = search_customers(s, args.search, sort=sort, descending=args.desc)
            country = load_settings(s).default_country
    if args.json:
        json.dump([_row_json(r) for r in rows], ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    if not rows:
        print("no customers match" if args.search else "no customers yet", file=ctx.out)
        return 0
    _print_table(rows, country, ctx)
    return 0


def _row_json(r: CustomerRow) -> dict[str, object]:
    return {
        "id": r.id,
        "name": r.name,
        "company": r.company,
        "suburb": r.suburb,
        "region": r.region,
        "phone": r.phone,
        "email": r.email,
        "open_quotes": r.open_quotes,
        "quotes": r.quotes,
        "last_touch_at": r.last_touch_at.isoformat() if r.last_touch_at else None,
        "do_not_contact": r.do_not_contact,
    }


def _print_table(rows: list[CustomerRow], country: str, ctx: CliContext) -> None:
    from deckfollow.core.contact_info import phone_as_read_in

    table = [("ID", "NAME", "PHONE", "EMAIL", "SUBURB", "OPEN")]
    for r in rows:
        name = f"{r.name} (do not contact)" if r.do_not_contact else r.name
        phone = phone_as_read_in(r.phone, country) if r.phone else ""
        table.append(
            (str(r.id), name, phone, r.email or "", r.suburb or "", str(r.open_quotes or ""))
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip(),
            file=ctx.out,
        )


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    conn = ctx.read_sqlite()  # straight from a SQLite file: no SQLAlchemy to import
    if conn is not None:
        from deckfollow.core.sqlite_reads import read_customer_details, read_settings

        try:
            d = _known(lambda: read_customer_details(conn, args.id), "ID")
            country = read_settings(conn)[0].default_country
        finally:
            conn.close()
    else:
        from deckfollow.core.customers import customer_details
        from deckfollow.core.settings import load_settings

        with ctx.database() as db, db.reading() as s:
            d = _known(lambda: customer_details(s, args.id), "ID")
            country = load_settings(s).default_country
    if args.json:
        json.dump(d.as_json(), ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    _print_details(d, country, ctx)
    return 0


def _print_details(d: CustomerDetails, country: str, ctx: CliContext) -> None:
    from deckfollow.core.contact_info import phone_as_read_in

    out = ctx.out
    print(f"{d.name} (customer {d.id})", file=out)
    if d.do_not_contact:
        print("DO NOT CONTACT", file=out)
    lines = [
        ("company", d.company),
        ("cell", d.phone_cell and phone_as_read_in(d.phone_cell, country)),
        ("office", d.phone_office and phone_as_read_in(d.phone_office, country)),
        ("home", d.phone_home and phone_as_read_in(d.phone_home, country)),
        ("email", d.email),
        ("address", ", ".join(d.address_lines) + (f" ({d.country})" if d.country else "")),
        ("birthday", d.birthday.isoformat() if d.birthday else None),
        ("time zone", d.timezone),
        ("notes", d.notes),
    ]
    for label, value in lines:
        if value and value != f" ({d.country})":
            print(f"{label + ':':<10} {value}", file=out)
    touches = f"{d.touches} touch{'es' * (d.touches != 1)}"
    follow_ups = f"{d.follow_ups} follow-up{'s' * (d.follow_ups != 1)}"
    print(f"{'history:':<10} {touches}, {follow_ups}", file=out)
    for q in d.quotes:
        amount = (
            f"{Decimal(q.amount):,.2f} {q.currency}" if q.amount is not None else "no amount yet"
        )
        number = f"{q.number} " if q.number else ""
        print(f"quote {q.id}: {number}{q.job} · {q.stage.label} · {amount}", file=out)


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.customer_matches import DuplicateCustomerError
    from deckfollow.core.customers import NewCustomer, add_customer

    new = NewCustomer(
        name=args.display_name,
        phone=args.phone_cell,
        email=args.email,
        company=args.company,
        street=args.street,
        suburb=args.suburb,
        region=args.region,
        postcode=args.postcode,
        country=args.country,
        birthday=args.birthday,
        notes=args.notes,
        phone_office=args.phone_office,
        phone_home=args.phone_home,
    )
    try:
        with ctx.database(create=True) as db, db.unit_of_work() as s:
            added = add_customer(s, new, now=ctx.now, allow_duplicate=args.new)
    except DuplicateCustomerError as exc:
        reasons = exc.matches[0].reasons
        field = next((f"--{r}" for r in ("phone", "email") if r in reasons), "--name")
        print(
            f"deckfollow: error: {field}: {exc} (add --new to add another customer anyway)",
            file=ctx.err,
        )
        return 2
    print(added.customer_id, file=ctx.out)
    return 0


def _edit(args: argparse.Namespace, ctx: CliContext, db: Database) -> int:
    from deckfollow.core.customers import FIELDS, update_customer

    typed = _typed(args)
    with db.unit_of_work() as s:
        changes = _known(lambda: update_customer(s, args.id, typed, now=ctx.now), "ID")
    if changes.customers:
        print(f"customer {args.id}: saved {', '.join(FIELDS[k] for k in typed)}", file=ctx.out)
    else:
        print(f"customer {args.id}: nothing changed", file=ctx.out)
    return 0


def _merge(args: argparse.Namespace, ctx: CliContext, db: Database) -> int:
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.customer_merge import merge_customers

    if args.keep == args.other:
        raise ValidationError("OTHER_ID", f"customer {args.keep} cannot be merged with themself")
    with db.unit_of_work() as s:
        keep = _known(lambda: get_customer(s, args.keep), "KEEP_ID").display_name
        other = _known(lambda: get_customer(s, args.other), "OTHER_ID").display_name
        r = merge_customers(s, args.keep, args.other, now=ctx.now)
    moved = ", ".join(
        f"{count} {one if count == 1 else many}"
        for count, one, many in (
            (r.quotes, "quote", "quotes"),
            (r.touches, "touch", "touches"),
            (r.follow_ups, "follow-up", "follow-ups"),
        )
    )
    moved += " moved"
    filled = f"; filled in {', '.join(r.filled)}" if r.filled else ""
    dnc = "; do not contact" if r.do_not_contact else ""
    print(
        f"merged customer {r.other_id} ({other}) into {r.keep_id} ({keep}): {moved}{filled}{dnc}",
        file=ctx.out,
    )
    return 0


def _known(read: Callable[[], _T], field: str) -> _T:
    """An unknown id is bad input: one line naming the argument, exit 2."""
    try:
        return read()
    except NotFoundError as exc:
        raise ValidationError(field, f"{exc} (see 'deckfollow customer list')") from None
