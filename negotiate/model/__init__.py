"""The domain model (pydantic v2, frozen): scenarios and everything in them."""

from negotiate.model._ranges import DEFAULT_CONFIDENCE
from negotiate.model.outcome import Outcome
from negotiate.model.scenario import (
    ACCEPTANCE_TOLERANCE,
    RESERVED_WORDS,
    Constraint,
    Issue,
    Option,
    Party,
    Preference,
    Proposal,
    RedLine,
    Scenario,
    Source,
    Stance,
)

__all__ = [
    "ACCEPTANCE_TOLERANCE",
    "DEFAULT_CONFIDENCE",
    "RESERVED_WORDS",
    "Constraint",
    "Issue",
    "Option",
    "Outcome",
    "Party",
    "Preference",
    "Proposal",
    "RedLine",
    "Scenario",
    "Source",
    "Stance",
]
