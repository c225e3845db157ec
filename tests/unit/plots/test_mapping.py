"""The map figures: PNGs and a GIF that show something."""

from __future__ import annotations

from pathlib import Path

import matplotlib.image as mpimg
import pytest

from sim.core.model import GreatGame
from sim.plots import mapping
from sim.plots.style import save
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def model():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=6"])
    return GreatGame(scenario).run()


def not_blank(png: Path, floor: float = 0.01) -> None:
    pixels = mpimg.imread(png)[..., :3]
    assert pixels.std() > floor, f"{png.name} looks blank"


# --- figures -------------------------------------------------------------------


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


def test_animation_is_a_gif_with_frames(tmp_path, model):
    from PIL import Image

    path = mapping.animate(model, tmp_path / "map.gif", every=2, fps=5)
    assert path == tmp_path / "map.gif"
    with Image.open(path) as gif:
        assert gif.format == "GIF"
        assert gif.n_frames == 4  # rows 0, 2, 4 and the last, 6
    assert path.stat().st_size < 2_000_000
