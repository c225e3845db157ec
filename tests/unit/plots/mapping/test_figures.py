"""The map and its small multiples: PNGs that show something, on real shapes."""

from __future__ import annotations

import pytest

from sim import plots
from sim.plots import mapping
from sim.plots.style import save
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from tests.unit.plots.mapping.helpers import not_blank


def test_map_and_timeline_are_drawn(tmp_path, model):
    fig = mapping.map(model)
    save(fig, tmp_path / "map.png")
    not_blank(tmp_path / "map.png")
    texts = {t.get_text() for ax in fig.axes for t in ax.texts}
    assert {"Kunduz", "Tajikistan", "Air bridge"} <= texts
    fig = mapping.map_timeline(model)
    assert len([ax for ax in fig.axes if ax.collections]) == 3
    save(fig, tmp_path / "map_timeline.png")
    not_blank(tmp_path / "map_timeline.png")


def test_map_draws_the_shipped_boundaries_unless_told_otherwise(tmp_path, model):
    notes = {t.get_text() for t in mapping.map(model).axes[0].texts}
    assert "Province boundaries: provinces.geojson; • capitals" in notes
    fig = mapping.map(model, geometry="schematic", step=3)
    notes = {t.get_text() for t in fig.axes[0].texts}
    assert any(n.startswith("Schematic map") for n in notes)
    save(fig, tmp_path / "map.png")
    not_blank(tmp_path / "map.png")


def test_the_timeline_draws_the_steps_asked_for(model):
    fig = mapping.map_timeline(model, steps=[1, -1])
    titles = [ax.get_title() for ax in fig.axes if ax.collections]
    assert [t.split("(week ")[1] for t in titles] == ["1)", "6)"]
    with pytest.raises(ValueError, match="at least one step"):
        mapping.map_timeline(model, steps=[])


def test_a_step_outside_the_run_is_refused(model):
    with pytest.raises(ValueError, match="outside this run"):
        mapping.map(model, step=99)


def test_map_of_a_run_directory(tmp_path, model):
    h = model.history
    meta = {
        "seed": model.seed_value,
        "resolved_scenario": model.config.model_dump(mode="json", by_alias=True),
    }
    text = chronicle(h, model.config.name, "", model.seed_value)
    rundir = outputs.write_run(tmp_path / "run", h, meta, text)
    save(mapping.map(rundir), tmp_path / "map.png")
    not_blank(tmp_path / "map.png")


def test_the_maps_are_reached_from_sim_plots():
    for name in ("map", "map_timeline", "animate"):
        assert getattr(plots, name) is getattr(mapping, name)


def test_the_timeline_legends_start_at_the_maps_left_edge(model):
    fig = mapping.map_timeline(model)
    maps = [ax for ax in fig.axes if ax.collections]
    legend_ax = next(ax for ax in fig.axes if not ax.collections)
    assert not legend_ax.xaxis.get_visible() and not legend_ax.yaxis.get_visible()
    left = maps[0].get_position(original=True).x0  # where the layout put it
    assert legend_ax.get_position().x0 == pytest.approx(left, abs=1e-6)


def test_the_maps_renderer_keeps_glyphs_and_outlines(model):
    from sim.plots.mapping.halo import KeptOutlines

    fig = mapping.map(model)
    renderer = fig.canvas.get_renderer()
    assert isinstance(renderer._text2path, KeptOutlines)
    assert "draw_text" in renderer.__dict__  # the glyph cache's drawer
