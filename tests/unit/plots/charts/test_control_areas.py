"""The control chart: layers that add up, events numbered, in date order."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from sim.plots.charts import control
from sim.plots.charts.control_areas import turning_points
from tests.unit.plots.charts.helpers import texts


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
    text = texts(control(r))
    assert "A test shock" in text
    assert f"{r.display('russia')} – {r.display('taliban')} become allies" in text
    assert "capture" not in text  # captures are the areas themselves
    assert "provinces (of 34)" in text and "people (millions)" in text


def test_control_layers_add_up_to_every_province(run):
    fig = control(run)
    ax = fig.axes[0]
    tops = [c.get_paths()[0].vertices[:, 1].max() for c in ax.collections]
    assert max(tops) == pytest.approx(len(run.history.province_names))


def test_many_events_are_cut_to_a_key_with_a_count(run):
    r = copy.deepcopy(run)
    h = r.history
    h.events += [
        {"type": "set", "label": f"event {k}", "step": 2, "date": "2016-02-26"}
        for k in range(15)
    ]
    text = texts(control(r))
    assert "12.  26 Feb 2016: event 11" in text
    assert "event 12" not in text
    assert "more (see the chronicle)" in text


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
    points = turning_points(r)
    labels = [p[1] for p in points]
    assert "x.y set to 3" in labels
    assert f"{r.display('taliban')} splits" in labels
    assert [p[1] for p in points if p[1] in ("earlier", "later")] == [
        "earlier",
        "later",
    ]
    assert all(isinstance(d, dt.date) for d, _ in points)


def test_an_alliance_that_ends_is_a_turning_point(run):
    r = copy.deepcopy(run)
    r.history.events.append(
        {
            "type": "relation",
            "a": "russia",
            "b": "taliban",
            "old": "ally",
            "new": "neutral",
            "step": 3,
            "date": "2016-03-04",
        }
    )
    labels = [label for _, label in turning_points(r)]
    pair = f"{r.display('russia')} – {r.display('taliban')}"
    assert f"{pair} alliance ends (neutral)" in labels


def test_event_lines_draw_the_pixels_of_an_axvline_per_event(tmp_path):
    import numpy as np
    from PIL import Image

    from sim.plots.charts.control_areas import _event_lines
    from sim.plots.style import date_axis, new_figure, save

    dates = [dt.date(2016, 1, 1) + dt.timedelta(weeks=k) for k in range(50)]
    when = [dates[3], dates[4], dates[30], dates[-1]]
    pixels = []
    for one_each in (False, True):
        fig = new_figure(5, 3)
        ax = fig.subplots()
        ax.fill_between(dates, range(50), color="#56B4E9")
        date_axis(ax, dates)
        if one_each:
            for d in when:
                ax.axvline(d, color="#222222", lw=1.2, ls="--", alpha=0.7)
        else:
            _event_lines(ax, when)
            assert len(ax.collections) == 2 and not ax.lines
        save(fig, tmp_path / "events.png")
        pixels.append(np.asarray(Image.open(tmp_path / "events.png")))
    assert (pixels[0] == pixels[1]).all()
