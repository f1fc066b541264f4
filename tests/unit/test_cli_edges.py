"""Rough edges a new user meets: Ctrl-C at awkward moments, bad numeric options,
bad scenario files on every command, and analyses cut short by the time limit."""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import negotiate as ng
from negotiate import cli
from negotiate._deadline import Deadline
from negotiate.analysis import whole
from negotiate.analysis.zone_count import PartStep, count_block
from negotiate.errors import InvalidArgumentError, SearchLimitError

ROOT = Path(__file__).resolve().parents[2]
CAR = str(ROOT / "examples" / "textbook" / "car-sale.yaml")


def _exit_code(argv: list[str]) -> int:
    try:
        return cli.main(argv)
    except SystemExit as stop:  # argparse's own errors
        assert isinstance(stop.code, int)
        return stop.code


# -- Ctrl-C ----------------------------------------------------------------------------------


def _interrupted_import(args: Any) -> int:
    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as exc:
        # what a native extension reports when Ctrl-C cuts its initialisation short
        raise ImportError("initialization failed") from exc


def _missing_extra_after_interrupt(args: Any) -> int:
    try:
        _interrupted_import(args)
    except ImportError as exc:
        raise InvalidArgumentError("reports need the 'report' extra (None is missing)") from exc
    return 0


@pytest.mark.parametrize("command", [_interrupted_import, _missing_extra_after_interrupt])
def test_an_import_cut_short_by_ctrl_c_is_an_interrupt(
    command: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(cli, "_cmd_validate", command)
    assert cli.main(["validate", CAR]) == 130
    assert capsys.readouterr().err.splitlines() == ["interrupted"]


def test_other_failures_are_not_mistaken_for_an_interrupt(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(args: Any) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_cmd_validate", broken)
    with pytest.raises(RuntimeError, match="a bug"):
        cli.main(["validate", CAR])


def test_ctrl_c_during_the_solver_import_arrives_after_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    imported: list[str] = []

    def import_module(name: str) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # held back while the import runs
        for _ in range(1000):  # the handler runs between bytecodes of the main thread
            pass
        imported.append(name)

    monkeypatch.setattr(cli.importlib, "import_module", import_module)
    with pytest.raises(KeyboardInterrupt):
        cli._import_solver()
    assert imported == ["ortools.sat.python.cp_model"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


# -- numeric options ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["analyze", CAR, "--time-limit", "-1"], "--time-limit: '-1' is not a positive number"),
        (["analyze", CAR, "--time-limit", "nan"], "--time-limit: 'nan' is not a positive"),
        (["diff", CAR, CAR, "--time-limit", "0"], "--time-limit: '0' is not a positive"),
        (["graph", CAR, "--kind", "agreement", "-o", "x.json", "--limit", "0"],
         "--limit: '0' is not a whole number of at least 1"),
        (["report", CAR, "--robustness", "-5"], "--robustness: '-5' is not a whole number"),
    ],
)
def test_bad_numbers_name_the_option(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


# -- bad files on every command -------------------------------------------------------------


BAD_FILES = {
    "syntax.yaml": ("format: 1\nid: x\nissues: [\n  - {id: a\n", "line "),
    "empty.yaml": ("", "the file is empty"),
    "list.yaml": ("- a\n- b\n", "a scenario is a mapping"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{f}"], ["analyze", "{f}"], ["evaluate", "{f}", "x"],
        ["report", "{f}", "-o", "{out}"], ["diff", CAR, "{f}"], ["diff", "{f}", CAR],
        ["graph", "{f}", "--kind", "conflict", "-o", "{out}.graphml"],
        ["robustness", "{f}", "--samples", "5"],
    ],
)
def test_a_bad_file_is_named_on_every_command(
    name: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text, says = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out.html"
    argv = [a.format(f=path, out=out) for a in command]
    assert _exit_code(argv) == 2
    err = capsys.readouterr().err
    assert str(path) in err and says in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_a_directory_is_refused_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["analyze", str(tmp_path)], ["import-genius", str(tmp_path), str(tmp_path),
                                             "-o", str(tmp_path / "x.yaml")]):
        assert _exit_code(argv) == 2
        err = capsys.readouterr().err
        assert str(tmp_path) in err and "irectory" in err and "Traceback" not in err


# -- analyses cut short ---------------------------------------------------------------------


def test_count_block_stops_at_its_deadline() -> None:
    first = PartStep(np.array([[0, 3], [2, 1], [3, 0]]), np.array([1, 2, 1]))
    second = PartStep(np.array([[1, 2], [3, 3]]), np.array([1, 1]))
    need = np.array([3, 3])
    assert count_block([first, second], need, total=8, budget=100, deadline=Deadline(60)) == 6
    with pytest.raises(SearchLimitError, match="counting the agreement zone"):
        count_block([first, second], need, total=8, budget=100, deadline=Deadline(0))


def test_an_uncounted_zone_is_not_printed_as_none() -> None:
    car = ng.load(CAR)
    analysis = ng.analyze(car)
    assert analysis.count == 53
    cut = dataclasses.replace(analysis, count=None, count_estimate=None)
    text = str(cut)
    zone = text.split("AGREEMENT ZONE", 1)[1].splitlines()[2]
    assert zone == "Outcomes (how many was not counted in time) acceptable to every party. " \
        "For example:"
    assert "None acceptable" not in text


def test_with_an_open_zone_every_evidence_level_has_a_deal_without_searching(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Dropping red lines only widens a zone, so the levels need no deadlock search
    # (which the time limit may already have cut off).
    from negotiate.analysis import deadlock

    calls: list[object] = []
    real = deadlock.explain_deadlock

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(deadlock, "explain_deadlock", counting)
    car = ng.load(CAR)
    analysis = whole.analyze(car)
    assert len(calls) == 1  # the deadlock explanation itself, no evidence searches
    assert [(level.is_empty, level.conflicts_complete) for level in analysis.evidence] == [
        (False, True)] * 3
    assert sys.modules["negotiate.analysis.deadlock"] is deadlock


# -- output files ---------------------------------------------------------------------------


GENIUS_DOMAIN = """<negotiation_template><utility_space number_of_issues="1">
 <objective index="0" name="Deal" type="objective" etype="objective">
  <issue index="1" name="Colour" type="discrete" etype="discrete" vtype="discrete">
   <item index="1" value="Red"/><item index="2" value="Blue"/></issue>
 </objective></utility_space></negotiation_template>"""
GENIUS_PROFILE = """<utility_space><objective index="0" name="Deal">
  <issue index="1" name="Colour" type="discrete">
   <item index="1" value="Red" evaluation="1"/><item index="2" value="Blue" evaluation="2"/>
  </issue><weight index="1" value="1"/></objective></utility_space>"""


def test_import_genius_into_a_missing_folder_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "d.xml").write_text(GENIUS_DOMAIN, encoding="utf-8")
    (tmp_path / "p.xml").write_text(GENIUS_PROFILE, encoding="utf-8")
    out = tmp_path / "missing" / "s.yaml"
    argv = ["import-genius", str(tmp_path / "d.xml"), str(tmp_path / "p.xml"), "-o", str(out)]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"error: {out}: the folder {out.parent} does not exist; create it first\n"
    out.parent.mkdir()
    assert cli.main(argv) == 0
    assert [p.id for p in ng.load(out).parties] == ["p"]


def test_a_file_the_system_refuses_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "x.json"

    def refuse(args: Any) -> int:
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(cli, "_cmd_validate", refuse)
    assert cli.main(["validate", CAR]) == 2
    assert capsys.readouterr().err == f"error: {target}: Permission denied\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("format: 1\nid: x\nissues:\n\t- {id: a, options: [x]}\nparties: []\n", "line 4, column 1"),
        ("format: 1\nid: x\nissues:\n  - id: a\n\toptions: [x]\n", "line 5, column 1"),
    ],
)
def test_a_tab_in_the_indentation_is_named_as_such(text: str, where: str) -> None:
    with pytest.raises(ng.ScenarioFileError) as caught:
        ng.loads(text)
    message = str(caught.value)
    assert f"at {where} (a tab: YAML indents with spaces only)" in message


def test_other_yaml_errors_get_no_tab_hint() -> None:
    with pytest.raises(ng.ScenarioFileError) as caught:
        ng.loads("format: 1\nid: [unclosed\n")
    assert "not valid YAML" in str(caught.value) and "tab" not in str(caught.value)


@pytest.mark.parametrize(
    "argv",
    [
        ["graph", CAR, "--kind", "agreement", "-o", "{tmp}/a.json", "--time-limit", "1e-9"],
        ["robustness", CAR, "--spread", "0.2", "--samples", "1000", "--time-limit", "1e-9"],
    ],
)
def test_a_time_limit_that_runs_out_names_the_option(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([a.format(tmp=tmp_path) for a in argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.endswith(
        "stopped at its time limit of 1e-09 s; give a larger --time-limit\n")
    assert ".partial" not in err and "time_limit" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_genius_xml_given_as_a_scenario_points_to_import_genius(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "domain.xml"
    path.write_text(GENIUS_DOMAIN, encoding="utf-8")
    assert cli.main(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"error: {path}: unknown file type '.xml'; use .yaml, .yml or .json "
                   "(GENIUS XML is read by `negotiate import-genius` or ng.load_genius)\n")


def test_a_duplicate_issue_id_does_not_cascade_into_unknown_options() -> None:
    text = Path(CAR).read_text(encoding="utf-8").replace("  - id: warranty\n", "  - id: price\n")
    with pytest.raises(ng.ScenarioError) as caught:
        ng.loads(text)
    message = str(caught.value)
    assert "issues[1].id: duplicate issue id 'price'" in message
    # the first 'price' counts, so its options are known; only 'warranty' is missing now
    assert "unknown option" not in message
    assert "unknown issue 'warranty'" in message


def test_an_option_list_with_a_duplicate_is_shown_once() -> None:
    text = Path(CAR).read_text(encoding="utf-8").replace("{id: w6m, title", "{id: w0, title")
    with pytest.raises(ng.ScenarioError) as caught:
        ng.loads(text)
    assert "expected one of w0, w12m, w24m " in str(caught.value)
