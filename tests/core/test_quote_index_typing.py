"""Typing into the quote search, Backspace and re-sorting find what a plain scan finds, in the
list's order, however the remembered searches are reused."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from deckfollow.core import quote_index
from deckfollow.core.enums import Stage
from deckfollow.core.quote_index import IndexUpdate, QuoteFilter, QuoteIndex, QuoteRow, SortKey
from deckfollow.core.text_folding import fold

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# A name with letters that stay outside ASCII when folded (the search texts are UTF-8).
NAMES = [
    "Mia Chen",
    "Bob Smith",
    "Zoë Müller",
    "Ann Smithers",
    "Deck Doctors",
    "Sam O’Brien",
    "王小明",
]
JOBS = ["Deck", "Decking and stairs", "Bathroom — full strip-out", "Smart meter", "Fence", ""]
PHONES = ["0412 345 678", "+61 412 345 679", "(02) 9876 5432", "", "0413 222 333"]


def _rows(count: int, seed: int) -> tuple[list[QuoteRow], list[str]]:
    rnd = random.Random(seed)
    rows, phones = [], []
    for qid in range(1, count + 1):
        received = NOW - timedelta(days=rnd.randrange(400))
        last = None if rnd.random() < 0.3 else received + timedelta(days=rnd.randrange(5))
        rows.append(
            QuoteRow(
                qid, qid % 40, rnd.choice(NAMES), rnd.choice(JOBS),
                rnd.choice([None, f"Q-{qid:04d}", f"Q-04{qid % 100:02d}"]),
                rnd.choice([None, Decimal(rnd.randrange(100, 9000))]), "AUD",
                rnd.choice(list(Stage)), received, None, last, received, None,
                None, rnd.choice([None, "mia@smith.example", "office@deck.example"]),
                "Australia/Sydney", rnd.random() < 0.2, None, rnd.random() < 0.1,
            )
        )  # fmt: skip
        phones.append(f"{rnd.choice(PHONES)} {rnd.choice(PHONES)}")
    return rows, phones


def _shown_text(row: QuoteRow) -> str:
    """What a search looks in: the quote's name, job, number and email, folded."""
    return fold(f"{row.customer} {row.job} {row.number or ''} {row.email or ''}")


def _plainly(
    texts: dict[int, tuple[str, str]], ordered: list[QuoteRow], flt: QuoteFilter
) -> list[int]:
    """What the search finds, worked out the slow obvious way."""
    words = fold(flt.text).split()
    digits = re.sub(r"\D+", "", flt.text)
    phone = None
    if len(digits) >= 3 and len(digits) * 2 >= len(flt.text.replace(" ", "")):
        phone = digits.lstrip("0") or digits
    found = []
    for row in ordered:
        text, numbers = texts[row.quote_id]
        by_words = all(w in text for w in words)
        by_phone = phone is not None and phone in numbers
        if (by_words or by_phone) and (row.overdue or not flt.overdue_only):
            found.append(row.quote_id)
    return found


def test_typing_backspace_and_sorting_find_what_a_plain_scan_finds() -> None:
    rows, phones = _rows(600, seed=7)
    index = QuoteIndex(rows, NOW, phones)
    texts = {
        r.quote_id: (_shown_text(r), re.sub(r"\D+", "", p))
        for r, p in zip(rows, phones, strict=True)
    }
    typed = ["s", "m", "i", "t", "h", "\b", "\b", "\b", "\b", "\b", *"0412 3", *"\b" * 6]
    typed += [*"deck", " ", "s", "\b", "\b", "\b", "\b", "\b", "\b", *"zoe mu", *"\b" * 6]
    typed += [*"+61 412", *"\b" * 7, *"o’b", *"\b" * 3, *"王小", "\b", "\b", *"— f"]
    for sort in (SortKey.RECEIVED, SortKey.CUSTOMER, SortKey.AMOUNT, SortKey.LAST_TOUCH):
        for descending in (True, False):
            for overdue in (False, True):
                text = ""
                everything = index.select(QuoteFilter(sort=sort, descending=descending))
                for key in typed:
                    text = text[:-1] if key == "\b" else text + key
                    flt = QuoteFilter(
                        text=text, sort=sort, descending=descending, overdue_only=overdue
                    )
                    got = [r.quote_id for r in index.select(flt)]
                    assert got == _plainly(texts, everything, flt), (sort, text)


def test_the_whole_list_comes_back_in_its_order_when_the_search_is_cleared() -> None:
    rows, phones = _rows(200, seed=3)
    index = QuoteIndex(rows, NOW, phones)
    newest_first = sorted(rows, key=lambda r: (r.received_at, r.quote_id), reverse=True)
    assert index.select(QuoteFilter(text="smi"))
    assert index.select(QuoteFilter()) == newest_first


def test_remembered_searches_hold_a_bounded_number_of_rows() -> None:
    rows, phones = _rows(300, seed=11)
    index = QuoteIndex(rows, NOW, phones)
    # Each of these matches nearly every quote: remembering all of them would hold many
    # copies of the whole list.
    for text in ["e", "c", "a", "o", "m", "s", "h", "i", "t", "r", "n", "d"]:
        index.select(QuoteFilter(text=text))
    held = sum(len(hits.rows) for hits in index._word_hits.values())
    assert held <= 4 * len(rows)
    assert index.select(QuoteFilter(text="d")) == [
        r for r in index.select(QuoteFilter()) if "d" in _shown_text(r)
    ]


def test_searches_remembered_across_changes_find_what_a_fresh_index_finds() -> None:
    """Quotes renamed, renumbered, re-dated, added and taken out between keystrokes: each
    search, remembered from before the change or not, finds what a fresh index finds."""
    rows, phones = _rows(400, seed=5)
    index = QuoteIndex(rows, NOW, phones)
    current = {r.quote_id: (r, p) for r, p in zip(rows, phones, strict=True)}
    rnd = random.Random(5)
    typed = [*"smi", "\b", "\b", "\b", *"0412 3", *"\b" * 6, *"deck", "\b", "\b", *"zo"]
    sorts = [(SortKey.RECEIVED, True), (SortKey.CUSTOMER, False), (SortKey.AMOUNT, True)]
    text = ""
    for step, key in enumerate(typed):
        text = text[:-1] if key == "\b" else text + key
        for sort, descending in sorts:
            index.select(QuoteFilter(text=text, sort=sort, descending=descending))
        # A change between keystrokes: a few quotes edited, one gone, one new.
        changed, fresh_phones = [], []
        for qid in rnd.sample(sorted(current), 3):
            row, _ = current[qid]
            row = row._replace(
                customer=rnd.choice(NAMES),
                number=rnd.choice([None, f"Q-04{qid % 97:02d}"]),
                received_at=row.received_at - timedelta(days=rnd.randrange(-30, 30)),
                amount=rnd.choice([None, Decimal(rnd.randrange(100, 9000))]),
            )
            phone = rnd.choice(PHONES)
            current[qid] = (row, phone)
            changed.append(row)
            fresh_phones.append(phone)
        gone = rnd.choice(sorted(current))
        del current[gone]
        new_id = 10_000 + step
        new_row = rows[0]._replace(quote_id=new_id, customer=rnd.choice(NAMES))
        current[new_id] = (new_row, "0412 345 678")
        index.apply_update(
            IndexUpdate([*changed, new_row], [*fresh_phones, "0412 345 678"], frozenset({gone}))
        )
        fresh = QuoteIndex([r for r, _ in current.values()], NOW, [p for _, p in current.values()])
        for sort, descending in sorts:
            for asked in (text, text[:-1], "s", "0412 3"):
                flt = QuoteFilter(text=asked, sort=sort, descending=descending)
                got = [r.quote_id for r in index.select(flt)]
                assert got == [r.quote_id for r in fresh.select(flt)], (step, flt)


def test_quotes_are_found_by_id_however_sparse_the_ids() -> None:
    """A quote is found by its id after changes, with ids one after another, far apart
    (most quotes erased long ago) or a new one far beyond the rest."""
    rows, phones = _rows(50, seed=2)
    spread = [r._replace(quote_id=r.quote_id * 1_000_003) for r in rows[:25]] + rows[25:]
    for held in (rows, spread):
        index = QuoteIndex(held, NOW, phones)
        assert all(index.find(r.quote_id) is r for r in held)
        gone, kept = held[3], held[4]
        far = kept._replace(quote_id=7_000_000_000, customer="Far Away")
        near = kept._replace(quote_id=51, customer="Next One")
        index.apply_update(IndexUpdate([far, near], ["", ""], frozenset({gone.quote_id})))
        assert index.find(gone.quote_id) is None
        assert index.find(far.quote_id) is far and index.find(near.quote_id) is near
        assert index.find(kept.quote_id) is kept and index.find(10**12) is None
        assert all(index.find(r.quote_id) is r for r in held if r is not gone)


def test_a_search_that_finds_every_quote_stays_true_across_changes() -> None:
    """A word in every quote's text finds the whole list; after quotes are renamed, added
    and taken out it finds what a fresh index finds, as do the searches that narrow it."""
    rows, phones = _rows(120, seed=9)
    rows = [r._replace(customer=f"Sam {r.customer}") for r in rows]
    index = QuoteIndex(rows, NOW, phones)
    for text in ("sam", "sam s", "sam 04"):
        index.select(QuoteFilter(text=text))
    renamed = rows[5]._replace(customer="Bob Ortiz")
    added = rows[7]._replace(quote_id=500, customer="Sam Zed")
    index.apply_update(
        IndexUpdate([renamed, added], ["0412 345 678", ""], frozenset({rows[9].quote_id}))
    )
    held = {r.quote_id: (r, p) for r, p in zip(rows, phones, strict=True)}
    held[renamed.quote_id] = (renamed, "0412 345 678")
    held[added.quote_id] = (added, "")
    del held[rows[9].quote_id]
    fresh = QuoteIndex([r for r, _ in held.values()], NOW, [p for _, p in held.values()])
    for text in ("sam", "sam s", "sam 04", "bob", "zed", "s", "sam zed", "sam mia", "sam q-0"):
        flt = QuoteFilter(text=text)
        assert [r.quote_id for r in index.select(flt)] == [r.quote_id for r in fresh.select(flt)], (
            text
        )


def _first_rows_match_the_whole_answer(index: QuoteIndex, flt: QuoteFilter, count: int) -> None:
    first = index.first_rows(flt, count)
    whole = index.select(flt)
    if first is None:  # asked of `select` instead: remembered, or no words typed
        return
    assert [r.quote_id for r in first] == [r.quote_id for r in whole[:count]], (flt, count)
    if len(first) < count:
        assert len(first) == len(whole), "fewer than asked for: they are all"


def test_a_first_screenful_is_the_start_of_what_the_whole_search_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The first rows a keystroke shows before the rest are found are the first rows of the
    whole answer, in its order: words, numbers typed like a phone, toggles and sorts alike,
    whichever earlier searches are remembered (the first rows are asked before the whole
    answer, as the list asks them, and for a search the list never completed)."""
    monkeypatch.setattr(quote_index, "_LOOKED_THROUGH_AT_ONCE", 0)
    rows, phones = _rows(500, seed=13)
    index = QuoteIndex(rows, NOW, phones)
    typed = ["s", "m", "i", "\b", "\b", "\b", *"0412 3", *"\b" * 6, *"deck", " ", "s"]
    typed += ["\b"] * 6 + [*"zoe", "\b", "\b", "\b", *"q-04", "\b", "\b", "\b", "\b"]
    toggles: list[dict[str, Any]] = [
        {},
        {"overdue_only": True},
        {"stages": frozenset({Stage.LEAD, Stage.QUOTED})},
        {"cold_only": True, "quote_ids": frozenset(range(1, 500, 3))},
    ]
    rnd = random.Random(13)
    for sort, descending in [(SortKey.RECEIVED, True), (SortKey.CUSTOMER, False)]:
        for toggled in toggles:
            text = ""
            for key in typed:
                text = text[:-1] if key == "\b" else text + key
                flt = QuoteFilter(text=text, sort=sort, descending=descending, **toggled)
                count = rnd.choice([1, 7, 40, 600])
                _first_rows_match_the_whole_answer(index, flt, count)
                if rnd.random() < 0.3:  # a key typed before the rest came: never completed
                    continue
                index.select(flt)


def test_a_first_screenful_after_changes_is_the_start_of_what_a_fresh_index_finds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Quotes renamed, re-dated, added and taken out while searches are remembered: the first
    rows of each search are the first a fresh index finds."""
    monkeypatch.setattr(quote_index, "_LOOKED_THROUGH_AT_ONCE", 0)
    rows, phones = _rows(300, seed=17)
    index = QuoteIndex(rows, NOW, phones)
    current = {r.quote_id: (r, p) for r, p in zip(rows, phones, strict=True)}
    rnd = random.Random(17)
    for step, text in enumerate(["s", "sm", "0412", "0412 3", "d", "de", "deck", "mia"]):
        index.select(QuoteFilter(text=text))
        changed = []
        for qid in rnd.sample(sorted(current), 4):
            row = current[qid][0]._replace(
                customer=rnd.choice(NAMES),
                received_at=current[qid][0].received_at - timedelta(days=rnd.randrange(-9, 9)),
            )
            current[qid] = (row, rnd.choice(PHONES))
            changed.append(row)
        gone = rnd.choice(sorted(current))
        del current[gone]
        new_row = rows[0]._replace(quote_id=1_000 + step, customer="Deck Smith")
        current[new_row.quote_id] = (new_row, "0412 345 678")
        index.apply_update(
            IndexUpdate(
                [*changed, new_row],
                [*(current[r.quote_id][1] for r in changed), "0412 345 678"],
                frozenset({gone}),
            )
        )
        fresh = QuoteIndex([r for r, _ in current.values()], NOW, [p for _, p in current.values()])
        for asked in ("s", "sm", "smi", "0412", "0412 3", "de", "dec", "deck s"):
            flt = QuoteFilter(text=asked)
            first = index.first_rows(flt, 25)
            if first is not None:
                expected = [r.quote_id for r in fresh.select(flt)[:25]]
                assert [r.quote_id for r in first] == expected, (step, asked)


def test_only_a_search_through_many_quotes_comes_a_screenful_first() -> None:
    """A few hundred quotes, a remembered search or an empty box: the whole answer at once."""
    rows, phones = _rows(300, seed=19)
    index = QuoteIndex(rows, NOW, phones)
    assert index.first_rows(QuoteFilter(text="s"), 20) is None  # few quotes to look through
    assert index.first_rows(QuoteFilter(), 20) is None
    copies = quote_index._LOOKED_THROUGH_AT_ONCE // len(rows) + 1  # just past the limit
    many = [r._replace(quote_id=r.quote_id + 1_000 * n) for n in range(copies) for r in rows]
    big = QuoteIndex(many, NOW, phones * copies)
    first = big.first_rows(QuoteFilter(text="s"), 20)
    assert first is not None and first == big.select(QuoteFilter(text="s"))[:20]
    assert big.first_rows(QuoteFilter(text="s"), 20) is None  # remembered now


def test_a_search_typed_while_the_search_is_prepared_elsewhere_finds_the_same() -> None:
    """At start the database thread makes the quotes searchable while the owner may already
    type: the search waits for it (it made the same texts beside it before, and one of the
    two failed when the other let go of the phone numbers first)."""
    import threading

    rows, phones = _rows(20_000, seed=11)
    texts = {
        r.quote_id: (_shown_text(r), re.sub(r"\D+", "", p))
        for r, p in zip(rows, phones, strict=True)
    }
    for attempt in range(3):
        index = QuoteIndex(list(rows), NOW, list(phones))
        everything = index.select(QuoteFilter())
        failed: list[BaseException] = []

        def prepare(index: QuoteIndex = index, failed: list[BaseException] = failed) -> None:
            try:
                index.prepare_search()
            except BaseException as exc:
                failed.append(exc)

        elsewhere = threading.Thread(target=prepare)
        elsewhere.start()
        flt = QuoteFilter(text="smith 0412")
        found = [r.quote_id for r in index.select(flt)]
        elsewhere.join()
        assert failed == [], attempt
        assert found == _plainly(texts, everything, flt), attempt
        assert [r.quote_id for r in index.select(flt)] == found
