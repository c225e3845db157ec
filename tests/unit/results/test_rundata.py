import json

import numpy as np
import pytest

from sim.core.history import Flow
from sim.core.model import GreatGame
from sim.results import frames
from sim.results import tables as outputs
from sim.results.chronicle import chronicle
from sim.results.export import summary_html
from sim.results.rundata import (
    OKABE_ITO,
    Run,
    RunResult,
    actor_colors,
    as_run,
    from_model,
    load_run,
)
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
    assert (g.balance_counts == h.balance_counts).all()  # rebuilt from status
    assert (g.camps == h.camps).all()
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


def test_run_is_the_old_name_of_run_result():
    assert Run is RunResult


def test_typed_tables_of_a_run_read_back_match_the_models(tmp_path):
    m = GreatGame(scenario(tiny(steps=6))).run()
    h = m.history
    meta = {"seed": 1, "resolved_scenario": m.config.model_dump(mode="json")}
    outputs.write_run(tmp_path / "r", h, meta, chronicle(h, "tiny", "", 1))
    here, there = from_model(m), load_run(tmp_path / "r")
    assert here.model is m and there.model is None
    for name in ("actors", "provinces", "relations", "threat"):
        assert getattr(here, name).equals(getattr(there, name)), name
    assert here.supply.equals(there.supply)
    assert list(here.provinces["controller"].cat.categories) == [
        "a",
        "b",
        "c",
        "contested",
    ]


def test_supply_amounts_are_numbers_equal_to_the_flows():
    m = GreatGame(scenario(tiny(steps=6))).run()
    h = m.history
    h.flows = [Flow(1, "a", "b", "x>y", 1_500_000, 1_250_000)]
    table = frames.supply_frame(h)
    assert table[["sent", "delivered", "interdicted"]].iloc[0].tolist() == [
        1.5,
        1.25,
        0.25,
    ]
    assert table["sent"].sum() == 1.5  # numbers, not text joined end to end


def test_an_empty_event_log_is_an_empty_table():
    m = GreatGame(scenario(tiny(steps=1))).run()
    m.history.events = []
    events = frames.events_frame(m.history)
    assert len(events) == 0 and list(events.columns) == ["step", "date", "type"]


def test_the_html_summary_escapes_names():
    data = tiny(steps=2)
    data["actors"]["a"]["name"] = "A <&> Co"
    result = from_model(GreatGame(scenario(data)).run())
    html = summary_html(result)
    assert "A &lt;&amp;&gt; Co" in html and "<&>" not in html
    assert result._repr_html_() == html


def test_the_start_values_are_kept_only_where_they_are_known(tmp_path):
    """A set event changes the model's config; the manifest keeps the start."""
    import json

    import sim
    from sim.core.model import GreatGame
    from sim.results.rundata import as_run
    from sim.scenario.loader import load_scenario
    from tests.conftest import ROOT

    withdrawal = ROOT / "scenarios" / "us_withdrawal_2016.yaml"
    model = GreatGame(load_scenario(withdrawal, ["steps=22"])).run()
    assert as_run(model).initial_scenario is None  # troops were set to 0
    result = sim.run(withdrawal, steps=22)
    assert result.initial_scenario["actors"]["us_nato"]["troops"] == 9800
    assert result.scenario["actors"]["us_nato"]["troops"] == 0
    out = result.save(tmp_path / "r", figures=False)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["resolved_scenario"]["actors"]["us_nato"]["troops"] == 9800
    told = (out / "chronicle.md").read_text(encoding="utf-8")
    assert "(in the model, US/NATO troops from 9,800 to 0)" in told
