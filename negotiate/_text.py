"""Small helpers for text shown to people."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from negotiate.model import Scenario

__all__ = [
    "MAX_DECIMALS",
    "big_count",
    "compared",
    "constraint_label",
    "option_title",
    "ordered_numbers",
    "outcome_titles",
    "possessive",
    "words",
]


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


def constraint_label(s: Scenario, constraint: str) -> str:
    """A constraint with its provenance: party, stance and sources.

    A red line reads ``ru-donbas (Russia, stated: R3, R4)``; a reservation
    ``ru:reservation (Russia's reservation 0.1, analyst judgement)``; a coherence
    constraint ``neutral-bases (coherence constraint)``.

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
    """
    if constraint.endswith(":reservation"):
        party = s.party(constraint.removesuffix(":reservation"))
        return (
            f"{constraint} ({possessive(party.name)} reservation {party.reservation:g}, "
            "analyst judgement)"
        )
    for c in s.constraints:
        if c.id == constraint:
            return f"{constraint} (coherence constraint)"
    owner, red_line = s.red_line(constraint)
    cited = f": {', '.join(red_line.sources)}" if red_line.sources else ", no source cited"
    return f"{constraint} ({owner.name}, {red_line.stance}{cited})"


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
    wanted = None if issues is None else set(issues)
    parts = []
    for issue in s.issues:
        if issue.id in outcome and (wanted is None or issue.id in wanted):
            parts.append(f"{issue.id}: {option_title(s, issue.id, outcome[issue.id])}")
    return "; ".join(parts)
