"""Progress bars where the user is looking, and nowhere else.

One rule for every long job (a run's weeks, a sweep's runs, a check's
seeds): a bar shows in a Jupyter notebook (as a widget, through
``tqdm.auto``) and on a terminal; none in a log file, a pipe or on a
continuous-integration machine (``CI`` set to ``true``, ``1`` or ``yes``).
``progress=True`` or ``False`` overrides the rule either way (``--quiet``
passes ``False``). A notebook is told apart by its kernel, since
``sys.stderr.isatty()`` is always false there.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_CI_VALUES = {"1", "true", "yes"}


def in_ci() -> bool:
    """Whether the ``CI`` environment variable says this is a CI machine."""
    return os.environ.get("CI", "").strip().lower() in _CI_VALUES


def in_notebook() -> bool:
    """Whether this is a Jupyter kernel (a notebook, JupyterLab, VS Code, Colab)."""
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def on_terminal(stream=None) -> bool:
    """Whether ``stream`` (default: stderr) is an interactive terminal."""
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or closed
        return False


def wanted(progress: bool | None = None) -> bool:
    """Whether to show a bar: ``progress`` if given, else by where we run.

    Not on CI; yes in a notebook; otherwise only when stderr is a terminal.
    """
    if progress is not None:
        return bool(progress)
    if in_ci():
        return False
    return in_notebook() or on_terminal()


def bar(
    total: int,
    desc: str,
    unit: str,
    progress: bool | None = None,
    initial: int = 0,
    delay: float = 0.0,
) -> Any:
    """A tqdm bar for ``total`` units of work, or None when :func:`wanted` says no.

    Args:
        total: how many units the job has.
        desc: the bar's label (the scenario, "sweep", "check").
        unit: what one unit is ("week", "run").
        progress: True/False to force it on or off; None decides by
            :func:`wanted`.
        initial: units already done (a resumed sweep).
        delay: seconds before the bar appears, so a job quicker than that
            shows none.

    Returns:
        A ``tqdm`` object (call ``update`` and ``close``) or None.
    """
    if not wanted(progress):
        return None
    options = {
        "total": total,
        "desc": desc,
        "unit": unit,
        "initial": initial,
        "delay": delay,
        "file": sys.stderr,
    }
    if in_notebook():
        try:
            from tqdm.auto import tqdm as notebook_tqdm

            return notebook_tqdm(**options)
        except ImportError:  # no ipywidgets: the text bar works in a notebook too
            pass
    from tqdm.std import tqdm as text_tqdm

    return text_tqdm(**options)
