"""`deckfollow send email FOLLOW_UP`: send a follow-up email from a template and log it.

The password comes from the system keyring (set it up once in the app's Email settings);
without a keyring the command asks for it on a terminal and forgets it afterwards.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.cli.owner_clock import OWNER_CLOCK_HELP, on_owners_clock
from deckfollow.core.errors import ValidationError

if TYPE_CHECKING:
    from deckfollow.core.followups import FollowUpPlan

ORDER = 72


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "send", help="send a follow-up email or text from a template, logged as a touch"
    )
    ssub = p.add_subparsers(dest="send_command", metavar="{email,text}")
    ssub.required = True
    e = ssub.add_parser(
        "email",
        help="email the customer of a follow-up",
        description="Fill in a template for the follow-up's customer and quote, check the "
        "rules, send it through your email account and log it with the next step. Exit "
        "status 3 when a field has no value (nothing is sent).",
    )
    _follow_up_and_next_step(e, next_channel="email")
    e.add_argument("--footer", action="store_true", help="add the business address and opt-out")
    e.add_argument(
        "--attach",
        action="append",
        default=[],
        metavar="FILE",
        help="attach a file (the quote's PDF, a photo); may be given more than once",
    )
    e.add_argument("--dry-run", action="store_true", help="print the email; send nothing")
    e.set_defaults(
        run=run_email,
        field_options={
            "next step": "--next-at",
            "reason": "--next-reason",
            "template": "--template",
        },
    )
    t = ssub.add_parser(
        "text",
        help="text the customer of a follow-up through your SMS provider",
        description="Fill in a text template for the follow-up's customer and quote, check "
        "the rules (consent, their allowed hours, the frequency cap), send it through "
        "Twilio or ClickSend with your business named and the opt-out line where their "
        "country requires it, and log it with the next step. Exit status 3 when a field has "
        "no value (nothing is sent).",
    )
    _follow_up_and_next_step(t, next_channel="text")
    t.add_argument("--dry-run", action="store_true", help="print the text; send nothing")
    t.set_defaults(
        run=run_text,
        field_options={
            "next step": "--next-at",
            "reason": "--next-reason",
            "template": "--template",
        },
    )


def _follow_up_and_next_step(p: argparse.ArgumentParser, *, next_channel: str) -> None:
    """What every send takes: the follow-up, its wording and the next step."""
    p.add_argument(
        "follow_up",
        type=shapes.record_id,
        metavar="FOLLOW_UP",
        help="the follow-up's id (see `deckfollow due`)",
    )
    p.add_argument(
        "--template",
        metavar="KEY",
        help="template key (default: the wording that fits the follow-up, as in the app)",
    )
    p.add_argument(
        "--next-at",
        required=True,
        type=shapes.wall_or_moment,
        metavar="YYYY-MM-DDTHH:MM",
        help=f"when to follow up next, {OWNER_CLOCK_HELP}; their allowed hours are checked "
        "in their zone",
    )
    p.add_argument(
        "--next-reason",
        required=True,
        type=shapes.text(300),
        help="why you'll be in touch next",
    )
    p.add_argument(
        "--next-channel",
        default=next_channel,
        choices=["call", "text", "email", "card", "visit"],
    )


def _password(account: str, needed: bool) -> str | None:
    from deckfollow.messaging.credentials import default_store

    if not needed:
        return None
    stored = default_store().get(account)
    if stored:
        return stored
    if not sys.stdin.isatty():
        raise ValidationError(
            "password",
            "no email password in the system keyring; save it in the app's Email settings",
        )
    import getpass

    return getpass.getpass("Email password (not stored): ")


def _next_step(args: argparse.Namespace, owner_tz: str, now: datetime) -> FollowUpPlan:
    """The next step as typed (on the owner's clock), checked before anything is shown, so a
    dry run answers too."""
    from deckfollow.core.enums import Channel
    from deckfollow.core.followups import FollowUpPlan
    from deckfollow.core.touches import check_next_step

    plan = FollowUpPlan(
        on_owners_clock(args.next_at, owner_tz), Channel(args.next_channel), args.next_reason
    )
    check_next_step(plan, now=now)
    return plan


def _say_next(plan: FollowUpPlan, owner_tz: str, their_tz: str, ctx: CliContext) -> None:
    """The next step planned, on the owner's clock with the customer's beside it."""
    from deckfollow.core.clock_format import both_clocks_text

    when = both_clocks_text(plan.due_at, owner_tz, their_tz)
    print(f"Next: {plan.channel.value} on {when}: {plan.reason}", file=ctx.err)


def run_email(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.enums import TemplateKind
    from deckfollow.core.settings import load_settings
    from deckfollow.messaging.credentials import default_store
    from deckfollow.messaging.drafts import compose_follow_up_draft
    from deckfollow.messaging.email_auth import mail_secret
    from deckfollow.messaging.email_extras import (
        check_attachments,
        load_extras,
        with_attachments,
    )
    from deckfollow.messaging.outbox import send_email_and_log
    from deckfollow.messaging.smtp import load_footer, load_smtp_settings, make_footer

    with ctx.database() as db:
        with db.unit_of_work() as s:
            draft = compose_follow_up_draft(
                s, args.follow_up, TemplateKind.EMAIL, now=ctx.now, template_key=args.template
            )
            smtp = load_smtp_settings(s)
            footer = make_footer(s) if args.footer else load_footer(s)
            extras = with_attachments(load_extras(s), [Path(a).expanduser() for a in args.attach])
            check_attachments(extras.attachments)
            owner_tz = load_settings(s).owner_timezone
        plan = _next_step(args, owner_tz, ctx.now)
        print(f"To: {draft.to_name} <{draft.to_address or 'no email address'}>", file=ctx.out)
        print(f"Subject: {draft.subject.text}\n\n{draft.body.text}", file=ctx.out)
        if draft.problems():
            print("Not sent: " + "; ".join(draft.problems()), file=ctx.err)
            return 3
        if args.dry_run:
            print("(dry run: nothing sent)", file=ctx.err)
            return 0
        with db.reading() as s:
            # A Gmail or Microsoft browser sign-in: a fresh token (refreshed by itself).
            token = mail_secret(
                s, default_store(), smtp.username, smtp.account, clock=lambda: ctx.now
            ).access_token
        result = send_email_and_log(
            db,
            draft.outbox_draft(),
            plan,
            smtp=smtp,
            password=None if token else _password(smtp.account, bool(smtp.username)),
            clock=lambda: ctx.now,
            footer=footer,
            access_token=token,
            extras=extras,
        )
    print(result.message, file=ctx.err)
    if result.logged:
        _say_next(plan, owner_tz, draft.timezone, ctx)
    return 0 if result.logged else 1


def run_text(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.enums import TemplateKind
    from deckfollow.core.settings import load_settings
    from deckfollow.messaging.credentials import default_store
    from deckfollow.messaging.drafts import compose_follow_up_draft
    from deckfollow.messaging.outbox import send_text_and_log
    from deckfollow.messaging.sms_providers import load_sms_settings
    from deckfollow.messaging.text_rules import compliant_text

    with ctx.database() as db:
        with db.unit_of_work() as s:
            draft = compose_follow_up_draft(
                s, args.follow_up, TemplateKind.TEXT, now=ctx.now, template_key=args.template
            )
            sms = load_sms_settings(s)
            owner = load_settings(s)
        plan = _next_step(args, owner.owner_timezone, ctx.now)
        shown = compliant_text(
            draft.body.text, business=owner.business_name or owner.owner_name, country=draft.country
        )
        print(
            f"To: {draft.to_name} <{draft.to_address or 'no cell number'}>\n\n{shown}", file=ctx.out
        )
        if draft.problems():
            print("Not sent: " + "; ".join(draft.problems()), file=ctx.err)
            return 3
        if args.dry_run:
            print("(dry run: nothing sent)", file=ctx.err)
            return 0
        if not sms.configured:
            raise ValidationError(
                "text provider", "set up Twilio or ClickSend in the app's Settings › Texts first"
            )
        secret = default_store().get(sms.secret_account)
        if not secret:
            if not sys.stdin.isatty():
                raise ValidationError(
                    "text provider",
                    "no provider key in the system keyring; save it in the app's Settings › Texts",
                )
            import getpass

            secret = getpass.getpass("Provider auth token or API key (not stored): ")
        result = send_text_and_log(
            db, draft.outbox_draft(), plan, sms=sms, secret=secret, clock=lambda: ctx.now
        )
    print(result.message, file=ctx.err)
    if result.logged:
        _say_next(plan, owner.owner_timezone, draft.timezone, ctx)
    return 0 if result.logged else 1
