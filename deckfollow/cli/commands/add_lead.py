"""`deckfollow add-lead --name NAME [--phone P] [--email E] [--note TEXT] [--json]`.

Prints "customer 12, quote 34": a script takes the customer id for `--customer` and the
quote id for quote commands (or reads both from `--json`).
"""

from __future__ import annotations

import argparse
import json

from deckfollow.cli.context import CliContext

ORDER = 20


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("add-lead", help="record a new lead (the speed-to-lead clock starts now)")
    p.add_argument("--name", required=True, help="the person's name")
    p.add_argument("--phone", help="phone number, any formatting")
    p.add_argument("--email", help="email address")
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
    p.add_argument(
        "--json",
        action="store_true",
        help='print {"customer_id": …, "quote_id": …, …} instead of a line',
    )
    p.set_defaults(run=run, field_options={"time zone": "--timezone"})


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.leads import NewLead, add_lead

    lead = NewLead(
        name=args.name,
        phone=args.phone,
        email=args.email,
        note=args.note,
        job=args.job,
        source=args.source,
        country=args.country,
        timezone=args.timezone,
        answered=args.answered,
    )
    db = ctx.open_db(create=True)
    try:
        with db.unit_of_work() as session:
            created = add_lead(session, lead, now=ctx.now)
            customer = get_customer(session, created.customer_id)
            name, timezone = customer.display_name, customer.timezone
    finally:
        db.close()
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
