"""The Python API as a Mesa and pandas user meets it.

``from sim import GreatGame, run``; a model built from a scenario's name,
path or object with keyword overrides and Mesa's ``rng``; ``mesa.batch_run``
over it; and :func:`sim.run`'s result with typed tables, ``save``, ``plot``
and a notebook summary.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import cli
from sim.core.collector import AGENT_COLUMNS
from sim.core.model import GreatGame
from sim.results.rundata import RunResult, from_model
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
S2016 = ROOT / "scenarios" / "2016.yaml"


def _same_run(a: GreatGame, b: GreatGame) -> bool:
    return np.array_equal(a.history.strength, b.history.strength)


# ------------------------------------------------------------------ import sim
def test_import_sim_is_cheap_and_names_the_api():
    code = (
        "import sys, sim\n"
        "heavy = sorted(m for m in ('mesa', 'matplotlib', 'pandas') "
        "if m in sys.modules)\n"
        "from sim import GreatGame, load, run, __version__\n"
        "print(heavy, GreatGame.__module__, load.__name__, run.__name__, "
        "__version__)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    heavy, module, load, run, version = out.stdout.split()
    assert heavy == "[]"
    assert (module, load, run) == ("sim.core.model", "load", "run")
    assert version[0].isdigit()


def test_version_comes_from_the_installed_distribution_or_the_clone():
    from importlib.metadata import PackageNotFoundError, version

    try:
        expected = version("greatgame")
    except PackageNotFoundError:  # a clone without an install
        expected = sim._version()
    assert sim.__version__ == expected
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        sim.nothing  # noqa: B018


# ------------------------------------------------------------------ GreatGame
def test_a_scenario_by_name_path_or_object_gives_the_same_run():
    by_name = GreatGame("2016", seed=4, steps=3).run()
    by_path = GreatGame(str(S2016), seed=4, steps=3).run()
    loaded = load_scenario(S2016, ["steps=3"])
    by_object = GreatGame(loaded, seed=4).run()
    assert by_name.config.steps == 3 and by_name.step_index == 3
    assert _same_run(by_name, by_path) and _same_run(by_name, by_object)


def test_keyword_and_dict_overrides_reach_the_scenario():
    m = GreatGame(
        "2016",
        steps=2,
        parameters__eta=0.1,
        overrides={"actors.russia.resources": 0, "parameters.eta": 0.2},
    )
    assert m.config.steps == 2
    assert m.config.parameters.eta == 0.1  # the keyword wins over the dict
    assert m.config.actors["russia"].resources == 0
    base = load_scenario(S2016)
    assert base.parameters.eta != 0.1 and base.actors["russia"].resources != 0


def test_overriding_a_loaded_scenario_leaves_it_unchanged():
    loaded = load_scenario(S2016)
    m = GreatGame(loaded, actors__russia__resources=0, steps=2)
    assert m.config.actors["russia"].resources == 0
    assert loaded.actors["russia"].resources != 0


def test_bad_overrides_raise_the_loaders_error():
    with pytest.raises(ScenarioError, match="rusia"):
        GreatGame("2016", actors__rusia__resources=0)
    with pytest.raises(ScenarioError):
        GreatGame("2016", overrides={"parameters.interdiction": 7})
    with pytest.raises(TypeError, match="dict"):
        GreatGame("2016", overrides=["steps=3"])
    with pytest.raises(ScenarioError):
        GreatGame("no_such_scenario")


def test_rng_is_meses_name_for_the_seed():
    a = GreatGame("2016", rng=11, steps=3).run()
    b = GreatGame("2016", seed=11, steps=3).run()
    c = GreatGame("2016", seed=11, rng=np.int64(11), steps=3).run()
    d = GreatGame("2016", rng=12, steps=3).run()
    assert a.seed_value == 11 and _same_run(a, b) and _same_run(a, c)
    assert not _same_run(a, d)
    with pytest.raises(ValueError, match="seed=1 and rng=2"):
        GreatGame("2016", seed=1, rng=2)
    with pytest.raises(TypeError, match="whole number"):
        GreatGame("2016", rng=np.random.default_rng(1))


# ------------------------------------------------------------ Mesa's tools
def test_the_datacollector_reads_the_history():
    m = GreatGame("2016", seed=3, steps=5).run(4)
    h = m.history
    frame = m.datacollector.get_model_vars_dataframe()
    assert len(frame) == h.n_rows == 5  # the start and 4 steps
    i = h.actor_keys.index("taliban")
    fighters = h.strength[:5, i].sum(axis=1).tolist()
    assert frame["fighters_taliban"].tolist() == fighters
    held = [(h.controller[t] == i).sum() for t in range(5)]
    assert frame["provinces_taliban"].tolist() == held
    contested = (h.controller[:5] < 0).sum(axis=1).tolist()
    assert frame["contested"].tolist() == contested
    agents = m.datacollector.get_agent_vars_dataframe()
    assert len(agents) == 5 * len(h.actor_keys)
    assert list(agents.columns) == list(AGENT_COLUMNS)
    m.step()  # the collector follows the model
    assert len(m.datacollector.get_model_vars_dataframe()) == 6


def test_mesa_batch_run_gives_tidy_rows_that_match_the_history():
    from mesa.batchrunner import batch_run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # mesa's `iterations`
        rows = batch_run(
            GreatGame,
            parameters={"scenario": "2016", "actors__russia__resources": [0, 12]},
            iterations=2,
            max_steps=5,
            number_processes=1,
            data_collection_period=1,
            display_progress=False,
        )
    frame = pd.DataFrame(rows)
    n_actors = len(load_scenario(S2016).actors)
    assert len(frame) == 2 * 2 * 6 * n_actors  # runs x rows 0..5 x actors
    for col in ("RunId", "iteration", "Step", "scenario", "AgentID", "actor"):
        assert col in frame
    assert sorted(frame["Step"].unique()) == list(range(6))
    assert set(frame["actors__russia__resources"]) == {0, 12}
    run = frame[(frame["actors__russia__resources"] == 12) & (frame.iteration == 1)]
    model = GreatGame("2016", actors__russia__resources=12).run(5)
    h = model.history
    for key in ("russia", "taliban"):
        i = h.actor_keys.index(key)
        mine = run[run.actor == key].sort_values("Step")
        assert mine["fighters"].tolist() == h.strength[:6, i].sum(axis=1).tolist()
        assert mine[f"fighters_{key}"].tolist() == mine["fighters"].tolist()
    russia = frame[frame.actor == "russia"]
    sent = russia.groupby("actors__russia__resources")["aid_received"].sum()
    assert set(sent.index) == {0, 12}


def test_batch_run_takes_a_loaded_scenario_in_a_list():
    # a bare pydantic scenario would be iterated by batch_run, field by field
    from mesa.batchrunner import batch_run

    loaded = load_scenario(S2016, ["steps=2"])
    rows = batch_run(
        GreatGame,
        parameters={"scenario": [loaded]},
        rng=[4],
        max_steps=2,
        data_collection_period=-1,
        display_progress=False,
    )
    model = GreatGame(loaded, seed=4).run()
    i = model.history.actor_keys.index("taliban")
    mine = [r for r in rows if r["actor"] == "taliban"]
    assert len(mine) == 1 and mine[0]["Step"] == 2
    assert mine[0]["fighters"] == model.history.strength[2, i].sum()


def test_sim_load_finds_a_shipped_scenario_by_name():
    assert sim.load("2016", ["steps=3"]).steps == 3
    assert sim.load("2016").name == load_scenario(S2016).name


# ------------------------------------------------------------------ sim.run
@pytest.fixture(scope="module")
def result() -> RunResult:
    return sim.run("2016", seed=5, steps=8)


def test_run_returns_a_result_with_the_model_and_its_history(result):
    assert isinstance(result, RunResult)
    assert result.history is result.model.history
    assert result.seed == 5 and result.model.step_index == 8
    assert result.overrides == ["steps=8"]


def test_result_tables_are_typed(result):
    h = result.history
    actors = result.actors
    assert len(actors) == 9 * len(h.actor_keys)
    assert actors["date"].dtype.kind == "M" and actors["step"].dtype == "int64"
    assert actors["strength"].dtype == "float64"
    assert list(actors["actor"].cat.categories) == h.actor_keys
    provinces = result.provinces
    assert list(provinces["province"].cat.categories) == h.province_names
    assert "contested" in provinces["controller"].cat.categories
    assert provinces["sigar_class"].cat.ordered
    relations = result.relations
    assert list(relations["status"].cat.categories) == ["enemy", "neutral", "ally"]
    events = result.events
    assert len(events) == len(h.events) and events["date"].dtype.kind == "M"


def test_supply_amounts_are_numbers_that_add_up(result):
    supply = result.supply
    flows = result.history.flows
    assert len(supply) == len(flows) > 0
    for col in ("sent", "delivered", "interdicted"):
        assert supply[col].dtype == "float64"
    assert supply["sent"].sum() == pytest.approx(sum(f.sent for f in flows) / 1e6)
    gap = supply["sent"] - supply["delivered"] - supply["interdicted"]
    assert np.abs(gap).max() < 1e-9
    assert supply["route"].dtype == "category"


def test_save_writes_what_the_cli_writes(result, tmp_path, capsys):
    saved = result.save(tmp_path / "api", figures=False)
    code = cli.main(
        [str(S2016), "--seed", "5", "--steps", "8", "--no-figures", "--quiet"]
        + ["--out", str(tmp_path / "cli")]
    )
    assert code == 0
    names = sorted(p.name for p in (tmp_path / "cli").iterdir())
    assert sorted(p.name for p in saved.iterdir()) == names
    for name in names:
        if name != "manifest.json":  # it holds the times of the run
            assert (saved / name).read_bytes() == (tmp_path / "cli" / name).read_bytes()
    with pytest.raises(FileExistsError):
        result.save(saved, figures=False)
    assert result.save(saved, force=True, figures=False) == saved


def test_plot_and_html_summary(result):
    from matplotlib.figure import Figure

    fig = result.plot()
    assert isinstance(fig, Figure)
    html = result._repr_html_()
    h = result.history
    assert "seed 5" in html and "8 steps" in html
    for name in h.actor_names:
        assert name.replace("&", "&amp;") in html
    held = int((h.controller[8] == h.actor_keys.index("government")).sum())
    assert f"<td>{held}</td>" in html


def test_a_model_read_back_as_a_result_keeps_working_with_plots(result):
    again = from_model(result.model)
    assert again.actors.equals(result.actors)


def test_save_draws_the_figures_and_the_report_as_the_cli_does(tmp_path):
    from sim.plots import FIGURES

    small = sim.run("2016", seed=1, steps=3)
    saved = small.save(tmp_path / "run", animation=False)
    names = {p.name for p in saved.iterdir()}
    assert {f"{name}.png" for name in FIGURES} | {"report.html"} <= names
    assert "map.gif" not in names
    manifest = (saved / "manifest.json").read_text(encoding="utf-8")
    assert '"seed": 1' in manifest and '"steps=3"' in manifest
