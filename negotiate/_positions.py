"""Where each value of a YAML or JSON document starts: path -> (line, column), both 1-based.

Used only to put ``(line L, column C)`` on validation problems, so it runs only when a
document has problems. YAML positions come from the loader's node marks; JSON positions
from a small scanner over the (already parsed, so well-formed) text.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

Path = tuple[str | int, ...]
#: path -> ((line, column) of the value, (line, column) of its key or None)
Positions = dict[Path, tuple[tuple[int, int], tuple[int, int] | None]]


def yaml_positions(text: str, loader: Any) -> Positions:
    """Positions of every node of a (screened, valid) YAML document."""
    root = yaml.compose(text, Loader=loader)
    out: Positions = {}

    def walk(node: Any, path: Path, key_mark: Any) -> None:
        mark = node.start_mark
        out[path] = ((mark.line + 1, mark.column + 1),
                     None if key_mark is None else (key_mark.line + 1, key_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
                if key is not None:
                    walk(value_node, (*path, _yaml_key(key_node, loader)), key_node.start_mark)
        elif isinstance(node, yaml.SequenceNode):
            for k, item in enumerate(node.value):
                walk(item, (*path, k), None)

    if root is not None:
        walk(root, (), None)
    return out


def _yaml_key(node: yaml.ScalarNode, loader: Any) -> str | int:
    # Keys as the loader builds them (an unquoted 7 is the int 7), so paths match the data.
    if node.tag == "tag:yaml.org,2002:int":
        try:
            return int(node.value, 10)
        except ValueError:
            return str(node.value)
    return str(node.value)


_WS = re.compile(r"[ \t\n\r]*")


def json_positions(text: str) -> Positions:
    """Positions of every value of a valid JSON document."""
    out: Positions = {}
    decoder = json.JSONDecoder()
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, offset - line_starts[lo] + 1

    def value(i: int, path: Path, key_at: int | None) -> int:
        i = _WS.match(text, i).end()  # type: ignore[union-attr]
        out[path] = (where(i), None if key_at is None else where(key_at))
        ch = text[i]
        if ch == "{":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "}":
                return i + 1
            while True:
                key_at = i
                key, i = json.decoder.scanstring(text, i + 1)  # type: ignore[attr-defined]
                i = _WS.match(text, i).end() + 1  # type: ignore[union-attr]  # past ':'
                i = value(i, (*path, key), key_at)
                i = _WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == "}":
                    return i + 1
                i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]  # past ','
        if ch == "[":
            i = _WS.match(text, i + 1).end()  # type: ignore[union-attr]
            if text[i] == "]":
                return i + 1
            k = 0
            while True:
                i = value(i, (*path, k), None)
                k += 1
                i = _WS.match(text, i).end()  # type: ignore[union-attr]
                if text[i] == "]":
                    return i + 1
                i += 1
        _, end = decoder.raw_decode(text, i)
        return int(end)

    start = 1 if text.startswith("\ufeff") else 0
    value(start, (), None)
    return out


def position(positions: Positions, path: Path, on_key: bool = False) -> tuple[int, int] | None:
    """The position of ``path``, or of the nearest enclosing value that has one."""
    for cut in range(len(path), -1, -1):
        found = positions.get(path[:cut])
        if found is not None:
            if on_key and cut == len(path) and found[1] is not None:
                return found[1]
            return found[0]
    return None
