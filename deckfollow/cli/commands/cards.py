"""`deckfollow cards`: the week's handwritten-style cards, envelopes and labels as one PDF.

    deckfollow cards --out cards.pdf [--template NAME] [--due-within DAYS] [--split]
    deckfollow cards --list-templates
    deckfollow cards --mark-mailed [--check-call-after-every-card]

Stationery, handwriting and the card's front come from the owner's remembered choices (or
the business's country: A sizes, or the US sizes there); `--remember` keeps the ones given.
`--split` writes one PDF per paper kind beside FILE.pdf and prints the steps to follow.
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
from deckfollow.core.errors import ValidationError

if TYPE_CHECKING:
    from deckfollow.core.card_preferences import CardPreferences
    from deckfollow.printing.render import PrintOptions, RenderSummary

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
    p.add_argument(
        "--card",
        help="stationery, e.g. a6-folded or a2-folded (default: your choice, or the country's)",
    )
    p.add_argument("--font", help="handwriting font (default: your choice, or kalam)")
    p.add_argument("--ink", help="ink colour (default: your choice, or blue-black)")
    p.add_argument("--envelope", help="envelope key, 'match' (the card's own) or 'none'")
    p.add_argument(
        "--labels",
        metavar="SHEET",
        nargs="?",
        const="",
        help="also print address labels (l7160, avery-5160; alone: the remembered sheet); "
        "'none' for no labels",
    )
    p.add_argument("--motif", help="picture on the card's front: sprig, sun, house, border or none")
    p.add_argument("--logo", metavar="IMAGE", help="your logo on the front (PNG or JPEG)")
    p.add_argument("--no-date", action="store_true", help="leave the date line off")
    p.add_argument(
        "--split",
        action="store_true",
        help="one PDF per paper kind (cards, envelopes, labels) beside FILE.pdf, with steps",
    )
    p.add_argument(
        "--remember",
        action="store_true",
        help="keep the stationery, handwriting and front given here as the new defaults",
    )
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
    p.add_argument(
        "--check-call-after-every-card",
        action="store_true",
        help="plan the next step after birthday, holiday and 'saw this' cards too "
        "(by default only thank-you cards are followed up)",
    )
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


def _chosen(args: argparse.Namespace, prefs: CardPreferences) -> CardPreferences:
    """The remembered choices with those given on the command line over them."""
    from dataclasses import replace

    changes: dict[str, object] = {}
    for name in ("card", "font", "ink", "envelope", "motif"):
        value = getattr(args, name)
        if value is not None:
            changes[name] = value
    if args.logo is not None:
        changes["logo"] = str(Path(args.logo).expanduser().resolve()) if args.logo else ""
    if args.labels is not None:
        if args.labels == "none":
            changes["labels"] = False
        else:
            changes["labels"] = True
            if args.labels:
                changes["label_sheet"] = args.labels
    if args.no_date:
        changes["date_line"] = False
    return replace(prefs, **changes)  # type: ignore[arg-type]


def _apply_args(args: argparse.Namespace, options: PrintOptions) -> PrintOptions:
    from dataclasses import replace

    return replace(
        options,
        start_label=args.start_label,
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
        raise ValidationError("--out", f"could not write {out}: {exc.strerror or exc}") from exc


def _print(args: argparse.Namespace, ctx: CliContext) -> int:
    from dataclasses import replace

    from deckfollow.core.card_preferences import (
        country_defaults,
        load_card_preferences,
        save_card_preferences,
    )
    from deckfollow.printing.batch import collect_due_cards, remember_printed
    from deckfollow.printing.card_setup import options_for
    from deckfollow.printing.handwriting import HandStyle
    from deckfollow.printing.paper_steps import PaperStep, paper_steps
    from deckfollow.printing.render import PrintOptions, check_options, plan_cards
    from deckfollow.printing.stationery import card_label

    out = Path(args.out)
    check_out_file(out, "--out")
    # Wrong stationery, font, ink, motif, label, logo or signature fails before the database
    # is opened.
    given = _chosen(args, country_defaults("US"))
    check_options(
        _apply_args(
            args,
            PrintOptions(
                card=given.card,
                style=HandStyle(font=given.font, ink=given.ink),
                envelope=given.envelope_choice,
                labels=given.labels_choice,
                front=None,
            ),
        )
    )
    _check_front(given)
    db = ctx.open_db()
    try:
        with db.reading() as session:
            prefs = _chosen(args, load_card_preferences(session))
            options = _apply_args(args, options_for(session, prefs, now=ctx.now))
            batch = collect_due_cards(
                session, now=ctx.now, within_days=args.due_within, template_key=args.template
            )
        if args.remember:
            with db.unit_of_work() as session:
                save_card_preferences(session, prefs)
            print(f"Remembered: {card_label(options.stock(), prefs.units)}", file=ctx.out)
        for s in batch.skipped:
            print(f"skipped: {s.customer}: {s.reason}", file=ctx.out)
        if not batch.cards:
            print(f"No cards due within {args.due_within} days.", file=ctx.out)
            return 0
        jobs = batch.jobs()
        if args.seed:
            jobs = [replace(j, seed=j.seed + args.seed) for j in jobs]
        plan = plan_cards(jobs, options)  # set once: checked here, written from it below
        if plan.problems:
            for p in plan.problems:
                print(f"cannot print: {p}", file=ctx.err)
            print("Nothing was written; shorten those texts or choose a larger card.", file=ctx.err)
            return 1
        for c in batch.cards:
            if c.missing:
                print(f"check: {c.customer}: no value for {', '.join(c.missing)}", file=ctx.err)
        steps: list[PaperStep] = []
        summaries: list[RenderSummary] = []
        if args.split:
            steps = paper_steps(jobs, options)
            for step in steps:
                _write_private(step.path_beside(out), _writer(step.pdf))
        else:
            from deckfollow.printing.render import write_plan

            _write_private(out, lambda fh: summaries.append(write_plan(plan, fh, title="Cards")))
        with db.unit_of_work() as session:
            remember_printed(session, batch, now=ctx.now)
    finally:
        db.close()
    if steps:
        print(f"Print these {len(steps)} jobs in order:", file=ctx.out)
        for step in steps:
            print(f"{step.heading}: {step.path_beside(out)}", file=ctx.out)
            print(f"   {step.instruction}", file=ctx.out)
    else:
        summary = summaries[0]
        parts = [f"{summary.cards} cards"]
        if summary.envelopes:
            parts.append(f"{summary.envelopes} envelopes")
        if summary.labels:
            parts.append(f"{summary.labels} labels")
        print(f"Wrote {', '.join(parts)} ({summary.pages} pages) to {out}", file=ctx.out)
        print(
            "Tip: --split writes one PDF per paper kind, printed one after the other.", file=ctx.out
        )
    if options.return_address is None and options.envelope is not None:
        print("note: no return address set (business name and address in settings)", file=ctx.out)
    return 0


def _writer(pdf: bytes) -> Callable[[BinaryIO], None]:
    def write(fh: BinaryIO) -> None:
        fh.write(pdf)

    return write


def _check_front(prefs: CardPreferences) -> None:
    from deckfollow.printing.render import CardFront, PrintOptions, check_options

    logo = Path(prefs.logo) if prefs.logo else None
    check_options(PrintOptions(card=prefs.card, front=CardFront("", prefs.motif, logo)))


def _mark_mailed(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.core.card_kinds import MailedNextStep
    from deckfollow.core.enums import Channel
    from deckfollow.printing.batch import mark_mailed, printed_batch

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
            result = mark_mailed(
                session,
                printed.follow_up_ids,
                step,
                now=ctx.now,
                courtesy_too=args.check_call_after_every_card,
            )
    finally:
        db.close()
    print(f"Logged {len(result.logged)} cards as mailed.", file=ctx.out)
    planned = len(result.logged) - len(result.courtesy)
    if planned:
        print(f"{planned} with a next step planned (thank-you cards).", file=ctx.out)
    if result.courtesy:
        n = len(result.courtesy)
        cards = "card" if n == 1 else "cards"
        print(
            f"{n} birthday, holiday or 'saw this' {cards} with nothing planned after "
            f"{'it' if n == 1 else 'them'} (--check-call-after-every-card plans one).",
            file=ctx.out,
        )
    for problem in result.problems:
        print(f"not logged: {problem}", file=ctx.err)
    return 1 if result.problems else 0
