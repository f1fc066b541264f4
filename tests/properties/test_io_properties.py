"""Round-trip properties of scenario files, on scenarios from negotiate.testing.

``load(dump(s)) == s`` through real files (YAML and JSON) and
``loads(dumps(s)) == s`` through text, for generated scenarios with every
optional part filled in (titles and notes in any Unicode text, dates,
sources, proposals, status quo, powers and costs) and with random ids.

Two known YAML bugs of ``negotiate.io.dumps`` are pinned by strict-xfail
tests at the end and kept out of the properties (narrowly) until fixed.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
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

# Known bugs (see the xfail tests below): U+0085 in any text, and strings that
# YAML 1.1 writes plain but the YAML 1.2 core loader reads as numbers (1e5, 0o17).
NEL = "\x85"
CORE_NUMBER = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _clear_of_known_yaml_bugs(s: Scenario) -> bool:
    return not any(
        NEL in text or CORE_NUMBER.fullmatch(text)
        for text in _strings(s.model_dump(mode="json"))
    )


@pytest.mark.parametrize("suffix", SUFFIXES)
@given(s=ANY_SCENARIO)
def test_load_dump_round_trip(suffix: str, s: Scenario) -> None:
    assume(suffix == ".json" or _clear_of_known_yaml_bugs(s))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"scenario{suffix}"
        ng.dump(s, path)
        assert ng.load(path) == s
        assert [p.name for p in Path(folder).iterdir()] == [path.name]  # no temporary left


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@given(s=ANY_SCENARIO)
def test_loads_dumps_round_trip(fmt: str, s: Scenario) -> None:
    assume(fmt == "json" or _clear_of_known_yaml_bugs(s))
    text = ng.dumps(s, format=fmt)
    again = ng.loads(text, format=fmt)
    assert again == s
    assert ng.dumps(again, format=fmt) == text  # the written form is stable


@given(s=ANY_SCENARIO)
def test_yaml_and_json_agree(s: Scenario) -> None:
    assume(_clear_of_known_yaml_bugs(s))
    assert ng.loads(ng.dumps(s, format="yaml")) == ng.loads(ng.dumps(s, format="json"),
                                                             format="json")


def test_the_known_bug_filter_is_narrow() -> None:
    for text in ("1e5", "0o17", "0E0", "-.5e3", "1.0e5", f"a{NEL}b"):
        assert NEL in text or CORE_NUMBER.fullmatch(text)
    for text in ("e5", "1e", "abc", "x1e5", "0o8", "yes", "2025-12-02", "i0", "A-r0"):
        assert not CORE_NUMBER.fullmatch(text) and NEL not in text


KNOWN_BUG = pytest.mark.xfail(
    strict=True,
    reason="known bug in negotiate.io.dumps (YAML): remove this mark and narrow "
    "_clear_of_known_yaml_bugs once fixed",
)
BASE = "format: 1\nid: t\nissues: [{id: a, options: [x]}]\nparties: [{id: p}]"


@KNOWN_BUG
@pytest.mark.parametrize("where", ["description", "title"])
def test_yaml_keeps_next_line_characters(where: str) -> None:
    # PyYAML writes U+0085 raw inside a quoted scalar and reads it back as a
    # line break folded to a space.
    s = ng.validate(ng.loads(BASE).model_dump() | {where: f"before{NEL}after"})
    assert ng.loads(ng.dumps(s)) == s


@KNOWN_BUG
@pytest.mark.parametrize("text", ["1e5", "0o17", "0E0"])
def test_yaml_keeps_number_like_text(text: str) -> None:
    # Written plain (not numbers in YAML 1.1), read back as numbers (YAML 1.2 core).
    s = ng.validate(ng.loads(BASE).model_dump() | {"description": text})
    assert ng.loads(ng.dumps(s)) == s


@KNOWN_BUG
@pytest.mark.parametrize("option", ["1e5", "0o17"])
def test_yaml_keeps_number_like_option_ids(option: str) -> None:
    s = ng.validate({"format": 1, "id": "t", "issues": [{"id": "a", "options": [option]}],
                     "parties": [{"id": "p"}]})
    assert ng.loads(ng.dumps(s)) == s
