"""The example scenarios that ship with negotiate, found by name.

In a wheel they live in ``negotiate/examples`` (setup.py maps the top-level ``examples/``
folder there); in a source checkout, in ``examples/`` next to the package.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

__all__ = ["examples_folder", "list_examples"]

_PACKAGE = Path(__file__).resolve().parent
#: The file types a scenario may have.
_SUFFIXES = (".yaml", ".yml", ".json")


def examples_folder() -> Path | None:
    """The folder of example scenarios, or None when there is none.

    ``$NEGOTIATE_EXAMPLES`` when set; else the examples installed with the package
    (``negotiate/examples`` in a wheel); else the ``examples/`` folder of a source checkout.

    Examples
    --------
    >>> (ng.io.examples_folder() / "ukraine-2025" / "talks-2025-12-02.yaml").is_file()
    True
    """
    env = os.environ.get("NEGOTIATE_EXAMPLES")
    candidates = [Path(env)] if env else []
    candidates += [_PACKAGE / "examples", _PACKAGE.parent / "examples"]
    for folder in candidates:
        if folder.is_dir():
            return folder
    return None


def _example_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.suffix.lower() in _SUFFIXES and p.is_file()
    )


def _example_name(folder: Path, path: Path) -> str:
    return path.relative_to(folder).with_suffix("").as_posix()


def list_examples() -> list[str]:
    """The names of the bundled example scenarios, for `load` and ``negotiate analyze NAME``.

    A name is the file's path inside the examples folder without its suffix, with ``/``
    between folders (``negotiate examples`` prints the same names).

    Examples
    --------
    >>> "ukraine-2025/talks-2025-12-02" in ng.io.list_examples()
    True
    >>> ng.load("ukraine-2025/talks-2025-12-02").as_of
    datetime.date(2025, 12, 2)
    """
    folder = examples_folder()
    if folder is None:
        return []
    return [_example_name(folder, p) for p in _example_files(folder)]


def _bundled(path: Path) -> Path | None:
    """The bundled example file a (missing) path names, if any."""
    folder = examples_folder()
    if folder is None or path.is_absolute():
        return None
    name = path.as_posix().removeprefix("examples/")
    if ".." in Path(name).parts:
        return None
    for candidate in (folder / name, *(folder / (name + suffix) for suffix in _SUFFIXES)):
        if candidate.suffix.lower() in _SUFFIXES and candidate.is_file():
            return candidate
    return None


def _no_such_file(path: Path) -> str:
    message = f"{path}: cannot read the file: no such file"
    names = list_examples()
    close = difflib.get_close_matches(path.with_suffix("").as_posix(), names, n=1, cutoff=0.6)
    if close:
        return message + f"; did you mean the bundled example '{close[0]}'?"
    if path.suffix.lower() not in _SUFFIXES:
        return message + (
            "; give a .yaml, .yml or .json file or the name of a bundled example "
            "(`negotiate examples` lists them)"
        )
    return message
