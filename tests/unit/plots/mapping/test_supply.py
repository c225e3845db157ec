"""Supply arrows: aid per route in a window, widths and line styles."""

from __future__ import annotations

import numpy as np
import pytest

from sim.plots.mapping.supply import (
    CLIENT_STYLES,
    MAX_WIDTH,
    MIN_WIDTH,
    SUPPLY_WEEKS,
    Supply,
    shorten,
)


def test_the_window_sums_the_weeks_up_to_the_date(run):
    supply = Supply.of(run, SUPPLY_WEEKS)
    assert supply.per_step.shape == (run.history.last + 1, len(supply.keys))
    t = run.history.last
    assert np.allclose(supply.window(t, 2), supply.per_step[t - 1 : t + 1].sum(axis=0))
    assert np.allclose(supply.window(0, 8), supply.per_step[0])
    total = sum(f.delivered for f in run.history.flows) / 1e6
    assert supply.per_step.sum() == pytest.approx(total)


def test_widths_grow_with_aid_and_have_a_floor(run):
    supply = Supply.of(run, SUPPLY_WEEKS)
    assert supply.width(0.0) == MIN_WIDTH
    assert supply.width(supply.scale) == pytest.approx(MAX_WIDTH)
    thin = Supply.of(run, SUPPLY_WEEKS, factor=0.6)
    assert thin.width(thin.scale) == pytest.approx(0.6 * MAX_WIDTH)


def test_each_client_of_a_patron_gets_its_own_style(run):
    supply = Supply.of(run, SUPPLY_WEEKS)
    by_patron: dict[str, list] = {}
    for (patron, _), style in supply.styles.items():
        by_patron.setdefault(patron, []).append(style)
    for styles in by_patron.values():
        expected = [CLIENT_STYLES[k % len(CLIENT_STYLES)] for k in range(len(styles))]
        assert styles == expected


def test_the_arrow_stops_short_of_the_capital():
    xy = np.array([[60.0, 30.0], [61.0, 30.0]])
    short = shorten(xy, 0.1, 1.0)
    assert short[0].tolist() == [60.0, 30.0]
    assert short[-1] == pytest.approx([60.9, 30.0])
    assert shorten(xy, 0.6, 1.0) is xy  # too short to cut
