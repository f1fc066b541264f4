"""Loading, validating and writing scenario files; the malformed-input table."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.rules import render

DATA = Path(__file__).parent.parent / "data"
TOY = (DATA / "toy.yaml").read_text()


def edit(old: str, new: str, count: int = 1) -> str:
    assert old in TOY, old
    return TOY.replace(old, new, count)


# (name, text, error type, words the message must contain)
MALFORMED = [
    ("empty file", "", ng.ScenarioFileError, ["empty"]),
    ("whitespace only", "  \n\n", ng.ScenarioFileError, ["empty"]),
    ("bad yaml", "format: 1\nissues: [a, b\n", ng.ScenarioFileError, ["not valid YAML", "line"]),
    ("tab indentation", "format: 1\n\tid: x\n", ng.ScenarioFileError, ["not valid YAML"]),
    ("top-level list", "- 1\n- 2\n", ng.ScenarioError, ["mapping", "list"]),
    ("top-level scalar", "hello\n", ng.ScenarioError, ["mapping", "str"]),
    ("two documents", "a: 1\n---\nb: 2\n", ng.ScenarioFileError, ["more than one YAML document"]),
    ("yaml anchor", "a: &x [1]\nb: *x\n", ng.ScenarioFileError, ["anchor", "not supported"]),
    (
        "billion laughs",
        "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
        ng.ScenarioFileError,
        ["anchor"],
    ),
    (
        "python object tag",
        "!!python/object/apply:os.system ['echo hi']\n",
        ng.ScenarioFileError,
        ["tag", "not allowed"],
    ),
    ("custom tag", "format: !custom 1\n", ng.ScenarioFileError, ["tag", "not allowed"]),
    ("deep nesting", "a: " + "[" * 500 + "]" * 500, ng.ScenarioFileError, ["nesting deeper"]),
    ("missing format", edit("format: 1\n", ""), ng.ScenarioError, ["format", "missing"]),
    ("wrong format", edit("format: 1", "format: 2"), ng.ScenarioError, ["format", "format: 1"]),
    ("missing parties", TOY.split("parties:")[0], ng.ScenarioError, ["parties", "missing"]),
    ("no issues", edit("issues:\n", "issues: []\nx_issues:\n"), ng.ScenarioError, ["issues"]),
    ("unknown field", edit("power: 1.0", "powr: 1.0"), ng.ScenarioError, ["powr", "unknown field"]),
    ("reservation wrong type", edit("reservation: 0.3", "reservation: high"),
     ng.ScenarioError, ["reservation", "number"]),
    ("reservation above 1", edit("reservation: 0.3", "reservation: 1.5"),
     ng.ScenarioError, ["reservation", "must be at most 1, got 1.5", "(line 18, column 18)"]),
    ("bad date", edit("as_of: 2025-12-02", "as_of: 2025-13-45"), ng.ScenarioError, ["as_of", "date"]),
    ("bad issue id characters", edit("id: tariff", "id: tar iff"), ng.ScenarioError,
     ["issues[0].id", "not a valid id", "1 problem(s)"]),
    ("reserved word as issue id", edit("id: quota\n", "id: and\n"), ng.ScenarioError,
     ["reserved word", "and", "1 problem(s)"]),
    ("duplicate issue id", edit("id: quota\n", "id: tariff\n"), ng.ScenarioError,
     ["duplicate issue id 'tariff'"]),
    ("duplicate option id", edit("{id: high, title: \"20%\"}", "{id: low, title: \"20%\"}"),
     ng.ScenarioError, ["duplicate option id 'low'"]),
    ("duplicate party id", edit("- id: B\n", "- id: A\n"), ng.ScenarioError,
     ["duplicate party id 'A'"]),
    ("duplicate red line id", edit("id: b-quota-or-tariff", "id: a-no-high"), ng.ScenarioError,
     ["duplicate red line id 'a-no-high'", "unique"]),
    ("preference for unknown issue", edit("tariff: {importance: 1, ranking",
                                          "tarif: {importance: 1, ranking"),
     ng.ScenarioError, ["unknown issue 'tarif'", "did you mean 'tariff'"]),
    ("value names unknown option", edit("low: 0.6", "lo: 0.6"), ng.ScenarioError,
     ["unknown option 'lo'", "did you mean 'low'"]),
    ("value outside [0, 1]", edit("low: 0.6", "low: 1.6"), ng.ScenarioError, ["[0, 1]", "low"]),
    ("negative importance", edit("importance: 2", "importance: -2"), ng.ScenarioError,
     ["importance", "must be at least 0, got -2"]),
    ("all-zero importance", edit("quota: {importance: 1", "quota: {importance: 0")
     .replace("importance: 2", "importance: 0"), ng.ScenarioError, ["all importances are 0"]),
    ("values and ranking both", edit("values: {none: 1.0, low: 0.6, high: 0.0}",
                                     "values: {none: 1.0}, ranking: [none, low, high]"),
     ng.ScenarioError, ["exactly one of 'values'", "'ranking'"]),
    ("ranking not a permutation", edit("ranking: [no, yes]", "ranking: [no]"), ng.ScenarioError,
     ["every option of 'quota' exactly once", "missing yes"]),
    ("ranking repeats", edit("ranking: [no, yes]", "ranking: [no, no]"), ng.ScenarioError,
     ["exactly once", "missing yes"]),
    ("unknown issue in rule", edit('"tariff != high"', '"tarif != high"'), ng.ScenarioError,
     ["red_lines[0].rule", "unknown issue 'tarif'", "did you mean 'tariff'"]),
    ("unknown option in rule", edit('"tariff != high"', '"tariff != hihg"'), ng.ScenarioError,
     ["unknown option 'hihg'", "did you mean 'high'"]),
    ("ordered comparison on unordered issue", edit('"quota == yes or', '"quota > yes or'),
     ng.ScenarioError, ["not ordered", "quota", "ordered: true"]),
    ("rule syntax: single =", edit('"tariff != high"', '"tariff = high"'), ng.ScenarioError,
     ["column 8", "^", "=="]),
    ("rule syntax: unbalanced", edit('"tariff != high"', '"(tariff != high"'), ng.ScenarioError,
     ["')'", "^"]),
    ("rule syntax: empty", edit('"tariff != high"', '""'), ng.ScenarioError, ["rule", "^"]),
    ("unknown source on red line", edit("sources: [s1]}", "sources: [s9]}"), ng.ScenarioError,
     ["unknown source 's9'"]),
    ("unknown stance", edit("stance: stated", "stance: rumoured"), ng.ScenarioError,
     ["stance", "stated", "inferred"]),
    ("proposal names unknown option", edit("terms: {tariff: low", "terms: {tariff: lo"),
     ng.ScenarioError, ["proposals[0].terms.tariff", "unknown option 'lo'"]),
    ("proposal names unknown issue", edit("terms: {tariff: low", "terms: {tarif: low"),
     ng.ScenarioError, ["proposals[0].terms", "unknown issue 'tarif'"]),
    ("power zero", edit("power: 1.0", "power: 0"), ng.ScenarioError, ["power", "greater than 0"]),
    ("duplicate yaml key", edit("power: 1.0", "power: 1.0\n    reservation: 0.9"),
     ng.ScenarioFileError, ["duplicate key 'reservation'", "line 20", "first at line 18"]),
    ("mistyped field name", edit("red_lines:", "redlines:"), ng.ScenarioError,
     ["unknown field 'redlines'", "did you mean 'red_lines'"]),
    ("ordered given as text", edit("ordered: true", "ordered: 'yes'"), ng.ScenarioError,
     ["ordered", "expected true or false"]),
    ("importance infinite", edit("importance: 2", "importance: .inf"), ng.ScenarioError,
     ["importance", "finite"]),
]


@pytest.mark.parametrize(
    ("text", "error", "words"),
    [pytest.param(t, e, w, id=n) for n, t, e, w in MALFORMED],
)
def test_malformed_input_gives_a_clear_error(text: str, error: type, words: list[str]) -> None:
    with pytest.raises(ng.NegotiateError) as info:
        ng.loads(text, name="case.yaml")
    assert type(info.value) is error
    message = str(info.value)
    for word in words:
        assert word in message, f"{word!r} not in:\n{message}"


def test_malformed_table_is_large_enough() -> None:
    assert len(MALFORMED) >= 30


def test_every_problem_is_reported_with_location() -> None:
    text = edit('"tariff != high"', '"tarif != high"').replace("reservation: 0.3", "reservation: '0.3'").replace(
        "terms: {tariff: low", "terms: {tariff: lo"
    ).replace("power: 1.0", "powr: 1.0")
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads(text)
    where = [p.location for p in info.value.problems]
    # type problems and cross-reference problems come in one pass, in document order
    assert where == [
        "parties[0].reservation",
        "parties[0].powr",
        "parties[0].red_lines[0].rule",
        "proposals[0].terms.tariff",
    ], where
    assert all(p.line is not None and p.column is not None for p in info.value.problems)


def test_yes_and_no_stay_option_ids() -> None:
    s = ng.loads(TOY)
    assert s.issue("quota").option_ids == ("yes", "no")


def test_numeric_ids_are_refused_as_the_schema_refuses_them() -> None:
    # YAML reads 2024, 007 or 0x1F as numbers; turning them back into text would change
    # the id silently (007 -> '7'), and the JSON Schema says ids are strings.
    with pytest.raises(ng.ScenarioError) as info:
        ng.loads("format: 1\nid: 2024\nissues: [{id: y, options: [007, '2']}]\nparties: [{id: p}]")
    assert [(p.location, p.line, p.column) for p in info.value.problems] == [
        ("id", 2, 5), ("issues[0].options[0].id", 3, 28)
    ]
    assert "put the id in quotes, as in '2024'" in str(info.value)
    s = ng.loads("format: 1\nid: '2024'\nissues: [{id: y, options: ['007', '2']}]\nparties: [{id: p}]")
    assert s.id == "2024" and s.issue("y").option_ids == ("007", "2")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(TOY.replace("Party A", "Partie é").encode("latin-1"))
    with pytest.raises(ng.ScenarioFileError, match="not UTF-8"):
        ng.load(path)


def test_missing_file_and_bad_suffix(tmp_path: Path) -> None:
    with pytest.raises(ng.ScenarioFileError, match="cannot read"):
        ng.load(tmp_path / "nope.yaml")
    (tmp_path / "s.txt").write_text(TOY)
    with pytest.raises(ng.ScenarioFileError, match=r"\.yaml, \.yml or \.json"):
        ng.load(tmp_path / "s.txt")


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ng.io, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.yaml"
    path.write_text(TOY)
    with pytest.raises(ng.ScenarioFileError, match="larger than"):
        ng.load(path)


def test_json_errors(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"format": 1, ')
    with pytest.raises(ng.ScenarioFileError, match="not valid JSON"):
        ng.load(path)
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ng.ScenarioFileError, match="nested too deeply"):
        ng.load(path)


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_dump_load_round_trip(tmp_path: Path, suffix: str) -> None:
    s = ng.loads(TOY)
    path = tmp_path / f"copy{suffix}"
    ng.dump(s, path)
    assert ng.load(path) == s
    if suffix == ".json":
        assert json.loads(path.read_text())["format"] == 1


def test_dump_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = ng.loads(TOY)
    path = tmp_path / "s.yaml"
    path.write_text("previous content\n")

    def crash(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="No space"):
        ng.dump(s, path)
    assert path.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_json_schema_documents_fields() -> None:
    schema = ng.json_schema()
    party = schema["$defs"]["Party"]["properties"]
    assert "reservation" in party and party["reservation"]["description"].startswith("Minimum")
    assert set(schema["required"]) == {"format", "id", "issues", "parties"}


def test_validate_and_model_validate_agree() -> None:
    data = ng.loads(TOY).model_dump(mode="json")
    assert ng.validate(data) == ng.Scenario.model_validate(data)


def test_design_example_loads_exactly() -> None:
    s = ng.loads(TOY)
    assert s.party("A").reservation == 0.3
    assert s.party("B").red_lines[0].stance == "inferred"
    assert render(s.party("B").red_lines[0].rule) == "quota == yes or tariff >= low"
    assert str(s.as_of) == "2025-12-02"


def test_duplicate_json_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"format": 1, "format": 1}')
    with pytest.raises(ng.ScenarioFileError, match="duplicate key 'format'"):
        ng.load(path)


def test_directories_and_special_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ng.ScenarioFileError, match="is a directory"):
        ng.load(tmp_path)
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(ng.ScenarioFileError, match="not a regular file"):
        ng.load(fifo)


def test_stance_defaults_to_inferred() -> None:
    s = ng.loads(
        "format: 1\nid: t\nissues: [{id: a, options: [x]}]\n"
        "parties: [{id: p, red_lines: [{id: r, rule: 'a == x'}]}]"
    )
    assert s.parties[0].red_lines[0].stance == "inferred"


def test_json_schema_accepts_every_shipped_example() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from negotiate.io import _parse_text

    validator = jsonschema.Draft202012Validator(ng.json_schema())
    files = [*sorted((DATA.parent.parent / "examples").rglob("*.yaml")), DATA / "toy.yaml"]
    assert len(files) >= 5
    for path in files:
        data = _parse_text(path.read_text(encoding="utf-8"), "yaml", str(path))
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path
    # and it still rejects what validation rejects
    assert list(validator.iter_errors({"format": 1, "id": "t", "issues": [], "parties": []}))


# -- safe writes ---------------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="permission bits are POSIX")
def test_dump_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    s = ng.loads(TOY)
    path = tmp_path / "s.yaml"
    path.write_text("old\n")
    path.chmod(0o644)
    ng.dump(s, path)
    assert path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o640)
    ng.dump(s, path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert ng.load(path) == s


@pytest.mark.skipif(os.name != "posix", reason="umask is POSIX")
def test_dump_new_file_gets_umask_mode(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        ng.dump(ng.loads(TOY), tmp_path / "new.yaml")
    finally:
        os.umask(old)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_dump_writes_through_a_symlink(tmp_path: Path) -> None:
    s = ng.loads(TOY)
    real = tmp_path / "data" / "real.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    ng.dump(s, link)
    assert link.is_symlink(), "the link must stay a link"
    assert os.readlink(link) == str(real)
    assert ng.load(real) == s
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.yaml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "link.yaml"]


def test_dump_to_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.yaml").mkdir()
    with pytest.raises(ng.ScenarioFileError, match="is a directory"):
        ng.dump(ng.loads(TOY), tmp_path / "d.yaml")


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_dump_interrupted_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    s = ng.loads(TOY)
    path = tmp_path / "s.yaml"
    path.write_text("previous content\n")

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    if where == "write":
        real_fdopen = os.fdopen

        class Interrupting:
            def __init__(self, fd: int, mode: str) -> None:
                self.handle = real_fdopen(fd, mode)

            def __enter__(self) -> Interrupting:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def fileno(self) -> int:
                return self.handle.fileno()

            def write(self, data: bytes) -> None:
                self.handle.write(data[:10])  # half written, then Ctrl-C
                raise KeyboardInterrupt

        monkeypatch.setattr(os, "fdopen", Interrupting)
    else:
        monkeypatch.setattr(os, where, interrupt)
    with pytest.raises(KeyboardInterrupt):
        ng.dump(s, path)
    monkeypatch.undo()
    assert path.read_text() == "previous content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]
