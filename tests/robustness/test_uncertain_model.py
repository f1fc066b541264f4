"""Confidence and ``[low, high]`` ranges in the model: parsing, errors, schema, round trip."""

from __future__ import annotations

import json

import pytest

import negotiate as ng
from negotiate.analysis import relax
from negotiate.model import DEFAULT_CONFIDENCE

BASE = """
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - id: p
    reservation: %s
    preferences: {a: {importance: %s, values: {x: %s, y: 1}}}
    red_lines: [{id: r1, rule: "a == x", confidence: %s}]
"""


def _load(reservation: str = "0.2", importance: str = "1", value: str = "0.5",
          confidence: str = "0.4") -> ng.Scenario:
    return ng.loads(BASE % (reservation, importance, value, confidence))


def test_ranges_keep_the_midpoint_as_nominal_value_and_the_range_aside() -> None:
    s = _load("[0.1, 0.3]", "[1, 3]", "[0.2, 0.4]")
    party = s.parties[0]
    pref = party.preferences["a"]
    assert (party.reservation, party.reservation_range) == (0.2, (0.1, 0.3))
    assert (pref.importance, pref.importance_range) == (2.0, (1.0, 3.0))
    assert pref.values == {"x": 0.3, "y": 1.0}  # decimal midpoint, not 0.30000000000000004
    assert pref.values_range == {"x": (0.2, 0.4)}
    assert party.red_lines[0].confidence == 0.4


def test_plain_numbers_have_no_range() -> None:
    s = _load()
    assert s.parties[0].reservation_range is None
    assert s.parties[0].preferences["a"].importance_range is None
    assert s.parties[0].preferences["a"].values_range is None


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_ranges_dump_back_as_low_high_and_round_trip(fmt: str) -> None:
    s = _load("[0.1, 0.3]", "[1, 3]", "[0.2, 0.4]")
    text = ng.dumps(s, format=fmt)
    again = ng.loads(text, format=fmt)
    assert again == s
    if fmt == "json":
        party = json.loads(text)["parties"][0]
        assert party["reservation"] == [0.1, 0.3]
        assert party["preferences"]["a"]["importance"] == [1.0, 3.0]
        assert party["preferences"]["a"]["values"]["x"] == [0.2, 0.4]
        assert "reservation_range" not in party


def test_relax_keeps_working_on_ranged_scenarios() -> None:
    s = _load("[0.1, 0.3]", "[1, 3]")
    r = relax(s, "p:reservation")
    assert r.parties[0].reservation == 0.0 and r.parties[0].reservation_range is None
    assert r.parties[0].preferences["a"].importance_range == (1.0, 3.0)


@pytest.mark.parametrize(
    ("kwargs", "where", "says"),
    [
        ({"reservation": "[0.3, 0.1]"}, "parties[0].reservation", "low > high"),
        ({"reservation": "[0.5, 1.5]"}, "parties[0].reservation", "within [0, 1]"),
        ({"reservation": "[0.3]"}, "parties[0].reservation", "two numbers"),
        ({"reservation": "[a, 0.3]"}, "parties[0].reservation", "two numbers"),
        ({"importance": "[2, 1]"}, "parties[0].preferences.a.importance", "low > high"),
        ({"importance": "[-1, 1]"}, "parties[0].preferences.a.importance", ">= 0"),
        ({"value": "[0.5, 2]"}, "parties[0].preferences.a.values", "option 'x'"),
        ({"value": "[0.5, 0.1]"}, "parties[0].preferences.a.values", "low > high"),
        ({"confidence": "0"}, "parties[0].red_lines[0].confidence", "must be greater than 0"),
        ({"confidence": "1.5"}, "parties[0].red_lines[0].confidence", "must be at most 1"),
    ],
)
def test_bad_ranges_and_confidences_say_where_and_what(
    kwargs: dict[str, str], where: str, says: str
) -> None:
    with pytest.raises(ng.ScenarioError) as info:
        _load(**kwargs)
    message = str(info.value)
    assert f"{where}:" in message and says in message, message


def test_companion_field_written_by_hand_is_refused() -> None:
    text = BASE.replace("importance: %s,", "importance: 1, importance_range: [1, 2],")
    with pytest.raises(ng.ScenarioError, match="write the range as 'importance: \\[low, high\\]'"):
        ng.loads(text % ("0.2", "0.5", "0.4"))


def test_json_schema_accepts_ranges_and_confidence() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = ng.json_schema()
    data = json.loads(ng.dumps(_load("[0.1, 0.3]", "[1, 3]", "[0.2, 0.4]"), format="json"))
    jsonschema.validate(data, schema)
    text = json.dumps(schema)
    assert "importance_range" not in text and "reservation_range" not in text
    bad = json.loads(json.dumps(data))
    bad["parties"][0]["reservation"] = [0.1, 0.2, 0.3]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad["parties"][0]["reservation"] = 0.2
    bad["parties"][0]["red_lines"][0]["confidence"] = 0
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_default_confidences_by_stance() -> None:
    assert dict(DEFAULT_CONFIDENCE) == {"stated": 1.0, "reported": 0.75, "inferred": 0.5}


def test_ranges_survive_revalidation_by_replace() -> None:
    s = _load("[0.1, 0.3]", "[1, 3]", "[0.2, 0.4]")
    again = s.replace(title="edited")
    assert again.parties[0] == s.parties[0]
    assert again.parties[0].preferences["a"].values_range == {"x": (0.2, 0.4)}


def test_low_above_high_is_a_consistency_problem_and_shape_errors_are_schema_problems() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(ng.json_schema())
    base = json.loads(ng.dumps(_load(), format="json"))
    for value, kind in (([0.3, 0.1], "consistency"), ([0.3], "schema"), ([0.5, 1.5], "schema"),
                        (["a", 0.3], "schema"), ([True, 0.3], "schema")):
        doc = json.loads(json.dumps(base))
        doc["parties"][0]["reservation"] = value
        with pytest.raises(ng.ScenarioError) as info:
            ng.validate(doc)
        assert [p.kind for p in info.value.problems] == [kind], value
        assert validator.is_valid(doc) == (kind == "consistency"), value
