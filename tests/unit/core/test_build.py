import numpy as np

from sim.core.build import starting_forces
from sim.world.geography import geography_for
from tests.conftest import scenario, tiny


def test_forces_given_for_a_region_spread_by_population():
    data = tiny()
    data["actors"]["c"]["forces"] = {"Kunduz": 100, "northeast": 900}
    data["actors"]["c"]["cohesion"] = 0.4
    sc = scenario(data)
    geo = geography_for(sc.map)
    strength, equipment, cohesion = starting_forces(sc, geo)
    c = list(sc.actors).index("c")
    assert np.isclose(strength[c].sum(), 1000.0)
    region = [q for q, r in enumerate(geo.regions) if r == "northeast"]
    share = geo.population[region] / geo.population[region].sum()
    expect = 900 * share
    expect[region.index(geo.index["Kunduz"])] += 100
    assert np.allclose(strength[c, region], expect)
    assert (cohesion[c] == 0.4).all() and (equipment == 1.0).all()


def _tables(model) -> dict[str, str]:
    """Every table a run writes, as CSV text (and the events as JSON lines)."""
    from sim.results import tables

    h = model.history
    names = ("actors", "provinces", "relations", "supply", "defections", "balance")
    names += ("threat",)
    out = {
        n: getattr(tables, f"{n}_table")(h).to_csv(index=False, lineterminator="\n")
        for n in names
    }
    out["events"] = tables.events_jsonl(h)
    return out


def test_models_built_reusing_a_cache_run_exactly_as_models_built_afresh():
    from sim.core.build import BuildCache, reusing
    from sim.core.model import GreatGame
    from sim.scenario.loader import load_scenario

    sc = load_scenario("scenarios/2016.yaml", {"steps": 12})
    cache = BuildCache(sc)
    with reusing(cache):
        GreatGame(sc, seed=9).run(3)  # fills the cache; its run moves on
    for seed in (1, 2):
        with reusing(cache):
            reused = GreatGame(sc, seed=seed)
        assert _tables(reused.run()) == _tables(GreatGame(sc, seed=seed).run())


def test_reusing_builds_what_the_seed_does_not_change_once(monkeypatch):
    from sim.core import build
    from sim.core.model import GreatGame

    sc = scenario(tiny(steps=2))
    calls = {"forces": 0, "map": 0}

    def counted(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(
        build, "starting_forces", counted("forces", build.starting_forces)
    )
    monkeypatch.setattr(build, "map_parts", counted("map", build.map_parts))
    monkeypatch.setattr(build, "_MAPS", {})
    cache = build.BuildCache(sc)
    models = []
    for seed in (1, 2, 3):
        with build.reusing(cache):
            models.append(GreatGame(sc, seed=seed))
    assert calls == {"forces": 1, "map": 1}
    first, second = models[0], models[1]
    assert first.roads is second.roads  # searched by one run at a time
    for name in ("neighbours", "hops", "node_names", "config"):
        assert getattr(first, name) is not getattr(second, name)
    for k, name in enumerate(("strength", "equipment", "cohesion")):
        assert getattr(first.state, name) is not getattr(second.state, name)
        assert getattr(first.state, name) is not cache.forces[k]
    GreatGame(sc, seed=1)  # outside the block: nothing shared
    assert calls == {"forces": 2, "map": 2}


def test_a_run_that_changes_its_scenario_leaves_the_cache_as_it_was():
    from sim.core.build import BuildCache, reusing
    from sim.core.model import GreatGame

    sc = scenario(tiny(steps=2))
    cache = BuildCache(sc)
    with reusing(cache):
        first = GreatGame(sc, seed=1)
    first.config.actors["c"].forces = {"Kunduz": 5.0}
    first.state.strength[:] = 0.0
    with reusing(cache):
        second = GreatGame(sc, seed=1)
    fresh = GreatGame(sc, seed=1)
    assert second.config == fresh.config == sc
    assert np.array_equal(second.state.strength, fresh.state.strength)
