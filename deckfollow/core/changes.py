"""What a service changed, so each open view refreshes only what it must."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Changes:
    """The kinds of records a change touched and, where the service says, which ones.

    `quote_ids` and `customer_ids` name the records touched; empty means the change did not
    say (a view then treats every record of that kind as possibly changed).
    """

    customers: bool = False
    quotes: bool = False
    touches: bool = False
    follow_ups: bool = False
    consent: bool = False
    settings: bool = False
    created_ids: tuple[int, ...] = field(default=())
    # What the user should be told the change did beyond what they asked
    # ("Cancelled the agreed call on Thu 10 Dec at 10:00").
    notices: tuple[str, ...] = field(default=())
    quote_ids: frozenset[int] = field(default=frozenset())
    customer_ids: frozenset[int] = field(default=frozenset())

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            customers=self.customers or other.customers,
            quotes=self.quotes or other.quotes,
            touches=self.touches or other.touches,
            follow_ups=self.follow_ups or other.follow_ups,
            consent=self.consent or other.consent,
            settings=self.settings or other.settings,
            created_ids=self.created_ids + other.created_ids,
            notices=self.notices + other.notices,
            quote_ids=_union_if_both_say(
                self.quotes, self.quote_ids, other.quotes, other.quote_ids
            ),
            customer_ids=_union_if_both_say(
                self.customers, self.customer_ids, other.customers, other.customer_ids
            ),
        )

    def about(self, *, quotes: Iterable[int] = (), customers: Iterable[int] = ()) -> Changes:
        """These changes, naming the quotes and customers they touched. The service says so
        where it knows: every record it touched is one of these quotes, or belongs to one of
        these customers (their quotes, follow-ups and touches included)."""
        return replace(
            self,
            quote_ids=self.quote_ids | frozenset(quotes),
            customer_ids=self.customer_ids | frozenset(customers),
        )

    def touches_records(self) -> bool:
        """Did it change anything a view shows (rather than nothing, or only a notice)?"""
        return (
            self.quotes
            or self.customers
            or self.follow_ups
            or self.touches
            or self.consent
            or self.settings
        )

    def names_quotes(self) -> bool:
        """Does this change say exactly which quotes it touched?"""
        return bool(self.quote_ids)

    def names_customers(self) -> bool:
        """Does this change say exactly which customers it touched?"""
        return bool(self.customer_ids)


def _union_if_both_say(
    touched: bool, ids: frozenset[int], other_touched: bool, other_ids: frozenset[int]
) -> frozenset[int]:
    # A side that touched the kind without naming records makes the union unknown (empty):
    # joining its silence with the other's ids would claim only those changed.
    if (touched and not ids) or (other_touched and not other_ids):
        return frozenset()
    return ids | other_ids


EVERYTHING = Changes(True, True, True, True, True, True)
