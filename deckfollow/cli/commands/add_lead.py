"""`deckfollow add-lead --name NAME [--phone P] [--email E] [--suburb TEXT] [--json] …`.

Prints "customer 12, quote 34": a script takes the customer id for `--customer` and the
quote id for quote commands (or reads both from `--json`).

Someone who is already a customer (the same phone, the same email, or the same name in
the same suburb) is not entered twice: the command lists who matches and exits 2, nothing
saved. `--customer ID` gives the lead to that person; `--new-person` adds a new customer
anyway.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.errors import NotFoundError, ValidationError

if TYPE_CHECKING:
    from deckfollow.core.customer_matches import CustomerMatch

ORDER = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("add-lead", help="record a new lead (the speed-to-lead clock starts now)")
    p.add_argument("--name", required=True, help="the person's name")
    p.add_argument("--phone", help="phone number, any formatting")
    p.add_argument("--email", help="email address")
    p.add_argument(
        "--suburb",
        "--city",
        dest="suburb",
        metavar="TEXT",
        help="suburb, town or city they live in (sets their time zone where it names one)",
    )
    p.add_argument("--note", help="what they asked for")
    p.add_argument("--job", help="short job title (default: from the note)")
    p.add_argument("--source", help="where the lead came from (website, referral …)")
    p.add_argument("--country", help="ISO country code (default: from settings or the phone)")
    p.add_argument("--timezone", help="IANA time zone, e.g. Australia/Sydney")
    p.add_argument(
        "--answered",
        action="store_true",
        help="you answered them already (they phoned): no first reply is planned",
    )
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--customer",
        type=shapes.record_id,
        metavar="ID",
        help="the lead is from this existing customer (see the matches add-lead lists)",
    )
    who.add_argument(
        "--new-person",
        action="store_true",
        help="add a new customer even though the phone, email or name and suburb match someone",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"customer_id": …, "quote_id": …, …} instead of a line',
    )
    p.set_defaults(run=run, field_options={"time zone": "--timezone", "suburb": "--suburb"})


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.customer_matches import find_matches, namesakes
    from deckfollow.core.leads import NewLead, add_lead

    lead = NewLead(
        name=args.name,
        phone=args.phone,
        email=args.email,
        suburb=args.suburb,
        note=args.note,
        job=args.job,
        source=args.source,
        country=args.country,
        timezone=args.timezone,
        answered=args.answered,
        customer_id=args.customer,
    )
    with ctx.database(create=True) as db, db.unit_of_work() as session:
        if args.customer is None and not args.new_person:
            matches = find_matches(
                session,
                name=lead.name,
                phone=lead.phone,
                email=lead.email,
                suburb=lead.suburb,
                country=lead.country,
            )
            # Someone who asked not to be contacted is refused by add_lead (rule 9),
            # with that reason, rather than offered.
            if matches and not any(m.do_not_contact for m in matches):
                _offer(matches, ctx)
                raise _already_known(matches)
        if args.customer is not None:
            try:
                get_customer(session, args.customer)
            except NotFoundError:
                raise ValidationError(
                    "customer", f"no customer with id {args.customer}; nothing added"
                ) from None
        created = add_lead(session, lead, now=ctx.now)
        customer = get_customer(session, created.customer_id)
        name, timezone = customer.display_name, customer.timezone
        same_name = (
            []
            if args.customer is not None or args.new_person
            else namesakes(session, lead.name, suburb=lead.suburb, exclude=created.customer_id)
        )
    for m in same_name:
        # Too weak to refuse (two people may share a name), worth saying once.
        bits = [b for b in (_masked_phone(m.phone), _masked_email(m.email), m.suburb) if b]
        print(
            f"note: customer {m.id} {m.name} ({', '.join(bits) or 'no details'}) has the same "
            f"name; if they are one person: deckfollow customer merge {m.id} "
            f"{created.customer_id}",
            file=ctx.err,
        )
    if args.json:
        data = {
            "customer_id": created.customer_id,
            "quote_id": created.quote_id,
            "name": name,
            "timezone": timezone,
            "received_at": ctx.now.isoformat(),
        }
        json.dump(data, ctx.out, ensure_ascii=False)
        ctx.out.write("\n")
        return 0
    print(f"customer {created.customer_id}, quote {created.quote_id}", file=ctx.out)
    return 0


def _offer(matches: list[CustomerMatch], ctx: CliContext) -> None:
    """One line per existing customer who may be this person, contact details masked."""
    for m in matches:
        bits = [b for b in (_masked_phone(m.phone), _masked_email(m.email), m.suburb) if b]
        print(f"{m.id}  {m.name}  {', '.join(bits)}  ({m.why})", file=ctx.err)


def _already_known(matches: list[CustomerMatch]) -> ValidationError:
    first = matches[0]
    field = next((r for r in first.reasons if r in ("phone", "email")), "name")
    others = f" (and {len(matches) - 1} more)" if len(matches) > 1 else ""
    return ValidationError(
        field,
        f"already a customer: {first.id} {first.name}{others}; nothing added. Give "
        f"--customer {first.id} to add the lead to them, or --new-person to add someone new",
    )


def _masked_phone(phone: str | None) -> str:
    # As the card recipients show a number: enough to tell two people apart, no more.
    digits = "".join(c for c in phone or "" if c.isdigit())
    return f"…{digits[-4:]}" if len(digits) >= 4 else ""


def _masked_email(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}…@{domain}"
