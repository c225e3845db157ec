"""The map's legends: holders, SIGAR classes, supply and the width key."""

from __future__ import annotations

import pytest
from matplotlib.legend import Legend

from sim.plots.mapping.figures import prepare
from sim.plots.mapping.legends import legend_sections, stack_legends, width_keys
from sim.plots.mapping.supply import SUPPLY_WEEKS, Supply
from sim.plots.style import new_figure


@pytest.mark.parametrize(
    ("scale", "keys"),
    [(475.0, [200, 40]), (64.0, [50, 10]), (3.0, [2, 1]), (1.0, [1, 0.5]), (0, [])],
)
def test_the_width_key_uses_round_amounts(scale, keys):
    assert width_keys(scale) == pytest.approx(keys)


def test_three_sections_with_the_sigar_classes_in_order(run):
    supply = Supply.of(run, SUPPLY_WEEKS)
    (held, _, holders), (_, _, sigar), (title, _, _) = legend_sections(
        run, supply, run.history.last, SUPPLY_WEEKS
    )
    assert held.startswith("Held by (≥ 60% of fighters)")
    assert holders[-1] == "contested (tinted by the strongest)"
    assert [s.split(" (")[0] for s in sigar] == [
        "government control",
        "government influence",
        "contested",
        "insurgent influence",
        "insurgent control",
    ]
    assert sigar[0] == "government control (≥ 80 %)"
    assert title.startswith(f"Aid delivered in the {SUPPLY_WEEKS} weeks")


def test_without_aid_the_supply_legend_says_so(run):
    supply = Supply.of(run, SUPPLY_WEEKS)
    supply.pairs = []
    _, _, (_, _, labels) = legend_sections(run, supply, None, SUPPLY_WEEKS)
    assert labels == ["no aid delivered"]


def test_each_legend_is_drawn_once(run):
    fig = new_figure()
    ax = fig.add_subplot()
    supply = Supply.of(run, SUPPLY_WEEKS)
    sections = legend_sections(run, supply, None, SUPPLY_WEEKS)
    stack_legends(ax, sections, prepare(fig), 10.0)
    legends = [a for a in ax.get_children() if isinstance(a, Legend)]
    assert len(legends) == len(set(map(id, legends))) == 3
