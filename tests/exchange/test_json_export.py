"""The JSON export: everything in the database, in the documented shape, and no secret."""

from __future__ import annotations

import json
import stat
from datetime import datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from deckfollow.core.consent import revoke_consent
from deckfollow.core.contact_info import suppression_hash
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.settings import save_setting, set_setting
from deckfollow.core.trash import erase_customer
from deckfollow.exchange.json_export import export_json
from deckfollow.storage.database import Database
from tests.examples import examples

DOC = Path(__file__).parents[2] / "docs" / "export-format.md"


def test_settings_and_the_suppression_list_go_with_everything_else(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    with db.unit_of_work() as s:
        save_setting(s, "business_name", "Harbourside Decks")
        set_setting(s, "smtp.username", "sam@harbourside.example")
        set_setting(s, "smtp.password", "hunter2-should-never-be-here")  # a mistake
        gone = add_lead(
            s,
            NewLead("Mia Chen", email="mia@example.com", phone="+61412345679", answered=True),
            now=now,
        )
        revoke_consent(s, gone.customer_id, None, source="phone", words="stop", now=now)
        erase_customer(s, gone.customer_id, now=now, reason="privacy request")
    out = tmp_path / "all.json"
    with db.reading() as s:
        counts = export_json(s, out, now=now)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["settings"]["business_name"] == "Harbourside Decks"
    assert data["settings"]["smtp.username"] == "sam@harbourside.example"
    assert "smtp.password" not in data["settings"] and "hunter2" not in text
    [entry] = data["suppressions"]
    assert entry["email_hash"] == suppression_hash("mia@example.com")
    assert entry["phone_hash"] == suppression_hash("+61412345679")
    assert "mia@example.com" not in text and "412345679" not in text  # only hashes remain
    assert counts["suppressions"] == 1 and data["customers"] == []


def test_every_top_level_key_is_documented(db: Database, now: datetime) -> None:
    from deckfollow.exchange.json_export import build_export

    with db.reading() as s:
        data = build_export(s, now=now)
    documented = DOC.read_text(encoding="utf-8")
    for key in data:
        assert f"| `{key}` |" in documented, f"{key} is not in docs/export-format.md"


def test_every_field_of_every_record_is_documented(db: Database, now: datetime) -> None:
    """docs/export-format.md names each field the export really writes."""
    from deckfollow.core.cadence_library import seed_builtin_cadences
    from deckfollow.demo.generator import generate_demo
    from deckfollow.exchange.json_export import build_export

    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=20, quotes=40, seed=3, now=now, country="AU")
    with db.reading() as s:
        data = build_export(s, now=now)
    documented = DOC.read_text(encoding="utf-8")
    fields: set[str] = set()
    for records in data.values():
        if isinstance(records, list):
            for record in records:
                fields |= set(record)
                for nested in ("steps", "consent_ledger"):
                    for inner in record.get(nested, []):
                        fields |= set(inner)
    missing = sorted(f for f in fields if f"`{f}`" not in documented)
    assert missing == []


def test_the_streamed_file_is_the_whole_document_written_at_once(
    db: Database, now: datetime, tmp_path: Path
) -> None:
    """Written record by record, the file is byte for byte what one `json.dumps` of the
    whole document gives, and each customer carries exactly their own consent records."""
    import sqlite3

    from deckfollow.core.cadence_library import seed_builtin_cadences
    from deckfollow.demo.generator import generate_demo
    from deckfollow.exchange.json_export import build_export

    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        generate_demo(s, customers=80, quotes=160, seed=5, now=now)
        save_setting(s, "business_name", "Harbourside Decks")
    out = tmp_path / "all.json"
    with db.reading() as s:
        counts = export_json(s, out, now=now)
        whole = build_export(s, now=now)
    assert out.read_bytes() == json.dumps(whole, ensure_ascii=False, indent=1).encode("utf-8")
    assert counts == {k: len(v) for k, v in whole.items() if isinstance(v, list)}
    assert counts["customers"] == 80 and counts["cadences"] > 0

    assert db.path is not None
    conn = sqlite3.connect(db.path)
    try:
        for customer in whole["customers"]:
            ledger = [
                r[0]
                for r in conn.execute(
                    "SELECT id FROM consent_event WHERE customer_id = ? ORDER BY at, id",
                    (customer["id"],),
                )
            ]
            assert [e["id"] for e in customer["consent_ledger"]] == ledger
            states = dict(
                conn.execute(
                    "SELECT channel, state FROM channel_consent WHERE customer_id = ?",
                    (customer["id"],),
                ).fetchall()
            )
            for channel, state in states.items():
                assert customer["consent"][channel]["state"] == state
    finally:
        conn.close()
    assert sum(len(c["consent_ledger"]) for c in whole["customers"]) > 80


_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(200), deadline=None)
@given(value=_VALUES, level=st.integers(0, 3))
def test_each_record_is_written_as_the_standard_encoder_writes_it(value: object, level: int):
    """The export's own writer gives the bytes of `json.dumps(..., ensure_ascii=False,
    indent=1)` for every kind of value, at any depth in the document."""
    from deckfollow.exchange.json_export import _dumps

    text = json.dumps(value, ensure_ascii=False, indent=1)
    expected = text.replace("\n", "\n" + " " * level) if level else text
    assert _dumps(value, level) == expected
