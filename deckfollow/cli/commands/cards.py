"""`deckfollow cards`: the week's handwritten-style cards, envelopes and labels as one PDF.

    deckfollow cards --out cards.pdf [--template NAME] [--due-within DAYS]
    deckfollow cards --list-templates
    deckfollow cards --mark-mailed

Customers who revoked post are left out and listed as skipped. Nothing is written when a
card's text would not fit: the problems are listed instead (exit 1).
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from deckfollow.cli import args as shapes
from deckfollow.cli.context import CliContext
from deckfollow.cli.files import check_out_file
from deckfollow.core.errors import DeckfollowError, ValidationError

if TYPE_CHECKING:
    from deckfollow.printing.render import Address, PrintOptions, RenderSummary

ORDER = 60

_CHANNELS = ("call", "text", "email")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "cards",
        help="print the cards due soon (with envelopes or labels) into a PDF",
        description="Every card follow-up due within DAYS (overdue ones too) written by hand "
        "into one PDF, with matching envelopes or address labels. Customers who revoked "
        "post are skipped and listed.",
    )
    p.add_argument("--out", metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--template", metavar="NAME", help="one wording for every card")
    p.add_argument(
        "--due-within", metavar="DAYS", type=shapes.bounded(0, 366), default=7, help="default 7"
    )
    p.add_argument("--list-templates", action="store_true", help="list the card wordings")
    p.add_argument("--card", default="a2-folded", help="stationery (default a2-folded)")
    p.add_argument("--font", default="kalam", help="handwriting font (default kalam)")
    p.add_argument("--ink", default="blue-black", help="ink colour (default blue-black)")
    p.add_argument("--envelope", default="match", help="envelope key, 'match' (default) or 'none'")
    p.add_argument("--labels", metavar="SHEET", help="also print labels: avery-5160 or l7160")
    p.add_argument(
        "--start-label",
        type=shapes.bounded(1, 999),
        default=1,
        help="first free label (1 = top left)",
    )
    p.add_argument("--signature", metavar="IMAGE", help="a scanned signature (PNG or JPEG)")
    p.add_argument("--seed", type=shapes.seed, default=0, help="vary the handwriting differently")
    p.add_argument(
        "--mark-mailed",
        action="store_true",
        help="log the last printed batch as mailed (one card touch each, with a next step)",
    )
    p.add_argument("--next-channel", choices=_CHANNELS, default="call")
    p.add_argument("--next-in-days", type=shapes.bounded(1, 366), default=7, metavar="DAYS")
    p.add_argument("--next-reason", type=shapes.text(300), default=None)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.list_templates:
        return _list_templates(ctx)
    if args.mark_mailed:
        return _mark_mailed(args, ctx)
    if not args.out:
        raise ValidationError("--out", "say where to write the PDF, e.g. --out cards.pdf")
    return _print(args, ctx)


def _list_templates(ctx: CliContext) -> int:
    from deckfollow.printing.batch import card_templates

    db = ctx.open_db()
    try:
        with db.reading() as session:
            templates = card_templates(session)
    finally:
        db.close()
    for t in templates:
        print(f"{t.key.removeprefix('card_'):<20} {t.name}", file=ctx.out)
    return 0


def _options(args: argparse.Namespace, ret: Address | None) -> PrintOptions:
    from deckfollow.printing.handwriting import HandStyle
    from deckfollow.printing.render import PrintOptions

    envelope = None if args.envelope == "none" else args.envelope
    return PrintOptions(
        card=args.card,
        style=HandStyle(font=args.font, ink=args.ink),
        envelope=envelope,
        labels=args.labels,
        start_label=args.start_label,
        return_address=ret,
        signature=Path(args.signature) if args.signature else None,
    )


def _write_private(out: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write beside the target, then move it into place: readable by the owner only (it holds
    names and addresses), and never half a PDF where an old one was."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            if hasattr(os, "fchmod"):  # POSIX; a stale .tmp may have wider rights
                os.fchmod(fd, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fd = -1
                write(fh)
        finally:
            if fd != -1:
                os.close(fd)
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise DeckfollowError(f"could not write {out}: {exc.strerror or exc}") from exc


def _print(args: argparse.Namespace, ctx: CliContext) -> int:
    from dataclasses import replace

    from deckfollow.printing.batch import collect_due_cards, remember_printed, return_address
    from deckfollow.printing.render import check_cards, check_options, render_pdf

    out = Path(args.out)
    check_out_file(out, "--out")
    # Wrong stationery, font, ink, label or signature fails before the database is opened.
    check_options(_options(args, None))
    db = ctx.open_db()
    try:
        with db.reading() as session:
            batch = collect_due_cards(
                session, now=ctx.now, within_days=args.due_within, template_key=args.template
            )
            ret = return_address(session)
        options = _options(args, ret)
        for s in batch.skipped:
            print(f"skipped: {s.customer}: {s.reason}", file=ctx.out)
        if not batch.cards:
            print(f"No cards due within {args.due_within} days.", file=ctx.out)
            return 0
        jobs = batch.jobs()
        if args.seed:
            jobs = [replace(j, seed=j.seed + args.seed) for j in jobs]
        problems = check_cards(jobs, options)
        if problems:
            for p in problems:
                print(f"cannot print: {p}", file=ctx.err)
            print("Nothing was written; shorten those texts or choose a larger card.", file=ctx.err)
            return 1
        for c in batch.cards:
            if c.missing:
                print(f"check: {c.customer}: no value for {', '.join(c.missing)}", file=ctx.err)
        summaries: list[RenderSummary] = []
        _write_private(
            out, lambda fh: summaries.append(render_pdf(jobs, options, fh, title="Cards"))
        )
        summary = summaries[0]
        with db.unit_of_work() as session:
            remember_printed(session, batch, now=ctx.now)
    finally:
        db.close()
    parts = [f"{summary.cards} cards"]
    if summary.envelopes:
        parts.append(f"{summary.envelopes} envelopes")
    if summary.labels:
        parts.append(f"{summary.labels} labels")
    print(f"Wrote {', '.join(parts)} ({summary.pages} pages) to {out}", file=ctx.out)
    if ret is None and options.envelope is not None:
        print("note: no return address set (business name and address in settings)", file=ctx.out)
    return 0


def _mark_mailed(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.enums import Channel
    from deckfollow.printing.batch import MailedNextStep, mark_mailed, printed_batch

    step = MailedNextStep(channel=Channel(args.next_channel), days_after=args.next_in_days)
    if args.next_reason:
        step = MailedNextStep(step.channel, step.days_after, step.local_time, args.next_reason)
    db = ctx.open_db()
    try:
        with db.unit_of_work() as session:
            printed = printed_batch(session)
            if printed is None:
                print("No printed cards are waiting to be marked as mailed.", file=ctx.out)
                return 0
            result = mark_mailed(session, printed.follow_up_ids, step, now=ctx.now)
    finally:
        db.close()
    print(f"Logged {len(result.logged)} cards as mailed.", file=ctx.out)
    for problem in result.problems:
        print(f"not logged: {problem}", file=ctx.err)
    return 1 if result.problems else 0
