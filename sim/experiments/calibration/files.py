"""Writing a calibration: the posterior, its summary, the validation, the figure.

Each file is written under a temporary name and moved into place, so a
file in the output directory is always whole.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

FILES = (
    "evaluated.csv",
    "posterior.csv",
    "posterior_summary.csv",
    "validation.csv",
    "posterior.png",
)


def _csv(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` whole (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


def write_calibration(cal, out: Path) -> list[str]:
    """Write a :class:`~sim.experiments.calibration.Calibration` into ``out``.

    Files: ``evaluated.csv`` (every point of every wave with its
    implausibility per fact), ``posterior.csv`` (the accepted parameter
    sets), ``posterior_summary.csv`` (per assumption: prior range, median,
    90% interval), ``validation.csv`` (the validation scorecard on posterior
    runs; empty when nothing was accepted) and ``posterior.png``.

    Returns:
        The names written.
    """
    from sim.experiments.calibration.chart import plot_posterior
    from sim.plots.style import save

    out.mkdir(parents=True, exist_ok=True)
    _csv(cal.match.evaluated, out / "evaluated.csv")
    _csv(cal.match.posterior, out / "posterior.csv")
    _csv(cal.match.summary(), out / "posterior_summary.csv")
    _csv(cal.validation, out / "validation.csv")
    tmp = out / ".posterior.png.tmp.png"
    save(plot_posterior(cal.match), tmp)
    os.replace(tmp, out / "posterior.png")
    return list(FILES)
