"""What the terminal shows after a run or a sweep: short tables, not files.

The files of a run hold everything; these summaries only say, at a glance,
how it ended, so a user sees at once whether it is worth opening them.
"""

from __future__ import annotations

from sim.text import compact_number

#: Sweeps with more points than this are summarised by spreads, not by point.
MAX_POINTS_LISTED = 40
#: Sweeps with at most this many points get one metric a line (transposed).
MAX_POINTS_TRANSPOSED = 8


def summary(h) -> str:
    """A short table for the terminal: each actor at the start and the end."""
    last = h.n_rows - 1
    lines = [
        f"{'actor':<22} {'fighters':>19} {'provinces held':>15} "
        f"{'aid in':>8} {'aid out':>8}"
    ]
    for i, name in enumerate(h.actor_names):
        s0, s1 = h.strength[0, i].sum(), h.strength[last, i].sum()
        c0 = int((h.controller[0] == i).sum())
        c1 = int((h.controller[last] == i).sum())
        lines.append(
            f"{name:<22} {s0:>8,.0f} → {s1:>8,.0f} {c0:>6} → {c1:>6} "
            f"{h.aid_received[:, i].sum():>8,.0f} {h.aid_sent[:, i].sum():>8,.0f}"
        )
    formed = [e for e in h.events if e["type"] == "alliance"]
    if formed:
        lines.append(
            "Alliances formed: "
            + "; ".join(
                f"{h.actor_names[h.actor_keys.index(e['a'])]}–"
                f"{h.actor_names[h.actor_keys.index(e['b'])]} ({e['date']})"
                for e in formed
            )
        )
    contested = int((h.controller[last] < 0).sum())
    lines.append(
        f"Contested provinces at the end: {contested} of {len(h.province_names)}."
    )
    return "\n".join(lines)


def _number(x) -> str:
    """A metric value in a narrow column (``–`` for NaN)."""
    return compact_number(x, missing="–")


def sweep_summary(results, width: int = 100) -> str:
    """Metric means by point (at most 40 points), else metric spreads over all runs.

    With up to 8 points the table is transposed, one metric a line, so that
    long metric names stay readable in a terminal ``width`` columns wide.
    """
    import pandas as pd

    from sim.experiments.sweep import summarize

    metrics = list(results.attrs.get("metrics", []))
    params = list(results.attrs.get("parameters", []))
    n_points, n_runs = results["point"].nunique(), len(results)
    if not metrics:
        return f"{n_runs} runs over {n_points} point(s); no metrics recorded."
    if n_points > MAX_POINTS_LISTED:
        stats = results[metrics].describe(percentiles=[0.05, 0.5, 0.95]).T
        table = stats[["mean", "std", "5%", "50%", "95%"]].map(_number)
        head = f"Metrics over {n_runs} runs at {n_points} sampled points:"
        return head + "\n" + table.to_string(line_width=width)
    means = summarize(results)
    table = pd.DataFrame({c: means[c].map(_number) for c in metrics}, index=means.index)
    for c in reversed(params):
        table.insert(0, c, means[c].astype(str))
    table.insert(len(params), "runs", means["runs"].astype(str))
    head = f"Metric means by point ({n_runs} runs):"
    if n_points <= MAX_POINTS_TRANSPOSED:
        table = table.T
        table.columns = [f"point {p}" for p in table.columns]
        table.index.name = None
    return head + "\n" + table.to_string(line_width=width)
