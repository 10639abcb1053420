"""The heart of the product: may we contact this customer on this channel at this time?

Pure functions over a snapshot of the customer's consent state; the services load the
snapshot and act on the decision. Every refusal carries the reason a user will read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

from deckfollow.core.clock_format import (
    both_clocks_text,
    clock_text,
    clocks_agree,
    date_text,
    day_text,
    day_time_text,
    hours_text,
)
from deckfollow.core.contact_hours import (
    AllowedHours,
    allowed_hours_for,
    local_to_utc,
    parse_rule,
)
from deckfollow.core.enums import Basis, Channel, ConsentChannel, ConsentState

DEFAULT_WEEKLY_CAP = 2
# A cadence step keeps this far from any agreed follow-up, so it never doubles one (rule 4).
AGREED_CLEARANCE = timedelta(days=1)


@dataclass(frozen=True)
class ConsentInfo:
    state: ConsentState
    since: datetime | None = None
    source: str | None = None
    words: str | None = None


@dataclass(frozen=True)
class ContactSnapshot:
    """What permission needs to know about one customer."""

    customer_id: int
    name: str
    country: str
    region: str | None
    timezone: str
    contact_hours: str | None
    do_not_contact: bool
    dnc_since: datetime | None = None
    dnc_source: str | None = None
    consents: Mapping[ConsentChannel, ConsentInfo] = field(default_factory=dict)
    best_times: str | None = None

    def consent(self, channel: ConsentChannel) -> ConsentInfo:
        return self.consents.get(channel, ConsentInfo(ConsentState.UNKNOWN))

    @cached_property
    def hours(self) -> AllowedHours:
        """Effective allowed hours (computed once per snapshot)."""
        return allowed_hours_for(self.country, self.region, self.timezone, self.contact_hours)

    @cached_property
    def best_hours(self) -> AllowedHours | None:
        """Allowed hours narrowed to the customer's best times, when they gave any."""
        if not self.best_times:
            return None
        best = parse_rule(self.best_times)
        hours = self.hours
        return AllowedHours(hours.hours.intersect(best), hours.tz, hours.is_holiday, hours.also)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    # For a refusal about timing: the nearest instant that would be allowed.
    suggestion: datetime | None = None


def _when(dt: datetime | None, tzname: str) -> str:
    if dt is None:
        return "at an unrecorded time"
    local = dt.astimezone(ZoneInfo(tzname))
    return f"on {date_text(local)} at {clock_text(local)}"


def channel_decision(
    snap: ContactSnapshot, channel: Channel, *, owner_tz: str | None = None
) -> Decision:
    """Rules 1 and 2: do-not-contact and revoked channels, whatever the time (when they
    said so on the owner's clock with `owner_tz`, else on the customer's)."""
    clock = owner_tz or snap.timezone
    if snap.do_not_contact:
        how = f" ({snap.dnc_source})" if snap.dnc_source else ""
        return Decision(
            False,
            f"{snap.name} asked not to be contacted at all {_when(snap.dnc_since, clock)}"
            f"{how}. Only a new consent in their own words re-opens a channel.",
        )
    info = snap.consent(channel.consent_channel)
    if info.state is ConsentState.REVOKED:
        how = f" ({info.source})" if info.source else ""
        said = f' and said "{info.words.strip()}"' if info.words and info.words.strip() else ""
        return Decision(
            False,
            f"{snap.name} revoked {channel.consent_channel.value} contact "
            f"{_when(info.since, clock)}{how}{said}. Only a new consent in their own "
            "words re-opens it.",
        )
    return Decision(True, "channel open")


def timing_decision(
    snap: ContactSnapshot,
    channel: Channel,
    at: datetime,
    basis: Basis,
    *,
    owner_tz: str | None = None,
) -> Decision:
    """Rule 3: calls and texts inside allowed hours, unless the customer chose the time.

    With `owner_tz` the refusal reads the time on the owner's clock, the customer's beside
    it (the hours are theirs); without, on the customer's clock named by its zone."""
    if basis is Basis.AGREED or not channel.is_timed:
        return Decision(True, "time is fine")
    hours = snap.hours
    if hours.allows(at):
        return Decision(True, "inside allowed hours")
    nxt = hours.next_allowed(at)
    desc = hours_text(hours.hours.description) or "their allowed hours"
    if owner_tz is None:
        when = f"{day_time_text(at.astimezone(hours.tz))} ({snap.timezone})"
    else:
        when = both_clocks_text(at, owner_tz, hours.tz)
        if not clocks_agree(at, owner_tz, hours.tz):
            desc += ", their time"
    return Decision(
        False, f"{when} is outside the hours {snap.name} may be contacted ({desc}).", nxt
    )


# Rule 5: planned touches to one customer, at most `cap` in any seven consecutive days and
# never closer than this to one another (two plans must not land at the same minute).
CAP_WINDOW_DAYS = 7
PLANNED_SPACING_DAYS = 1


def _wall(at: datetime, tz: ZoneInfo) -> datetime:
    """Local wall-clock time without its zone: "seven days" is seven days on the customer's
    calendar, so a Tuesday 10:00 touch leaves the window at 10:00 the next Tuesday, also
    across a clock change."""
    return at.astimezone(tz).replace(tzinfo=None)


def _after(at: datetime, wall: datetime, tz: ZoneInfo) -> datetime:
    """The instant of a later wall-clock time, always after `at` (a repeated autumn hour
    reads as its first pass, which can lie before `at`)."""
    return max(local_to_utc(wall.date(), wall.time(), tz), at + timedelta(minutes=1))


def _wall_text(wall: datetime, tz: ZoneInfo, owner_tz: str | None) -> str:
    """A wall-clock time of the customer's, as a refusal reads it (see `timing_decision`)."""
    if owner_tz is None:
        return day_time_text(wall)
    return both_clocks_text(wall.replace(tzinfo=tz), owner_tz, tz)


def cap_decision(
    snap: ContactSnapshot,
    at: datetime,
    basis: Basis,
    planned_times: Iterable[datetime],
    cap: int = DEFAULT_WEEKLY_CAP,
    *,
    owner_tz: str | None = None,
) -> Decision:
    """Rule 5: at most `cap` planned touches in any seven days, a day apart; agreed exempt.

    `planned_times` are the customer's other planned touches (pending and done). A refusal
    suggests the first instant at which the nearest crowding touch no longer crowds; with
    `owner_tz` it names the crowding touch on the owner's clock.
    """
    if basis is Basis.AGREED:
        return Decision(True, "agreed touches are exempt from the cap")
    tz = snap.hours.tz
    here = _wall(at, tz)
    window = timedelta(days=CAP_WINDOW_DAYS)
    spacing = timedelta(days=PLANNED_SPACING_DAYS)
    near = sorted(w for w in (_wall(t, tz) for t in planned_times) if abs(w - here) < window)
    close = [w for w in near if abs(w - here) < spacing]
    if close:
        other = max(close)
        return Decision(
            False,
            f"{snap.name} already has a planned touch on {_wall_text(other, tz, owner_tz)}; "
            "planned touches stay at least a day apart.",
            _after(at, other + spacing, tz),
        )
    # Every seven-day window holding `at` starts at `at` or at an earlier touch.
    for start in [w for w in near if w <= here]:
        inside = [w for w in near if start <= w < start + window]
        if len(inside) >= cap:
            return Decision(
                False,
                f"{snap.name} already has {len(inside)} planned touches in the seven days from "
                f"{day_text(start)}; the limit is {cap} in any seven days.",
                _after(at, start + window, tz),
            )
    if len([w for w in near if here <= w < here + window]) >= cap:
        last = max(w for w in near if here <= w < here + window)
        return Decision(
            False,
            f"{snap.name} already has {cap} planned touches in the seven days from "
            f"{day_text(here)}; the limit is {cap} in any seven days.",
            _after(at, last + spacing, tz),
        )
    return Decision(True, "under the cap")


def decide(
    snap: ContactSnapshot,
    channel: Channel,
    at: datetime,
    basis: Basis,
    planned_times: Iterable[datetime] = (),
    cap: int = DEFAULT_WEEKLY_CAP,
    *,
    owner_tz: str | None = None,
) -> Decision:
    """All the rules together: the first refusal wins, with its reason (its times on the
    owner's clock when `owner_tz` is given)."""
    for d in (
        channel_decision(snap, channel, owner_tz=owner_tz),
        timing_decision(snap, channel, at, basis, owner_tz=owner_tz),
        cap_decision(snap, at, basis, planned_times, cap, owner_tz=owner_tz),
    ):
        if not d.allowed:
            return d
    return Decision(True, "allowed")


def _first_slot(
    snap: ContactSnapshot,
    hours: AllowedHours,
    channel: Channel,
    earliest: datetime,
    times: list[datetime],
    cap: int,
    keep_clear_of: list[datetime],
    clearance: timedelta,
    limit: datetime,
) -> datetime | None:
    at = earliest
    while at <= limit:
        if channel.is_timed and not hours.allows(at):
            nxt = hours.next_allowed(at)
            if nxt is None:
                return None
            at = nxt
            continue
        d = cap_decision(snap, at, Basis.PLANNED, times, cap)
        if not d.allowed:
            assert d.suggestion is not None
            at = d.suggestion
            continue
        clash = [a for a in keep_clear_of if abs(a - at) < clearance]
        if clash:
            at = max(clash) + clearance
            continue
        return at
    return None


def find_slot(
    snap: ContactSnapshot,
    channel: Channel,
    earliest: datetime,
    planned_times: Iterable[datetime] = (),
    cap: int = DEFAULT_WEEKLY_CAP,
    horizon: timedelta = timedelta(days=120),
    *,
    keep_clear_of: Iterable[datetime] = (),
    clearance: timedelta = AGREED_CLEARANCE,
    prefer_best_times: bool = False,
    best_within: timedelta = timedelta(days=7),
) -> datetime | None:
    """The nearest instant at or after `earliest` where a *planned* touch is allowed.

    `keep_clear_of` holds agreed follow-ups a cadence step must not crowd (rule 4). With
    `prefer_best_times`, a slot inside the customer's best times within `best_within`
    (at most a week) wins over an earlier one outside them.
    """
    if not channel_decision(snap, channel).allowed:
        return None
    times = list(planned_times)
    agreed = list(keep_clear_of)
    limit = earliest + horizon
    best = snap.best_hours if prefer_best_times and channel.is_timed else None
    if best is not None:
        window = min(limit, earliest + min(best_within, timedelta(days=7)))
        slot = _first_slot(snap, best, channel, earliest, times, cap, agreed, clearance, window)
        if slot is not None:
            return slot
    return _first_slot(snap, snap.hours, channel, earliest, times, cap, agreed, clearance, limit)


def planned_slot_ok(
    snap: ContactSnapshot,
    channel: Channel,
    at: datetime,
    planned_times: Iterable[datetime],
    cap: int = DEFAULT_WEEKLY_CAP,
    keep_clear_of: Iterable[datetime] = (),
    clearance: timedelta = AGREED_CLEARANCE,
) -> bool:
    """True if a planned touch at `at` keeps every rule (channel, hours, cap, agreed clearance)."""
    if not decide(snap, channel, at, Basis.PLANNED, planned_times, cap).allowed:
        return False
    return all(abs(a - at) >= clearance for a in keep_clear_of)


def snooze_target(
    snap: ContactSnapshot, channel: Channel, basis: Basis, until: datetime
) -> datetime:
    """Where a snooze to `until` should land: a planned call or text never outside hours.

    An agreed follow-up may be snoozed to any time (it is the owner's reminder of what the
    customer chose); a planned one moves on to the next allowed instant.
    """
    if basis is Basis.AGREED or not channel.is_timed:
        return until
    return snap.hours.next_allowed(until, horizon_days=60) or until
