"""A batch as the owner prints it: one job per kind of paper, numbered, each saying what to
load ("1. 12 cards on A5 card stock", "2. 12 C6 envelopes — load envelopes now",
"3. 12 labels on L7160"), so a printer never gets cards, envelopes and labels in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from deckfollow.printing.render import CardJob, Part, PrintOptions, render_parts
from deckfollow.printing.stationery import card_paper, envelope_title, sheet_title


@dataclass(frozen=True)
class PaperStep:
    """One print job: its heading, what to do before printing it, and its PDF."""

    number: int
    part: Part
    heading: str  # "1. 12 cards on A5 card stock"
    instruction: str  # what to load and how to feed it
    slug: str  # for file names: "1-cards-a5-card-stock"
    pdf: bytes
    pages: int
    count: int  # cards, envelopes or labels in this job
    page_size: tuple[float, float]  # points

    def path_beside(self, combined: Path) -> Path:
        """Where this job is saved next to the combined PDF: cards.pdf -> cards-2-….pdf."""
        return combined.with_name(f"{combined.stem}-{self.slug}.pdf")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def paper_steps(jobs: list[CardJob], options: PrintOptions) -> list[PaperStep]:
    """The batch split by paper kind, in the order to print. Raises CardsDoNotFit (nothing
    rendered) when any card, envelope or label would not print as it should."""
    stock = options.stock()
    steps: list[PaperStep] = []
    for number, (part, pdf, summary) in enumerate(render_parts(jobs, options), start=1):
        if part == "cards":
            paper = card_paper(stock)
            count = summary.cards
            heading = f"{number}. {_plural(count, 'card')} on {paper}"
            if stock.fold_y is not None and summary.pages > count:
                instruction = (
                    f"Load {paper}. Print on both sides (flip on the long edge), "
                    "then fold each sheet in half with the picture outside."
                )
            elif stock.fold_y is not None:
                instruction = f"Load {paper}. Fold each sheet in half after printing."
            else:
                instruction = f"Load {paper}."
            slug = f"{number}-cards-{_slug(paper)}"
            size = (stock.width, stock.height)
        elif part == "envelopes":
            env = options.envelope_stock()
            assert env is not None
            title = envelope_title(env)
            count = summary.envelopes
            heading = f"{number}. {_plural(count, title)} — load envelopes now"
            instruction = (
                f"Load {count} {title}s in the envelope feed, flap closed, as your printer's "
                "guide shows."
            )
            slug = f"{number}-envelopes-{_slug(title.removesuffix(' envelope'))}"
            size = (env.width, env.height)
        else:
            sheet = options.label_stock()
            assert sheet is not None
            code = sheet_title(sheet)
            count = summary.labels
            sheets = summary.pages
            heading = f"{number}. {_plural(count, 'label')} on {code}"
            start = f", starting at label {options.start_label}" if options.start_label > 1 else ""
            instruction = f"Load {_plural(sheets, code + ' sheet')}{start}."
            slug = f"{number}-labels-{_slug(code)}"
            size = (sheet.width, sheet.height)
        steps.append(
            PaperStep(number, part, heading, instruction, slug, pdf, summary.pages, count, size)
        )
    return steps
