"""Round-trip properties of scenario files, on scenarios from negotiate.testing.

``load(dump(s)) == s`` through real files (YAML and JSON) and
``loads(dumps(s)) == s`` through text, for generated scenarios with every
optional part filled in (titles and notes in any Unicode text, dates,
sources, proposals, status quo, powers and costs).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.model import Scenario
from negotiate.testing import scenarios

ANY_SCENARIO = scenarios(
    details=st.booleans(),
    feasible=st.sampled_from([None, True, False]),
    ordered=st.sampled_from([None, True, False]),
)
NEL = "\x85"  # U+0085 NEXT LINE: see test_yaml_keeps_next_line_characters


def _without_nel(s: Scenario) -> bool:
    return NEL not in ng.dumps(s, format="json")
SUFFIXES = [".yaml", ".yml", ".json"]


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(s=ANY_SCENARIO)
def test_load_dump_round_trip(suffix: str, s: Scenario) -> None:
    assume(suffix == ".json" or _without_nel(s))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"scenario{suffix}"
        ng.dump(s, path)
        assert ng.load(path) == s
        assert [p.name for p in Path(folder).iterdir()] == [path.name]  # no temporary left


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@given(s=ANY_SCENARIO)
def test_loads_dumps_round_trip(fmt: str, s: Scenario) -> None:
    assume(fmt == "json" or _without_nel(s))
    text = ng.dumps(s, format=fmt)
    again = ng.loads(text, format=fmt)
    assert again == s
    assert ng.dumps(again, format=fmt) == text  # the written form is stable


@given(s=ANY_SCENARIO)
def test_yaml_and_json_agree(s: Scenario) -> None:
    assume(_without_nel(s))
    assert ng.loads(ng.dumps(s, format="yaml")) == ng.loads(ng.dumps(s, format="json"),
                                                             format="json")


@pytest.mark.xfail(
    strict=True,
    reason="known bug in negotiate.io.dumps: PyYAML writes U+0085 raw inside a quoted "
    "scalar and reads it back as a line break folded to a space; remove this mark (and the "
    "assume() calls above) once dumps escapes it",
)
@pytest.mark.parametrize("where", ["description", "title"])
def test_yaml_keeps_next_line_characters(where: str) -> None:
    s = ng.loads("format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties: [{id: p}]")
    s = ng.validate(s.model_dump() | {where: f"before{NEL}after"})
    assert ng.loads(ng.dumps(s)) == s
