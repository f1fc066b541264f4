"""GENIUS XML import and export on small files written here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import negotiate as ng
from negotiate.cli import main

DOMAIN = """<negotiation_template>
<utility_space number_of_issues="2">
<objective index="0" name="Car deal" type="objective" etype="objective">
  <issue index="1" name="Price level" type="discrete" etype="discrete" vtype="discrete">
    <item index="1" value="Low price"/><item index="2" value="High price"/><item index="3" value="or"/>
  </issue>
  <issue index="2" name="Warranty" lowerbound="-1" upperbound="2" type="integer" etype="integer"/>
</objective>
</utility_space>
</negotiation_template>
"""

BUYER = """<utility_space>
<objective index="0" name="Car deal" type="objective" etype="objective">
  <issue index="1" name="Price level" type="discrete">
    <item index="1" value="Low price" evaluation="30"/>
    <item index="2" value="High price" evaluation="3"/>
    <item index="3" value="or" evaluation="0.000000000001"/>
  </issue>
  <issue index="2" name="Warranty" type="integer" lowerbound="-1" upperbound="2">
    <evaluator ftype="linear" slope="0.4" offset="0.1"/>
  </issue>
  <weight index="1" value="0.123456789012345678"/>
  <weight index="2" value="0.876543210987654322"/>
</objective>
<discount_factor value="0.75"/>
<reservation value="0.4"/>
</utility_space>
"""

SELLER = BUYER.replace('evaluation="30"', 'evaluation="1"').replace(
    'evaluation="3"', 'evaluation="4"').replace('slope="0.4"', 'slope="-0.5"').replace(
    'offset="0.1"', 'offset="1.2"').replace("<discount_factor value=\"0.75\"/>", "")


def write(folder: Path, **files: str) -> list[Path]:
    out = []
    for name, text in files.items():
        path = folder / f"{name}.xml"
        path.write_text(text)
        out.append(path)
    return out


def test_import_follows_genius_semantics(tmp_path: Path) -> None:
    domain, buyer, seller = write(tmp_path, car=DOMAIN, buyer=BUYER, seller=SELLER)
    s = ng.load_genius(domain, [buyer, seller])
    assert s.id == "car" and s.title == "Car deal"
    price, warranty = s.issues
    assert (price.id, price.title) == ("Price_level", "Price level")
    assert [o.id for o in price.options] == ["Low_price", "High_price", "or_"]  # 'or' is reserved
    assert warranty.ordered and [o.title for o in warranty.options] == ["-1", "0", "1", "2"]
    assert [o.id for o in warranty.options] == ["minus1", "0", "1", "2"]
    b, sel = s.parties
    assert b.id == "buyer" and b.reservation == 0.4 and b.note == "GENIUS discount factor 0.75"
    assert sel.note == "" and sel.reservation == 0.4
    assert b.preferences["Price_level"].importance == 0.123456789012345678
    assert b.preferences["Price_level"].values == {
        "Low_price": 1.0, "High_price": 0.1, "or_": float(1e-12 / 30)}
    # integer: clip(offset + slope * (x - lowerbound), 0, 1) / largest = 0.1, 0.5, 0.9, 1 (clipped)
    assert b.preferences["Warranty"].values == {"minus1": 0.1, "0": 0.5, "1": 0.9, "2": 1.0}
    # seller: 1.2, 0.7, 0.2, -0.3 clipped to 1, 0.7, 0.2, 0
    assert sel.preferences["Warranty"].values == {"minus1": 1.0, "0": 0.7, "1": 0.2, "2": 0.0}
    assert sel.preferences["Price_level"].values["High_price"] == 1.0


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"d": "<negotiation_template><issue name='a'>", "p": BUYER}, r"d\.xml, line 1, column \d+: not well-formed"),
        ({"d": '<!DOCTYPE x [<!ENTITY e "boom">]><negotiation_template/>', "p": BUYER},
         r"d\.xml: refused: the file declares a DTD"),
        ({"d": DOMAIN.replace('type="integer" etype="integer"', 'type="real" etype="real"'),
          "p": BUYER}, r"d\.xml, line 7: <issue name='Warranty'> \(issue type 'real' is not supported"),
        ({"d": DOMAIN, "p": BUYER.replace('name="Warranty"', 'name="Warrantee"')},
         r"p\.xml, line 8: <issue name='Warrantee'> \(issue 'Warrantee' is not in the domain"),
        ({"d": DOMAIN, "p": BUYER.replace('<weight index="2" value="0.876543210987654322"/>', "")},
         r"p\.xml, line 8: <issue name='Warranty'> \(no <weight index='2'>"),
        ({"d": DOMAIN, "p": BUYER.replace('value="High price" evaluation', 'value="Top" evaluation')},
         r"p\.xml, line 5: <item> \(item 'Top' of issue 'Price level' is not in the domain"),
        ({"d": DOMAIN, "p": BUYER.replace('evaluation="3"', 'evaluation="lots"')},
         r"p\.xml, line 5: <item> \(evaluation='lots' is not a finite number"),
        ({"d": DOMAIN, "p": BUYER.replace('evaluation="3"', 'evaluation="NaN"')},
         r"evaluation='NaN' is not a finite number"),
        ({"d": DOMAIN.replace("</objective>", '<issue index="3" name="Colour" type="discrete">'
                              '<item value="red"/></issue></objective>'), "p": BUYER},
         r"p\.xml: the profile does not evaluate the domain issue\(s\) 'Colour'"),
        ({"d": "<negotiation_template/>", "p": BUYER}, r"d\.xml: no <issue> element"),
    ],
)
def test_bad_files_get_a_clear_error(tmp_path: Path, files: dict[str, str], expected: str) -> None:
    domain, profile = write(tmp_path, **files)
    with pytest.raises(ng.ScenarioFileError, match=expected):
        ng.load_genius(domain, [profile])


def test_missing_file_and_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ng.ScenarioFileError, match=r"nope\.xml: cannot read"):
        ng.load_genius(tmp_path / "nope.xml", [tmp_path / "p.xml"])
    with pytest.raises(ng.InvalidArgumentError, match="non-empty list"):
        ng.load_genius(tmp_path / "d.xml", [])
    with pytest.raises(ng.InvalidArgumentError, match="non-empty list"):
        ng.load_genius(tmp_path / "d.xml", "p.xml")  # type: ignore[arg-type]


def test_export_refuses_what_genius_cannot_express(tmp_path: Path) -> None:
    s = ng.loads("""
format: 1
id: t
issues: [{id: a, options: [x, y]}]
parties:
  - {id: p, preferences: {a: {importance: 1, values: {x: 0.5, y: 0.25}}},
     red_lines: [{id: r1, rule: "a == x"}]}
""")
    with pytest.raises(ng.ScenarioError, match=r"red lines \(r1\).*best option of issue 'a' at 0\.5"):
        ng.dump_genius(s, tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_cli_import_writes_a_scenario_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    domain, buyer, seller = write(tmp_path, car=DOMAIN, buyer=BUYER, seller=SELLER)
    out = tmp_path / "car.yaml"
    assert main(["import-genius", str(domain), str(buyer), str(seller), "-o", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert ng.load(out) == ng.load_genius(domain, [buyer, seller])
    bad = tmp_path / "bad.xml"
    bad.write_text("<x")
    assert main(["import-genius", str(bad), str(buyer), "-o", str(tmp_path / "b.yaml")]) == 2
    assert "bad.xml, line 1" in capsys.readouterr().err
    assert not (tmp_path / "b.yaml").exists()


# -- round trip: export then import keeps every number exactly -------------------------------------

NUMBER = st.one_of(
    st.floats(0, 1, allow_subnormal=True), st.sampled_from([1e-320, 5e-324, 0.1, 1 / 3]))


@st.composite
def genius_scenarios(draw: st.DrawFn) -> ng.Scenario:
    issues = [{"id": f"i{n}", "title": draw(st.sampled_from([f"Issue {n}", f"i{n}", f"x-{n}"])),
               "options": [{"id": f"o{k}", "title": f"Option {k}"}
                           for k in range(draw(st.integers(1, 4)))]}
              for n in range(draw(st.integers(1, 3)))]
    parties: list[dict[str, Any]] = []
    for p in range(draw(st.integers(1, 3))):
        preferences = {}
        for issue in issues:
            ids = [o["id"] for o in issue["options"]]
            values = {o: draw(NUMBER) for o in ids}
            values[draw(st.sampled_from(ids))] = 1.0  # GENIUS scales the best to 1
            preferences[issue["id"]] = {"importance": draw(st.one_of(
                st.floats(1e-300, 1e300), st.sampled_from([1e-320, 0.123456789012345678]))),
                "values": values}
        party: dict[str, Any] = {"id": f"party-{p}", "reservation": draw(NUMBER),
                                 "preferences": preferences}
        if draw(st.booleans()):
            party["note"] = f"GENIUS discount factor {draw(NUMBER)!r}"
        parties.append(party)
    return ng.validate({"format": 1, "id": "rt", "issues": issues, "parties": parties})


@given(s=genius_scenarios())
def test_round_trip_keeps_every_number(tmp_path_factory: pytest.TempPathFactory,
                                       s: ng.Scenario) -> None:
    folder = tmp_path_factory.mktemp("genius")
    files = ng.dump_genius(s, folder)
    again = ng.load_genius(files[0], files[1:])
    first = ng.load_genius(*_split(ng.dump_genius(again, folder / "again")))
    for before, after in zip(s.parties, again.parties, strict=True):
        assert after.reservation == before.reservation
        assert after.note == before.note
        for issue in s.issues:
            b, a = before.preferences[issue.id], after.preferences[issue.id]
            assert a.importance == b.importance
            # GENIUS keeps values exactly when the best is 1 (division by 1)
            assert a.values == {o: b.values.get(o, 0.0) for o in issue.option_ids}
    assert first == again  # a second round trip changes nothing at all
    assert [i.id for i in again.issues] == [i.id for i in s.issues]


def _split(files: list[Path]) -> tuple[Path, list[Path]]:
    return files[0], files[1:]
