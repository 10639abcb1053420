"""The board's columns and the quote list take a change's rows without being laid out again,
and stay exactly what a fresh layout would show, within Qt's rules for models (checked by
Qt's model tester as the rows leave, arrive and move)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

import pytest
from PySide6.QtCore import QObject
from pytestqt.modeltest import ModelTester

from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import (
    IndexUpdate,
    QuoteFilter,
    QuoteIndex,
    QuoteRow,
    SortKey,
)
from deckfollow.ui.board.model import StageCardModel
from deckfollow.ui.quote_list.model import QuoteTableModel

_STAGES = [Stage.LEAD, Stage.QUOTED, Stage.FOLLOWING_UP, Stage.WON]


def _row(now: datetime, qid: int, *, stage: Stage | None = None, amount: int | None = None,
         name: str | None = None) -> QuoteRow:  # fmt: skip
    at = now - timedelta(days=qid % 9, hours=qid)
    return QuoteRow(
        qid, qid, name or f"Customer {qid % 7}", "Deck", f"Q-{qid:03}",
        Decimal(amount if amount is not None else qid * 100 % 700) if qid % 4 else None,
        "AUD", stage or _STAGES[qid % 4], at, None, at, at, None, "0412 000 000", None,
        "Australia/Sydney", False, None, False,
    )  # fmt: skip


def _update(rows: list[QuoteRow], gone: set[int] = frozenset()) -> IndexUpdate:  # type: ignore[assignment]
    return IndexUpdate(rows, ["0412 000 000"] * len(rows), frozenset(gone))


_new_tester: Callable[[pytest.Config], ModelTester] = ModelTester  # untyped in pytest-qt


class _Checked(NamedTuple):
    owner: QObject  # the models' parent, alive until their testers let go
    check: Callable[[QObject], None]


@pytest.fixture
def checked(request: pytest.FixtureRequest) -> Iterator[_Checked]:
    """Qt's model checks, one tester per model (a tester watches the last model it checked)."""
    made: list[ModelTester] = []

    def check(model: QObject) -> None:
        tester = _new_tester(request.config)
        run: Callable[..., None] = tester.check  # pytest-qt leaves it untyped
        run(model, force_py=True)
        made.append(tester)

    owner = QObject()
    yield _Checked(owner, check)
    for tester in made:
        cleanup: Callable[[], None] = tester._cleanup  # what pytest-qt's own fixture does
        cleanup()


def test_rows_swapped_in_the_views_match_a_fresh_layout(checked: _Checked, now: datetime) -> None:
    rows = {qid: _row(now, qid) for qid in range(1, 41)}
    index = QuoteIndex(list(rows.values()), now)
    owner = checked.owner
    flt = QuoteFilter(sort=SortKey.AMOUNT, descending=False)
    listed = QuoteTableModel(owner)
    listed.filter = flt
    listed.set_index(index)
    columns = {stage: StageCardModel(stage, owner) for stage in Stage}
    for column in index.board():
        columns[column.stage].set_rows(column.rows)
    for model in (listed, *columns.values()):
        checked.check(model)

    steps: list[tuple[str, list[QuoteRow], set[int]]] = [
        ("a card moved to Won", [_row(now, 5, stage=Stage.WON)], set()),
        ("an amount changed: the row moves in the list", [_row(now, 6, amount=650)], set()),
        ("a name changed: the row stays, repainted", [_row(now, 7, name="Mia Chen")], set()),
        ("a quote gone", [], {9}),
        ("a new quote", [_row(now, 41)], set()),
        (
            "several at once",
            [_row(now, 2, stage=Stage.LEAD), _row(now, 3, amount=1), _row(now, 42)],
            {10, 11},
        ),
    ]
    for step, fresh, gone in steps:
        swapped = index.apply_update(_update(fresh, gone))
        listed.swap_rows(swapped)
        for column in index.board():
            if column.stage in swapped.stages:
                columns[column.stage].swap_rows(column.rows, swapped)
        for qid in gone:
            del rows[qid]
        rows.update((row.quote_id, row) for row in fresh)
        laid_out = QuoteIndex(list(rows.values()), now)
        shown = [listed.row_at(i) for i in range(listed.rowCount())]
        assert shown == laid_out.select(flt), step
        for column in laid_out.board():
            model = columns[column.stage]
            cards = [model.row_at(i) for i in range(model.rowCount())]
            assert cards == column.rows, f"{step}: {column.stage.label}"
