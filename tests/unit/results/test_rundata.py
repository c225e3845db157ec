import json

import numpy as np
import pytest

from sim.core.model import GreatGame
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from sim.results.rundata import OKABE_ITO, actor_colors, as_run, load_run
from tests.conftest import scenario, tiny


def test_a_run_directory_gives_back_the_history(tmp_path):
    data = tiny(steps=6)
    data["actors"]["a"]["color"] = "#123456"
    m = GreatGame(scenario(data)).run()
    h = m.history
    meta = {
        "seed": 1,
        "resolved_scenario": m.config.model_dump(mode="json", by_alias=True),
    }
    outputs.write_run(tmp_path / "r", h, meta, chronicle(h, "tiny", "", 1))
    run = load_run(tmp_path / "r")
    g = run.history
    assert g.actor_keys == h.actor_keys and g.province_names == h.province_names
    assert np.allclose(g.strength, h.strength, atol=0.06)
    assert np.allclose(g.affinity, h.affinity, atol=6e-4)
    assert (g.status == h.status).all()
    assert (g.controller == h.controller).all()
    assert (g.sigar == h.sigar).all()
    assert [(f.sent, f.delivered) for f in g.flows] == [
        (f.sent, f.delivered) for f in h.flows
    ]
    assert g.events == [json.loads(json.dumps(e, default=str)) for e in h.events]
    assert run.color("a") == "#123456"
    assert as_run(m).color("a") == "#123456"


def test_missing_directory_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a run directory"):
        load_run(tmp_path)


def test_default_colours_skip_the_ones_taken():
    colors = actor_colors(["a", "b", "c"], {"a": OKABE_ITO[0], "b": None, "c": None})
    assert colors["a"] == OKABE_ITO[0]
    assert len({colors["a"], colors["b"], colors["c"]}) == 3
