"""Synthetic maps: shape, determinism, and scenarios played on them."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from sim.cli.commands import main
from sim.core.model import GreatGame
from sim.scenario.loader import ScenarioError, load_scenario, scenario_from_dict
from sim.scenario.schema import MapSpec
from sim.world.geography import geography_for
from sim.world.synthetic import REGIONS, synthetic_geography, synthetic_scenario


@pytest.mark.parametrize("kind", ["grid", "planar"])
@pytest.mark.parametrize("n", [4, 37, 400])
def test_map_is_connected_planar_and_complete(kind, n):
    geo = synthetic_geography(kind, n, seed=3)
    provinces = geo.province_graph()
    assert geo.n_provinces == n == provinces.number_of_nodes()
    assert nx.is_connected(provinces)
    assert nx.check_planarity(provinces)[0]
    assert set(geo.regions) <= set(REGIONS)
    assert np.allclose(geo.ethnic.sum(axis=1), 1.0)
    assert (geo.population > 0).all()
    assert all(links for links in geo.staging_links)  # every entry point leads in
    assert geo.index["P1"] == 0 and geo.names[-1] == f"P{n}"


def test_grid_has_four_neighbours_inside():
    geo = synthetic_geography("grid", 100, seed=0)
    degrees = sorted(d for _, d in geo.province_graph().degree())
    assert degrees[0] == 2 and degrees[-1] == 4
    assert geo.province_graph().number_of_edges() == 2 * 10 * 9


def test_same_seed_same_map_other_seed_other_map():
    a = synthetic_geography("planar", 200, seed=5)
    b = synthetic_geography("planar", 200, seed=5)
    c = synthetic_geography("planar", 200, seed=6)
    assert sorted(a.graph.edges()) == sorted(b.graph.edges())
    assert np.array_equal(a.population, b.population)
    assert not np.array_equal(a.population, c.population)


def test_geography_for_defaults_to_afghanistan():
    assert geography_for(None).n_provinces == 34
    assert geography_for(MapSpec()).n_provinces == 34
    assert geography_for(MapSpec(kind="grid")).n_provinces == 100  # the default size


def test_a_scenario_on_a_synthetic_map_runs_and_repeats():
    data = synthetic_scenario("planar", provinces=150, actors=6, seed=2, steps=8)
    sc = scenario_from_dict(data)
    a, b = GreatGame(sc).run(), GreatGame(sc).run()
    assert a.strength.shape == (6, 150)
    assert np.array_equal(a.history.strength, b.history.strength)
    assert a.history.regions == a.geo.regions


def test_province_names_are_checked_against_the_scenario_map():
    data = synthetic_scenario("grid", provinces=50, actors=3)
    data["actors"]["gov"]["forces"] = {"P51": 100.0}
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert "actors.gov.forces.P51" in str(err.value)
    assert "did you mean 'P5" in str(err.value)
    data["actors"]["gov"]["forces"] = {"Kabul": 100.0}  # not on this map
    with pytest.raises(ScenarioError, match="unknown province or region 'Kabul'"):
        scenario_from_dict(data)


def test_the_afghan_map_has_no_size_to_choose():
    data = synthetic_scenario("grid", provinces=50, actors=3)
    data["map"] = {"kind": "afghanistan", "provinces": 50}
    with pytest.raises(ScenarioError, match="34 provinces"):
        scenario_from_dict(data)


def test_cli_runs_a_synthetic_map_without_figures(tmp_path, capsys):
    import yaml

    path = tmp_path / "syn.yaml"
    data = synthetic_scenario("grid", provinces=64, actors=4, steps=4)
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = tmp_path / "run"
    assert main([str(path), "--out", str(out), "--no-anim"]) == 0
    assert "Afghan map only" in capsys.readouterr().err
    assert (out / "provinces.csv").is_file() and not (out / "map.png").exists()
    assert main(["plot", str(out)]) == 2
    assert "synthetic grid map" in capsys.readouterr().err
    override = main(["validate", str(path), "--set", "actors.gov.forces.P7=10"])
    assert override == 0
    assert load_scenario(path, ["actors.gov.forces.P7=10"]).actors["gov"].forces


def test_a_sweep_on_a_synthetic_map_names_its_provinces():
    from sim.experiments.sweep import sweep

    sc = scenario_from_dict(synthetic_scenario("grid", provinces=36, actors=3, steps=3))
    rows = sweep(
        sc,
        grid={"actors.gov.forces.P7": [100.0, 5000.0]},
        metrics=["strength_in:gov:P7", "provinces:gov"],
        workers=1,
        progress=False,
    )
    assert len(rows) == 2
    low, high = rows.sort_values("actors.gov.forces.P7")["strength_in:gov:P7"]
    assert high > low


def test_a_big_map_chronicle_counts_changes_of_control_instead_of_listing_them():
    from sim.results.chronicle import MAX_CONTROL_LINES, chronicle

    data = {  # a large insurgency in the south: dozens of provinces a month
        "name": "big",
        "start": "2016-01-01",
        "steps": 12,
        "map": {"kind": "grid", "provinces": 400, "seed": 2},
        "actors": {
            "gov": {
                "name": "Gov",
                "kind": "government",
                "forces": {"all": 50000},
                "recruits": {"tajik": 1},
                "recruitment_rate": 1,
            },
            "ins": {
                "name": "Ins",
                "kind": "insurgent",
                "forces": {"south": 20000},
                "recruits": {"pashtun": 1},
                "recruitment_rate": 2,
                "interests": {"south": 1, "centre": 1},
            },
        },
        "relations": [{"pair": ["gov", "ins"], "affinity": -0.8}],
    }
    m = GreatGame(scenario_from_dict(data)).run()
    changes = [e for e in m.history.events if e["type"] in ("capture", "contested")]
    assert len(changes) > 2 * MAX_CONTROL_LINES  # enough to need a summary
    text = chronicle(m.history, "big", "", 2)
    assert "provinces changed hands this month" in text
    for month in text.split("### ")[1:]:
        listed = month.count(" took control of ") + month.count(" became contested (")
        assert listed <= MAX_CONTROL_LINES
