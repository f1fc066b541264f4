"""Small helpers for text shown to people."""

from __future__ import annotations

__all__ = ["JSON_INT_DIGITS", "big_count", "exact_digits", "json_count", "possessive"]


def _digits(n: int) -> int:
    """Number of decimal digits of ``n >= 1``, without converting it to text."""
    d = max(1, int(n.bit_length() * 0.30102999566398120) )
    while 10**d <= n:
        d += 1
    while d > 1 and 10 ** (d - 1) > n:
        d -= 1
    return d


def big_count(n: int) -> str:
    """A count for people: digits with separators below 10^15, else ``m × 10^e``.

    Exact integer arithmetic only: no float (10^400 does not fit one) and no
    conversion of the whole number to text (Python refuses more than 4,300 digits).

    >>> from negotiate._text import big_count
    >>> big_count(3538944000), big_count(10**40), big_count(12 * 10**399)
    ('3,538,944,000', '1 × 10^40', '1.2 × 10^400')
    >>> big_count(2**15000)
    '2.82 × 10^4515'
    """
    if n < 10**15:
        return f"{n:,}"
    e = _digits(n) - 1
    lead = (n + 5 * 10 ** (e - 3)) // 10 ** (e - 2)  # three significant digits, rounded
    if lead >= 1000:
        e, lead = e + 1, lead // 10
    mantissa = f"{lead // 100}.{lead % 100:02d}".rstrip("0").rstrip(".")
    return f"{mantissa} × 10^{e}"


#: Counts with more digits than this go to JSON as a string of digits (Python's
#: ``json`` refuses to read integers longer than its default limit of 4,300 digits).
JSON_INT_DIGITS = 4300


def json_count(n: int | None) -> int | str | None:
    """A count for JSON: the exact integer, or its exact decimal digits as a string
    when it has more than `JSON_INT_DIGITS` digits.

    >>> from negotiate._text import json_count
    >>> json_count(10**20), json_count(None), len(json_count(2**15000))
    (100000000000000000000, None, 4516)
    """
    if n is None or n < 10**JSON_INT_DIGITS:
        return n
    return exact_digits(n)


def exact_digits(n: int) -> str:
    """All decimal digits of ``n >= 0``, however many (split below the text limit)."""
    if n < 10**1000:
        return str(n)
    half = _digits(n) // 2
    high, low = divmod(n, 10**half)
    return exact_digits(high) + exact_digits(low).rjust(half, "0")


def possessive(name: str) -> str:
    """``name``'s, written so that long or plural-looking names still read well.

    >>> from negotiate._text import possessive
    >>> possessive("Russia"), possessive("United States"), possessive("Europe (E3 / EU)")
    ("Russia's", "United States'", "Europe (E3 / EU)'s")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"
