"""Figures as accessible inline SVG: a ``<title>`` and ``<desc>``, ``role="img"``, no size lock."""

from __future__ import annotations

import io
import re
from html import escape
from typing import Any

__all__ = ["inline_svg"]

_OPEN = re.compile(r"<svg\b[^>]*>", re.S)


def inline_svg(figure: Any, key: str, title: str, description: str) -> str:
    """``figure`` as an ``<svg>`` element to paste into HTML.

    The SVG gets ``role="img"``, an ``aria-labelledby`` pointing at its
    ``<title>`` and ``<desc>``, ids unique to ``key`` (matplotlib's clip-path
    ids are salted with it, so two figures on one page never share an id and
    the same figure always gives the same text), and no fixed width or height,
    so CSS scales it to the page. Text is drawn as paths: no font is needed.
    """
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": key, "svg.fonttype": "path"}):
        # dpi only sets the resolution of rasterized parts (a dense frontier's lines)
        figure.savefig(buffer, format="svg", metadata={"Date": None}, dpi=80)
    text = buffer.getvalue()
    # matplotlib names groups and glyphs the same in every figure (figure_1, DejaVuSans-58):
    # prefix every id and reference so that several figures on one page never share one.
    text = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{key}-{m.group(1)}"', text)
    text = re.sub(r'((?:xlink:)?href)="#([^"]+)"', lambda m: f'{m.group(1)}="#{key}-{m.group(2)}"',
                  text)
    text = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{key}-{m.group(1)})", text)
    match = _OPEN.search(text)
    if match is None:  # pragma: no cover - matplotlib always writes an <svg> element
        raise RuntimeError("matplotlib wrote no <svg> element")
    opening = match.group(0)
    opening = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    opening = opening.replace(
        "<svg", f'<svg role="img" aria-labelledby="{key}-title {key}-desc" '
        f'class="figure" id="{key}-svg"', 1,
    )
    head = (f'<title id="{key}-title">{escape(title)}</title>'
            f'<desc id="{key}-desc">{escape(description)}</desc>')
    return opening + head + text[match.end():].strip()
