"""Incidents: offensives, leaders killed, commanders who defect."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.core import incidents
from sim.core.model import GreatGame
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Parameters
from tests.property.test_invariants import run_checked

ROOT = Path(__file__).resolve().parents[3]
S2016 = ROOT / "scenarios" / "2016.yaml"
OFF = {
    "parameters.offensive_rate": 0.0,
    "parameters.leader_kill_rate": 0.0,
    "parameters.commander_rate": 0.0,
}


def test_only_a_superior_cohesive_force_facing_a_foe_attacks():
    armed = np.array([[300.0, 100.0, 50.0], [100.0, 300.0, 0.0]])
    hostile = np.array([[False, True], [True, False]])
    cohesion = np.array([[1.0, 1.0, 1.0], [0.5, 1.0, 1.0]])
    chance, share = incidents.offensive_chance(armed, hostile, cohesion, armed > 0, 0.1)
    assert share[0, 0] == pytest.approx(0.75)
    assert chance[0, 0] == pytest.approx(0.1 * 1.0 * 0.5)  # 2·0.75 − 1
    assert chance[1, 0] == 0.0  # outnumbered
    assert chance[0, 1] == 0.0 and chance[1, 1] == pytest.approx(0.05)
    assert chance[0, 2] == 0.0  # nobody to attack
    weaker = incidents.offensive_chance(armed, hostile, cohesion * 0.5, armed > 0, 0.1)
    assert weaker[0][0, 0] == pytest.approx(chance[0, 0] / 2)  # less cohesion


def test_an_offensive_adds_fire_for_its_weeks_then_stops():
    ongoing = incidents.Ongoing.none((2, 3))
    ongoing.weeks_left[0, 1] = 2
    ongoing.boost[0, 1] = 2.0

    class S:
        incidents = ongoing

    fire = np.ones((2, 3))
    assert incidents.offensive_fire(S, fire)[0, 1] == 2.0
    ongoing.tick()
    assert incidents.offensive_fire(S, fire)[0, 1] == 2.0
    ongoing.tick()
    assert (incidents.offensive_fire(S, fire) == fire).all()


def test_air_exposure_is_the_share_under_hostile_air():
    strength = np.array([[100.0, 300.0], [50.0, 0.0], [50.0, 50.0]])
    hostile = np.array([[False, True, False], [True, False, False], [False] * 3])
    air = np.array([1.0, 1.5, 3.0])  # the friendly third actor's air is no threat
    exposure = incidents.air_exposure(strength, hostile, air, 1.0)
    assert exposure[0] == pytest.approx(0.25 * 0.5)  # a quarter of it, under 0.5
    assert exposure[2] == 0.0


def test_a_draw_beyond_every_chance_of_a_leader_strike_is_known_before_it():
    rng = np.random.default_rng(3)
    insurgent = np.array([True, True, False, True])
    for _ in range(300):
        strength = rng.uniform(0, 100, (4, 5)) * (rng.random((4, 5)) < 0.7)
        hostile = rng.random((4, 4)) < 0.6
        air = 1.0 + rng.uniform(0, 2, 4) * (rng.random(4) < 0.5)
        u = rng.random(4) * 0.1
        chance = 0.05 * incidents.air_exposure(strength, hostile, air, 1.0) * insurgent
        if incidents.beyond_reach(u, insurgent, air, 0.05):
            assert not (u < chance).any()
    air = np.array([1.0, 1.0, 2.0, 1.0])  # a bound of 0.05
    assert incidents.beyond_reach(
        np.array([0.06, 0.06, 0.0, 0.06]), insurgent, air, 0.05
    )
    assert not incidents.beyond_reach(np.full(4, 0.04), insurgent, air, 0.05)
    assert incidents.beyond_reach(np.zeros(4), insurgent, np.ones(4), 0.05)  # no air
    assert not incidents.beyond_reach(np.ones(4), insurgent, air * np.nan, 0.05)


def test_commanders_go_to_the_side_they_like_that_holds_the_ground():
    strength = np.array([[100.0], [100.0], [100.0], [100.0]])
    cohesion = np.array([[0.0], [0.9], [0.9], [0.9]])
    affinity = np.eye(4)
    affinity[0, 1], affinity[0, 2], affinity[0, 3] = 0.6, -1.0, 1.0
    takers = np.array([True, True, True, False])  # actor 3 is a foreign state
    p = Parameters(commander_rate=0.1, cohesion_threshold=0.6)
    chance, weights = incidents.commander_chance(
        cohesion, affinity, strength, takers, p
    )
    assert chance[0, 0] == pytest.approx(0.1 * 1.0 * 0.8)
    assert (chance[1:] == 0).all()  # cohesive forces keep their commanders
    assert weights[0, 1, 0] > 0 and weights[0, 2, 0] == 0 and weights[0, 3, 0] == 0
    half = np.array([[100.0], [100.0], [100.0], [100.0]])
    half[1] = 50.0
    _, w2 = incidents.commander_chance(cohesion, affinity, half, takers, p)
    assert w2[0, 1, 0] == pytest.approx(weights[0, 1, 0] / 2)  # local strength


def test_with_incidents_off_nothing_is_drawn():
    model = GreatGame(S2016, seed=2, overrides=OFF).run(8)
    assert model.state.incidents is None
    kinds = {e["type"] for e in model.history.events}
    assert not kinds & {"offensive", "leader_killed", "commander_defects"}


def test_incidents_happen_are_logged_and_keep_the_ledger():
    """High rates on the 2016 scenario: every kind happens, the invariants hold."""
    scenario = load_scenario(
        S2016,
        [
            "parameters.offensive_rate=0.5",
            "parameters.leader_kill_rate=1.0",
            "parameters.commander_rate=1.0",
            "parameters.leader_kill_shock=0.8",
            "steps=12",
        ],
    )
    model = run_checked(scenario, seed=3, steps=12)
    h = model.history
    kinds = [e["type"] for e in h.events]
    for kind in ("offensive", "leader_killed", "commander_defects"):
        assert kind in kinds, kind
    killed = next(e for e in h.events if e["type"] == "leader_killed")
    assert killed["air_exposure"] > 0
    moved = [e for e in h.events if e["type"] == "commander_defects"]
    total = sum(e["fighters"] for e in moved)
    assert h.defections_by_pair.sum() >= total > 0


def test_a_run_with_incidents_is_a_function_of_its_seed():
    """Incidents draw from the run's own stream: the same seed, the same run."""
    on = ["parameters.offensive_rate=0.2", "steps=10"]
    a = GreatGame(load_scenario(S2016, on), seed=5).run()
    b = GreatGame(load_scenario(S2016, on), seed=5).run()
    np.testing.assert_array_equal(a.history.strength, b.history.strength)


def test_one_draw_gives_the_numbers_of_three_draws_in_their_order():
    one = incidents.uniforms(np.random.default_rng(9), (3, 4))
    rng = np.random.default_rng(9)
    three = (rng.random((3, 4)), rng.random(3), rng.random((3, 4)))
    for got, want in zip(one, three, strict=True):
        assert got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_the_pull_times_strength_is_the_weight_of_each_new_side():
    rng = np.random.default_rng(4)
    strength = rng.uniform(0, 300, (4, 6))
    cohesion = rng.uniform(0, 1, (4, 6))
    affinity = rng.uniform(-1, 1, (4, 4))
    takers = np.array([True, True, False, True])
    p = Parameters(commander_rate=0.3, cohesion_threshold=0.6, min_strength=50.0)
    chance, weights = incidents.commander_chance(
        cohesion, affinity, strength, takers, p
    )
    pull_chance, pull = incidents.commander_pull(
        cohesion, affinity, strength, takers, p
    )
    np.testing.assert_array_equal(pull_chance, chance)
    np.testing.assert_array_equal(pull * strength, weights)
    assert (pull[np.arange(4), np.arange(4)] == 0).all()  # never to itself
    assert (pull[:, 2] == 0).all()  # nor to a foreign state


def test_the_afghan_parties_follow_a_change_of_the_scenario():
    model = GreatGame(S2016, seed=1)
    before = incidents.afghan(model)
    assert incidents.afghan(model) is before  # read once per setup
    state = next(k for k, a in model.config.actors.items() if a.kind == "state")
    model.config.set_value(f"actors.{state}.kind", "insurgent")
    model.refresh_setup()
    after = incidents.afghan(model)
    assert after[model.index[state]] and not before[model.index[state]]


def test_only_a_force_present_below_the_threshold_wavers():
    cohesion = np.array([[0.9, 0.4], [0.6, 1.0]])
    present = np.array([[True, False], [True, True]])
    assert not incidents.wavering(cohesion, present, 0.6)  # 0.4 is not present
    assert incidents.wavering(cohesion, present, 0.61)  # 0.6 now below it
    assert not incidents.wavering(cohesion, np.ones((2, 2), bool), 0.0)  # c* = 0


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.6, 0.95])
def test_no_commander_can_defect_unless_a_force_wavers(threshold):
    rng = np.random.default_rng(11)
    for _ in range(50):
        cohesion = rng.uniform(0.2, 1.0, (4, 6))
        strength = rng.uniform(0, 300, (4, 6))
        present = strength >= 50.0
        p = Parameters(commander_rate=1.0, cohesion_threshold=threshold)
        chance, _ = incidents.commander_pull(
            cohesion, rng.uniform(-1, 1, (4, 4)), strength, np.ones(4, bool), p, present
        )
        if not incidents.wavering(cohesion, present, threshold):
            assert not (chance > 0).any()
