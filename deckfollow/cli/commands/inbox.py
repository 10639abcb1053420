"""`deckfollow inbox check`: read the owner's inbox once and log replies, stops and bounces.

For scripts and cron. The mailbox password (or sign-in) comes from the system keyring,
set up once in the app's Email settings; without a keyring it is asked for on a terminal.
"""

from __future__ import annotations

import argparse
import json
import sys

from deckfollow.cli.context import CliContext
from deckfollow.core.errors import ValidationError

ORDER = 73


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "inbox", help="read your inbox and texts for customers' replies, stops and bounces"
    )
    isub = p.add_subparsers(dest="inbox_command", metavar="{check}")
    isub.required = True
    c = isub.add_parser(
        "check",
        help="read new messages once and log what they mean",
        description="Read the messages that arrived since the last check (nothing is marked "
        "as read, nothing is logged twice). A customer's reply is logged on their open quote "
        "and pauses the plan; a request to stop revokes that channel; a bounce marks the "
        "address as failing. Auto-replies and mailing lists are left alone.",
    )
    c.add_argument("--json", action="store_true", help="print what was logged as JSON")
    c.set_defaults(run=run_check)


def run_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.messaging.credentials import default_store
    from deckfollow.messaging.imap import Password
    from deckfollow.messaging.inbox import stored_auth
    from deckfollow.messaging.sms_providers import load_sms_settings
    from deckfollow.messaging.watch import check_all

    with ctx.database() as db:
        store = default_store()
        imap, auth = stored_auth(db, store, clock=lambda: ctx.now)
        with db.reading() as s:
            texts = load_sms_settings(s).configured
        if not imap.configured and not texts:
            raise ValidationError(
                "incoming server", "set up reading your inbox in the app's Email settings first"
            )
        if auth is None and imap.configured:
            if not sys.stdin.isatty():
                raise ValidationError(
                    "password",
                    "no mailbox password in the system keyring; save it in the app's Email "
                    "settings",
                )
            import getpass

            auth = Password(getpass.getpass("Mailbox password (not stored): "))
        report = check_all(db, store, clock=lambda: ctx.now, mailbox_auth=auth)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2), file=ctx.out)
        return 0
    for h in report.handled:
        who = h.customer or h.sender
        print(f"{h.kind.value:9} {who}: {h.subject or '(no subject)'} — {h.detail}", file=ctx.out)
    print(report.summary(), file=ctx.err)
    return 0
