"""The paired report of two scenarios run with the same seeds: compare.md/.html.

A :class:`Comparison` holds the runs of a baseline (A) and a counterfactual
(B), one pair a seed. :func:`paired_tables` gives the paired differences
of every seed as tables (one ``seed`` column more than
:mod:`sim.results.compare`'s); :func:`compare_markdown` tells the outcome
in words a class can read; :func:`compare_html` makes it one self-contained
page with the figures embedded.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.results import compare
from sim.results.markdown import markdown_to_html
from sim.results.naming import ActorNames
from sim.results.report import CSS
from sim.results.rundata import RunResult
from sim.text import long_date
from sim.vocabulary import CONTESTED

__all__ = ["Comparison", "compare_html", "compare_markdown", "paired_tables"]

#: File name → function of :mod:`sim.results.compare` that fills it.
TABLES = {
    "compare_provinces.csv": compare.province_pairs,
    "compare_fighters.csv": compare.fighter_pairs,
    "compare_relations.csv": compare.relation_pairs,
    "compare_relation_changes.csv": compare.relation_changes,
}

#: Figure file → (heading, caption), in page order.
FIGURES = {
    "compare_map.png": (
        "Who holds each province at the end, A and B",
        "The same seed, the two scenarios: provinces outlined in black have a "
        "different holder in B than in A.",
    ),
    "compare_alliances.png": (
        "The relations week by week, A above B",
        "Each row is a pair of actors: green allied, grey neutral, red "
        "hostile. Rows marked ◆ differ between the two runs at some week.",
    ),
}

CAVEAT = (
    "**Read with care.** greatgame is a teaching model, not a forecast. Both "
    "runs use the same seed, so where the scenarios agree they draw the same "
    "random numbers and the differences below come from what B changes; but "
    "a small change can still send a run down another path, so a difference "
    "seen with one seed is a possibility, not a prediction. Run with "
    "`--seeds 10` or more to see how often it holds."
)


@dataclass
class Comparison:
    """The runs of A and B, paired by seed (``runs_a[k]`` and ``runs_b[k]``)."""

    runs_a: list[RunResult]
    runs_b: list[RunResult]
    file_a: str = "A"
    file_b: str = "B"

    @property
    def seeds(self) -> list[int]:
        """The seeds, in the order the pairs were run."""
        return [r.seed for r in self.runs_a]

    def pairs(self):
        """(seed, history of A, history of B) for every seed."""
        for ra, rb in zip(self.runs_a, self.runs_b, strict=True):
            yield ra.seed, ra.history, rb.history


def paired_tables(c: Comparison) -> dict[str, pd.DataFrame]:
    """Every paired-difference table, all seeds in one (a ``seed`` column first)."""
    out = {}
    for name, pair in TABLES.items():
        frames = [pair(a, b).assign(seed=seed) for seed, a, b in c.pairs()]
        table = pd.concat(frames, ignore_index=True)
        out[name] = table[["seed", *[k for k in table.columns if k != "seed"]]]
    return out


def _names(c: Comparison, at_end: bool = False) -> dict[str, str]:
    """Actor key → the name a reader sees over the whole run, or at its end."""
    out = {}
    for run in (c.runs_b[0], c.runs_a[0]):  # A's name wins for a shared actor
        h = run.history
        actors = ActorNames.of(h, run.scenario)
        first, last = h.dates[0], h.dates[h.last]
        out.update(actors.all_at(last) if at_end else actors.all_over(first, last))
    a, b = c.runs_a[0].history, c.runs_b[0].history
    return {x.key: out.get(x.key, x.name) for x in compare.union_actors(a, b)}


def _end_counts(h, key: str) -> tuple[int, float]:
    """Provinces held and fighters of ``key`` at the end of a run (0 if absent)."""
    if key not in h.actor_keys:
        return 0, 0.0
    i, last = h.actor_keys.index(key), h.n_rows - 1
    return int((h.controller[last] == i).sum()), float(h.strength[last, i].sum())


def _outcome_table(c: Comparison, names: dict[str, str]) -> list[str]:
    """Provinces held and fighters at the end, A against B, averaged over seeds."""
    many = len(c.seeds) > 1
    head = "| actor | provinces held, A | B | fighters, A | B | B − A |"
    if many:
        head += " seeds where B holds more / as many / fewer |"
    lines = [head, "|---" + "|---:" * (head.count("|") - 2) + "|"]
    for key, name in names.items():
        ends = [(_end_counts(a, key), _end_counts(b, key)) for _, a, b in c.pairs()]
        pa = np.mean([x[0][0] for x in ends])
        pb = np.mean([x[1][0] for x in ends])
        fa = np.mean([x[0][1] for x in ends])
        fb = np.mean([x[1][1] for x in ends])
        row = (
            f"| {name} | {_n(pa)} | {_n(pb)} | {fa:,.0f} | {fb:,.0f} | "
            f"{_signed(fb - fa)} |"
        )
        if many:
            more = sum(x[1][0] > x[0][0] for x in ends)
            fewer = sum(x[1][0] < x[0][0] for x in ends)
            row += f" {more} / {len(ends) - more - fewer} / {fewer} |"
        lines.append(row)
    return lines


def _signed(x: float) -> str:
    """A difference with its sign (a true minus), 0 without one."""
    return "0" if round(x) == 0 else f"{x:+,.0f}".replace("-", "−")


def _n(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:.1f}"


def _holder_name(key: str, names: dict[str, str]) -> str:
    return "contested" if key == CONTESTED else names.get(key, key)


def _province_lines(c: Comparison) -> list[str]:
    """The provinces whose holder differs at the end (first seed; all with counts)."""
    names = _names(c, at_end=True)
    seed, a, b = next(c.pairs())
    ends = compare.province_pairs(a, b)
    ends = ends[(ends.step == a.n_rows - 1) & ends.differs]
    if ends.empty:
        return [f"With seed {seed}, every province has the same holder at the end."]
    lines = [
        f"With seed {seed}, {len(ends)} of {len(a.province_names)} provinces "
        f"end{'s' if len(ends) == 1 else ''} with another holder:",
        "",
        "| province | holder in A | holder in B |",
        "|---|---|---|",
    ]
    lines += [
        f"| {r.province} | {_holder_name(r.holder_A, names)} | "
        f"{_holder_name(r.holder_B, names)} |"
        for r in ends.itertuples()
    ]
    foreign = _foreign_holders(c, set(ends.holder_A) | set(ends.holder_B))
    if foreign:
        lines += [
            "",
            f"{' and '.join(names[k] for k in foreign)} counts as holding a "
            "province where its troops are the main armed force (as at a main "
            "base); foreign troops support a side, they do not govern.",
        ]
    if len(c.seeds) > 1:
        lines += ["", _differ_counts(c)]
    return lines


def _foreign_holders(c: Comparison, holders: set[str]) -> list[str]:
    """The foreign states (``kind: state``) among ``holders``, in A's order."""
    out = []
    for run in (c.runs_a[0], c.runs_b[0]):
        actors = ActorNames.of(run.history, run.scenario)
        out += [k for k in actors.keys if k in holders and actors.is_foreign(k)]
    return list(dict.fromkeys(out))


def _differ_counts(c: Comparison) -> str:
    """How many provinces end with another holder, seed by seed."""
    counts = []
    for _, a, b in c.pairs():
        pairs = compare.province_pairs(a, b)
        counts.append(int(pairs[pairs.step == a.n_rows - 1].differs.sum()))
    return (
        "Provinces ending with another holder, seed by seed "
        f"({', '.join(map(str, c.seeds))}): {', '.join(map(str, counts))}."
    )


def _week(step, date) -> str:
    if pd.isna(step):
        return "never"
    return f"week {int(step)} ({long_date(date)})"


def _change_lines(c: Comparison, names: dict[str, str]) -> list[str]:
    """The relation changes of the first seed, A's week beside B's."""
    seed, a, b = next(c.pairs())
    changes = compare.relation_changes(a, b)
    if changes.empty:
        return [f"With seed {seed}, no relation changed in either run."]
    lines = [
        f"With seed {seed}: the week each relation changed in A and in B "
        "(“never”: it did not change in that run).",
        "",
        "| pair | change | in A | in B |",
        "|---|---|---|---|",
    ]
    for r in changes.itertuples():
        pair = f"{names.get(r.actor_a, r.actor_a)} – {names.get(r.actor_b, r.actor_b)}"
        lines.append(
            f"| {pair} | {r.old} → {r.new} | {_week(r.step_A, r.date_A)} | "
            f"{_week(r.step_B, r.date_B)} |"
        )
    return lines


def compare_markdown(c: Comparison) -> str:
    """The paired report as Markdown: what A and B are, outcomes, changes."""
    ra, rb = c.runs_a[0], c.runs_b[0]
    names = _names(c)
    h = ra.history
    seeds = ", ".join(map(str, c.seeds))
    lines = [
        f"# {ra.name} (A) against {rb.name} (B)",
        "",
        f"**A** ({c.file_a}): {(ra.description or '').strip()}",
        "",
        f"**B** ({c.file_b}): {(rb.description or '').strip()}",
        "",
        f"{len(c.seeds)} pair{'s' if len(c.seeds) > 1 else ''} of runs, seed"
        f"{'s' if len(c.seeds) > 1 else ''} {seeds}, from "
        f"{long_date(h.dates[0])} to {long_date(h.dates[h.n_rows - 1])}.",
        "",
        CAVEAT,
        "",
        "## At the end",
        "",
        *_outcome_table(c, names),
        "",
        "Averages over the seeds where there are several; B − A is B's "
        "fighters less A's; the last column, with several seeds, counts the "
        "seeds in which B ends with more, as many or fewer provinces than A.",
        "",
        "## Provinces that end with another holder",
        "",
        *_province_lines(c),
        "",
        "## When the relations changed",
        "",
        *_change_lines(c, names),
        "",
        "## The files",
        "",
        "The paired differences, week by week and seed by seed, are in "
        "`compare_provinces.csv`, `compare_fighters.csv`, "
        "`compare_relations.csv` and `compare_relation_changes.csv`.",
        "",
    ]
    return "\n".join(lines)


def compare_html(c: Comparison, figures: dict[str, Path]) -> str:
    """The paired report as one self-contained HTML page, figures embedded."""
    ra, rb = c.runs_a[0], c.runs_b[0]
    body = markdown_to_html(compare_markdown(c))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(ra.name)} against {html.escape(rb.name)} — "
        "greatgame</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        body,
        *_figure_blocks(figures),
        "<footer>Written by greatgame from the two runs' own tables; "
        "this page needs no network.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _figure_blocks(figures: dict[str, Path]) -> list[str]:
    parts = ["<h2>Figures</h2>"] if figures else []
    for name, path in figures.items():
        heading, caption = FIGURES.get(name, (name, ""))
        data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
        parts += [
            "<figure>",
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(heading)}">',
            f"<figcaption><strong>{html.escape(heading)}.</strong> "
            f"{html.escape(caption)}</figcaption>",
            "</figure>",
        ]
    return parts
