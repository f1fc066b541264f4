"""``negotiate robustness`` as users see it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

import negotiate as ng
from negotiate.cli import main

ROOT = Path(__file__).resolve().parents[2]
DECEMBER = str(ROOT / "examples/ukraine-2025/talks-2025-12-02.yaml")
CAR = str(ROOT / "examples/textbook/car-sale.yaml")


def test_summary_of_the_december_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robustness", DECEMBER]) == 0
    out = capsys.readouterr().out
    s = ng.load(DECEMBER)
    stances = Counter(r.stance for p in s.parties for r in p.red_lines)
    assert f"P(agreement) = 0.000, exact (from {len(ng.explain_deadlock(s).conflicts)} " \
           "minimal conflict(s))" in out
    assert f"by stance: stated 1 ({stances['stated']} red lines), reported 0.75 " \
           f"({stances['reported']} red lines), inferred 0.5 ({stances['inferred']} red " \
           "lines) (defaults)" in out
    assert "1.000  ru-donbas + ua-no-withdrawal: certain" in out
    assert "0.500  ru-no-western-troops + eu-no-russian-veto-on-forces: hangs on " \
           "eu-no-russian-veto-on-forces (inferred)" in out
    assert "Ukraine's acceptance hangs on ua-znpp" in out
    assert "United States' acceptance hangs on us-no-nato" in out
    # every red line named carries party, stance and sources
    assert "ua-znpp: Ukraine, inferred, confidence 0.5; sources: P28" in out
    assert "Not a forecast and not a recommendation" in out


def test_confidence_option_changes_the_assumption_and_the_numbers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["robustness", DECEMBER, "--confidence", "inferred=0.3", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "exact" and data["samples"] == 0
    assert data["stance_defaults"] == {"stated": 1.0, "reported": 0.75, "inferred": 0.3}
    assert data["confidence"]["ua-znpp"] == 0.3
    assert data["proposals"]["e3-counter"]["ukraine"] == pytest.approx(0.7)  # 1 - 0.3
    assert set(data["red_lines"]["ua-znpp"]) >= {"party", "stance", "sources"}


def test_workers_give_the_serial_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["robustness", CAR, "--spread", "0.2", "--samples", "60", "--seed", "3", "--json"]
    assert main(args) == 0
    serial = json.loads(capsys.readouterr().out)
    assert main([*args, "--workers", "2"]) == 0
    pooled = json.loads(capsys.readouterr().out)
    serial.pop("elapsed")
    pooled.pop("elapsed")
    assert serial == pooled and serial["method"] == "monte_carlo" and serial["samples"] == 60


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--confidence", "inferred"], "must be STANCE=PROBABILITY"),
        (["--confidence", "guessed=0.2"], "--confidence guessed=0.2: unknown stance 'guessed'"),
        (["--confidence", "inferred=1.5"], "--confidence inferred=1.5: the probability must be"),
        (["--samples", "0"], "argument --samples: '0' is not a whole number of at least 1"),
        (["--samples", "many"], "argument --samples: 'many' is not a whole number"),
        (["--workers", "0"], "argument --workers: '0' is not a whole number of at least 1"),
        (["--time-limit", "-3"], "argument --time-limit: '-3' is not a positive number"),
    ],
)
def test_bad_options_exit_2_with_a_reason(
    extra: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:  # argparse rejects malformed numbers itself (SystemExit 2, usage on stderr)
        code = main(["robustness", CAR, "--method", "monte_carlo", *extra])
    except SystemExit as stop:
        code = stop.code
    assert code == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_ctrl_c_stops_cleanly_with_exit_130() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "negotiate", "robustness", DECEMBER, "--spread", "0.2",
         "--samples", "1000000", "--workers", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    # Interrupt once the work is under way: the worker processes exist (on a loaded
    # machine the import alone can take seconds).
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    started = time.monotonic()
    while time.monotonic() - started < 120 and proc.poll() is None:
        if children.exists() and children.read_text().split():
            break
        time.sleep(0.2)
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert out == ""


def test_progress_bar_draws_on_stderr(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    from negotiate.analysis.robustness_cli import _progress_bar

    with _progress_bar(True) as update:
        assert update is not None
        update(25, 100)
        update(100, 100)
    err = capsys.readouterr().err
    assert "/100 [" in err and "sample/s" in err  # tqdm redraws at most every 0.1 s
    with _progress_bar(False) as update:
        assert update is None


def test_sampled_summary_prints_interval_spread_and_assumptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["robustness", CAR, "--spread", "0.2", "--samples", "100",
                 "--confidence", "inferred=0.2"]) == 0
    out = capsys.readouterr().out
    assert "95% interval" in out and "Monte Carlo, 100 samples, seed 0" in out
    assert "perturbed by +/-20%" in out
    assert "inferred 0.2 (1 red line) (set for this run: inferred=0.2)" in out


def test_a_bundled_example_name_works(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["robustness", "textbook/car-sale", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["scenario"] == "car-sale" and data["method"] == "exact"
