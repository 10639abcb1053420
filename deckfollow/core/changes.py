"""What a service changed, so each open view refreshes only what it must."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Changes:
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
        )


EVERYTHING = Changes(True, True, True, True, True, True)
