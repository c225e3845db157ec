"""The files of an uncertainty check (sim.experiments.uncertainty.report, .plot)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from sim.experiments.uncertainty import (
    BandResult,
    format_bands,
    plot_bands,
    write_bands,
)
from sim.experiments.uncertainty.report import FILES


def test_the_markdown_table_groups_facts_by_class(banded):
    table = banded[0].reset_index()
    text = format_bands(table)
    order = [
        text.index(t) for t in ("Validation", "Calibration", "Inputs", "Not measured")
    ]
    assert order == sorted(order)
    assert "| value_pass | 0.9 | 4.5 | 8.1 | [4, 8] | 50% | 50% |" in text


def test_the_figure_has_one_row_per_fact(banded):
    table = banded[0].reset_index()
    fig = plot_bands(table, title="bands")
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(table) and "value_fail (calibration)" in labels


def test_every_file_is_written_whole(tmp_path, banded):
    table, runs = banded
    result = BandResult(table.reset_index(), runs, pd.DataFrame({"x": [1.0]}))
    out = tmp_path / "check"
    assert write_bands(out, result) == list(FILES)
    assert sorted(p.name for p in out.iterdir()) == sorted(FILES)  # no temporaries
    back = pd.read_csv(out / "uncertainty_bands.csv")
    assert list(back["id"]) == list(table.index)
