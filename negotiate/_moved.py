"""Old spellings of public names that moved: they still resolve, with a DeprecationWarning.

A package lists its moved names as ``{old name: "new.module.name"}`` and, in its
module-level ``__getattr__`` (called only for names the module does not define),
returns :func:`resolve_moved`. The old names are not in the package's ``__all__``
and not in ``dir()``: code written against them keeps working, new code finds only
the new homes.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping

__all__ = ["resolve_moved"]


def resolve_moved(package: str, moves: Mapping[str, str], name: str) -> object:
    """The object ``package.name`` used to be, with a warning naming its new home.

    Parameters
    ----------
    package : str
        The module whose attribute was asked for (``"negotiate"``).
    moves : mapping of str to str
        Old name → dotted path of its new home (``"negotiate.analysis.relax"``).
    name : str
        The attribute asked for.

    Returns
    -------
    object
        The object at the new home.

    Raises
    ------
    AttributeError
        ``name`` is not a moved name either (the usual error for a missing attribute).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     render = resolve_moved("negotiate", {"render_rule": "negotiate.rules.render"},
    ...                            "render_rule")
    >>> from negotiate.rules import render as new_render
    >>> render is new_render, str(caught[0].message)
    (True, 'negotiate.render_rule moved to negotiate.rules.render; import it from there (the old name will be removed)')
    """
    home = moves.get(name)
    if home is None:
        raise AttributeError(f"module {package!r} has no attribute {name!r}", name=name)
    module, _, attribute = home.rpartition(".")
    # stacklevel 3: the warning points at the user's line, past this helper and
    # the package's __getattr__.
    warnings.warn(
        f"{package}.{name} moved to {home}; import it from there (the old name will be removed)",
        DeprecationWarning,
        stacklevel=3,
    )
    return getattr(importlib.import_module(module), attribute)
