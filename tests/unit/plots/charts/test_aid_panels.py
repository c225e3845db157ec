"""The supply chart: one panel per pair, named, and a word when there is none."""

from __future__ import annotations

import copy

from sim.plots.charts import supply
from tests.unit.plots.charts.helpers import texts


def test_supply_without_any_aid_says_so(run):
    r = copy.deepcopy(run)
    r.history.flows = []
    r.history.aid_budget[:] = 0.0
    r.history.aid_sent[:] = 0.0
    fig = supply(r)
    assert "No aid was sent" in texts(fig)


def test_supply_titles_name_patron_and_client(run):
    h = run.history
    first = h.flows[0]
    text = texts(supply(run))
    assert f"{run.display(first.patron)} → {run.display(first.client)}" in text
    assert "aid units per week" in text


def test_each_pair_has_a_panel_that_says_what_was_lost(run):
    pairs = {(f.patron, f.client) for f in run.history.flows if f.sent > 0}
    fig = supply(run)
    titles = [ax.get_title(loc="left") for ax in fig.axes]
    lost = [t for t in titles if t.endswith("lost")]
    assert len(lost) == min(len(pairs), 11)
