"""The ``negotiate`` command: validate, schema, analyze, evaluate, examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from negotiate.cli import main

ROOT = Path(__file__).resolve().parents[2]
CAR = ROOT / "examples" / "textbook" / "car-sale.yaml"
SHIPPED = sorted(p.relative_to(ROOT / "examples") for p in (ROOT / "examples").rglob("*.yaml"))

UNKNOWN_ISSUE = """\
format: 1
id: bad
issues: [{id: donetsk, options: [a, b]}]
parties:
  - {id: p, red_lines: [{id: r1, rule: "donetk == a"}]}
"""

BAD_YAML = "format: 1\nid: [unclosed\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(UNKNOWN_ISSUE, encoding="utf-8")
    return path


# -- validate --------------------------------------------------------------------------------------


def test_validate_ok(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate", str(CAR))
    assert status == 0
    assert out.startswith(f"OK: {CAR} is a valid scenario.")
    assert "Used-car sale" in out
    assert "4 issues, 180 possible outcomes; 2 parties; 5 red lines; 2 proposals" in out
    assert err == ""


def test_validate_malformed_file_exits_2_with_message(
    capsys: pytest.CaptureFixture[str], bad_file: Path
) -> None:
    status, out, err = run(capsys, "validate", str(bad_file))
    assert status == 2
    assert out == ""
    assert err.startswith("error: ")
    assert "unknown issue 'donetk'" in err
    assert "did you mean 'donetsk'" in err
    assert "parties[0].red_lines[0].rule" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BAD_YAML, "not valid YAML"),
        ("format: 1\nid: x\nissues: []\nparties: []\n", "needs at least 1 entry"),
        ("just a string\n", "error: "),
    ],
)
def test_validate_other_bad_inputs(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    status, _, err = run(capsys, "validate", str(path))
    assert status == 2
    assert expected in err
    assert "Traceback" not in err


def test_validate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, _, err = run(capsys, "validate", str(tmp_path / "nowhere.yaml"))
    assert status == 2
    assert "cannot read" in err


def _subprocess(*argv: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "negotiate", *argv],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )


def test_validate_as_a_real_process() -> None:
    done = _subprocess("validate", "examples/ukraine-2025/talks-2025-12-02.yaml")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(
        "OK: examples/ukraine-2025/talks-2025-12-02.yaml is a valid scenario."
    )
    assert "16 issues, 3,538,944,000 possible outcomes; 4 parties; 21 red lines" in done.stdout
    assert done.stderr == ""


# -- schema ----------------------------------------------------------------------------------------


def test_schema_is_valid_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "schema")
    assert status == 0
    schema = json.loads(out)
    assert schema["type"] == "object"
    assert {"format", "id", "issues", "parties"} <= set(schema["required"])
    assert {"sources", "proposals"} <= set(schema["properties"])


# -- analyze ---------------------------------------------------------------------------------------


def test_analyze_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "analyze", str(CAR))
    assert status == 0
    for heading in ("BOTTOM LINE", "AGREEMENT ZONE", "EVIDENCE LEVELS", "PROPOSALS",
                    "PARETO FRONTIER"):
        assert heading in out
    assert out.index("Not a forecast and not a recommendation") < out.index("BOTTOM LINE")
    assert out.index("BOTTOM LINE") < out.index("AGREEMENT ZONE")
    assert "53 outcome(s) acceptable to every party" in out
    assert "Nash solution:" in out
    assert "Utilitarian solution:" in out
    assert "Analyst judgements" in out


def test_analyze_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "analyze", str(CAR), "--json")
    assert status == 0
    doc = json.loads(out)
    for key in ("is_empty", "count", "witness", "frontier", "solutions", "deadlock", "proposals"):
        assert key in doc
    assert doc["is_empty"] is False
    assert doc["count"] == 53
    assert set(doc["witness"]) == {"price", "warranty", "delivery", "financing"}
    assert doc["relaxed"] == []
    assert set(doc["solutions"]) == {"nash", "kalai_smorodinsky", "egalitarian", "utilitarian"}
    assert [p["proposal"] for p in doc["proposals"]] == ["sticker", "split-the-difference"]


def test_analyze_bad_file(capsys: pytest.CaptureFixture[str], bad_file: Path) -> None:
    status, out, err = run(capsys, "analyze", str(bad_file), "--json")
    assert status == 2
    assert out == ""
    assert "unknown issue 'donetk'" in err


# -- evaluate --------------------------------------------------------------------------------------


def test_evaluate_text(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", str(CAR), "sticker")
    assert status == 0
    assert out.startswith("Not a forecast and not a recommendation")
    assert "Proposal: Dealer's opening offer (sticker)" in out
    assert "Buyer: rejects (utility 0.15 < reservation 0.35)" in out
    assert "crosses buyer-budget (Buyer, stated, no source cited)" in out
    assert "Dealer: accepts" in out
    assert "price: 22,000 -> 20,000" in out  # option titles, not ids


def test_evaluate_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "evaluate", str(CAR), "split-the-difference", "--json")
    assert status == 0
    doc = json.loads(out)
    assert doc["proposal"] == "split-the-difference"
    assert doc["accepted_by"] == ["buyer", "dealer"]
    assert doc["rejected_by"] == []
    assert [v["verdict"] for v in doc["parties"]] == ["accepts", "accepts"]
    assert doc["changes"] == []


def test_evaluate_unknown_proposal(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "evaluate", str(CAR), "stiker")
    assert status == 2
    assert out == ""
    assert "unknown proposal 'stiker'" in err
    assert "did you mean 'sticker'" in err
    assert "Traceback" not in err


# -- examples and usage ----------------------------------------------------------------------------


def test_examples_lists_the_shipped_files(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEGOTIATE_EXAMPLES", raising=False)
    status, out, _ = run(capsys, "examples")
    assert status == 0
    assert len(SHIPPED) >= 4
    for path in SHIPPED:
        assert path.as_posix() in out.replace(os.sep, "/")
    assert "invalid" not in out
    assert "Russia–Ukraine peace talks, 2 December 2025 (as of 2025-12-02)" in out


def test_examples_from_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    bad_file: Path,
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "car.yaml").write_text(CAR.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "broken.yaml").write_text(UNKNOWN_ISSUE, encoding="utf-8")
    monkeypatch.setenv("NEGOTIATE_EXAMPLES", str(folder))
    status, out, _ = run(capsys, "examples")
    assert status == 0
    assert "car.yaml" in out and "Used-car sale" in out
    assert "broken: invalid" in out and "broken.yaml" in out


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([])
    assert exc.value.code == 2
    assert "usage: negotiate" in capsys.readouterr().err


def test_validate_accepts_numbers_of_any_precision(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fine.yaml"
    path.write_text(
        "format: 1\nid: t\nissues: [{id: a, options: [x, y]}, {id: b, options: [x, y]}]\n"
        "parties:\n  - {id: p, preferences: {a: {importance: 0.1234567891234567, values: "
        "{x: 0.1234567890123}}, b: {importance: 0.7777777777777, values: {x: 0.000000001234567}}}}\n"
    )
    from negotiate.cli import main

    assert main(["validate", str(path)]) == 0  # the contract: every finite number, exactly
    assert "OK" in capsys.readouterr().out


def test_examples_lists_names_that_analyze_accepts_from_any_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEGOTIATE_EXAMPLES", raising=False)
    monkeypatch.chdir(tmp_path)
    status, out, _ = run(capsys, "examples")
    assert status == 0
    names = [line for line in out.splitlines() if line and not line.startswith((" ", "Run"))]
    assert names == [p.with_suffix("").as_posix() for p in SHIPPED]
    status, out, err = run(capsys, "validate", "ukraine-2025/talks-2025-12-02")
    assert status == 0, err
    assert "Russia–Ukraine peace talks, 2 December 2025" in out


def test_a_file_that_exists_wins_over_a_bundled_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEGOTIATE_EXAMPLES", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "textbook").mkdir()
    mine = CAR.read_text(encoding="utf-8").replace("id: car-sale", "id: my-car", 1)
    (tmp_path / "textbook" / "car-sale.yaml").write_text(mine, encoding="utf-8")
    import negotiate as ng

    assert ng.load("textbook/car-sale.yaml").id == "my-car"
    assert ng.load("textbook/car-sale").id == "car-sale"  # no file of that name: bundled


def test_unknown_bundled_name_suggests_the_close_one(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("NEGOTIATE_EXAMPLES", raising=False)
    monkeypatch.chdir(tmp_path)
    status, _, err = run(capsys, "validate", "ukraine-2025/talks-2025-12-03")
    assert status == 2
    assert "did you mean the bundled example 'ukraine-2025/talks-2025-12-02'" in err
    status, _, err = run(capsys, "validate", "nothing-like-it")
    assert status == 2 and "negotiate examples" in err and "Traceback" not in err
