"""The scorecard figure (sim.experiments.scorecard.plot): one labelled row per fact."""

from __future__ import annotations

from matplotlib.figure import Figure

from sim.experiments.scorecard import plot_scorecard


def test_the_figure_has_a_row_per_fact_with_inputs_marked(scored):
    df = scored.reset_index()
    fig = plot_scorecard(df)
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(df) and "an_input (input)" in labels
    notes = [t.get_text() for t in fig.axes[1].get_yticklabels()]
    assert notes.count("n/a") == int((df["status"] == "n/a").sum())
    title = fig.axes[0].get_title(loc="left")
    assert "validation 3 of 5, calibration 0 of 1 pass" in title


def test_a_given_title_replaces_the_score(scored):
    fig = plot_scorecard(scored.reset_index(), title="2016: a title")
    assert fig.axes[0].get_title(loc="left") == "2016: a title"
