"""Parties: preferences, red lines, reservation and power."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_serializer,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from negotiate.model._base import (
    _CONFIG,
    Ident,
    Name,
    Number,
    Stance,
    Text,
    Unit,
    _finite,
    _Problems,
    _rule_from_text,
)
from negotiate.model._ranges import (
    NonNegativeInput,
    Range,
    UnitInput,
    midpoint,
    no_range_field,
    range_error,
    to_midpoint,
    valid_range,
    values_to_midpoints,
)
from negotiate.model.issue import Issue
from negotiate.rules import Rule

__all__ = ["Party", "Preference", "RedLine"]


def _values_match(data: Mapping[str, Any]) -> bool:
    """A re-validated preference passes back value ranges that match its nominal values."""
    spans, values = data.get("values_range"), data.get("values")
    return isinstance(spans, Mapping) and isinstance(values, Mapping) and all(
        isinstance(span, list | tuple) and range_error(span, "", None, None) is None
        and isinstance(values.get(option), int | float | list | tuple)
        and (values[option] == midpoint(span) or isinstance(values[option], list | tuple))
        for option, span in spans.items()
    )


class Preference(BaseModel):
    """How much one issue matters to a party and how it values the options.

    Give either ``values`` (option id -> number in [0, 1]; omitted options
    get 0) or ``ranking`` (best-first list of *all* the issue's option ids,
    turned into evenly spaced values from 1 for the first to 0 for the last).
    """

    model_config = _CONFIG

    importance: Annotated[
        Number, BeforeValidator(to_midpoint("importance", 0.0, None),
                                json_schema_input_type=NonNegativeInput)
    ] = Field(ge=0)
    """Non-negative weight; a party's importances are normalised to sum to 1. May be an
    uncertain range ``[low, high]`` (uniform; the midpoint is the nominal value)."""
    values: Annotated[
        dict[Name, Unit] | None,
        BeforeValidator(values_to_midpoints,
                        json_schema_input_type=dict[Name, UnitInput] | None),
    ] = None
    """Option id -> value in [0, 1] (or an uncertain range ``[low, high]`` within [0, 1]);
    options left out get 0."""
    ranking: tuple[Name, ...] | None = None
    """Best-first permutation of the issue's option ids."""
    importance_range: SkipJsonSchema[Range | None] = None
    """The uncertain range of ``importance`` when written as ``[low, high]`` (else None)."""
    values_range: SkipJsonSchema[dict[Name, Range] | None] = None
    """The uncertain ranges of option values written as ``[low, high]`` (else None)."""

    @model_validator(mode="before")
    @classmethod
    def _ranges(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        no_range_field(data, "importance_range", "importance")
        if data.get("values_range") is not None and not _values_match(data):
            raise ValueError("write value ranges as 'values: {option: [low, high]}', "
                             "not as 'values_range'")
        data = dict(data)
        span = valid_range(data.get("importance"), 0.0, None)
        if span is not None:
            data["importance_range"] = span
        values = data.get("values")
        if isinstance(values, Mapping):
            spans = {o: r for o, v in values.items() if (r := valid_range(v, 0.0, 1.0))}
            if spans:  # ranges written in ``values`` win over a passed-back companion
                data["values_range"] = spans
        return data

    @model_serializer(mode="wrap")
    def _dump_ranges(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            data.pop("importance_range", None)
            data.pop("values_range", None)
            if self.importance_range is not None:
                data["importance"] = list(self.importance_range)
            if self.values_range and isinstance(data.get("values"), dict):
                data["values"] = {
                    o: list(self.values_range[o]) if o in self.values_range else v
                    for o, v in data["values"].items()
                }
        return data

    @field_validator("importance")
    @classmethod
    def _finite_importance(cls, value: float) -> float:
        return _finite(value, "importance")

    @model_validator(mode="after")
    def _one_of(self) -> Preference:
        if (self.values is None) == (self.ranking is None):
            raise _Problems([(
                (),
                "give exactly one of 'values' (option -> number in [0, 1]) or "
                "'ranking' (best-first list of option ids)"
            )])
        return self

    def value_table(self, issue: Issue) -> tuple[float, ...]:
        """Each option's value in [0, 1], in the issue's option order."""
        if self.values is not None:
            return tuple(float(self.values.get(o, 0.0)) for o in issue.option_ids)
        assert self.ranking is not None
        n = len(self.ranking)
        position = {o: k for k, o in enumerate(self.ranking)}
        return tuple(
            1.0 if n == 1 else (n - 1 - position[o]) / (n - 1) for o in issue.option_ids
        )


class RedLine(BaseModel):
    """A red line: a rule every acceptable outcome must satisfy, with provenance."""

    model_config = _CONFIG

    id: Ident
    """Id, unique across the whole scenario."""
    rule: Annotated[Rule, BeforeValidator(_rule_from_text, json_schema_input_type=str | Rule)]
    """The rule, written in the rule language (stored as a syntax tree)."""
    stance: Stance = "inferred"
    """``stated`` (said publicly), ``reported`` (reported by others) or ``inferred``
    (the analyst's reading; the default, so an unlabelled red line is never taken
    for a public position)."""
    sources: tuple[Ident, ...] = ()
    """Ids of the sources this red line rests on."""
    note: Text = ""
    """Free-text note: context, wording, caveats."""
    cost: Number = Field(default=1.0, gt=0)
    """How costly it is for the party to give this red line up (weighted relaxations)."""
    confidence: Number | None = Field(default=None, gt=0, le=1)
    """Probability, in (0, 1], that the red line is real and binding (robustness
    analysis). None: the default of its stance (stated 1, reported 0.75, inferred 0.5)."""

    @field_validator("cost")
    @classmethod
    def _finite_cost(cls, value: float) -> float:
        return _finite(value, "cost")

    @field_serializer("rule")
    def _render_rule(self, rule: Rule) -> str:
        from negotiate.rules import render

        return render(rule)


class Party(BaseModel):
    """A party: its preferences, red lines, reservation utility and power."""

    model_config = _CONFIG

    id: Ident
    """Party id, unique in the scenario."""
    name: Text = ""
    """Display name; defaults to the id."""
    reservation: Annotated[
        Number, BeforeValidator(to_midpoint("reservation", 0.0, 1.0),
                                json_schema_input_type=UnitInput)
    ] = Field(default=0.0, ge=0.0, le=1.0)
    """Minimum utility the party accepts (its disagreement point), in [0, 1]; may be an
    uncertain range ``[low, high]`` (uniform; the midpoint is the nominal value)."""
    power: Number = Field(default=1.0, gt=0)
    """Bargaining weight: the exponent of the power-weighted Nash solution."""
    preferences: dict[Name, Preference] = Field(default_factory=dict)
    """Issue id -> preference; an issue not listed has importance 0."""
    red_lines: tuple[RedLine, ...] = ()
    """Outcomes the party will not accept, as rules that must hold."""
    reservation_cost: Number = Field(default=1.0, gt=0)
    """Cost of giving up the reservation constraint (weighted relaxations)."""
    reservation_range: SkipJsonSchema[Range | None] = None
    """The uncertain range of ``reservation`` when written as ``[low, high]`` (else None)."""
    note: Text = ""
    """Free text about the party (e.g. a GENIUS discount factor kept on import)."""

    @model_validator(mode="before")
    @classmethod
    def _reservation_range(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return data
        no_range_field(data, "reservation_range", "reservation")
        span = valid_range(data.get("reservation"), 0.0, 1.0)
        return {**data, "reservation_range": span} if span is not None else data

    @model_serializer(mode="wrap")
    def _dump_range(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            data.pop("reservation_range", None)
            if self.reservation_range is not None and "reservation" in data:
                data["reservation"] = list(self.reservation_range)
        return data

    @field_validator("power", "reservation_cost")
    @classmethod
    def _finite_power(cls, value: float, info: ValidationInfo) -> float:
        return _finite(value, str(info.field_name))

    @model_validator(mode="after")
    def _default_name(self) -> Party:
        if not self.name:
            object.__setattr__(self, "name", self.id)
        return self

    @property
    def reservation_id(self) -> str:
        """Constraint id of the reservation, ``<party>:reservation``."""
        return f"{self.id}:reservation"
