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
