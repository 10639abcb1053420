"""`deckfollow touch log`: record a call, text, email, card, visit or video that happened.

An inbound touch (the customer replied) pauses the planned steps until the owner decides
what's next (rule 8). An outbound one needs its next step: `--next-at` plans it, otherwise
what is already planned for the customer stands (or the quote is closed); a mailed card
asks for nothing next. `--at` and `--next-at` are on the owner's clock, as every time
option is (an offset or Z wins); the result names the customer's time beside the owner's.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from deckfollow.cli import args as shapes
from deckfollow.cli.commands.quote import not_found_names
from deckfollow.cli.context import CliContext
from deckfollow.cli.owner_clock import OWNER_CLOCK_HELP, on_owners_clock
from deckfollow.core.enums import Channel, Direction, Outcome

ORDER = 27

_DIRECTIONS = {"out": Direction.OUTBOUND, "in": Direction.INBOUND}


def _choice(kind: str, choices: Mapping[str, object]) -> Callable[[str], object]:
    def parse(text: str) -> object:
        key = text.strip().lower().replace("-", "_")
        if key not in choices:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a {kind} ({', '.join(sorted(set(map(str, choices))))})"
            )
        return choices[key]

    return parse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("touch", help="log a contact with a customer")
    verbs = p.add_subparsers(dest="verb", metavar="log", required=True)
    log = verbs.add_parser("log", help="record a call, text, email, card, visit or video")
    log.add_argument("--customer", type=shapes.record_id, required=True, metavar="ID")
    log.add_argument("--quote", type=shapes.record_id, metavar="ID", help="the quote it was about")
    log.add_argument(
        "--channel",
        required=True,
        type=_choice("channel", {c.value: c for c in Channel}),
        metavar="call|text|email|card|visit|video",
    )
    log.add_argument(
        "--direction",
        required=True,
        type=_choice("direction", {**_DIRECTIONS, **{d.value: d for d in Direction}}),
        metavar="out|in",
    )
    log.add_argument(
        "--outcome",
        required=True,
        type=_choice("outcome", {o.value: o for o in Outcome}),
        metavar="reached|voicemail|no_answer|replied|bounced|mailed",
    )
    log.add_argument("--notes", type=shapes.text(10_000, blank=True), help="what was said")
    log.add_argument(
        "--at",
        type=shapes.wall_or_moment,
        metavar="ISO8601",
        help=f"when it happened, {OWNER_CLOCK_HELP} (default: now)",
    )
    log.add_argument(
        "--follow-up", type=shapes.record_id, metavar="ID", help="the follow-up it did"
    )
    log.add_argument(
        "--next-at",
        type=shapes.wall_or_moment,
        metavar="ISO8601",
        help=f"the next touch, {OWNER_CLOCK_HELP}; their allowed hours are checked in their zone",
    )
    log.add_argument(
        "--next-channel",
        type=_choice("channel", {c.value: c for c in Channel}),
        metavar="CHANNEL",
        help="how (default: the same channel)",
    )
    log.add_argument(
        "--next-reason", type=shapes.text(300), metavar="TEXT", help="why (needed with --next-at)"
    )
    log.add_argument("--agreed", metavar="WORDS", help="the customer agreed to it, in their words")
    # The core names a touch's time "when" and the next step's "next step" and "reason".
    log.set_defaults(
        run=run,
        field_options={
            "when": "--at",
            "next step": "--next-at",
            "reason": "--next-reason",
            "follow-up": "--follow-up",
        },
    )


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.clock_format import both_clocks_text
    from deckfollow.core.contact_snapshot import get_customer
    from deckfollow.core.enums import Basis
    from deckfollow.core.errors import ValidationError
    from deckfollow.core.followups import FollowUpPlan
    from deckfollow.core.settings import load_settings
    from deckfollow.core.touches import (
        AlreadyPlanned,
        CourtesyCard,
        NextStep,
        TouchRecord,
        log_touch,
    )

    if args.next_at is not None and not (args.next_reason and args.next_reason.strip()):
        raise ValidationError("--next-reason", "say why the next touch is planned")
    with (
        ctx.database() as db,
        not_found_names(
            "--customer", customer="--customer", quote="--quote", follow_up="--follow-up"
        ),
        db.unit_of_work() as session,
    ):
        owner = load_settings(session).owner_timezone
        theirs = get_customer(session, args.customer).timezone
        record = TouchRecord(
            customer_id=args.customer,
            channel=args.channel,
            direction=args.direction,
            outcome=args.outcome,
            at=on_owners_clock(args.at, owner) if args.at is not None else ctx.now,
            quote_id=args.quote,
            follow_up_id=args.follow_up,
            summary=args.notes,
        )
        step: NextStep | None = None
        if args.next_at is not None:
            step = FollowUpPlan(
                due_at=on_owners_clock(args.next_at, owner),
                channel=args.next_channel or args.channel,
                reason=args.next_reason.strip(),
                basis=Basis.AGREED if args.agreed else Basis.PLANNED,
                agreed_words=args.agreed,
            )
        elif args.direction is Direction.OUTBOUND and args.channel is Channel.CARD:
            step = CourtesyCard()  # a mailed card asks nothing of them
        elif args.direction is Direction.OUTBOUND:
            step = AlreadyPlanned()
        try:
            logged = log_touch(session, record, step, now=ctx.now, await_decision=step is None)
        except ValidationError as exc:
            if exc.field != "what's next":
                raise
            raise ValidationError(
                exc.field,
                f"{exc.message} (--next-at ISO8601 --next-reason TEXT), or close the "
                "quote first (deckfollow quote stage ID won|lost|parked)",
            ) from None
    said = f"Logged the {args.channel.value} ({args.direction.value}, {args.outcome.value})"
    if args.at is not None:
        said += f" at {both_clocks_text(record.at, owner, theirs)}"
    print(said + ".", file=ctx.out)
    if isinstance(step, FollowUpPlan):
        print(
            f"Next: {step.channel.value} on {both_clocks_text(step.due_at, owner, theirs)}"
            f" ({step.basis.value}): {step.reason}",
            file=ctx.out,
        )
    for notice in logged.notices:
        print(
            f"{notice} (to continue it: deckfollow cadence runs --customer {args.customer}, "
            "then cadence resume RUN_ID).",
            file=ctx.out,
        )
    return 0
