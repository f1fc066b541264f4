"""The exceptions negotiate raises.

Every error the library raises on purpose derives from :class:`NegotiateError`,
so ``except ng.NegotiateError`` catches all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

__all__ = [
    "CountTooLargeError",
    "GraphTooLargeError",
    "InvalidArgumentError",
    "NegotiateError",
    "NoAgreementError",
    "Problem",
    "RuleSyntaxError",
    "ScenarioError",
    "ScenarioFileError",
    "SearchLimitError",
]


class NegotiateError(Exception):
    """Base class of every error raised by negotiate."""


class Problem(NamedTuple):
    """One problem found in a scenario: where it is, what is wrong, what would be right.

    ``str(problem)`` is the line the error message shows:
    ``location: message`` plus ``(line L, column C)`` when the scenario came from a file.

    Examples
    --------
    >>> p = ng.errors.Problem("parties[0].reservation", "Input should be a valid number", 7, 18)
    >>> str(p)
    'parties[0].reservation: Input should be a valid number (line 7, column 18)'
    >>> p.location, p.line, p.kind
    ('parties[0].reservation', 7, 'schema')
    """

    location: str
    """Path inside the scenario, such as ``parties[1].red_lines[0].rule`` ("" for the whole)."""
    message: str
    """What is wrong and, where possible, what would be right (a did-you-mean)."""
    line: int | None = None
    """1-based line in the file, when the scenario was read from one."""
    column: int | None = None
    """1-based column in the file, when the scenario was read from one."""
    kind: str = "schema"
    """``"schema"``: the JSON Schema (`ng.json_schema`) rejects it too (a wrong type, a
    missing or unknown key, a number out of range, an id that is not an id);
    ``"consistency"``: well-formed but inconsistent, which no JSON Schema can see
    (an unknown issue in a rule, a duplicate id, rule syntax, a ranking that skips an
    option, numbers too fine to compare exactly)."""

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.line is not None:
            text += f" (line {self.line}" + (
                f", column {self.column})" if self.column is not None else ")"
            )
        return text


class ScenarioError(NegotiateError, ValueError):
    """Raised when a scenario (or a proposal, outcome, or rule) is not valid.

    The message has one ``location: message`` line per problem (with
    ``(line L, column C)`` for a file) and says what would be right.

    Attributes
    ----------
    problems : list of Problem
        Every problem found, in document order.
    """

    def __init__(
        self, message: str, problems: Iterable[Problem | tuple[str, str]] | None = None
    ):
        super().__init__(message)
        self.problems: list[Problem] = [
            p if isinstance(p, Problem) else Problem(p[0], p[1], kind="consistency")
            for p in (problems or ())
        ]


class InvalidArgumentError(NegotiateError, ValueError):
    """Raised when an argument is out of range or of the wrong type.

    The message gives ``name=value`` and what would be right, as in
    ``limit=0 must be a positive integer``. Problems with a scenario's content
    (unknown ids, invalid rules) raise `ScenarioError` instead. It is a
    `ValueError`, so ``except ValueError`` catches it too.
    """


class ScenarioFileError(ScenarioError):
    """Raised when a scenario file cannot be read or parsed (bad YAML/JSON,
    wrong encoding, empty, too large, hostile constructs)."""


class RuleSyntaxError(ScenarioError):
    """Raised when a red-line rule is not valid rule-language text.

    Attributes
    ----------
    text : str
        The rule text.
    column : int
        1-based column of the offending character.
    """

    def __init__(self, message: str, text: str = "", column: int = 1):
        super().__init__(message, [("rule", message)])
        self.text = text
        self.column = column


class NoAgreementError(NegotiateError):
    """Raised when an analysis needs an agreement zone and the zone is empty.

    Attributes
    ----------
    explanation : DeadlockExplanation or None
        Why there is no agreement, when it could be computed.
    """

    def __init__(self, message: str, explanation: object | None = None):
        super().__init__(message)
        self.explanation = explanation


class CountTooLargeError(NegotiateError):
    """Raised when an exact count (or enumeration) is out of reach within
    the given limits. The message points to the estimate to use instead."""


class GraphTooLargeError(NegotiateError):
    """Raised when a graph would have more nodes than the ``limit`` allowed."""


class SearchLimitError(NegotiateError):
    """Raised when a search stops at a limit (a solver's time limit, a number of
    sampling tries) before it could answer. Nothing is guessed: the message
    names the limit that was reached and how to raise it.

    Attributes
    ----------
    partial : object or None
        What was found before the limit, when anything was (the message says so).
    """

    def __init__(self, message: str, partial: object | None = None):
        super().__init__(message)
        self.partial = partial
