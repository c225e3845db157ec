"""What the sweep tests share: the scenario file, a small grid, metrics, helpers."""

from __future__ import annotations

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]
S2016 = ROOT / "scenarios" / "2016.yaml"
GRID = {"actors.russia.resources": [0, 24], "parameters.interdiction": [0.5]}
METRICS = ["provinces:taliban", "strength:isis_k", "aid_delivered:russia"]


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a CSV file, header included, as text."""
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def taliban_share(model) -> float:
    """A user metric importable by worker processes: Taliban fighters / 1,000."""
    h = model.history
    return float(h.strength[-1, h.actor_keys.index("taliban")].sum() / 1e3)


def blas_threads(model) -> float:
    """A user metric: the most threads any BLAS loaded in the worker will use."""
    from threadpoolctl import threadpool_info

    counts = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    return float(max(counts, default=float("nan")))


def shares_roads(model) -> float:
    """A user metric: 1 if the run's road network is its process's kept one.

    Runs built within :func:`sim.core.build.reusing` share one road network
    per map and thread; a run built afresh has its own.
    """
    from sim.core import build

    kept = [parts.roads for _, parts in build._MAPS.values()]
    return float(any(model.roads is roads for roads in kept))
