"""Colours, markers and figure helpers shared by the plots.

The palettes come from Okabe and Ito's colour-blind-safe set, and every
colour-coded mark is also told apart by shape or text, so the pictures read
in grey-scale print and for readers with any colour-vision deficiency.
"""

from __future__ import annotations

from typing import Any

from negotiate.errors import InvalidArgumentError

__all__ = [
    "STANCE_COLOURS",
    "STANCE_MARKERS",
    "VERDICT_COLOURS",
    "new_figure",
    "require_matplotlib",
    "short_name",
]

#: Stance of a red line -> colour (Okabe-Ito). ``analyst`` marks reservations.
STANCE_COLOURS: dict[str, str] = {
    "stated": "#0072B2",     # blue
    "reported": "#E69F00",   # orange
    "inferred": "#CC79A7",   # reddish purple
    "analyst": "#999999",    # grey: analyst judgement (reservations)
}
#: Stance -> marker, so the stance reads without colour too.
STANCE_MARKERS: dict[str, str] = {
    "stated": "o", "reported": "s", "inferred": "^", "analyst": "D",
}
#: Verdict -> colour (Okabe-Ito); cells also print the verdict as text.
VERDICT_COLOURS: dict[str, str] = {
    "accepts": "#009E73",    # bluish green
    "rejects": "#D55E00",    # vermillion
    "undecided": "#F0E442",  # yellow
}
#: Colours for series such as bargaining solutions (Okabe-Ito, then black).
SERIES = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")

INSTALL_HINT = (
    "pictures need matplotlib: install the report extra with "
    "`pip install 'negotiate[report]'` (or `pip install matplotlib`)"
)


def short_name(name: str, width: int = 22) -> str:
    """A party name short enough for an axis: the part before `` (``, cut at ``width``.

    >>> from negotiate.plot._style import short_name
    >>> short_name("Europe (E3 / EU / coalition of the willing)")
    'Europe'
    """
    name = name.split(" (")[0] or name
    return name if len(name) <= width else name[: width - 1] + "…"


def require_matplotlib() -> None:
    """Raise a clear error when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev extra
        raise InvalidArgumentError(INSTALL_HINT) from exc


def new_figure(ax: Any, size: tuple[float, float], *, frameless: bool = False) -> tuple[Any, Any]:
    """``(figure, axes)``: the given axes and its figure, or a new figure of ``size`` inches.

    ``frameless`` is for pictures with no axis (graphs): fixed margins instead of
    constrained layout, which would only cost time. A new figure is a plain :class:`matplotlib.figure.Figure` (no pyplot, no
    global state, no display needed); notebooks show it like any figure.
    """
    require_matplotlib()
    from matplotlib.figure import Figure

    if ax is not None:
        return ax.figure, ax
    if frameless:  # a picture without axes: fixed margins, no layout engine to run
        figure = Figure(figsize=size)
        return figure, figure.add_axes((0.01, 0.01, 0.98, 0.94))
    figure = Figure(figsize=size, layout="constrained")
    return figure, figure.add_subplot()
