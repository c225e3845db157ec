import numpy as np

from sim.core.model import GreatGame
from sim.core.setup import Setup
from tests.conftest import scenario, tiny


def test_a_set_event_rebuilds_the_setup_but_keeps_the_ties():
    data = tiny(steps=3)
    data["events"] = [
        {"step": 1, "do": "set", "path": "parameters.alliance_rule", "value": "static"},
        {"step": 1, "do": "set", "path": "parameters.mu", "value": 0.5},
    ]
    m = GreatGame(scenario(data))
    ties = m.setup.ties
    m.run(1)
    assert m.setup.lenses == ("balance_of_threat",) * 3
    m.run(1)
    assert m.setup.lenses == ("static",) * 3
    assert m.setup.ties is ties  # inertia is the scenario's at the start
    assert (m.inertia != 0.5).all()


def test_interests_are_normalised_and_overlap_needs_recruiting():
    data = tiny()
    data["actors"]["a"]["interests"] = {"Kunduz": 3.0, "Takhar": 1.0}
    data["actors"]["b"].update(recruits={"pashtun": 1.0}, recruitment_rate=1.0)
    data["actors"]["c"].update(recruits={"pashtun": 1.0})  # no rate: no rivalry
    m = GreatGame(scenario(data))
    k = m.setup
    assert np.isclose(k.interests[0].sum(), 1.0)
    q = m.geo.index
    assert np.isclose(k.interests[0, q["Kunduz"]], 0.75)
    assert not k.overlap.any()


def test_an_actors_own_lens_overrides_the_scenarios():
    data = tiny(parameters={"alliance_rule": "structural_balance"})
    data["actors"]["b"]["alliance_rule"] = "balance_of_power"
    m = GreatGame(scenario(data))
    again = Setup.build(m.config, m.geo, m.hops, m.setup.ties)
    expect = ("structural_balance", "balance_of_power", "structural_balance")
    assert m.setup.lenses == again.lenses == expect


def test_the_setup_arrays_refuse_changes_in_place_and_a_refresh_takes_new_values():
    import pytest

    m = GreatGame(scenario(tiny(steps=3)))
    with pytest.raises(ValueError):  # would be silently ignored by remembered steps
        m.setup.recruit_rate[0] = 0.0
    m.config.actors["a"].recruitment_rate = 0.0
    m.refresh_setup()
    assert m.setup.recruit_rate[m.index["a"]] == 0.0
    assert not m.setup.recruit_rate.flags.writeable
    m.run()
