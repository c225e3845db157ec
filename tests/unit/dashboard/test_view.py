"""What the dashboard shows of a week: date, legend, changes, presence, charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sim.dashboard import charts, view
from sim.dashboard.controls import DashboardGame

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def model():
    m = DashboardGame(str(ROOT / "scenarios/2016.yaml"))
    m.run(40)
    return m


def test_the_headline_is_a_big_date_and_the_week(model):
    date, week = view.headline(model)
    day = model.config.date_of(40)
    assert date == f"{day.day} {day:%b %Y}" and week == "Week 40 of 104"


def test_the_legend_counts_every_province_once(model):
    rows = view.legend(model)
    assert sum(r.provinces for r in rows) == 34
    assert [r.provinces for r in rows if r.name != "contested"] == sorted(
        (r.provinces for r in rows if r.name != "contested"), reverse=True
    )


def test_recent_changes_name_captures_and_alliance_changes(model):
    lines = view.recent_changes(model, limit=20)
    kinds = ("capture", "alliance", "relation")
    events = [e for e in model.history.events if e["type"] in kinds]
    assert len(lines) == min(20, len(events))
    assert any(" took " in line for line in lines)
    assert any(" → " in line and "because of" in line for line in lines)


def test_isis_k_believed_beside_armed_presence(model):
    name, rows = view.presence(model)
    h = model.history
    k = h.actor_keys.index("isis_k")
    assert name == h.actor_names[k] and len(rows) == len(h.actor_keys) - 1
    gov = next(r for r in rows if r.actor == "Afghan government")
    i = h.actor_keys.index("government")
    assert gov.believed == h.perceived_presence[40, i, k]
    assert gov.armed == h.armed_presence[40, i, k]


def test_no_presence_panel_without_isis_k():
    m = DashboardGame(str(ROOT / "scenarios/no_isis.yaml"))
    assert view.presence(m) == ("", [])


def test_charts_are_valid_svg_and_mark_differences(model):
    ET.fromstring(charts.control_chart(model.history, view.colors_of(model), 104))
    plain = charts.alliance_timeline(model.history, 104)
    ET.fromstring(plain)
    assert "gg-differs" not in plain
    same = charts.alliance_timeline(model.history, 104, model.history)
    assert "gg-differs" not in same and "★" not in same
    twin = DashboardGame(str(ROOT / "scenarios/2016.yaml"), seed=model.seed_value)
    twin.run(40)
    twin.history.status[30:, 0, 1] = 1 - twin.history.status[30:, 0, 1]
    marked = charts.alliance_timeline(model.history, 104, twin.history)
    ET.fromstring(marked)
    assert "gg-differs" in marked and "★ Russia – US/NATO" in marked


def test_compared_provinces_are_matched_by_actor_not_by_index(model):
    other = DashboardGame(str(ROOT / "scenarios/no_isis.yaml"), seed=model.seed_value)
    other.run(40)
    differs = view.controllers_differ(model, other)
    mine, theirs = view.holders(model), view.holders(other)
    assert differs.tolist() == [a != b for a, b in zip(mine, theirs, strict=True)]
    assert not view.controllers_differ(model, model).any()
    timeline = charts.alliance_timeline(model.history, 104, other.history)
    ET.fromstring(timeline)
    assert "ISIS-Khorasan (only here)" in timeline
