"""Small helpers for text shown to people."""

from __future__ import annotations

__all__ = ["big_count", "possessive"]


def big_count(n: int) -> str:
    """A count for people: digits with separators below 10^15, else scientific.

    >>> from negotiate._text import big_count
    >>> big_count(3538944000), big_count(10**40)
    ('3,538,944,000', '1e+40')
    """
    return f"{n:,}" if n < 10**15 else f"{float(n):.3g}"


def possessive(name: str) -> str:
    """``name``'s, written so that long or plural-looking names still read well.

    >>> from negotiate._text import possessive
    >>> possessive("Russia"), possessive("United States"), possessive("Europe (E3 / EU)")
    ("Russia's", "United States'", "Europe (E3 / EU)'s")
    """
    return f"{name}'" if name.endswith("s") else f"{name}'s"
