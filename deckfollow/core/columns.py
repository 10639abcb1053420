"""Portable column types: exact money and UTC timestamps on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect
from sqlalchemy.types import TypeDecorator

_CENT = Decimal("0.01")


class Money(TypeDecorator[Decimal]):
    """A Decimal amount kept as whole cents in a BIGINT.

    SQLite has no exact decimal type; storing minor units keeps amounts exact, sortable and
    summable in SQL on every back-end.
    """

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        return int((Decimal(value) / _CENT).to_integral_value(ROUND_HALF_EVEN))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return (Decimal(int(value)) * _CENT).quantize(_CENT)


def cents_to_decimal(cents: int | None) -> Decimal:
    """Turn a raw cents value from a Core/SQL aggregate into a Decimal amount."""
    return (Decimal(int(cents or 0)) * _CENT).quantize(_CENT)


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as naive UTC; naive input is refused rather than guessed."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stamp: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        return stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
