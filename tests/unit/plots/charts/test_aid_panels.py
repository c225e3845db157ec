"""The supply chart: one panel per pair, named, and a word when there is none."""

from __future__ import annotations

import copy

import numpy as np

from sim.plots.charts import supply
from sim.plots.charts.aid_panels import NEGLIGIBLE, _flow_series, split_pairs
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


def _flow_panels(fig):
    return [ax for ax in fig.axes if ax.get_title(loc="left").endswith("lost")]


def test_each_pair_has_a_panel_or_is_named_under_other(run):
    pairs = {(f.patron, f.client) for f in run.history.flows if f.sent > 0}
    fig = supply(run)
    text = texts(fig)
    for patron, client in pairs:
        assert f"{run.display(patron)} → {run.display(client)}" in text
    assert len(_flow_panels(fig)) <= 11


def test_every_flow_panel_shares_one_scale(run):
    """A trickle must not look as large as the main flow."""
    tops = {ax.get_ylim()[1] for ax in _flow_panels(supply(run))}
    assert len(tops) == 1


def test_pairs_under_two_percent_of_all_aid_are_folded_into_other(run):
    series = _flow_series(run)
    everything = sum(f[0].sum() for f in series.values())
    small = [p for p, f in series.items() if f[0].sum() < NEGLIGIBLE * everything]
    own, folded = split_pairs(series)
    if len(small) >= 2:
        assert [p for p, _ in folded] == small
        titles = [ax.get_title(loc="left") for ax in _flow_panels(supply(run))]
        assert any(t.startswith(f"{len(small)} other pairs") for t in titles)
    assert len(own) + len(folded) == len(series)


def test_a_single_small_pair_keeps_its_own_panel():
    big = (np.array([10.0, 10.0]), np.array([9.0, 9.0]))
    tiny = (np.array([0.01, 0.0]), np.array([0.01, 0.0]))
    own, folded = split_pairs({("a", "b"): big, ("a", "c"): tiny})
    assert [p for p, _ in own] == [("a", "b"), ("a", "c")] and not folded


def test_at_most_eleven_panels_the_rest_folded():
    series = {
        ("p", f"c{i}"): (np.full(3, 20.0 - i), np.full(3, 10.0)) for i in range(14)
    }
    own, folded = split_pairs(series)
    assert len(own) == 10 and len(folded) == 4
