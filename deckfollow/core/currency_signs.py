"""How an amount's currency is written where several may meet: "US$", "A$", "£"."""

from __future__ import annotations

# Unambiguous signs: "$" alone could be any of five dollars.
SIGNS = {"AUD": "A$", "USD": "US$", "GBP": "£", "NZD": "NZ$", "EUR": "€", "CAD": "C$"}


def currency_sign(currency: str, home: str = "") -> str:
    """ "US$" for USD; plain "$" when USD is `home`, the business's own currency (as the
    board writes it); a currency without a sign keeps its code and a space ("CHF ")."""
    code = currency.upper()
    sign = SIGNS.get(code, f"{code} ")
    if code == home.upper() and sign.endswith("$"):
        return "$"
    return sign
