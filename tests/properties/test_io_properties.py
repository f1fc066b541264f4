"""Round-trip properties of scenario files, on scenarios from negotiate.testing.

``load(dump(s)) == s`` through real files (YAML and JSON) and
``loads(dumps(s)) == s`` through text, for generated scenarios with every
optional part filled in (titles and notes in any Unicode text, dates,
sources, proposals, status quo, powers and costs) and with random ids.

The regression tests at the end pin two YAML bugs these properties found
(U+0085 in text; number-like strings such as ``1e5`` written unquoted).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.model import Scenario
from negotiate.testing import scenarios

ANY_SCENARIO = scenarios(
    details=st.booleans(),
    random_ids=st.booleans(),
    feasible=st.sampled_from([None, True, False]),
    ordered=st.sampled_from([None, True, False]),
)
SUFFIXES = [".yaml", ".yml", ".json"]

NEL = "\x85"  # U+0085 NEXT LINE, a line break to a YAML reader


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(s=ANY_SCENARIO)
def test_load_dump_round_trip(suffix: str, s: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"scenario{suffix}"
        ng.dump(s, path)
        assert ng.load(path) == s
        assert [p.name for p in Path(folder).iterdir()] == [path.name]  # no temporary left


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@given(s=ANY_SCENARIO)
def test_loads_dumps_round_trip(fmt: str, s: Scenario) -> None:
    text = ng.dumps(s, format=fmt)
    again = ng.loads(text, format=fmt)
    assert again == s
    assert ng.dumps(again, format=fmt) == text  # the written form is stable


@given(s=ANY_SCENARIO)
def test_yaml_and_json_agree(s: Scenario) -> None:
    assert ng.loads(ng.dumps(s, format="yaml")) == ng.loads(ng.dumps(s, format="json"),
                                                             format="json")


# Regressions: found by the properties above (fixed in negotiate.io.dumps).

BASE = "format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties: [{id: p}]"


@pytest.mark.parametrize("where", ["description", "title"])
@pytest.mark.parametrize("char", [NEL, "\u2028", "\u2029"])
def test_yaml_keeps_line_separator_characters(where: str, char: str) -> None:
    # PyYAML wrote U+0085 raw inside a quoted scalar and read it back as a
    # line break folded to a space.
    s = ng.validate(ng.loads(BASE).model_dump() | {where: f"before{char}after"})
    assert ng.loads(ng.dumps(s)) == s


@pytest.mark.parametrize("text", ["1e5", "0o17", "0E0", "-.5e3", "1.0e5", "0x1F", "+1"])
def test_yaml_keeps_number_like_text(text: str) -> None:
    # Were written plain (not numbers in YAML 1.1), read back as numbers (YAML 1.2 core).
    s = ng.validate(ng.loads(BASE).model_dump() | {"description": text})
    assert ng.loads(ng.dumps(s)) == s


@pytest.mark.parametrize("option", ["1e5", "0o17", "0E0", "0x1F", "1_000"])
def test_yaml_keeps_number_like_option_ids(option: str) -> None:
    s = ng.validate({"format": 1, "id": "t", "issues": [{"id": "a", "options": [option]}],
                     "parties": [{"id": "p"}]})
    assert ng.loads(ng.dumps(s)) == s
