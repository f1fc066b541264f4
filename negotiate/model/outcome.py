"""The `Outcome` type: an immutable mapping from issue id to option id."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

__all__ = ["Outcome"]


class Outcome(Mapping[str, str]):
    """An immutable mapping from issue id to the chosen option id.

    An *outcome* picks one option on every issue of a scenario. It compares
    equal to any mapping with the same items, is hashable, and keeps the
    issue order it was built with.

    Parameters
    ----------
    mapping : mapping of str to str, optional
        Issue id to option id.
    **items : str
        More issue/option pairs.

    Examples
    --------
    >>> o = ng.Outcome({"tariff": "low", "quota": "no"})
    >>> o["tariff"]
    'low'
    >>> o == {"quota": "no", "tariff": "low"}
    True
    >>> dict(o)
    {'tariff': 'low', 'quota': 'no'}
    """

    __slots__ = ("_data", "_hash")

    def __init__(self, mapping: Mapping[str, str] | None = None, /, **items: str) -> None:
        data: dict[str, str] = dict(mapping or {})
        data.update(items)
        for key, value in data.items():
            if not isinstance(key, str) or not isinstance(value, str):
                raise TypeError(
                    f"an Outcome maps issue ids to option ids (both str); got {key!r}: {value!r}"
                )
        self._data = data
        self._hash: int | None = None

    @classmethod
    def _trusted(cls, data: dict[str, str]) -> Outcome:
        """An Outcome over ``data`` as is: engines building many outcomes from a compiled
        scenario's own ids (str, already checked) skip the checks; ``data`` is not copied."""
        new = cls.__new__(cls)
        new._data = data
        new._hash = None
        return new

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._data) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Outcome({self._data!r})"

    def __str__(self) -> str:
        return ", ".join(f"{k}={v}" for k, v in self._data.items())

    def to_dict(self) -> dict[str, str]:
        """Return a plain ``dict`` copy (issue id -> option id).

        Examples
        --------
        >>> ng.Outcome(a="x").to_dict()
        {'a': 'x'}
        """
        return dict(self._data)

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        from_dict = core_schema.no_info_after_validator_function(
            cls, core_schema.dict_schema(core_schema.str_schema(), core_schema.str_schema())
        )
        return core_schema.json_or_python_schema(
            json_schema=from_dict,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_dict]
            ),
            serialization=core_schema.plain_serializer_function_ser_schema(
                lambda o: dict(o), when_used="always"
            ),
        )
