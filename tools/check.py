"""Run every check CI runs: the test suite (unit, property, doctests), ruff, mypy, and the
documentation site (mkdocs with the API reference from the docstrings; warnings are errors).

Usage: python tools/check.py [extra pytest arguments]
Set NEGOTIATE_HYPOTHESIS_PROFILE=heavy for long property runs.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile

CHECKS = [
    ("pytest", [sys.executable, "-m", "pytest", "-q"]),
    ("ruff", [sys.executable, "-m", "ruff", "check", "negotiate", "tests", "tools"]),
    ("mypy", [sys.executable, "-m", "mypy", "--strict", "negotiate"]),
    # The site goes to a temporary folder (replaced below); it is not committed.
    ("docs", [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", "SITE"]),
]


def main() -> int:
    failed = []
    for name, command in CHECKS:
        if name == "pytest":
            command = command + sys.argv[1:]
        with tempfile.TemporaryDirectory(prefix="negotiate-site-") as site:
            command = [site if part == "SITE" else part for part in command]
            print(f"== {name}: {' '.join(command[2:])}", flush=True)
            if subprocess.call(command) != 0:
                failed.append(name)
    if failed:
        print(f"FAILED: {', '.join(failed)}")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
