"""Issues and their options."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, Strict, field_validator, model_validator

from negotiate.model._base import _CONFIG, Name, Text, _not_reserved, _Problems

__all__ = ["Issue", "Option"]


class Option(BaseModel):
    """One discrete option of an issue."""

    model_config = _CONFIG

    id: Name
    """Option id (letters, digits and ``_``), unique within its issue."""
    title: Text = ""
    """Human-readable label; defaults to the id."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _not_reserved(value)

    @model_validator(mode="after")
    def _default_title(self) -> Option:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        return self


def _options_from_ids(value: Any) -> Any:
    # Allow the short form ``options: [a, b, c]``.
    if isinstance(value, list | tuple):
        return [
            # a number gets the id check's message ("ids are text ...")
            {"id": v} if isinstance(v, str | int | float) and not isinstance(v, bool) else v
            for v in value
        ]
    return value


class Issue(BaseModel):
    """An issue on the table, with its discrete options."""

    model_config = _CONFIG

    id: Name
    """Issue id (letters, digits and ``_``), unique in the scenario."""
    title: Text = ""
    """Human-readable title; defaults to the id."""
    options: Annotated[
        tuple[Option, ...],
        BeforeValidator(
            _options_from_ids,
            json_schema_input_type=Annotated[list[Option | Name], Field(min_length=1)],
        ),
    ] = Field(min_length=1)
    """The options, listed in order (lowest first when ``ordered``); each an
    ``{id, title}`` mapping or just an id."""
    ordered: Annotated[bool, Strict()] = False
    """Options run from one end of a scale to the other; allows ``<``, ``>=`` ... in rules."""
    description: Text = ""
    """Optional longer explanation."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _not_reserved(value)

    @field_validator("options")
    @classmethod
    def _unique_options(cls, options: tuple[Option, ...]) -> tuple[Option, ...]:
        seen: set[str] = set()
        problems = []
        for k, option in enumerate(options):
            if option.id in seen:
                problems.append(((k, "id"), f"duplicate option id '{option.id}'"))
            seen.add(option.id)
        if problems:
            raise _Problems(problems)
        return options

    @model_validator(mode="after")
    def _default_title(self) -> Issue:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        return self

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The option ids in listed order."""
        return tuple(o.id for o in self.options)
