"""Adding many customers at once stores each exactly as adding one does, and refuses the
same people: someone who said stop, someone erased, a duplicate."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from deckfollow.core.consent import revoke_consent
from deckfollow.core.customer_batch import NewCustomerAt, add_customers
from deckfollow.core.customer_matches import DuplicateCustomerError
from deckfollow.core.customers import NewCustomer, add_customer, customer_details
from deckfollow.core.errors import ValidationError
from deckfollow.core.models import Customer
from deckfollow.core.settings import save_setting
from deckfollow.core.trash import erase_customer
from deckfollow.storage.database import Database

MIA = NewCustomer(
    name="Mia Chen",
    phone="0412 345 679",
    email="Mia.Chen@Example.com",
    street="12 Darling St",
    suburb="Balmain",
    region="NSW",
    postcode="2041",
    birthday="1984-07-14",
    notes="Two kids, dog called Biscuit",
)
PERTH = NewCustomer(name="Jack Hall", phone="(08) 9335 1234", suburb="Fremantle", region="WA")


@pytest.fixture
def aussie(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return db


def _count(db: Database) -> int:
    with db.reading() as s:
        return s.query(Customer).count()


def test_a_batch_stores_each_customer_as_adding_them_one_by_one_does(
    aussie: Database, now: datetime
) -> None:
    earlier = now - timedelta(days=30)
    with aussie.unit_of_work() as s:
        ids, changes = add_customers(s, [NewCustomerAt(MIA, earlier), NewCustomerAt(PERTH, now)])
    assert changes.customers and changes.created_ids == tuple(ids) and ids == sorted(ids)
    with aussie.unit_of_work() as s:
        single = [add_customer(s, c, now=t, allow_duplicate=True).customer_id
                  for c, t in ((MIA, earlier), (PERTH, now))]  # fmt: skip
    with aussie.reading() as s:
        batch = [customer_details(s, i).as_json() for i in ids]
        one = [customer_details(s, i).as_json() for i in single]
    for b, o in zip(batch, one, strict=True):
        assert {k: v for k, v in b.items() if k != "id"} == {
            k: v for k, v in o.items() if k != "id"
        }
    assert batch[0]["phone_cell"] == "+61412345679" and batch[0]["email"] == "Mia.Chen@example.com"
    assert batch[0]["created_at"] == earlier.isoformat()
    assert batch[1]["timezone"] == "Australia/Perth"


def test_a_batch_refuses_the_phone_of_someone_who_said_stop_and_saves_nothing(
    aussie: Database, now: datetime
) -> None:
    with aussie.unit_of_work() as s:
        tom = add_customer(s, NewCustomer(name="Tom Reid", phone="0498 765 432"), now=now)
        revoke_consent(s, tom.customer_id, None, source="call", words="stop", now=now)
    again = NewCustomer(name="T Reid", phone="+61 498 765 432", suburb="Rozelle")
    with pytest.raises(ValidationError) as refused, aussie.unit_of_work() as s:
        add_customers(s, [NewCustomerAt(MIA, now), NewCustomerAt(again, now)])
    assert refused.value.field == "cell phone"
    assert "customer 2" in refused.value.message and "Tom Reid" in refused.value.message
    assert _count(aussie) == 1


def test_a_batch_refuses_someone_erased_after_saying_stop(aussie: Database, now: datetime) -> None:
    with aussie.unit_of_work() as s:
        mia = add_customer(s, MIA, now=now).customer_id
        revoke_consent(s, mia, None, source="call", words="stop", now=now)
        erase_customer(s, mia, now=now)
    with pytest.raises(ValidationError, match="erased") as refused, aussie.unit_of_work() as s:
        add_customers(s, [NewCustomerAt(NewCustomer(name="M", email="mia.chen@example.com"), now)])
    assert refused.value.field == "email"


def test_a_bad_field_names_the_customer_of_the_batch(aussie: Database, now: datetime) -> None:
    bad = NewCustomer(name="Ann Lee", email="not an address")
    with pytest.raises(ValidationError, match="customer 2") as refused, aussie.unit_of_work() as s:
        add_customers(s, [NewCustomerAt(MIA, now), NewCustomerAt(bad, now)])
    assert refused.value.field == "email"
    assert _count(aussie) == 0


def test_a_duplicate_is_offered_unless_the_owner_chose_create_new(
    aussie: Database, now: datetime
) -> None:
    twice = [NewCustomerAt(MIA, now), NewCustomerAt(MIA, now)]
    with pytest.raises(DuplicateCustomerError), aussie.unit_of_work() as s:
        add_customers(s, twice)
    with aussie.unit_of_work() as s:
        ids, _ = add_customers(s, twice, allow_duplicate=True)
    assert len(set(ids)) == 2
