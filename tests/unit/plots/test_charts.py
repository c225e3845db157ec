import copy
import datetime as dt
import sys

import matplotlib.image as mpimg
import numpy as np
import pytest
from matplotlib.figure import Figure

from sim import cli
from sim.core.model import GreatGame
from sim.plots import charts
from sim.plots.style import save
from sim.processes.relations import ALLY
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "2016.yaml"
CHARTS = ("control", "alliances", "relations", "supply")
# A figure with only a title has a pixel variance near 3e-4; real charts 0.02+.
VARIANCE_FLOOR = 0.005


@pytest.fixture(scope="module")
def run():
    return as_run(GreatGame(load_scenario(SCENARIO, ["steps=12"])).run())


@pytest.fixture(scope="module")
def rundir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    argv = [str(SCENARIO), "--out", str(out), "--quiet", "--steps", "6"]
    assert cli.main([*argv, "--no-figures"]) == 0
    return out


def not_blank(fig: Figure, path) -> bool:
    save(fig, path)
    pixels = mpimg.imread(path)[..., :3]
    return float(pixels.var()) > VARIANCE_FLOOR


def texts(fig: Figure) -> str:
    """All the text drawn on a figure, one string."""
    return "\n".join(
        t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))
    )


@pytest.mark.parametrize("name", CHARTS)
def test_each_chart_draws_a_png_that_is_not_blank(run, name, tmp_path):
    fig = getattr(charts, name)(run)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    assert not_blank(fig, tmp_path / f"{name}.png")


def test_charts_work_from_a_run_directory(rundir, tmp_path):
    for name in CHARTS:
        fig = getattr(charts, name)(str(rundir))
        assert not_blank(fig, tmp_path / f"{name}.png"), name


def test_charts_use_no_pyplot_figures(run):
    for name in CHARTS:
        getattr(charts, name)(run)
    if "matplotlib.pyplot" in sys.modules:
        assert sys.modules["matplotlib.pyplot"].get_fignums() == []


def frozen(run, affinity=False):
    """A copy of the run in which no pair ever changes status."""
    r = copy.deepcopy(run)
    h = r.history
    h.status[:] = h.status[0]
    h.events = [e for e in h.events if e["type"] not in ("alliance", "relation")]
    if affinity:
        h.affinity[:] = h.affinity[0]
    return r


def test_relations_without_status_changes_shows_the_most_moved(run, tmp_path):
    fig = charts.relations(frozen(run))
    assert "No pair changed status" in texts(fig)
    assert not_blank(fig, tmp_path / "relations.png")


def test_relations_when_nothing_moved_says_so(run, tmp_path):
    fig = charts.relations(frozen(run, affinity=True))
    assert "No relation moved" in texts(fig)
    assert not_blank(fig, tmp_path / "relations.png")


def test_relations_labels_each_change_with_its_leading_reason(run):
    r = frozen(run)
    h = r.history
    h.status[5:, 0, 1] = h.status[5:, 1, 0] = ALLY
    h.events.append(
        {
            "type": "alliance",
            "step": 5,
            "date": h.dates[5].isoformat(),
            "a": h.actor_keys[0],
            "b": h.actor_keys[1],
            "why": [["shared enemy Zed", 0.3], ["aid between them", 0.1]],
        }
    )
    text = texts(charts.relations(r))
    assert "allies:\nshared enemy Zed" in text
    assert "aid between them" not in text  # the leading reason only
    assert f"{r.display(h.actor_keys[0])} – {r.display(h.actor_keys[1])}" in text


def test_relations_with_many_changes_numbers_them_in_a_key(run):
    r = frozen(run)
    h = r.history
    for t in range(1, 12, 2):  # the pair flips six times
        h.status[t:, 0, 1] = h.status[t:, 1, 0] = ALLY if t % 4 == 1 else 0
    text = texts(charts.relations(r))
    assert "1.  " in text and "become allies" in text


def test_control_numbers_scenario_events_and_alliances(run):
    r = copy.deepcopy(run)
    h = r.history
    h.events += [
        {
            "type": "shock",
            "label": "A test shock",
            "step": 3,
            "actor": "taliban",
            "date": h.dates[3].isoformat(),
        },
        {
            "type": "alliance",
            "a": "russia",
            "b": "taliban",
            "step": 6,
            "why": [],
            "date": h.dates[6].isoformat(),
        },
        {"type": "capture", "step": 4, "date": h.dates[4].isoformat()},
    ]
    text = texts(charts.control(r))
    assert "A test shock" in text
    assert f"{r.display('russia')} – {r.display('taliban')} become allies" in text
    assert "capture" not in text  # captures are the areas themselves
    assert "provinces (of 34)" in text and "people (millions)" in text


def test_control_layers_add_up_to_every_province(run):
    fig = charts.control(run)
    ax = fig.axes[0]
    tops = [c.get_paths()[0].vertices[:, 1].max() for c in ax.collections]
    assert max(tops) == pytest.approx(len(run.history.province_names))


def test_alliance_panels_share_one_deterministic_layout(run):
    fig = charts.alliances(run)
    start, end = (ax.collections[0].get_offsets() for ax in fig.axes[:2])
    assert np.allclose(start, end)
    again = charts.alliances(run).axes[0].collections[0].get_offsets()
    assert np.allclose(start, again)
    order = charts._circle_order(run)
    assert sorted(order) == list(range(len(run.history.actor_keys)))
    assert order[0] == 0  # the scenario's first actor on top


def test_alliance_nodes_take_the_run_colours_and_states_still_show(run):
    fig = charts.alliances(run)
    nodes = fig.axes[0].collections[0]
    from matplotlib.colors import to_rgba

    expected = [to_rgba(run.color(k)) for k in run.history.actor_keys]
    assert np.allclose(nodes.get_facecolors(), expected)
    assert nodes.get_sizes().min() > 100  # no fighters: still a visible circle


def test_supply_without_any_aid_says_so(run, tmp_path):
    r = copy.deepcopy(run)
    r.history.flows = []
    r.history.aid_budget[:] = 0.0
    r.history.aid_sent[:] = 0.0
    fig = charts.supply(r)
    assert "No aid was sent" in texts(fig)


def test_supply_titles_name_patron_and_client(run):
    h = run.history
    first = h.flows[0]
    text = texts(charts.supply(run))
    assert f"{run.display(first.patron)} → {run.display(first.client)}" in text
    assert "aid units per week" in text


def test_turning_points_are_sorted_by_date(run):
    r = copy.deepcopy(run)
    h = r.history
    h.events += [
        {"type": "set", "label": "later", "step": 9, "date": "2016-04-15"},
        {"type": "set", "label": "earlier", "step": 2, "date": "2016-02-26"},
    ]
    h.events += [
        {"type": "set", "path": "x.y", "value": 3, "step": 4, "date": "2016-03-11"},
        {"type": "splinter", "actor": "taliban", "step": 5, "date": "2016-03-18"},
    ]
    points = charts._turning_points(r)
    labels = [p[1] for p in points]
    assert "x.y set to 3" in labels
    assert f"{r.display('taliban')} splits" in labels
    assert [p[1] for p in points if p[1] in ("earlier", "later")] == [
        "earlier",
        "later",
    ]
    assert all(isinstance(d, dt.date) for d, _ in points)
