import numpy as np

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
    out, gained, after = defection.defect(
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
    out, gained, after = defection.defect(
        strength, np.ones((2, 2)), rivals, memory, p, np.random.default_rng(0)
    )
    assert out is None and gained is None
    assert np.allclose(after, memory * 0.5)
