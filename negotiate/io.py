"""Reading and writing scenario files (YAML or JSON), and the JSON Schema.

YAML is read as YAML 1.2 core data only: no tags that build objects, no
anchors or aliases (so no "billion laughs"), bounded size and nesting, and
plain scalars such as ``yes``, ``no``, ``on`` or ``2025-12-02`` stay strings
(the model turns date strings into dates where a date is expected).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from negotiate._examples import _bundled, _no_such_file, examples_folder, list_examples
from negotiate._positions import Positions, json_positions, position, yaml_positions
from negotiate.errors import InvalidArgumentError, Problem, ScenarioError, ScenarioFileError
from negotiate.model import Scenario
from negotiate.model._base import NAME_PATTERN, _render
from negotiate.model._validate import collect
from negotiate.model.scenario import ensure_valid

__all__ = [
    "dump",
    "dumps",
    "examples_folder",
    "json_schema",
    "list_examples",
    "load",
    "loads",
    "validate",
]

#: Largest scenario file accepted, in bytes.
MAX_FILE_BYTES = 10 * 1024 * 1024
#: Deepest nesting of mappings/lists accepted in a file.
MAX_DEPTH = 64

_SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


# -- YAML 1.2 core schema, safely --------------------------------------------------------------

#: libyaml's parser when PyYAML was built with it (several times faster), else pure Python.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _CoreLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """SafeLoader restricted to the YAML 1.2 core schema (no yes/no booleans, no timestamps)."""


_CoreLoader.yaml_implicit_resolvers = {}
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"),
)
_CoreLoader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


class _Dumper(yaml.SafeDumper):
    """SafeDumper that quotes any string a YAML 1.1 *or* 1.2-core reader would not read
    back as the same string, and escapes the line-break characters U+0085/2028/2029."""


for _tag, _regexp, _first in (
    (tag, regexp, first)
    for first, resolvers in _CoreLoader.yaml_implicit_resolvers.items()
    for tag, regexp in resolvers
):
    _Dumper.add_implicit_resolver(_tag, _regexp, [_first])

_LINE_BREAKS = ("\x85", "\u2028", "\u2029")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if any(ch in data for ch in _LINE_BREAKS):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"')
    return dumper.represent_str(data)


_Dumper.add_representer(str, _represent_str)


def _construct_core_int(loader: Any, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    return int(text, 0) if text.startswith("0x") else int(text, 10)


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _construct_core_int)


def _construct_unique_mapping(loader: Any, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[str, Any] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            if key_node.value in seen:
                raise ScenarioFileError(
                    f"duplicate key '{key_node.value}' at {_where(key_node.start_mark)} "
                    f"(first at {_where(seen[key_node.value])}); each key may appear once "
                    "in a mapping"
                )
            seen[key_node.value] = key_node.start_mark
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node, deep=True))


_CoreLoader.add_constructor("tag:yaml.org,2002:map", _construct_unique_mapping)

_ALLOWED_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "?"


def _screen_yaml(text: str, name: str) -> None:
    """Reject hostile or unsupported YAML before anything is built from it."""
    depth = 0
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_CoreLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ScenarioFileError(
                    f"{name}: YAML alias '*{event.anchor}' at {_where(event.start_mark)}: "
                    "anchors and aliases are not supported in scenario files; write the "
                    "values out in full"
                )
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                raise ScenarioFileError(
                    f"{name}: YAML anchor '&{anchor}' at {_where(event.start_mark)}: "
                    "anchors and aliases are not supported in scenario files; write the "
                    "values out in full"
                )
            tag = getattr(event, "tag", None)
            if tag not in _ALLOWED_TAGS:
                raise ScenarioFileError(
                    f"{name}: YAML tag '{tag}' at {_where(event.start_mark)} is not allowed; "
                    "scenario files hold plain data (mappings, lists, strings, numbers, booleans)"
                )
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise ScenarioFileError(
                        f"{name}: more than one YAML document (a second '---' at "
                        f"{_where(event.start_mark)}); a scenario file holds one document"
                    )
            elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise ScenarioFileError(
                        f"{name}: nesting deeper than {MAX_DEPTH} levels at "
                        f"{_where(event.start_mark)}; scenario files are shallow"
                    )
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                depth -= 1
    except yaml.YAMLError as exc:
        raise ScenarioFileError(f"{name}: not valid YAML: {_yaml_message(exc, text)}") from None


def _yaml_message(exc: yaml.YAMLError, text: str = "") -> str:
    if isinstance(exc, yaml.MarkedYAMLError):
        parts = [p for p in (exc.context, exc.problem) if p]
        mark = exc.problem_mark or exc.context_mark
        lines = text.splitlines()
        at_tab = mark is not None and mark.line < len(lines) and (
            lines[mark.line][mark.column:mark.column + 1] == "\t")
        hint = " (a tab: YAML indents with spaces only)" if at_tab else ""
        return f"{'; '.join(parts)} at {_where(mark)}{hint}"
    return str(exc)


def _parse_text(text: str, kind: str, name: str) -> Any:
    if not text.strip():
        raise ScenarioFileError(
            f"{name}: the file is empty; a scenario needs at least 'format: 1', 'id', "
            "'issues' and 'parties'"
        )
    if kind == "json":
        def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [k for k, _ in pairs]
            for k in keys:
                if keys.count(k) > 1:
                    raise ScenarioFileError(
                        f"{name}: duplicate key '{k}' in a JSON object; each key may appear once"
                    )
            return dict(pairs)

        try:
            return json.loads(text, object_pairs_hook=unique)
        except json.JSONDecodeError as exc:
            raise ScenarioFileError(
                f"{name}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            ) from None
        except RecursionError:
            raise ScenarioFileError(
                f"{name}: JSON nested too deeply; scenario files are shallow"
            ) from None
    _screen_yaml(text, name)
    try:
        return yaml.load(text, Loader=_CoreLoader)  # _CoreLoader is a SafeLoader
    except ScenarioFileError as exc:
        raise ScenarioFileError(f"{name}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ScenarioFileError(f"{name}: not valid YAML: {_yaml_message(exc, text)}") from None


def _validate(
    data: Any, name: str, positions: Callable[[], Positions] | None = None
) -> Scenario:
    """Validate parsed data in one pass; on problems raise ScenarioError listing them all.

    ``positions`` (called only when there are problems) maps document paths to
    file positions, so each problem gets its line and column.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(
            f"{name}: a scenario is a mapping with keys format, id, issues, parties, ...; "
            f"got {type(data).__name__}"
        )
    try:
        scenario, found = collect(data)
    except RecursionError:
        raise ScenarioError(f"{name}: nested too deeply") from None
    if scenario is not None:
        return scenario  # type: ignore[no-any-return]
    where = positions() if positions is not None else {}
    problems = []
    for f in found:
        line, column = position(where, f.path, f.on_key) or (None, None)
        problems.append(Problem(_render(f.path), f.message, line, column, f.kind))
    lines = [f"{name}: {len(problems)} problem(s) in the scenario:"]
    lines += ["  - " + str(p).replace("\n", "\n      ") for p in problems]
    raise ScenarioError("\n".join(lines), problems)


def validate(data: Any, *, name: str = "scenario") -> Scenario:
    """Validate a mapping (for example parsed JSON) and return a `Scenario`.

    Unlike ``Scenario.model_validate``, every problem is reported as a
    `ScenarioError` with one ``location: message`` line per problem.

    Parameters
    ----------
    data : mapping
        The scenario as plain data (the file format's keys).
    name : str, optional
        What to call the input in messages.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Listing each problem with its location and what would be right.

    Examples
    --------
    >>> ng.validate({"format": 1, "id": "t", "issues": [], "parties": []})
    Traceback (most recent call last):
    ...
    negotiate.errors.ScenarioError: scenario: 2 problem(s) in the scenario:
      - issues: needs at least 1 entry, found none
      - parties: needs at least 1 entry, found none
    """
    return _validate(data, name)


def loads(text: str | bytes, *, format: str = "yaml", name: str = "<string>") -> Scenario:
    """Parse scenario text (``format`` is ``"yaml"`` or ``"json"``) and validate it.

    Examples
    --------
    >>> s = ng.loads('''
    ... format: 1
    ... id: tiny
    ... issues: [{id: quota, options: [yes, no]}]
    ... parties: [{id: A, red_lines: [{id: a1, rule: "quota == yes"}]}]
    ... ''')
    >>> s.issues[0].option_ids
    ('yes', 'no')
    """
    if format not in ("yaml", "json"):
        raise InvalidArgumentError(f"format={format!r} must be 'yaml' or 'json'")
    if isinstance(text, bytes):
        text = _decode(text, name)
    if len(text) > MAX_FILE_BYTES:
        raise ScenarioFileError(f"{name}: larger than {MAX_FILE_BYTES} bytes; refusing to read it")
    return _validate(_parse_text(text, format, name), name, _positions_of(text, format))


def _positions_of(text: str, kind: str) -> Callable[[], Positions]:
    def compute() -> Positions:
        try:
            return json_positions(text) if kind == "json" else yaml_positions(text, _CoreLoader)
        except Exception:  # positions only decorate messages; never fail on them
            return {}

    return compute


def _decode(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ScenarioFileError(
            f"{name}: not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); save the file as UTF-8"
        ) from None


def _kind(path: Path) -> str:
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        genius = (" (GENIUS XML is read by `negotiate import-genius` or ng.load_genius)"
                  if path.suffix.lower() == ".xml" else "")
        raise ScenarioFileError(
            f"{path}: unknown file type '{path.suffix}'; use .yaml, .yml or .json{genius}"
        )
    return kind


def load(path: str | os.PathLike[str]) -> Scenario:
    """Read a scenario file (``.yaml``, ``.yml`` or ``.json``) and validate it.

    When no file exists at ``path``, a bundled example of that name is
    loaded instead (see `list_examples`), so ``ng.load("ukraine-2025/talks-2025-12-02")``
    works from any folder after a plain ``pip install``. A file that exists always wins.

    Parameters
    ----------
    path : str or path-like
        The scenario file, or the name of a bundled example.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioFileError
        If the file does not exist (and is no bundled example), cannot be read, is empty,
        not UTF-8, too large, not valid
        YAML/JSON, or uses YAML features scenario files do not allow.
    ScenarioError
        If the content is not a valid scenario; the message lists each
        problem with its location.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "t.yaml").write_text("format: 1\\nid: t\\nissues: [{id: a, options: [x, y]}]\\n"
    ...                               "parties: [{id: p}]\\n")
    >>> ng.load(d / "t.yaml").outcome_count
    2
    >>> ng.load("textbook/car-sale").id  # a bundled example
    'car-sale'
    """
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        bundled = _bundled(path)
        if bundled is not None:
            path = bundled
        elif path.suffix.lower() not in _SUFFIXES:
            raise ScenarioFileError(_no_such_file(path))
    if path.is_dir():
        raise ScenarioFileError(f"{path}: is a directory; give the path of a scenario file")
    kind = _kind(path)
    if path.exists() and not path.is_file():
        raise ScenarioFileError(f"{path}: not a regular file; give the path of a scenario file")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioFileError(
                f"{path}: {size} bytes is larger than the {MAX_FILE_BYTES} bytes allowed"
            )
        raw = path.read_bytes()
    except ScenarioFileError:
        raise
    except FileNotFoundError:
        raise ScenarioFileError(_no_such_file(path)) from None
    except OSError as exc:
        raise ScenarioFileError(f"{path}: cannot read the file: {exc.strerror or exc}") from None
    text = _decode(raw, str(path))
    return _validate(_parse_text(text, kind, str(path)), str(path), _positions_of(text, kind))


def _plain(scenario: Scenario) -> dict[str, Any]:
    if not isinstance(scenario, Scenario):
        raise TypeError(f"expected a Scenario, got {type(scenario).__name__}")
    scenario = ensure_valid(scenario)  # never write what would not load back
    return scenario.model_dump(mode="json", exclude_defaults=True) | {"format": scenario.format}


def dumps(scenario: Scenario, *, format: str = "yaml") -> str:
    """Serialise a scenario to YAML or JSON text (rules as canonical text).

    Examples
    --------
    >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: a, options: [x]}]\\nparties: [{id: p}]")
    >>> print(ng.dumps(s, format="json"))  # doctest: +ELLIPSIS
    {
      "format": 1,
      "id": "t",
    ...
    """
    data = _plain(scenario)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if format == "yaml":
        return str(
            yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        )
    raise InvalidArgumentError(f"format={format!r} must be 'yaml' or 'json'")


def dump(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write a scenario to ``path`` as YAML or JSON (by suffix), atomically.

    The text goes to a temporary file in the same folder, which is flushed
    to disk and then renamed over ``path``: a crash or a full disk leaves
    either the old file or the new one, never half of one, and an error or
    an interruption it can catch (``KeyboardInterrupt``) leaves no temporary
    file behind.

    An existing file keeps its permission bits; a new file gets the usual
    ones (``0o666`` less the umask). When ``path`` is a symbolic link, the
    link is followed: the file it points to is replaced and the link stays
    a link.

    Parameters
    ----------
    scenario : Scenario
        The scenario to write.
    path : str or path-like
        Target file; ``.yaml``, ``.yml`` or ``.json``.

    Raises
    ------
    ScenarioFileError
        If the suffix is not a scenario file type, ``path`` is a directory or its
        folder does not exist.
    OSError
        If the folder cannot be written (the old file, if any, is untouched).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> s = ng.loads("format: 1\\nid: t\\nissues: [{id: a, options: [x]}]\\nparties: [{id: p}]")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "copy.json"
    >>> ng.dump(s, path)
    >>> ng.load(path) == s
    True
    """
    path = Path(path)
    text = dumps(scenario, format=_kind(path)).encode("utf-8")
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    if target.is_dir():
        raise ScenarioFileError(f"{path}: is a directory; give the path of a scenario file")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ScenarioFileError(f"{path}: the folder {folder} does not exist; create it first")
    _write_atomically(target, text)


def _write_atomically(target: Path, data: bytes) -> None:
    folder = target.parent if str(target.parent) else Path(".")
    try:
        mode: int | None = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = None
    tmp = folder / f".{target.name}.{secrets.token_hex(6)}.tmp"
    created = True  # from here on, any exit but success removes tmp (if it exists)
    try:
        try:
            # os.open applies the umask to 0o666, as creating the file directly would.
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
            fd = os.open(tmp, flags, 0o666)
        except OSError:
            created = False  # not ours: never unlink a file this call did not create
            raise
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                if hasattr(os, "fchmod"):
                    os.fchmod(handle.fileno(), mode)
                else:  # pragma: no cover - Windows
                    os.chmod(tmp, mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        created = False
    finally:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file format.

    The library accepts exactly what this schema accepts, checked with format checking
    on (dates are ``YYYY-MM-DD``): a problem of kind ``"schema"`` is one the schema
    reports too. On top, the library checks what no schema can express (problems of
    kind ``"consistency"``: unknown or duplicate ids, rule syntax, rankings that skip an
    option, numbers too fine to compare exactly).

    Examples
    --------
    >>> schema = ng.json_schema()
    >>> sorted(schema["required"])
    ['format', 'id', 'issues', 'parties']
    """
    schema = Scenario.model_json_schema()
    _key_patterns(schema)
    return schema


def _key_patterns(node: Any) -> None:
    # pydantic leaves the pattern out of ``propertyNames``; every mapping key in a scenario
    # is an issue or option id, so put it back: the schema accepts exactly what the models do.
    if isinstance(node, dict):
        names = node.get("propertyNames")
        if isinstance(names, dict) and "pattern" not in names:
            names["pattern"] = NAME_PATTERN
        for value in node.values():
            _key_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _key_patterns(value)
