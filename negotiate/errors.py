"""The exceptions negotiate raises.

Every error the library raises on purpose derives from :class:`NegotiateError`,
so ``except ng.NegotiateError`` catches all of them.
"""

from __future__ import annotations

__all__ = [
    "CountTooLargeError",
    "GraphTooLargeError",
    "InvalidArgumentError",
    "NegotiateError",
    "NoAgreementError",
    "RuleSyntaxError",
    "ScenarioError",
    "ScenarioFileError",
    "SearchLimitError",
]


class NegotiateError(Exception):
    """Base class of every error raised by negotiate."""


class ScenarioError(NegotiateError, ValueError):
    """Raised when a scenario (or a proposal, outcome, or rule) is not valid.

    The message names where the problem is (a location path such as
    ``parties[1].red_lines[0].rule``) and what would be right.

    Attributes
    ----------
    problems : list of tuple (location, message)
        Every problem found, in document order.
    """

    def __init__(self, message: str, problems: list[tuple[str, str]] | None = None):
        super().__init__(message)
        self.problems: list[tuple[str, str]] = problems if problems is not None else []


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
