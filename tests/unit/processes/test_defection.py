import numpy as np
import pytest

from sim.processes import defection
from sim.scenario.schema import Parameters


def _case():
    strength = np.array([[1.5, 40.0], [100.0, 100.0]])
    cohesion = np.array([[0.0, 0.0], [0.9, 0.9]])
    rivals = np.array([[0.0, 1.0], [1.0, 0.0]])
    return strength, cohesion, rivals


def test_rounding_never_gives_rivals_more_than_the_force_loses():
    strength, cohesion, rivals = _case()
    present = strength > 0
    who, moved = defection.defection(strength, cohesion, rivals, present, 1.0, 1.0)
    for seed in range(20):
        rng = np.random.default_rng(seed)
        whole, out, gained = defection.round_defectors(who, moved, strength, rng)
        assert np.allclose(out.sum(), gained.sum())  # conservation
        assert (out <= strength).all()
        # whole fighters, or all a force has when rounding up asked for more
        whole_or_all = np.isclose(whole, np.round(whole)) | np.isclose(
            whole, strength[who.j, who.p]
        )
        assert whole_or_all.all()
        assert (whole[(who.j == 0) & (who.p == 0)] <= 1.5).all()


def test_defect_moves_fighters_and_remembers_the_flow():
    strength, cohesion, rivals = _case()
    p = Parameters(defection_rate=0.5, cohesion_threshold=0.5, defection_memory=0.5)
    memory = np.zeros((2, 2))
    out, gained, _, _, after = defection.defect(
        strength, cohesion, rivals, memory, p, np.random.default_rng(0)
    )
    assert out[1].sum() == 0 and gained[0].sum() == 0  # only a loses, to b
    assert out.sum() == gained.sum() > 0
    left = ((strength - out) + gained).sum(axis=1)
    assert np.isclose(after[0, 1], 0.5 * out.sum() / left[0])
    assert after[1, 0] == 0.0


def test_a_cohesive_week_moves_nobody_and_memory_fades():
    strength, _, rivals = _case()
    p = Parameters(defection_memory=0.5)
    memory = np.array([[0.0, 0.4], [0.0, 0.0]])
    out, gained, _, _, after = defection.defect(
        strength, np.ones((2, 2)), rivals, memory, p, np.random.default_rng(0)
    )
    assert out is None and gained is None
    assert np.allclose(after, memory * 0.5)


def _two_rivals():
    """Force 0 unravels in one province where rival 1 is weak and rival 2 strong."""
    strength = np.array([[1000.0], [10.0], [1000.0]])
    cohesion = np.array([[0.0], [0.9], [0.9]])
    rivals = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    return strength, cohesion, rivals


def test_without_pull_deserters_split_by_rivalry_alone():
    strength, cohesion, rivals = _two_rivals()
    who, moved = defection.defection(strength, cohesion, rivals, strength > 0, 0.5, 0.6)
    by_pair = who.by_pair(moved)
    assert by_pair[0, 1] == by_pair[0, 2] == 250.0


def test_deserters_join_the_rival_that_holds_the_ground():
    strength, cohesion, rivals = _two_rivals()
    who, moved = defection.defection(
        strength, cohesion, rivals, strength > 0, 0.5, 0.6, pull=1.0
    )
    by_pair = who.by_pair(moved)
    assert np.isclose(by_pair[0, 2], 100 * by_pair[0, 1])  # as local strength
    # half of 500 try each rival; each takes them up with its share of the men
    assert np.isclose(by_pair[0, 1], 250.0 * 10 / 2010)
    assert np.isclose(by_pair[0, 2], 250.0 * 1000 / 2010)


def test_deserters_a_rival_does_not_take_up_go_home():
    strength, cohesion, rivals = _two_rivals()
    p = Parameters(defection_rate=0.5, cohesion_threshold=0.6, defection_pull=1.0)
    d = defection.defect(
        strength, cohesion, rivals, np.zeros((3, 3)), p, np.random.default_rng(1)
    )
    joined = 250.0 * 1010 / 2010
    assert abs(d.out[0, 0] - joined) <= 2  # whole fighters, rounded at random
    assert abs(d.home[0, 0] - (500.0 - joined)) <= 1
    assert d.out[0, 0] + d.home[0, 0] == pytest.approx(500.0, abs=2)
    assert d.pairs[0, 2] > 50 * d.pairs[0, 1]


def test_a_home_share_goes_home_and_the_rest_to_rivals():
    strength, cohesion, rivals = _two_rivals()
    p = Parameters(defection_rate=0.5, cohesion_threshold=0.6, home_share=0.8)
    d = defection.defect(
        strength, cohesion, rivals, np.zeros((3, 3)), p, np.random.default_rng(1)
    )
    assert d.home[0, 0] == 400.0  # 0.8 of the 500 who leave
    assert d.out[0, 0] == d.pairs[0].sum() == d.gained.sum() == 100.0
    assert d.home[1:].sum() == 0  # cohesive forces keep their men
    # the memory of the flow counts those who joined rivals, not those gone home
    assert np.isclose(d.memory[0].sum(), 0.1 * 100.0 / (1000.0 - 500.0))


def test_with_no_rival_present_only_the_home_share_leaves():
    strength = np.array([[100.0, 0.0], [0.0, 100.0]])
    cohesion = np.array([[0.0, 0.0], [0.9, 0.9]])
    rivals = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = Parameters(defection_rate=0.5, cohesion_threshold=0.6, home_share=0.5)
    d = defection.defect(
        strength, cohesion, rivals, np.zeros((2, 2)), p, np.random.default_rng(0)
    )
    assert d.out.sum() == d.gained.sum() == 0.0
    assert d.home[0, 0] == 25.0
    off = Parameters(defection_rate=0.5, cohesion_threshold=0.6)
    none = defection.defect(
        strength, cohesion, rivals, np.zeros((2, 2)), off, np.random.default_rng(0)
    )
    assert none.out is None and none.home is None  # as before home_share existed


def test_going_home_never_takes_more_than_is_left():
    strength = np.array([[1.5, 3.0], [100.0, 100.0]])
    cohesion = np.zeros((2, 2))
    rivals = np.array([[0.0, 1.0], [1.0, 0.0]])
    p = Parameters(defection_rate=1.0, cohesion_threshold=1.0, home_share=0.5)
    for seed in range(20):
        d = defection.defect(
            strength, cohesion, rivals, np.zeros((2, 2)), p, np.random.default_rng(seed)
        )
        assert (d.out + d.home <= strength + 1e-12).all()
        # whole fighters, or all the force had left
        left = strength - d.out
        assert ((d.home == np.round(d.home)) | (d.home == left)).all()


def test_a_cohesive_week_draws_nothing_from_the_stream():
    strength, _, rivals = _case()
    p = Parameters(defection_memory=0.5, home_share=0.5, defection_pull=1.0)
    rng = np.random.default_rng(4)
    before = rng.bit_generator.state
    d = defection.defect(strength, np.ones((2, 2)), rivals, np.zeros((2, 2)), p, rng)
    assert d.out is None and d.home is None and d.pairs is None
    assert rng.bit_generator.state == before
    assert not d.memory.any()


def test_a_week_without_deserters_fades_the_memory_as_a_zero_flow_does():
    memory = np.array([[0.0, 0.3], [1e-17, 0.0]])
    for keep in (0.0, 0.5, 0.9):
        want = defection.remember(memory, np.zeros((2, 2)), keep)
        assert defection.remember(memory, 0.0, keep).tobytes() == want.tobytes()


def test_defection_goes_to_present_rivals_only():
    s = np.array([[1000.0, 1000.0], [10.0, 0.0], [0.0, 10.0]])
    rivals = np.array([[0, 1.0, 0.0], [1, 0, 0], [0, 0, 0]])
    present = s > 0
    who, amounts = defection.defection(
        s, np.array([[0.3, 0.3], [1, 1], [1, 1]]), rivals, present, 0.1, 0.6
    )
    moved = who.dense(amounts)
    assert len(amounts) == 1  # one losing force, one rival present
    assert np.isclose(moved[0, 1, 0], 1000 * 0.1 * 0.5)
    assert moved[0, 1, 1] == 0  # rival absent there
    assert moved[0, 2].sum() == 0  # not a rival
