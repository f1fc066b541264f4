"""The library accepts exactly what the JSON Schema accepts.

Starting from a valid scenario document (every optional part filled in), each test
mutates it (a value replaced by one of another type or out of range, a key deleted,
renamed or added) and checks, for every mutated document:

- the JSON Schema (with format checking, so dates are checked) rejects it exactly when
  the library reports a problem of kind ``"schema"``;
- a document the library accepts is accepted by the schema;
- problems of kind ``"consistency"`` (unknown ids, duplicates, rule syntax) are what no
  schema can see, so the schema may accept a document that has only those.

Single mutations are enumerated exhaustively; pairs of mutations are drawn by Hypothesis.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng

jsonschema = pytest.importorskip("jsonschema")

BASE: dict[str, Any] = {
    "format": 1,
    "id": "toy-trade",
    "title": "A toy trade negotiation",
    "as_of": "2025-12-02",
    "description": "text",
    "sources": [{"id": "s1", "title": "Some article", "publisher": "Outlet",
                 "date": "2025-12-01", "url": "https://example.org/a"}],
    "issues": [
        {"id": "tariff", "title": "Tariff level", "ordered": True, "description": "d",
         "options": [{"id": "none", "title": "No tariff"}, {"id": "low"}, "high"]},
        {"id": "quota", "options": ["yes", "no"]},
    ],
    "parties": [
        {"id": "A", "name": "Party A", "reservation": 0.3, "power": 1, "reservation_cost": 2.5,
         "preferences": {
             "tariff": {"importance": 2, "values": {"none": 1.0, "low": 0.6, "high": 0}},
             "quota": {"importance": 1, "ranking": ["no", "yes"]},
         },
         "red_lines": [{"id": "a-no-high", "rule": "tariff != high", "stance": "stated",
                        "sources": ["s1"], "note": "n", "cost": 3}]},
        {"id": "B", "preferences": {"tariff": {"importance": 1, "ranking": ["high", "low", "none"]}},
         "red_lines": [{"id": "b-1", "rule": "quota == yes or tariff >= low"}]},
    ],
    "proposals": [{"id": "p1", "title": "Draft deal", "terms": {"tariff": "low", "quota": "no"},
                   "sources": ["s1"], "note": "n"}],
    "status_quo": {"tariff": "none"},
    "constraints": [{"id": "c1", "rule": "quota == yes -> tariff != high", "note": "n",
                     "sources": ["s1"]}],
}

#: Replacement values: wrong types, text that looks like a number, out-of-range numbers,
#: ids that are not ids, a reserved word, empty containers.
VALUES: list[Any] = [True, None, "0.5", 123, 0.5, -1, 2, 0, "", "has space", "and", "x",
                     "2025-13-01", [], {}, ["x"], {"x": 1}]

VALIDATOR = jsonschema.Draft202012Validator(
    ng.json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _paths(value, (*path, k))


PATHS = list(_paths(BASE))


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _mutate(doc: Any, mutation: tuple[str, tuple[Any, ...], Any]) -> None:
    how, path, value = mutation
    if how == "add-key" and path == ():
        doc[value] = 1
        return
    try:
        parent = _parent(doc, path)
        if how == "set":
            parent[path[-1]] = value
        elif how == "delete":
            del parent[path[-1]]
        elif how == "add-key":
            target = parent[path[-1]]
            if isinstance(target, dict):
                target[value] = 1
        elif how == "rename-key" and isinstance(parent, dict):
            parent[value] = parent.pop(path[-1])
    except (KeyError, IndexError, TypeError):
        pass  # an earlier mutation removed or replaced the place: nothing to do


def _check(doc: Any) -> None:
    schema_ok = VALIDATOR.is_valid(doc)
    try:
        ng.validate(doc)
    except ng.ScenarioError as error:
        schema_problems = [p for p in error.problems if p.kind == "schema"]
        assert error.problems, "a ScenarioError lists its problems"
        assert schema_ok == (not schema_problems), (
            f"schema {'accepts' if schema_ok else 'rejects'}, library says:\n{error}\n"
            f"document: {doc!r}"
        )
    else:
        errors = [e.message for e in VALIDATOR.iter_errors(doc)]
        assert schema_ok, f"library accepts, schema rejects: {errors}\ndocument: {doc!r}"


def test_the_base_document_is_valid_for_both() -> None:
    assert VALIDATOR.is_valid(BASE)
    ng.validate(BASE)


SINGLE = (
    [("set", p, v) for p in PATHS for v in VALUES]
    + [("delete", p, None) for p in PATHS if not isinstance(p[-1], int)]
    + [("add-key", p, "extra_key") for p in [(), *PATHS]]
    + [("rename-key", p, k) for p in PATHS if not isinstance(p[-1], int)
       for k in ("has space", "x", "0.5", "and")]
)


def test_single_mutations_agree() -> None:
    assert len(SINGLE) > 1000
    for mutation in SINGLE:
        doc = copy.deepcopy(BASE)
        _mutate(doc, mutation)
        _check(doc)


@given(st.lists(st.sampled_from(SINGLE), min_size=2, max_size=4))
def test_several_mutations_agree(mutations: list[tuple[str, tuple[Any, ...], Any]]) -> None:
    doc = copy.deepcopy(BASE)
    for mutation in mutations:
        _mutate(doc, mutation)
    _check(doc)


@pytest.mark.parametrize(
    ("path", "value"),
    [(("parties", 0, "reservation"), True), (("parties", 0, "reservation"), "0.5"),
     (("id",), 123)],
)
def test_the_cases_from_the_issue_are_refused_by_both(path: tuple[Any, ...], value: Any) -> None:
    doc = copy.deepcopy(BASE)
    _mutate(doc, ("set", path, value))
    assert not VALIDATOR.is_valid(doc)
    with pytest.raises(ng.ScenarioError) as info:
        ng.validate(doc)
    assert [(p.location, p.kind) for p in info.value.problems] == [
        (".".join(str(x) for x in path).replace(".0.", "[0]."), "schema")
    ]
