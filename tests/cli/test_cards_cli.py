"""`deckfollow cards` end to end: a real database, a real PDF, read back with poppler."""

from __future__ import annotations

import stat
from datetime import timedelta

import pytest
from sqlalchemy import select

from deckfollow.core.enums import Channel, Outcome
from deckfollow.core.models import Touch
from tests.cli.helpers import run_cli
from tests.printing import poppler
from tests.printing.data import seed

NOW = "2026-11-22T22:00:00+00:00"


def test_list_templates(db, db_path):
    db.close()
    r = run_cli("--db", str(db_path), "cards", "--list-templates")
    assert r.returncode == 0, r.stderr
    for short in ("thank_you_quote", "after_sale", "saw_this", "birthday", "holiday"):
        assert short in r.stdout


def test_cards_writes_the_week_and_lists_skipped_customers(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    out = tmp_path / "cards.pdf"
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "skipped: Iñaki Peña: post revoked on" in r.stdout
    assert "skipped: Zoë Brown: no postal address" in r.stdout
    assert "Wrote 2 cards, 2 envelopes (6 pages)" in r.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    # An Australian business: folded A6 cards (A5 sheets, inside and front) in C6 envelopes.
    sizes = poppler.page_sizes(out)
    assert sizes[:4] == [pytest.approx((419.53, 595.28), abs=0.01)] * 4
    assert sizes[4:] == [pytest.approx((459.21, 323.15), abs=0.01)] * 2
    text = poppler.text(out)
    assert "Dear Renée," in text and "Happy birthday" in text
    assert "Iñaki" not in text


def test_template_labels_and_a_longer_window(db, db_path, now, tmp_path):
    seed(db, now, revoke=None)
    db.close()
    out = tmp_path / "labels.pdf"
    r = run_cli(
        "--db",
        str(db_path),
        "--now",
        NOW,
        "cards",
        "--out",
        str(out),
        "--template",
        "holiday",
        "--due-within",
        "30",
        "--card",
        "a6",
        "--envelope",
        "none",
        "--labels",
        "l7160",
        "--start-label",
        "4",
    )
    assert r.returncode == 0, r.stderr
    assert "Wrote 4 cards, 4 labels (5 pages)" in r.stdout
    assert poppler.page_sizes(out)[-1] == pytest.approx((595.28, 841.89), abs=0.01)
    # Each hand wraps its own lines: the words are counted, wherever a line breaks.
    assert " ".join(poppler.text(out).split()).count("holiday season") == 4


def test_text_too_long_writes_nothing_and_says_why(db, db_path, now, tmp_path):
    from deckfollow.core.enums import TemplateKind
    from deckfollow.messaging.template_library import create_template

    seed(db, now, revoke=None)
    with db.unit_of_work() as s:
        create_template(
            s,
            kind=TemplateKind.CARD,
            name="Essay",
            subject=None,
            body="Dear {first_name}, " + "we really do care about your deck. " * 80,
        )
    db.close()
    out = tmp_path / "never.pdf"
    r = run_cli(
        "--db",
        str(db_path),
        "--now",
        NOW,
        "cards",
        "--out",
        str(out),
        "--template",
        "essay",
        "--card",
        "postcard-4x6",
    )
    assert r.returncode == 1
    assert "cannot print: Renée Müller: card: the text does not fit" in r.stderr
    assert "Nothing was written" in r.stderr
    assert not out.exists()


def test_mark_mailed_logs_the_printed_batch(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    out = tmp_path / "cards.pdf"
    assert run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out)).returncode == 0
    later = (now + timedelta(days=1)).isoformat()
    r = run_cli("--db", str(db_path), "--now", later, "cards", "--mark-mailed")
    assert r.returncode == 0, r.stderr
    assert "Logged 2 cards as mailed." in r.stdout
    r = run_cli("--db", str(db_path), "--now", later, "cards", "--mark-mailed")
    assert "No printed cards are waiting" in r.stdout
    from deckfollow.storage.database import open_database

    db2 = open_database(str(db_path))
    try:
        with db2.reading() as s:
            touches = list(s.execute(select(Touch)).scalars())
    finally:
        db2.close()
    assert [(t.channel, t.outcome) for t in touches] == [(Channel.CARD, Outcome.MAILED)] * 2


def test_unknown_card_is_a_clear_error(db, db_path, tmp_path):
    db.close()
    r = run_cli("--db", str(db_path), "cards", "--out", str(tmp_path / "x.pdf"), "--card", "a9")
    assert r.returncode == 2
    assert "no card 'a9'" in r.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--template", "valentine"), "template: no card template 'valentine' (choose one of:"),
        (("--font", "comic"), "font: no handwriting font 'comic' (choose kalam, kristi, breip)"),
        (("--ink", "red"), "ink: no ink 'red'"),
        (("--labels", "l7160", "--start-label", "22"), "has labels 1 to 21"),
        (("--signature", "missing.png"), "signature: there is no image file"),
    ],
)
def test_a_wrong_choice_is_bad_input_named_before_any_work(
    db, db_path, now, tmp_path, args, message
):
    seed(db, now)
    db.close()
    args = tuple(str(tmp_path / a) if a.endswith(".png") else a for a in args)
    out = tmp_path / "cards.pdf"
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out), *args)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "skipped:" not in r.stdout  # refused before the database was read
    assert not out.exists()


def test_a_signature_that_is_no_image_is_refused(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    scan = tmp_path / "scan.png"
    scan.write_text("not a picture")
    r = run_cli(
        "--db", str(db_path), "--now", NOW, "cards", "--out", str(tmp_path / "c.pdf"),
        "--signature", str(scan),
    )  # fmt: skip
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "deckfollow: error: --signature: scan.png cannot be read as a PNG or JPEG image"
    )


def test_where_the_pdf_cannot_go_is_a_clear_error(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    base = ("--db", str(db_path), "--now", NOW, "cards", "--out")
    r = run_cli(*base, str(tmp_path / "no-such-folder" / "cards.pdf"))
    assert r.returncode == 2
    assert "--out: no folder" in r.stderr and "Traceback" not in r.stderr
    r = run_cli(*base, str(tmp_path))
    assert r.returncode == 2
    assert "--out:" in r.stderr


def test_an_existing_pdf_is_replaced_and_made_private(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    out = tmp_path / "cards.pdf"
    out.write_bytes(b"last week's cards")
    out.chmod(0o644)
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_split_writes_one_pdf_per_paper_kind_and_prints_the_steps(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    out = tmp_path / "week.pdf"
    r = run_cli(
        "--db", str(db_path), "--now", NOW, "cards", "--out", str(out), "--split", "--labels"
    )
    assert r.returncode == 0, r.stderr
    files = {
        "cards": tmp_path / "week-1-cards-a5-card-stock.pdf",
        "envelopes": tmp_path / "week-2-envelopes-c6.pdf",
        "labels": tmp_path / "week-3-labels-l7160.pdf",
    }
    assert f"1. 2 cards on A5 card stock: {files['cards']}" in r.stdout
    assert f"2. 2 C6 envelopes — load envelopes now: {files['envelopes']}" in r.stdout
    assert f"3. 2 labels on L7160: {files['labels']}" in r.stdout
    assert "Print on both sides" in r.stdout
    assert not out.exists()  # the parts only, as asked
    assert poppler.page_sizes(files["cards"]) == [pytest.approx((419.53, 595.28), abs=0.01)] * 4
    assert poppler.page_sizes(files["envelopes"]) == [pytest.approx((459.21, 323.15), abs=0.01)] * 2
    assert poppler.page_sizes(files["labels"]) == [pytest.approx((595.28, 841.89), abs=0.01)]
    for f in files.values():
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert "Carpenter Decks" in poppler.text(files["cards"])  # on the front


def test_a_us_business_gets_us_stationery_and_remembered_choices(db, db_path, now, tmp_path):
    from deckfollow.core.settings import save_setting

    seed(db, now)
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "US")
    db.close()
    out = tmp_path / "us.pdf"
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out))
    assert r.returncode == 0, r.stderr
    sizes = poppler.page_sizes(out)
    assert sizes[0] == (396.0, 612.0) and sizes[-1] == (414.0, 315.0)  # A2 card and envelope
    assert "November 23, 2026" in poppler.text(out)  # the owner's day, written the US way
    r = run_cli(
        "--db",
        str(db_path),
        "--now",
        NOW,
        "cards",
        "--out",
        str(out),
        "--card",
        "a7",
        "--motif",
        "none",
        "--remember",
    )
    assert r.returncode == 0, r.stderr
    assert "Remembered: Flat A7 card (7 × 5 in)" in r.stdout
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out))
    assert poppler.page_sizes(out)[0] == (504.0, 360.0)


def test_mark_mailed_plans_a_call_after_the_thank_you_only(db, db_path, now, tmp_path):
    seed(db, now)
    db.close()
    out = tmp_path / "cards.pdf"
    assert run_cli("--db", str(db_path), "--now", NOW, "cards", "--out", str(out)).returncode == 0
    r = run_cli("--db", str(db_path), "--now", NOW, "cards", "--mark-mailed")
    assert r.returncode == 0, r.stderr
    assert "1 with a next step planned (thank-you cards)." in r.stdout
    assert "1 birthday, holiday or 'saw this' card with nothing planned after it" in r.stdout
