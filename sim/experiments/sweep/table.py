"""The results table: finished runs gathered as they come, and summarised by point.

Runs finish in any order, on any worker; the table is built in ``run_id``
order from the plan, so it is the same whoever ran it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from sim.experiments.sweep.plan import Plan
from sim.experiments.sweep.runner import Outcome
from sim.experiments.sweep.store import TIMESERIES_COLUMNS, Store
from sim.results.metrics import MetricError


class Collector:
    """Gathers finished runs in memory and appends them to the store.

    Called with each batch of :class:`~sim.experiments.sweep.runner.Outcome`
    as it arrives; checks that every run gives the same metric columns.
    """

    def __init__(self, plan: Plan, store: Store | None, bar: Any):
        """Start from the runs ``store`` already holds (none without a store)."""
        self.plan, self.store, self.bar = plan, store, bar
        self.fixed = list(plan.frame().columns)
        self.columns = (
            None
            if store is None or store.header is None
            else store.header[len(self.fixed) :]
        )
        self.values = dict(store.rows) if store else {}
        self.series = list(store.series) if store else []
        self.runs = {r.run_id: r for r in plan.runs}

    def _check_columns(self, o: Outcome) -> None:
        """Take the first run's metric columns; refuse a run that gives others."""
        if self.columns is None:
            self.columns = list(o.values)
            clash = set(self.columns) & set(self.fixed)
            if clash:
                raise MetricError(
                    f"metric column(s) {sorted(clash)} clash with id columns"
                )
        if list(o.values) != self.columns and set(o.values) != set(self.columns):
            raise MetricError(
                f"run {o.run_id} gave metrics {sorted(o.values)}, earlier runs "
                f"{sorted(self.columns)}: a metric function must return the "
                "same keys every run"
            )

    def _row(self, o: Outcome) -> list:
        """The results row of a finished run: its ids, seed and metric values."""
        run = self.runs[o.run_id]
        ids = [run.run_id, run.point, run.replicate]
        ids += [self.plan.points[run.point].get(p) for p in self.plan.parameters]
        return [*ids, run.seed, *(o.values[c] for c in self.columns)]

    def __call__(self, outcomes: list[Outcome]) -> None:
        """Keep a batch of finished runs, append them to the store, tick the bar."""
        rows, series = [], []
        for o in outcomes:
            self._check_columns(o)
            self.values[o.run_id] = {c: o.values[c] for c in self.columns}
            rows.append(self._row(o))
            for name, vals in o.series:
                series.extend(
                    (o.run_id, t, o.dates[t], name, v) for t, v in enumerate(vals)
                )
        self.series.extend(series)
        if self.store is not None:
            self.store.append(self.fixed + self.columns, rows, series)
        if self.bar is not None:
            self.bar.update(len(outcomes))

    def results(self) -> pd.DataFrame:
        """The results table in ``run_id`` order: ids, then float metric columns."""
        frame = self.plan.frame()
        cols = self.columns or []
        rows = [self.values[r] for r in frame["run_id"].tolist()]
        data = {c: [row[c] for row in rows] for c in cols}
        metrics = pd.DataFrame(data, index=frame.index, columns=cols, dtype=float)
        return pd.concat([frame, metrics], axis=1)

    def timeseries(self, names: list[str]) -> pd.DataFrame:
        """The series in long form, by run, then metric as asked, then step."""
        order = {n: i for i, n in enumerate(names)}
        rows = sorted(
            self.series, key=lambda r: (r[0], order.get(r[3], len(order)), r[1])
        )
        df = pd.DataFrame(rows, columns=TIMESERIES_COLUMNS)
        return df.astype({"step": "int64", "value": "float64"})


def summarize(
    results: pd.DataFrame,
    metrics: Sequence[str] | None = None,
    stat: str | Callable = "mean",
) -> pd.DataFrame:
    """One row per point: the swept values, the number of runs and a statistic.

    Args:
        results: a :func:`sim.experiments.sweep.sweep` result.
        metrics: the metric columns (default: ``results.attrs['metrics']``,
            else every column after ``seed``).
        stat: a pandas aggregation (``"mean"``, ``"median"``, ``"std"``...).

    Returns:
        A DataFrame indexed by ``point``.
    """
    params = list(results.attrs.get("parameters", []))
    if metrics is None:
        metrics = results.attrs.get("metrics")
    if metrics is None:
        metrics = list(results.columns[list(results.columns).index("seed") + 1 :])
    groups = results.groupby("point", sort=True)
    parts = [groups[params].first()] if params else []
    parts.append(groups.size().rename("runs").to_frame())
    parts.append(groups[list(metrics)].agg(stat))
    return pd.concat(parts, axis=1)
