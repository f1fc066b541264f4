"""Issues and their options."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, Strict, field_validator, model_validator

from negotiate.model._base import _CONFIG, Name, _id_from_scalar, _not_reserved

__all__ = ["Issue", "Option"]


class Option(BaseModel):
    """One discrete option of an issue."""

    model_config = _CONFIG

    id: Name
    """Option id (letters, digits and ``_``), unique within its issue."""
    title: str = ""
    """Human-readable label; defaults to the id."""

    @model_validator(mode="after")
    def _default_title(self) -> Option:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        return self


def _options_from_ids(value: Any) -> Any:
    # Allow the short form ``options: [a, b, c]``.
    if isinstance(value, list | tuple):
        return [
            {"id": _id_from_scalar(v)} if isinstance(v, str | int) and not isinstance(v, bool)
            else v
            for v in value
        ]
    return value


class Issue(BaseModel):
    """An issue on the table, with its discrete options."""

    model_config = _CONFIG

    id: Name
    """Issue id (letters, digits and ``_``), unique in the scenario."""
    title: str = ""
    """Human-readable title; defaults to the id."""
    options: Annotated[
        tuple[Option, ...],
        BeforeValidator(_options_from_ids, json_schema_input_type=list[Option | Name]),
    ] = Field(min_length=1)
    """The options, listed in order (lowest first when ``ordered``); each an
    ``{id, title}`` mapping or just an id."""
    ordered: Annotated[bool, Strict()] = False
    """Options run from one end of a scale to the other; allows ``<``, ``>=`` ... in rules."""
    description: str = ""
    """Optional longer explanation."""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return _not_reserved(value)

    @model_validator(mode="after")
    def _check(self) -> Issue:
        if not self.title:
            object.__setattr__(self, "title", self.id)
        seen: set[str] = set()
        for k, option in enumerate(self.options):
            _not_reserved(option.id)
            if option.id in seen:
                raise ValueError(f"options[{k}]: duplicate option id '{option.id}'")
            seen.add(option.id)
        return self

    @property
    def option_ids(self) -> tuple[str, ...]:
        """The option ids in listed order."""
        return tuple(o.id for o in self.options)
