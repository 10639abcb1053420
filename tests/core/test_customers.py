"""Customers: found however a phone is typed, offered instead of duplicated, edited safely,
merged without losing a touch, a quote, a follow-up or a "stop"."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from deckfollow.core.consent import (
    ContactPreferences,
    consent_overview,
    revoke_consent,
    set_contact_preferences,
)
from deckfollow.core.consent_ledger import ledger_entries
from deckfollow.core.customer_matches import DuplicateCustomerError, find_matches
from deckfollow.core.customer_merge import merge_customers
from deckfollow.core.customer_search import CustomerSort, search_customers
from deckfollow.core.customers import (
    NewCustomer,
    add_customer,
    customer_details,
    form_values,
    update_customer,
)
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    Direction,
    FollowUpStatus,
    Outcome,
)
from deckfollow.core.errors import ConcurrentEditError, NotFoundError, ValidationError
from deckfollow.core.followups import FollowUpPlan, schedule_follow_up
from deckfollow.core.history import customer_history
from deckfollow.core.leads import NewLead, add_lead
from deckfollow.core.models import Customer, FollowUp
from deckfollow.core.settings import save_setting
from deckfollow.core.touches import TouchRecord, log_touch
from deckfollow.core.trash import list_trash
from deckfollow.storage.database import Database

MIA = NewCustomer(
    name="Mia Chen",
    phone="0412 345 679",
    email="Mia.Chen@Example.com",
    company="Chen Design",
    street="12 Darling St",
    suburb="Balmain",
    region="NSW",
    postcode="2041",
    birthday="1984-07-14",
)


@pytest.fixture
def aussie(db: Database) -> Database:
    with db.unit_of_work() as s:
        save_setting(s, "default_country", "AU")
        save_setting(s, "owner_timezone", "Australia/Sydney")
    return db


def _add(db: Database, new: NewCustomer, now: datetime, **kw: bool) -> int:
    with db.unit_of_work() as s:
        return add_customer(s, new, now=now, **kw).customer_id


def test_a_customer_without_a_quote_is_found_by_a_phone_typed_any_way(
    aussie: Database, now: datetime
):
    mia = _add(aussie, MIA, now)
    _add(aussie, NewCustomer(name="Tom Reid", phone="0498 765 432", suburb="Rozelle"), now)
    with aussie.reading() as s:
        typings = (
            "0412 345 679",
            "+61412345679",
            "412345679",
            "+61 412 345 679",
            "0412-345",
            "0412 3",
        )
        for typed in typings:
            assert [r.id for r in search_customers(s, typed)] == [mia], typed
        assert [r.id for r in search_customers(s, "mia.chen@example")] == [mia]
    # A London number sharing those digits is not what an Australian means by "0412 345".
    pom = _add(aussie, NewCustomer(name="Ian Pole", phone="+44 7412 345679"), now)
    with aussie.reading() as s:
        assert [r.id for r in search_customers(s, "0412 345")] == [mia]
        assert [r.id for r in search_customers(s, "+44 7412")] == [pom]
        assert [r.id for r in search_customers(s, "0044 7412 345")] == [pom]
        assert [r.id for r in search_customers(s, "balmain")] == [mia]
        assert [r.id for r in search_customers(s, "chen design")] == [mia]
        assert [r.id for r in search_customers(s, "MIA balmain")] == [mia]
        assert search_customers(s, "mia rozelle") == []
        assert len(search_customers(s, "")) == 3
        row = search_customers(s, "mia")[0]
    assert (row.phone, row.suburb, row.open_quotes, row.quotes) == (
        "+61412345679",
        "Balmain",
        0,
        0,
    )


def test_search_sorts_in_the_database_with_blanks_last(aussie: Database, now: datetime):
    a = _add(aussie, NewCustomer(name="Zoe Adams", suburb="Annandale"), now)
    b = _add(aussie, NewCustomer(name="amy Brown"), now)
    c = _add(aussie, NewCustomer(name="Carl Ng", suburb="Glebe", company="Ng Builds"), now)
    with aussie.unit_of_work() as s:
        add_lead(s, NewLead(name="Carl Ng", phone="0400 111 222", job="Deck"), now=now)
    with aussie.reading() as s:
        assert [r.id for r in search_customers(s)][:3] == [b, c, c + 1]
        by_suburb = [r.id for r in search_customers(s, sort=CustomerSort.SUBURB)]
        assert by_suburb[:2] == [a, c]
        desc = [r.id for r in search_customers(s, sort=CustomerSort.SUBURB, descending=True)]
        assert desc[:2] == [c, a]  # the blanks stay at the bottom either way
        top = search_customers(s, sort=CustomerSort.OPEN_QUOTES, descending=True)[0]
    assert top.open_quotes == 1 and top.name == "Carl Ng"


def test_adding_someone_already_there_offers_them_instead(aussie: Database, now: datetime):
    mia = _add(aussie, MIA, now)
    for same in (
        NewCustomer(name="M Chen", phone="+61 412 345 679"),
        NewCustomer(name="Mia", email="mia.chen@EXAMPLE.com"),
        NewCustomer(name="mia  chen", suburb="BALMAIN"),
    ):
        with pytest.raises(DuplicateCustomerError) as caught, aussie.unit_of_work() as s:
            add_customer(s, same, now=now)
        assert [m.id for m in caught.value.matches] == [mia]
    assert caught.value.matches[0].label == "Mia Chen (0412 345 679, Balmain)"
    # The same name in another suburb is another person; so is anyone the owner says is new.
    _add(aussie, NewCustomer(name="Mia Chen", suburb="Newtown"), now)
    _add(aussie, NewCustomer(name="Mia Chen", phone="0412 345 679"), now, allow_duplicate=True)
    with aussie.reading() as s:
        assert len(search_customers(s, "mia chen")) == 3
        matches = find_matches(s, name="Mia Chen", phone="412 345 679", suburb="Balmain")
    assert matches[0].id == mia and matches[0].reasons == ("phone", "name and suburb")


def test_every_detail_is_kept_and_bad_input_names_its_field(aussie: Database, now: datetime):
    mia = _add(aussie, MIA, now)
    with aussie.reading() as s:
        d = customer_details(s, mia)
    assert (d.company, d.street, d.suburb, d.region, d.postcode, d.country) == (
        "Chen Design",
        "12 Darling St",
        "Balmain",
        "NSW",
        "2041",
        "AU",
    )
    assert d.birthday == date(1984, 7, 14) and d.email == "Mia.Chen@example.com"
    assert d.timezone == "Australia/Sydney"
    for bad, field in (
        (NewCustomer(name="  "), "name"),
        (NewCustomer(name="A", birthday="1984-02-30"), "birthday"),
        (NewCustomer(name="A", phone="12"), "cell phone"),
        (NewCustomer(name="A", email="not@"), "email"),
        (NewCustomer(name="A", country="Narnia"), "country"),
    ):
        with pytest.raises(ValidationError) as caught, aussie.unit_of_work() as s:
            add_customer(s, bad, now=now)
        assert caught.value.field == field
    with aussie.reading() as s:
        assert len(search_customers(s)) == 1


def test_a_perth_customer_lives_on_perth_time(aussie: Database, now: datetime):
    who = _add(aussie, NewCustomer(name="Ava Hill", phone="0412 999 000", region="WA"), now)
    with aussie.reading() as s:
        assert customer_details(s, who).timezone == "Australia/Perth"


def test_a_move_interstate_moves_their_clock_unless_it_was_set_by_hand(
    aussie: Database, now: datetime
):
    who = _add(aussie, NewCustomer(name="Ava Hill", phone="0412 999 000", region="NSW"), now)
    with aussie.unit_of_work() as s:
        changes = update_customer(s, who, {"region": "WA", "suburb": "Fremantle"}, now=now)
    assert changes.follow_ups
    with aussie.reading() as s:
        assert customer_details(s, who).timezone == "Australia/Perth"
    with aussie.unit_of_work() as s:
        set_contact_preferences(
            s,
            who,
            ContactPreferences(timezone="Australia/Adelaide"),
            source="phone call",
            words=None,
            now=now,
        )
        update_customer(s, who, {"region": "QLD"}, now=now)
    with aussie.reading() as s:
        assert customer_details(s, who).timezone == "Australia/Adelaide"


def test_the_form_shows_numbers_as_the_owner_dials_them_and_reads_them_back_unchanged(
    aussie: Database, now: datetime
):
    mia = _add(aussie, MIA, now)
    abroad = _add(aussie, NewCustomer(name="Ian Hale", phone="+44 7912 345679", country="GB"), now)
    visiting = _add(aussie, NewCustomer(name="Sam Ode", phone="+44 7911 123456"), now)
    with aussie.reading() as s:
        shown = {
            who: form_values(customer_details(s, who), "AU") for who in (mia, abroad, visiting)
        }
    # Local for a customer at home, as Today shows it; international for anyone else.
    assert shown[mia]["phone_cell"] == "0412 345 679"
    assert shown[abroad]["phone_cell"] == "+44 7912 345679"
    assert shown[visiting]["phone_cell"] == "+44 7911 123456"
    # Saving the form as shown keeps every number as it was.
    for who, fields in shown.items():
        with aussie.unit_of_work() as s:
            update_customer(s, who, {"phone_cell": fields["phone_cell"]}, now=now)
    with aussie.reading() as s:
        stored = [s.get(Customer, who).phone_cell for who in (mia, abroad, visiting)]  # type: ignore[union-attr]
    assert stored == ["+61412345679", "+447912345679", "+447911123456"]


def test_an_edit_checks_the_version_and_only_refuses_a_real_clash(aussie: Database, now: datetime):
    mia = _add(aussie, MIA, now)
    with aussie.reading() as s:
        opened = customer_details(s, mia)
    before = form_values(opened, "AU")
    # Someone else changes her suburb meanwhile.
    with aussie.unit_of_work() as s:
        update_customer(s, mia, {"suburb": "Rozelle"}, now=now)
    # My edit of another field still goes through: nothing of theirs is overwritten.
    with aussie.unit_of_work() as s:
        update_customer(
            s,
            mia,
            {"phone_office": "02 9555 1234", "display_name": "Mia  Chen-Lee"},
            now=now,
            version=opened.version,
            before=before,
        )
    # My edit of the suburb they changed is refused, and nothing of it is saved.
    with pytest.raises(ConcurrentEditError, match="suburb"), aussie.unit_of_work() as s:
        update_customer(s, mia, {"suburb": "Glebe"}, now=now, version=opened.version, before=before)
    with aussie.reading() as s:
        d = customer_details(s, mia)
        row = s.get(Customer, mia)
        assert row is not None
        assert (row.first_name, row.last_name) == ("Mia", "Chen-Lee")
    assert (d.suburb, d.phone_office, d.name) == ("Rozelle", "+61295551234", "Mia Chen-Lee")
    with pytest.raises(ValidationError, match="birthday"), aussie.unit_of_work() as s:
        update_customer(s, mia, {"birthday": "2099-01-01"}, now=now)


def test_an_edit_cannot_hand_out_the_phone_of_someone_who_said_stop(
    aussie: Database, now: datetime
):
    mia = _add(aussie, MIA, now)
    tom = _add(aussie, NewCustomer(name="Tom Reid", phone="0498 765 432"), now)
    with aussie.unit_of_work() as s:
        revoke_consent(s, tom, None, source="phone call", words="stop", now=now)
    with pytest.raises(ValidationError, match="cell phone"), aussie.unit_of_work() as s:
        update_customer(s, mia, {"phone_cell": "0498765432"}, now=now)


def _history(db: Database, customer_id: int, quote_id: int, now: datetime) -> None:
    with db.unit_of_work() as s:
        log_touch(
            s,
            TouchRecord(
                customer_id,
                Channel.CALL,
                Direction.INBOUND,
                Outcome.REPLIED,
                now - timedelta(days=1),
                quote_id=quote_id,
                summary="rang about the deck",
            ),
            None,
            now=now,
            await_decision=True,
        )
        schedule_follow_up(
            s,
            customer_id,
            quote_id,
            FollowUpPlan(now + timedelta(days=3), Channel.CALL, "Check the quote arrived"),
            now=now,
        )


def test_a_merge_keeps_everything_and_a_stop_on_either_record_wins(aussie: Database, now: datetime):
    with aussie.unit_of_work() as s:
        lead = add_lead(s, NewLead(name="Mia Chen", phone="0412 345 679", job="Deck"), now=now)
        other = add_lead(s, NewLead(name="Mia C", email="mia@example.com", job="Pergola"), now=now)
    keep = lead.customer_id
    _history(aussie, keep, lead.quote_id, now)
    _history(aussie, other.customer_id, other.quote_id, now)
    with aussie.unit_of_work() as s:
        update_customer(
            s, other.customer_id, {"suburb": "Balmain", "birthday": "1984-07-14"}, now=now
        )
        revoke_consent(
            s, other.customer_id, None, source="phone call", words="Please stop", now=now
        )

    with aussie.reading() as s:
        before = [customer_details(s, c) for c in (keep, other.customer_id)]
    with aussie.unit_of_work() as s:
        result = merge_customers(s, keep, other.customer_id, now=now)
    assert (result.quotes, result.touches, result.do_not_contact) == (1, 1, True)
    assert result.follow_ups == before[1].follow_ups
    with aussie.reading() as s:
        d = customer_details(s, keep)
        with pytest.raises(NotFoundError):
            customer_details(s, other.customer_id)
        overview = consent_overview(s, keep)
        entries = ledger_entries(s, keep)
        trash = list_trash(s)
        statuses = [f.status for f in s.query(FollowUp).filter(FollowUp.customer_id == keep).all()]
    assert sorted(q.job for q in d.quotes) == ["Deck", "Pergola"]
    assert d.touches == 2 and d.follow_ups == sum(b.follow_ups for b in before)
    # Missing details come from the other record; the stop holds and cancels every step.
    assert (d.email, d.suburb, d.birthday) == ("mia@example.com", "Balmain", date(1984, 7, 14))
    assert d.do_not_contact and overview.do_not_contact
    assert set(statuses) == {FollowUpStatus.CANCELLED}
    assert any((e.words or "") == "Please stop" and "merge" in (e.detail or "") for e in entries)
    assert [t.id for t in trash] == [other.customer_id]
    with aussie.reading() as s:
        assert [r.id for r in search_customers(s, "mia")] == [keep]
        timeline = customer_history(s, keep, now=now)
    # One entry of the merge's own, naming both records and no words of either.
    merged = [e for e in entries if e.kind is ConsentEventKind.CUSTOMER_MERGED]
    assert len(merged) == 1 and merged[0].words is None
    assert merged[0].detail == (
        f"customer {other.customer_id} (Mia C) merged into customer {keep} (Mia Chen): "
        f"1 quote, 1 touch, {result.follow_ups} follow-ups moved; do not contact holds"
    )
    assert "Please stop" not in (merged[0].detail or "")
    shown = [h for h in timeline if h.title == "Two records of them merged into one"]
    assert len(shown) == 1 and f"customer {other.customer_id} (Mia C)" in shown[0].detail


def test_a_merge_of_two_contactable_people_keeps_their_plans(aussie: Database, now: datetime):
    a = _add(aussie, NewCustomer(name="Ann Lee", phone="0400 000 001", email="ann@x.com"), now)
    b = _add(
        aussie,
        NewCustomer(name="Ann Lee", phone="0400 000 002", email="ann.lee@y.com", street="1 A St"),
        now,
        allow_duplicate=True,
    )
    with aussie.unit_of_work() as s:
        schedule_follow_up(
            s,
            b,
            None,
            FollowUpPlan(
                now + timedelta(days=2, hours=1),
                Channel.CALL,
                "Agreed call about the deck",
                basis=Basis.AGREED,
                agreed_words="Call me Wednesday",
            ),
            now=now,
        )
        merge_customers(s, a, b, now=now)
    with aussie.reading() as s:
        d = customer_details(s, a)
        pending = s.query(FollowUp).filter(FollowUp.customer_id == a).one()
    assert pending.status is FollowUpStatus.PENDING and pending.basis is Basis.AGREED
    # Her second number has room; the other email has none and is kept in the notes.
    assert d.phones == ("+61400000001", "+61400000002")
    assert d.street == "1 A St"
    assert d.notes is not None and "ann.lee@y.com" in d.notes
    assert not d.do_not_contact
    with aussie.reading() as s:
        assert consent_overview(s, a).channels[0].channel is ConsentChannel.CALL


def test_merging_someone_with_themself_is_refused(aussie: Database, now: datetime):
    mia = _add(aussie, MIA, now)
    with pytest.raises(ValidationError, match="themself"), aussie.unit_of_work() as s:
        merge_customers(s, mia, mia, now=now)
    with pytest.raises(NotFoundError), aussie.unit_of_work() as s:
        merge_customers(s, mia, 999, now=now)


def test_names_with_accents_sort_with_their_letter_not_after_z(aussie: Database, now: datetime):
    names = ["Zara Young", "Łukasz Nowak", "Émile Dubois", "anna Bell", "Øystein Berg", "Lu Ma"]
    for name in names:
        _add(aussie, NewCustomer(name=name), now)
    with aussie.reading() as s:
        ascending = [r.name for r in search_customers(s)]
        descending = [r.name for r in search_customers(s, descending=True)]
        page = [r.name for r in search_customers(s, limit=3, offset=2)]
    expected = ["anna Bell", "Émile Dubois", "Lu Ma", "Łukasz Nowak", "Øystein Berg", "Zara Young"]
    assert ascending == expected
    assert descending == expected[::-1]
    assert page == expected[2:5]


@pytest.mark.parametrize(
    "typed",
    [
        "0412 345 679",
        "0412-345-679",
        "(04) 1234 5679",
        "+61 412 345 679",
        "+61 (0) 412 345 679",
        "61412345679",
        "0061 412 345 679",  # the rest of the world's way of writing +61
        "0011 61 412 345 679",  # Australia's own exit code
    ],
)
def test_an_australian_mobile_typed_any_way_is_the_same_number(typed: str) -> None:
    from deckfollow.core.contact_info import normalise_phone

    assert normalise_phone(typed, "AU") == "+61412345679"


def test_a_number_after_00_that_is_no_number_is_still_refused() -> None:
    from deckfollow.core.contact_info import normalise_phone

    with pytest.raises(ValidationError, match="'0099 1' is not a valid phone number"):
        normalise_phone("0099 1", "AU")


@pytest.mark.parametrize(
    ("country", "typed", "kept"),
    [
        ("AU", "new south wales", "NSW"),
        ("AU", "N.S.W.", "NSW"),
        ("US", "texas", "TX"),
        ("CA", "Ontario", "ON"),
        ("NZ", "Auckland", "Auckland"),  # NZ writes its regions out, and so do we
        ("IE", "Co.  Cork", "Co. Cork"),
    ],
)
def test_a_state_is_kept_as_its_code_where_states_are_written_so(
    aussie: Database, now: datetime, country: str, typed: str, kept: str
):
    cid = _add(aussie, NewCustomer(name="Ann Lee", region=typed, country=country), now)
    with aussie.reading() as s:
        assert customer_details(s, cid).region == kept
        if kept == "NSW":
            assert [r.id for r in search_customers(s, "nsw")] == [cid]


def test_a_state_of_another_country_is_refused_naming_the_valid_ones(
    aussie: Database, now: datetime
):
    with pytest.raises(
        ValidationError,
        match=(
            r"state or region: 'Texas' is not a state of Australia; "
            r"use one of ACT, NSW, NT, QLD, SA, TAS, VIC, WA$"
        ),
    ):
        _add(aussie, NewCustomer(name="Ann Lee", country="AU", region="Texas"), now)
    with pytest.raises(ValidationError, match="'Bretagne' is not a state of Canada"):
        _add(aussie, NewCustomer(name="Ann Lee", country="CA", region="Bretagne"), now)
    with aussie.reading() as s:
        assert s.query(Customer).count() == 0


def test_an_edit_may_not_put_a_customer_in_a_state_of_another_country(
    aussie: Database, now: datetime
):
    mia = _add(aussie, MIA, now)
    with aussie.unit_of_work() as s, pytest.raises(ValidationError, match="'TX' is not a state"):
        update_customer(s, mia, {"region": "TX"}, now=now)
    with (
        aussie.unit_of_work() as s,
        pytest.raises(ValidationError, match="'NSW' is not a state of the United States"),
    ):
        update_customer(s, mia, {"country": "US"}, now=now)
    with aussie.unit_of_work() as s:
        update_customer(s, mia, {"country": "US", "region": "Texas"}, now=now)
    with aussie.reading() as s:
        d = customer_details(s, mia)
        assert (d.country, d.region) == ("US", "TX")
    # A state kept in the owner's words while they lived elsewhere is read in the new country.
    ivy = _add(aussie, NewCustomer(name="Ivy Low", country="FR", region="Ontario"), now)
    with aussie.unit_of_work() as s:
        update_customer(s, ivy, {"country": "CA"}, now=now)
    with aussie.reading() as s:
        assert customer_details(s, ivy).region == "ON"


def test_a_state_is_read_in_the_country_an_international_phone_gives(
    aussie: Database, now: datetime
):
    bob = _add(aussie, NewCustomer(name="Bob Ray", phone="+1 512 555 0134", region="Texas"), now)
    free = _add(aussie, NewCustomer(name="Cy Roux", country="FR", region="Bretagne"), now)
    with aussie.reading() as s:
        assert (customer_details(s, bob).country, customer_details(s, bob).region) == ("US", "TX")
        assert customer_details(s, free).region == "Bretagne"  # no list: the owner's words
