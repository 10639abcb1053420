"""`deckfollow export --format json --out FILE`."""

from __future__ import annotations

import argparse
from pathlib import Path

from deckfollow.cli.context import CliContext
from deckfollow.core.errors import DeckfollowError

ORDER = 40


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="export everything to a file")
    p.add_argument("--format", choices=["json"], default="json", help="file format")
    p.add_argument("--out", required=True, metavar="FILE", help="file to write")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: CliContext) -> int:
    from deckfollow.exchange.json_export import export_json

    out = Path(args.out)
    if out.is_dir():
        raise DeckfollowError(f"{out} is a folder; give a file name for the export")
    db = ctx.open_db()
    try:
        with db.reading() as session:
            counts = export_json(session, out, now=ctx.now)
    except OSError as exc:
        raise DeckfollowError(f"cannot write {out}: {exc.strerror}") from exc
    finally:
        db.close()
    summary = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts.items())
    print(f"Exported {summary} to {out}", file=ctx.out)
    return 0
