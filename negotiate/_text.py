"""Small helpers for text shown to people."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negotiate.model import Scenario

__all__ = [
    "EXPLAIN",
    "JSON_INT_DIGITS",
    "MAX_DECIMALS",
    "WIDTH",
    "big_count",
    "compared",
    "constraint_label",
    "exact_digits",
    "json_count",
    "option_title",
    "ordered_numbers",
    "outcome_lines",
    "outcome_titles",
    "possessive",
    "words",
    "wrap_lines",
]

#: One line each for the words a reader meets first in a section of the text output.
EXPLAIN = {
    "reservation": (
        "Utilities run from 0 (a party's worst outcome) to 1 (its best); a party's "
        "reservation is the least utility it would settle for rather than have no deal "
        "(an analyst judgement)."
    ),
    "relaxation": (
        "A relaxation is a set of red lines (or reservations) that, if the parties holding "
        "them gave them up, would leave some outcome acceptable to every party."
    ),
    "what_if": (
        "A what-if assumes one relaxation (its red lines given up) and shows the deals that "
        "would then be possible: hypothetical, not a forecast. The Pareto frontier is the set "
        "of outcomes no party can improve on without another losing; the bargaining "
        "solutions pick one of them: Nash (largest product of the parties' gains), "
        "Kalai–Smorodinsky (equal shares of each party's best), Egalitarian (the worst-off "
        "party as well off as possible), Utilitarian (largest total)."
    ),
}

#: Width text output is wrapped to (continuation lines are indented under their bullet).
WIDTH = 100



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


#: Integers of at most this many bits have fewer than `JSON_INT_DIGITS` digits (2^14000 <
#: 10^4300): `json_count` returns them without computing 10^4300 (47 µs a call).
_SURELY_SHORT_BITS = 14_000


def json_count(n: int | None) -> int | str | None:
    """A count for JSON: the exact integer, or its exact decimal digits as a string
    when it has more than `JSON_INT_DIGITS` digits.

    >>> from negotiate._text import json_count
    >>> json_count(10**20), json_count(None), len(json_count(2**15000))
    (100000000000000000000, None, 4516)
    """
    if n is None or n.bit_length() <= _SURELY_SHORT_BITS or n < 10**JSON_INT_DIGITS:
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


# -- honest numbers, labels and titles (shared by the text output and the reports) -------------

#: Most decimals :func:`ordered_numbers` prints: utilities are compared exactly by the engine,
#: and two numbers that agree to this many decimals are printed (and treated) as equal.
MAX_DECIMALS = 12


def _decimals(x: float, d: int) -> Decimal:
    return Decimal(x).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_EVEN)


def _sign(a: Decimal, b: Decimal) -> int:
    return (a > b) - (a < b)


def ordered_numbers(values: Sequence[float], digits: int = 2) -> tuple[str, ...]:
    """Numbers for people, with as many decimals as it takes to keep their order.

    Every value gets the same number of decimals: at least ``digits``, more
    when rounding would make two values that differ read as equal or in the
    wrong order (up to :data:`MAX_DECIMALS`; values that agree to that many
    decimals are taken as equal). Trailing zeros are dropped, so a
    reservation of 0.45 reads ``0.45`` beside a utility of ``0.4496``. Use it
    for every pair of numbers a text compares, such as a utility and the
    reservation it is held against.

    Examples
    --------
    >>> from negotiate._text import ordered_numbers
    >>> ordered_numbers([0.4496, 0.45])
    ('0.4496', '0.45')
    >>> ordered_numbers([0.66, 0.1])
    ('0.66', '0.1')
    >>> ordered_numbers([0.45000000000000001, 0.45])
    ('0.45', '0.45')
    """
    exact = [_decimals(v, MAX_DECIMALS) for v in values]
    for d in range(digits, MAX_DECIMALS + 1):
        shown = [_decimals(v, d) for v in values]
        if all(
            _sign(shown[i], shown[j]) == _sign(exact[i], exact[j])
            for i in range(len(values)) for j in range(i + 1, len(values))
        ):
            break
    return tuple(_plain(v, d) for v in values)


def _plain(x: float, d: int) -> str:
    text = f"{_decimals(x, d):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def compared(a: float, b: float, digits: int = 2) -> tuple[str, str]:
    """Two numbers printed so that their order reads right (see :func:`ordered_numbers`).

    Examples
    --------
    >>> from negotiate._text import compared
    >>> compared(0.4496, 0.45)
    ('0.4496', '0.45')
    """
    x, y = ordered_numbers([a, b], digits)
    return x, y


def words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> from negotiate._text import words
    >>> words(["a", "b", "c"])
    'a, b and c'
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def constraint_label(s: Scenario, constraint: str, *, party: bool = True) -> str:
    """A constraint with its provenance: party, stance and sources.

    A red line reads ``ru-donbas (Russia, stated: R3, R4)``; a reservation
    ``ru:reservation (Russia's reservation 0.1, analyst judgement)``; a coherence
    constraint ``neutral-bases (coherence constraint)``. With ``party=False``
    (for text that already names the party beside it) the party is left out:
    ``ru-donbas (stated: R3, R4)``, ``ru:reservation (reservation 0.1, analyst judgement)``.

    Examples
    --------
    >>> from negotiate._text import constraint_label
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... sources: [{id: S1}]
    ... issues: [{id: a, options: [x, y]}]
    ... parties:
    ...   - {id: p, name: Pat, reservation: 0.2, red_lines: [{id: p1, rule: "a == x", stance: stated, sources: [S1]}]}
    ... ''')
    >>> constraint_label(s, "p1"), constraint_label(s, "p:reservation")
    ('p1 (Pat, stated: S1)', "p:reservation (Pat's reservation 0.2, analyst judgement)")
    >>> constraint_label(s, "p1", party=False)
    'p1 (stated: S1)'
    """
    if constraint.endswith(":reservation"):
        owner = s.party(constraint.removesuffix(":reservation"))
        whose = f"{possessive(owner.name)} " if party else ""
        return f"{constraint} ({whose}reservation {owner.reservation:g}, analyst judgement)"
    for c in s.constraints:
        if c.id == constraint:
            return f"{constraint} (coherence constraint)"
    holder, red_line = s.red_line(constraint)
    cited = f": {', '.join(red_line.sources)}" if red_line.sources else ", no source cited"
    who = f"{holder.name}, " if party else ""
    return f"{constraint} ({who}{red_line.stance}{cited})"



def wrap_lines(text: str, width: int = WIDTH) -> str:
    """Wrap every line of ``text`` longer than ``width``; continuation lines are
    indented under the start of the bullet's text (``- ``, ``1. ``), two spaces
    deeper for another indented line, not at all for a plain paragraph. Words are
    never split (ids keep their hyphens).

    Examples
    --------
    >>> from negotiate._text import wrap_lines
    >>> print(wrap_lines("- " + "word-with-hyphens " * 6, width=40))
    - word-with-hyphens word-with-hyphens
      word-with-hyphens word-with-hyphens
      word-with-hyphens word-with-hyphens
    >>> print(wrap_lines("  Pat: accepts (utility 0.9, reservation 0.1); a long tail here", 40))
      Pat: accepts (utility 0.9, reservation
        0.1); a long tail here
    """
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        lead = len(line) - len(line.lstrip(" "))
        body = line[lead:]
        match = re.match(r"(?:[-*] |\d+\. )", body)
        hang = lead + (len(match.group(0)) if match else 2 if lead else 0)
        out.append(textwrap.fill(
            line, width, subsequent_indent=" " * hang, break_long_words=False,
            break_on_hyphens=False,
        ))
    return "\n".join(out)


def option_title(s: Scenario, issue: str, option: str) -> str:
    """The title of an option (its id when it has none).

    >>> from negotiate._text import option_title
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, title: Price, options: [{id: x, title: Low price}, y]}]
    ... parties: [{id: p}]
    ... ''')
    >>> option_title(s, "a", "x"), option_title(s, "a", "y")
    ('Low price', 'y')
    """
    for o in s.issue(issue).options:
        if o.id == option:
            return o.title
    return option


def outcome_titles(
    s: Scenario, outcome: Mapping[str, str], issues: Iterable[str] | None = None
) -> str:
    """An outcome for people: ``issue: option title; ...`` (all issues, or ``issues``).

    >>> from negotiate._text import outcome_titles
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, title: Price, options: [{id: x, title: Low price}, y]}, {id: b, options: [u, v]}]
    ... parties: [{id: p}]
    ... ''')
    >>> outcome_titles(s, {"a": "x", "b": "v"})
    'a: Low price; b: v'
    """
    return "; ".join(outcome_lines(s, outcome, issues))


def outcome_lines(
    s: Scenario, outcome: Mapping[str, str], issues: Iterable[str] | None = None
) -> list[str]:
    """An outcome for people, one ``issue: option title`` per issue, in scenario order.

    >>> from negotiate._text import outcome_lines
    >>> s = ng.loads('''
    ... format: 1
    ... id: t
    ... issues: [{id: a, options: [{id: x, title: "Low; fixed"}, y]}, {id: b, options: [u, v]}]
    ... parties: [{id: p}]
    ... ''')
    >>> outcome_lines(s, {"a": "x", "b": "v"}, ["a"])
    ['a: Low; fixed']
    """
    wanted = None if issues is None else set(issues)
    return [
        f"{issue.id}: {option_title(s, issue.id, outcome[issue.id])}"
        for issue in s.issues
        if issue.id in outcome and (wanted is None or issue.id in wanted)
    ]
