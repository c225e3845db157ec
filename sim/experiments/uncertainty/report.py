"""The files of an uncertainty check: the band table (CSV and markdown) and figure.

Each file is written to a temporary name and moved into place, so a check
that is interrupted leaves the previous files whole, never half-written ones.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.scorecard.facts import short_number
from sim.experiments.scorecard.table import GROUPS, ordered

FILES = (
    "uncertainty_bands.csv",
    "uncertainty_bands.md",
    "uncertainty_bands.png",
    "uncertainty_runs.csv",
    "uncertainty_samples.csv",
)


def _share(x: Any) -> str:
    return "n/a" if pd.isna(x) else f"{x:.0%}"


def format_bands(table: pd.DataFrame) -> str:
    """The band table as markdown, grouped by class, one row per fact."""
    attrs = table.attrs
    lines = [
        f"Bands of '{attrs.get('scenario', '?')}' over {attrs.get('samples', '?')} "
        f"parameter samples ({attrs.get('method', 'lhs')}, {attrs.get('priors', '?')} "
        f"priors) × {attrs.get('seeds_per_sample', '?')} seeds, "
        f"{attrs.get('runs', '?')} runs.",
        "",
        "| fact | p10 | p50 | p90 | accepted | in range | samples passing |",
        "|---|---|---|---|---|---|---|",
    ]
    rows = ordered(
        table.assign(status=["n/a" if pd.isna(x) else "ok" for x in table["p50"]])
    )
    titles = dict(GROUPS)
    current = None
    for _, row in rows.iterrows():
        group = "n/a" if row["status"] == "n/a" else row["class"]
        if group != current:
            current = group
            lines.append(
                f"| **{titles.get(group, 'Not measured (n/a)')}** | | | | | | |"
            )
        values = [short_number(row[k]) for k in ("p10", "p50", "p90")]
        lines.append(
            f"| {row['id']} | {' | '.join(values)} | {row['accepted']} | "
            f"{_share(row['share_in_range'])} | {_share(row['samples_passing'])} |"
        )
    lines += [
        "",
        "p10–p90: the band over runs (for a share of seeds, over samples); in "
        "range: the share of runs (of samples, for a share of seeds) in the "
        "accepted range; samples passing: the share of parameter samples on "
        "which the scorecard's statistic passes.",
    ]
    return "\n".join(lines) + "\n"


def _replace(out: Path, name: str, write) -> None:
    tmp = out / f".{name}.tmp{Path(name).suffix}"
    write(tmp)
    os.replace(tmp, out / name)


def write_bands(
    out: str | os.PathLike[str], result: Any, title: str | None = None
) -> list[str]:
    """Write the band table (CSV, markdown), the figure and the runs into ``out``.

    Returns:
        The names of the files written (:data:`FILES`).
    """
    from sim.plots.style import save

    from .plot import plot_bands

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    _replace(out, FILES[0], lambda p: result.table.to_csv(p, index=False))
    _replace(
        out,
        FILES[1],
        lambda p: p.write_text(format_bands(result.table), encoding="utf-8"),
    )
    fig = plot_bands(result.table, title)
    _replace(out, FILES[2], lambda p: save(fig, p))
    _replace(out, FILES[3], lambda p: result.runs.to_csv(p, index=False))
    _replace(out, FILES[4], lambda p: result.samples.to_csv(p, index_label="sample"))
    return list(FILES)
