"""`deckfollow templates list|show`: the scripts and templates, and how one reads for a customer."""

from __future__ import annotations

import argparse
import json

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.core.errors import ValidationError

ORDER = 70


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("templates", help="call scripts, voicemail, text, email and card wording")
    tsub = p.add_subparsers(dest="templates_command", metavar="{list,show}")
    tsub.required = True
    ls = tsub.add_parser("list", help="every template, by kind")
    ls.add_argument(
        "--kind",
        choices=["call_script", "voicemail", "text", "email", "card"],
        help="only this kind",
    )
    ls.add_argument("--json", action="store_true", help="print a JSON list")
    ls.set_defaults(run=run_list)
    show = tsub.add_parser(
        "show",
        help="one template, filled in for a customer if given",
        description="Print a template, filled in for a customer (or made-up details). "
        "Exit status 3 when a field has no value or is unknown: it would show as [field?].",
    )
    show.add_argument("key", help="the template's key (see `templates list`)")
    show.add_argument(
        "--customer", type=shapes.record_id, metavar="ID", help="fill in for this customer"
    )
    show.add_argument("--quote", type=shapes.record_id, metavar="ID", help="and this quote")
    show.add_argument("--follow-up", type=shapes.record_id, metavar="ID", help="and this follow-up")
    show.add_argument("--sample", action="store_true", help="fill in with made-up details")
    show.set_defaults(run=run_show)


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.enums import TemplateKind
    from deckfollow.messaging.template_library import list_templates, seed_builtin_templates

    db = ctx.open_db()
    try:
        with db.unit_of_work() as s:
            seed_builtin_templates(s)
            rows = list_templates(s, TemplateKind(args.kind) if args.kind else None)
    finally:
        db.close()
    if args.json:
        data = [
            {
                "key": t.key,
                "name": t.name,
                "kind": t.kind.value,
                "builtin": t.builtin,
                "edited": t.modified,
                "subject": t.subject,
                "body": t.body,
            }
            for t in rows
        ]
        json.dump(data, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    for t in rows:
        mark = "edited" if t.modified else ("built in" if t.builtin else "your own")
        print(f"{t.kind.value:<12} {t.key:<28} {t.name}  ({mark})", file=ctx.out)
    return 0


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.merge_fields import build_merge_context, render_template, sample_context
    from deckfollow.messaging.template_library import get_template, seed_builtin_templates

    wants_data = args.customer is not None or args.quote is not None or args.follow_up is not None
    if wants_data and args.sample:
        raise ValidationError("--sample", "use either --sample or a customer, not both")
    if (args.quote is not None or args.follow_up is not None) and args.customer is None:
        raise ValidationError("--customer", "give the customer the quote or follow-up is for")
    db = ctx.open_db()
    try:
        with db.unit_of_work() as s:
            seed_builtin_templates(s)
            t = get_template(s, args.key)
            ctx_values = None
            if args.customer is not None:
                ctx_values = build_merge_context(
                    s,
                    customer_id=args.customer,
                    quote_id=args.quote,
                    follow_up_id=args.follow_up,
                    now=ctx.now,
                )
    finally:
        db.close()
    if args.sample:
        ctx_values = sample_context()
    print(f"{t.name} ({t.kind_label.lower()}, {t.key})", file=ctx.out)
    if ctx_values is None:
        if t.subject:
            print(f"Subject: {t.subject}", file=ctx.out)
        print("", file=ctx.out)
        print(t.body, file=ctx.out)
        return 0
    problems: list[str] = []
    if t.subject:
        subject = render_template(t.subject, ctx_values)
        print(f"Subject: {subject.text}", file=ctx.out)
        problems += [p for p in [subject.problem()] if p]
    body = render_template(t.body, ctx_values)
    print("", file=ctx.out)
    print(body.text, file=ctx.out)
    problems += [p for p in [body.problem()] if p and p not in problems]
    if problems:
        print("", file=ctx.err)
        print("Not ready to send: " + "; ".join(problems), file=ctx.err)
        return 3
    return 0
