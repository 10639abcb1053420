"""How an amount's currency is written where several may meet: "US$", "A$", "£"."""

from __future__ import annotations

# Unambiguous signs: "$" alone could be any of five dollars.
SIGNS = {"AUD": "A$", "USD": "US$", "GBP": "£", "NZD": "NZ$", "EUR": "€", "CAD": "C$"}


def currency_sign(currency: str) -> str:
    """ "US$" for USD; a currency without a sign keeps its code and a space ("CHF ")."""
    code = currency.upper()
    return SIGNS.get(code, f"{code} ")
