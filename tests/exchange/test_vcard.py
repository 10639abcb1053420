"""A customer as a vCard that address books read back exactly (checked with vobject)."""

from __future__ import annotations

import stat
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import vobject  # type: ignore[import-untyped]

from deckfollow.core.errors import NotFoundError
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer
from deckfollow.exchange.vcard import CardData, card_text, customers_vcard, fold, write_vcard
from deckfollow.storage.database import Database
from tests.cli.helpers import run_cli

NOTE = (
    "Back gate; code 4471, dog is friendly\\harmless.\n"
    "Wants spotted gum — ask about the ñandú-shaped planter box Łukasz built next door. "
    "Ẑ long line to force folding: ééééééééééééééééééééééééééééé"
)


def _card(**changes: object) -> CardData:
    base = {
        "customer_id": 7,
        "display_name": "Zoë Müller, Jr.",
        "first_name": "Zoë",
        "last_name": "Müller; Smith",
        "company": "Müller & Sons, Pty Ltd",
        "email": "zoe@example.com",
        "phone_cell": "+61412345678",
        "phone_office": "+61298765432",
        "phone_home": None,
        "street": "Unit 3, 12 Banksia St",
        "suburb": "Newtown",
        "region": "NSW",
        "postcode": "2042",
        "country": "AU",
        "birthday": date(1980, 2, 29),
        "notes": NOTE,
        "timezone": "Australia/Sydney",
        "updated_at": datetime(2026, 11, 22, 22, 0, tzinfo=UTC),
    }
    base.update(changes)
    return CardData(**base)  # type: ignore[arg-type]


def test_lines_are_folded_at_75_octets_without_splitting_characters() -> None:
    text = card_text(_card())
    assert text.endswith("\r\n")
    for line in text.encode("utf-8").split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # no multi-byte character cut in half
    assert fold("A" * 75) == "A" * 75
    assert fold("A" * 76) == "A" * 75 + "\r\n A"


def test_vcard3_reads_back_exactly() -> None:
    card = vobject.readOne(card_text(_card(), "3.0"))

    assert card.version.value == "3.0"
    assert card.fn.value == "Zoë Müller, Jr."
    assert card.n.value.family == "Müller; Smith"
    assert card.n.value.given == "Zoë"
    assert card.org.value == ["Müller & Sons, Pty Ltd"]
    assert card.email.value == "zoe@example.com"
    tels = {t.value: t.params["TYPE"] for t in card.contents["tel"]}
    assert tels == {"+61412345678": ["CELL", "VOICE"], "+61298765432": ["WORK", "VOICE"]}
    adr = card.adr.value
    assert (adr.street, adr.city, adr.region, adr.code, adr.country) == (
        "Unit 3, 12 Banksia St",
        "Newtown",
        "NSW",
        "2042",
        "AU",
    )
    assert card.note.value == NOTE
    assert card.bday.value == "1980-02-29"


def test_vcard4_uses_tel_uris_and_the_zone_name() -> None:
    text = card_text(_card(), "4.0")
    unfolded = text.replace("\r\n ", "")
    assert "VERSION:4.0\r\n" in text
    assert 'TEL;VALUE=uri;TYPE="cell,voice":tel:+61412345678\r\n' in unfolded
    assert "BDAY:19800229\r\n" in unfolded
    assert "TZ;VALUE=text:Australia/Sydney\r\n" in unfolded
    assert "FN:Zoë Müller\\, Jr.\r\n" in unfolded
    assert "N:Müller\\; Smith;Zoë;;;\r\n" in unfolded
    card = vobject.readOne(text)
    assert card.note.value == NOTE


def test_a_company_only_customer_gets_an_empty_personal_name() -> None:
    text = card_text(_card(first_name=None, last_name=None, display_name="Harbour Cafe"))
    assert "\r\nN:;;;;\r\n" in text
    assert vobject.readOne(text).fn.value == "Harbour Cafe"


def test_all_customers_to_one_owner_only_file(db: Database, now: datetime, tmp_path: Path) -> None:
    with db.unit_of_work() as s:
        add_lead(s, NewLead(name="Ann Lee", email="ann@example.com", answered=True), now=now)
        b = add_lead(s, NewLead(name="Bo Chen", email="bo@example.com", answered=True), now=now)
        gone = add_lead(s, NewLead(name="In Trash", email="t@example.com", answered=True), now=now)
        customer = s.get(Customer, gone.customer_id)
        assert customer is not None
        customer.deleted_at = now
    out = tmp_path / "contacts.vcf"
    with db.reading() as s:
        assert write_vcard(s, out) == 2
        one, count = customers_vcard(s, b.customer_id, "4.0")
        with pytest.raises(NotFoundError):
            customers_vcard(s, 999)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    names = [c.fn.value for c in vobject.readComponents(out.read_text(encoding="utf-8"))]
    assert names == ["Ann Lee", "Bo Chen"]
    assert count == 1 and "FN:Bo Chen" in one


def test_cli_exports_one_customer_as_vcard(db_path: Path, tmp_path: Path) -> None:
    r = run_cli("--db", str(db_path), "add-lead", "--name", "Ann Lee", "--phone", "+61412345678")
    assert r.returncode == 0, r.stderr
    out = tmp_path / "ann.vcf"
    r = run_cli(
        "--db", str(db_path), "export", "--format", "vcard", "--customer", "1", "--out", str(out)
    )
    assert r.returncode == 0, r.stderr
    assert "Exported 1 customer to" in r.stdout
    card = vobject.readOne(out.read_text(encoding="utf-8"))
    assert card.tel.value == "+61412345678"
    missing = run_cli(
        "--db", str(db_path), "export", "--format", "vcard", "--customer", "9", "--out", str(out)
    )
    assert missing.returncode != 0 and "no customer 9" in missing.stderr
