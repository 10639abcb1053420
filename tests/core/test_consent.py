"""Consent: "stop" holds everywhere, only the customer's words re-open, the ledger is evidence."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from deckfollow.core.cadence_library import seed_builtin_cadences
from deckfollow.core.cadence_runs import start_cadence
from deckfollow.core.consent import (
    ContactPreferences,
    consent_overview,
    consent_screen_customer,
    revoke_consent,
    set_contact_preferences,
)
from deckfollow.core.consent_ledger import grant_channels, grant_consent, ledger, ledger_entries
from deckfollow.core.do_not_contact import (
    do_not_contact_marks,
    is_blocked,
    merge_consent,
    reapply_do_not_contact,
)
from deckfollow.core.due import due_items
from deckfollow.core.enums import (
    Basis,
    Channel,
    ConsentChannel,
    ConsentEventKind,
    ConsentState,
    FollowUpStatus,
)
from deckfollow.core.errors import PermissionRefused, ValidationError
from deckfollow.core.followups import FollowUpPlan, agree_follow_up, agreed_plan, schedule_follow_up
from deckfollow.core.leads import LeadCreated
from deckfollow.core.models import ConsentEvent, Customer, FollowUp
from deckfollow.storage.database import Database, open_database
from tests.factories import new_lead

SYD = ZoneInfo("Australia/Sydney")


def _add(db: Database, now: datetime, name: str, phone: str, email: str) -> LeadCreated:
    return new_lead(
        db,
        name,
        phone=phone,
        email=email,
        country="AU",
        timezone="Australia/Sydney",
        answered=True,
        now=now,
    )


@pytest.fixture
def lead(db: Database, now: datetime) -> LeadCreated:
    return _add(db, now, "Grace Hopper", "+61412000111", "grace@example.com")


def _tomorrow_10(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(SYD).date() + timedelta(days=1), time(10), SYD)


def test_scheduling_on_a_revoked_channel_says_when_and_how(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.TEXT,
            source="phone call",
            words="Stop texting me",
            now=now,
        )
    plan = FollowUpPlan(_tomorrow_10(now), Channel.TEXT, "Send the timber photos")
    with pytest.raises(PermissionRefused) as err, db.unit_of_work() as s:
        schedule_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now)
    msg = str(err.value)
    assert "revoked text contact on 23 Nov 2026 at 09:00" in msg
    assert "phone call" in msg and "Stop texting me" in msg
    # A card goes by post, which stays open.
    with db.unit_of_work() as s:
        schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(_tomorrow_10(now), Channel.CARD, "Thank-you card"),
            now=now,
        )


def test_one_yes_for_several_channels_is_an_entry_per_channel_in_their_words(
    db: Database, lead: LeadCreated, now: datetime
):
    said = "Call or text me on my mobile, email the quote."
    with db.unit_of_work() as s:
        revoke_consent(
            s, lead.customer_id, ConsentChannel.TEXT, source="text", words="No texts", now=now
        )
        with pytest.raises(ValidationError, match="own words to re-open text"):
            grant_channels(
                s,
                lead.customer_id,
                (ConsentChannel.CALL, ConsentChannel.TEXT),
                source="call",
                words=None,
                now=now,
            )
        grant_channels(
            s,
            lead.customer_id,
            (ConsentChannel.CALL, ConsentChannel.TEXT, ConsentChannel.EMAIL),
            source="call",
            words=said,
            now=now + timedelta(minutes=5),
        )
        ov = consent_overview(s, lead.customer_id)
        entries = ledger_entries(s, lead.customer_id)
    granted = [e for e in entries if e.kind is ConsentEventKind.GRANTED and e.words == said]
    assert [e.channel for e in granted] == [
        ConsentChannel.CALL,
        ConsentChannel.TEXT,
        ConsentChannel.EMAIL,
    ]
    states = {c.channel: (c.state, c.words) for c in ov.channels}
    for ch in (ConsentChannel.CALL, ConsentChannel.TEXT, ConsentChannel.EMAIL):
        assert states[ch] == (ConsentState.GRANTED, said)
    assert states[ConsentChannel.POST][0] is not ConsentState.GRANTED


def test_stop_cancels_everything_and_only_new_words_reopen_one_channel(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        # Planned touches a day apart (rule 5).
        for days, ch in ((0, Channel.CALL), (1, Channel.EMAIL)):
            schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(
                    _tomorrow_10(now) + timedelta(days=days), ch, "Walk through the quote"
                ),
                now=now,
            )
        revoke_consent(
            s,
            lead.customer_id,
            None,
            source="email reply",
            words="Please don't contact me",
            now=now,
        )
    with db.reading() as s:
        statuses = {f.status for f in s.execute(select(FollowUp)).scalars()}
        assert statuses == {FollowUpStatus.CANCELLED}
        assert s.get(Customer, lead.customer_id).do_not_contact  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="own words"), db.unit_of_work() as s:
        grant_consent(s, lead.customer_id, ConsentChannel.EMAIL, source="phone", words=" ", now=now)
    later = now + timedelta(days=30)
    with db.unit_of_work() as s:
        grant_consent(
            s,
            lead.customer_id,
            ConsentChannel.EMAIL,
            source="phone call",
            words="You can email me the new prices",
            now=later,
        )
        ov = consent_overview(s, lead.customer_id)
    states = {c.channel: c.state for c in ov.channels}
    assert states[ConsentChannel.EMAIL] is ConsentState.GRANTED
    assert {st for ch, st in states.items() if ch is not ConsentChannel.EMAIL} == {
        ConsentState.REVOKED
    }
    assert not ov.do_not_contact


def test_a_consent_screen_reads_who_it_is_and_what_each_stop_would_cancel(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        for days, ch in ((0, Channel.CALL), (8, Channel.EMAIL), (16, Channel.CALL)):
            schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(_tomorrow_10(now) + timedelta(days=days), ch, "Go over the quote"),
                now=now,
            )
        set_contact_preferences(
            s,
            lead.customer_id,
            ContactPreferences(preferred_channel=Channel.EMAIL),
            source="call",
            now=now,
        )
    with db.reading() as s:
        who = consent_screen_customer(s, lead.customer_id)
    assert (who.name, who.snap.timezone, who.preferred) == (
        "Grace Hopper",
        "Australia/Sydney",
        Channel.EMAIL,
    )
    # Two planned calls and an email; a stop of everything cancels every pending one.
    assert (who.pending[ConsentChannel.CALL], who.pending[ConsentChannel.EMAIL]) == (2, 1)
    assert who.pending[ConsentChannel.TEXT] == 0
    assert who.pending[None] == 3


def test_due_never_lists_a_revoked_channel_or_a_do_not_contact_customer(
    db: Database, lead: LeadCreated, now: datetime
):
    other = _add(db, now, "Alan Turing", "+61412000222", "alan@example.com")
    with db.unit_of_work() as s:
        for who in (lead, other):
            # A planned call and an agreed text (two planned ones would be a day apart).
            for ch, basis in ((Channel.CALL, Basis.PLANNED), (Channel.TEXT, Basis.AGREED)):
                plan = FollowUpPlan(
                    now + timedelta(hours=1),
                    ch,
                    "Check the quote arrived",
                    basis,
                    "Text me once it is sent" if basis is Basis.AGREED else None,
                )
                schedule_follow_up(s, who.customer_id, who.quote_id, plan, now=now)
    day = now.astimezone(SYD).date()
    with db.unit_of_work() as s:
        assert len(due_items(s, day=day, now=now, owner_tz="Australia/Sydney")) == 4
        revoke_consent(
            s, other.customer_id, ConsentChannel.TEXT, source="text reply", words="STOP", now=now
        )
        revoke_consent(s, lead.customer_id, None, source="phone call", words="No more", now=now)
    with db.reading() as s:
        items = due_items(s, day=day + timedelta(days=3), now=now, owner_tz="Australia/Sydney")
    assert [(i.customer, i.channel) for i in items] == [("Alan Turing", Channel.CALL)]


def test_asking_permission_records_an_agreed_follow_up_in_the_ledger(
    db: Database, lead: LeadCreated, now: datetime
):
    plan = agreed_plan(
        date(2026, 11, 26),
        time(17),
        time(18),
        "Australia/Sydney",
        Channel.CALL,
        "Answer questions on the quote",
        "Sure, check in Thursday after five",
    )
    with db.unit_of_work() as s:
        fu = agree_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now, source="site visit")
        fid = fu.id
        entries = ledger_entries(s, lead.customer_id)
    assert [e.kind for e in entries] == [
        ConsentEventKind.GRANTED,
        ConsentEventKind.AGREED_FOLLOW_UP,
    ]
    assert entries[1].follow_up_id == fid
    assert entries[1].words == "Sure, check in Thursday after five"
    assert "Thu 26 Nov 2026 17:00" in (entries[1].detail or "")


def test_agreeing_on_a_revoked_channel_needs_an_explicit_reopen(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        revoke_consent(
            s,
            lead.customer_id,
            ConsentChannel.CALL,
            source="phone call",
            words="Don't call, I'm at work",
            now=now,
        )
    plan = agreed_plan(
        date(2026, 12, 5),
        time(10),
        None,
        "Australia/Sydney",
        Channel.CALL,
        "Go over the revised quote",
        "Actually, call me Saturday at ten",
    )
    with pytest.raises(PermissionRefused, match="revoked call"), db.unit_of_work() as s:
        agree_follow_up(s, lead.customer_id, lead.quote_id, plan, now=now, source="text")
    with db.unit_of_work() as s:
        agree_follow_up(
            s, lead.customer_id, lead.quote_id, plan, now=now, source="text", reopen=True
        )
        kinds = [e.kind for e in ledger(s, lead.customer_id)]
    assert kinds == [
        ConsentEventKind.REVOKED,
        ConsentEventKind.GRANTED,
        ConsentEventKind.AGREED_FOLLOW_UP,
    ]


def test_the_ledger_refuses_to_be_rewritten(db: Database, lead: LeadCreated, now: datetime):
    with db.unit_of_work() as s:
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
    with pytest.raises(DBAPIError, match="append-only"), db.unit_of_work() as s:
        s.execute(text("UPDATE consent_event SET words = 'yes please'"))
    # Nor can an entry be taken out: "they never said stop" is not for anyone to make true.
    with pytest.raises(DBAPIError, match="append-only"), db.unit_of_work() as s:
        s.execute(text("DELETE FROM consent_event"))
    with db.reading() as s:
        assert [e.words for e in ledger(s, lead.customer_id)] == ["stop"]


def test_erasing_a_customer_takes_their_ledger_with_them(db: Database, now: datetime):
    from deckfollow.core.trash import erase_customer

    kept = _add(db, now, "Kept Customer", "+61412000333", "kept@example.com")
    gone = _add(db, now, "Gone Customer", "+61412000444", "gone@example.com")
    with db.unit_of_work() as s:
        for who in (kept, gone):
            revoke_consent(s, who.customer_id, None, source="email", words="stop", now=now)
    # Erased straight from the list (not via the trash first): the ledger goes with them.
    with db.unit_of_work() as s:
        report = erase_customer(s, gone.customer_id, now=now)
    assert report.consent_events == 1
    with db.reading() as s:
        assert ledger(s, gone.customer_id) == []
        assert [e.words for e in ledger(s, kept.customer_id)] == ["stop"]
    assert is_blocked_after_erase(db, "gone@example.com")


def is_blocked_after_erase(db: Database, email: str) -> bool:
    with db.reading() as s:
        return is_blocked(s, email=email, phone=None) is not None


def test_stricter_hours_move_planned_calls_but_agreed_ones_stand(
    db: Database, lead: LeadCreated, now: datetime
):
    agreed = agreed_plan(
        date(2026, 11, 24),
        time(11),
        None,
        "Australia/Sydney",
        Channel.CALL,
        "Confirm the measurements",
        "Call me Tuesday at 11",
    )
    with db.unit_of_work() as s:
        planned = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(_tomorrow_10(now) + timedelta(days=2), Channel.CALL, "Colour options"),
            now=now,
        )
        pid = planned.id
        agree_follow_up(s, lead.customer_id, lead.quote_id, agreed, now=now, source="phone")
        set_contact_preferences(
            s,
            lead.customer_id,
            ContactPreferences(contact_hours="evenings only; not mon"),
            source="phone call",
            words="Only evenings, and never Mondays",
            now=now,
        )
    with db.reading() as s:
        moved = s.get(FollowUp, pid)
        assert moved is not None
        local = moved.due_at.astimezone(SYD)
        assert local.hour >= 17 and local.weekday() != 0
        kept = s.execute(select(FollowUp).where(FollowUp.basis == Basis.AGREED)).scalar_one()
        assert kept.due_at == agreed.due_at
        last = ledger_entries(s, lead.customer_id)[-1]
    assert last.kind is ConsentEventKind.HOURS_CHANGED
    assert "evenings only; not mon" in (last.detail or "")
    with pytest.raises(ValidationError, match="contact hours"), db.unit_of_work() as s:
        set_contact_preferences(
            s, lead.customer_id, ContactPreferences(contact_hours="whenever"), source="x", now=now
        )


def test_a_do_not_contact_blocks_reimport_and_survives_a_merge(
    db: Database, lead: LeadCreated, now: datetime
):
    dup = _add(db, now, "G. Hopper", "+61412000999", "grace.h@example.com")
    with db.unit_of_work() as s:
        assert is_blocked(s, email="grace@example.com", phone=None) is None
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
        assert "Grace Hopper" in (is_blocked(s, email="GRACE@example.com", phone=None) or "")
        assert is_blocked(s, email=None, phone="+61412000111") is not None
        # Merge the stopped record into the duplicate that is kept.
        merge_consent(s, dup.customer_id, lead.customer_id, source="merged duplicates", now=now)
        kept = s.get(Customer, dup.customer_id)
        assert kept is not None and kept.do_not_contact
        assert [e.kind for e in ledger(s, dup.customer_id)] == [ConsentEventKind.DO_NOT_CONTACT]


def test_restoring_an_older_backup_reapplies_a_newer_stop(
    db: Database, lead: LeadCreated, now: datetime, tmp_path
):
    from deckfollow.storage.backup import backup_sqlite

    older = tmp_path / "older.db"
    assert db.path is not None
    backup_sqlite(db.path, older)
    with db.unit_of_work() as s:
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
        marks = do_not_contact_marks(s)
    restored = open_database(str(older), create=False)
    try:
        with restored.unit_of_work() as s:
            schedule_follow_up(
                s,
                lead.customer_id,
                lead.quote_id,
                FollowUpPlan(_tomorrow_10(now), Channel.CALL, "Go over the quote"),
                now=now,
            )
            assert reapply_do_not_contact(s, marks, now=now) == 1
            assert reapply_do_not_contact(s, marks, now=now) == 0
        with restored.reading() as s:
            c = s.get(Customer, lead.customer_id)
            assert c is not None and c.do_not_contact
            assert (
                s.execute(select(FollowUp).where(FollowUp.status == FollowUpStatus.PENDING)).first()
                is None
            )
            ev = s.execute(select(ConsentEvent)).scalar_one()
            assert ev.source == "restore"
    finally:
        restored.close()


def test_a_stopped_customer_cannot_get_a_cadence_by_the_back_door(
    db: Database, lead: LeadCreated, now: datetime
):
    with db.unit_of_work() as s:
        seed_builtin_cadences(s)
        revoke_consent(s, lead.customer_id, None, source="phone call", words="stop", now=now)
    with pytest.raises(PermissionRefused), db.unit_of_work() as s:
        start_cadence(s, lead.customer_id, "after_quote", now=now)


def test_the_rules_audit_finds_what_a_direct_edit_broke(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.followups import audit_rules

    with db.unit_of_work() as s:
        fu = schedule_follow_up(
            s,
            lead.customer_id,
            lead.quote_id,
            FollowUpPlan(_tomorrow_10(now), Channel.CALL, "Go over the quote"),
            now=now,
        )
        assert audit_rules(s) == []
        # A careless edit behind the services' back: 23:00 is outside allowed hours.
        fu.due_at = datetime.combine(_tomorrow_10(now).date(), time(23), SYD)
        s.flush()
        problems = audit_rules(s)
    assert len(problems) == 1 and "outside allowed hours" in problems[0]


def test_a_snooze_of_a_planned_call_lands_inside_allowed_hours(
    db: Database, lead: LeadCreated, now: datetime
):
    from deckfollow.core.contact_snapshot import load_snapshot
    from deckfollow.core.permission import snooze_target

    with db.reading() as s:
        snap = load_snapshot(s, lead.customer_id)
    late = datetime(2026, 11, 24, 22, 30, tzinfo=SYD)
    assert snooze_target(snap, Channel.CALL, Basis.PLANNED, late) == datetime(
        2026, 11, 25, 9, 0, tzinfo=SYD
    )
    assert snooze_target(snap, Channel.CALL, Basis.AGREED, late) == late
    assert snooze_target(snap, Channel.EMAIL, Basis.PLANNED, late) == late


def test_an_erased_persons_hashes_still_block_a_reimport(db: Database, now: datetime):
    from deckfollow.core.contact_info import suppression_hash
    from deckfollow.core.models import Suppression

    with db.unit_of_work() as s:
        s.add(
            Suppression(
                email_hash=suppression_hash("gone@example.com"),
                phone_hash=suppression_hash("+61412000333"),
                created_at=now,
                reason="erased after do-not-contact",
            )
        )
    with db.reading() as s:
        assert "erased" in (is_blocked(s, email="gone@example.com", phone=None) or "")
        assert is_blocked(s, email=None, phone="+61412000333") is not None
        assert is_blocked(s, email="someone@example.com", phone="+61412000444") is None
