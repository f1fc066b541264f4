"""The wheel ships the examples (built for real; its file list is checked, nothing installed)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_contains_the_examples(tmp_path: Path) -> None:
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel", reason="building a wheel without isolation needs 'wheel'")
    source = tmp_path / "src"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("negotiate", "examples"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    out = tmp_path / "wheel"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "-w", str(out), "--no-deps",
         "--no-build-isolation", "--no-index", "-q"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("negotiate-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = sorted(
        p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("*")
        if p.is_file() and p.suffix in (".yaml", ".yml", ".json", ".md")
    )
    assert shipped, "the source tree has examples"
    for path in shipped:
        assert "negotiate/" + path in names, f"{path} is missing from the wheel"
    assert "negotiate/py.typed" in names
    assert "negotiate/io.py" in names and "negotiate/model/party.py" in names
