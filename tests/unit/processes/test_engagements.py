import numpy as np
import pytest

from sim.processes import engagements


def _crowded_fight():
    """Three forces in two provinces; force 2 in province 1 is nearly gone."""
    strength = np.array([[50.0, 40.0], [30.0, 60.0], [20.0, 0.5]])
    hostile = ~np.eye(3, dtype=bool)
    return strength, hostile, engagements.Engagements.find(strength, hostile)


def test_engagements_are_found_again_only_while_presence_and_sides_stay():
    strength = np.array([[10.0, 0.0, 4.0], [5.0, 3.0, 2.0]])
    hostile = ~np.eye(2, dtype=bool)
    first = engagements.Engagements.find(strength, hostile)
    assert engagements.Engagements.find(strength * 2.0, hostile.copy()) is first
    moved = engagements.Engagements.find(
        np.array([[10.0, 1.0, 0.0], [5.0, 3.0, 2.0]]), hostile
    )
    assert moved is not first and moved.p.tolist() == [0, 1, 0, 1]
    hostile[...] = False  # a changed input, even in place, is read again
    assert len(engagements.Engagements.find(strength, hostile).j) == 0
    wider = engagements.Engagements.find(np.ones((2, 4)), ~np.eye(2, dtype=bool))
    assert wider.provinces == 4 and len(wider.j) == 8


def test_fire_is_split_by_strength_and_hostility():
    s = np.array([[100.0], [100.0], [300.0]])
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    eng = engagements.Engagements.find(s, hostile)
    f = eng.dense(engagements.fire_shares(eng, s, hostile, np.ones((3, 3))))
    assert np.isclose(f[0, 1, 0], 0.25) and np.isclose(f[0, 2, 0], 0.75)
    assert np.isclose(f[1, 0, 0], 1.0)


def test_fire_focus_turns_fire_from_the_many_to_the_few():
    s = np.array([[500.0], [40.0], [960.0]])
    hostile = np.array([[0, 1, 1], [1, 0, 0], [1, 0, 0]], dtype=bool)
    eng = engagements.Engagements.find(s, hostile)
    ones = np.ones((3, 3))

    def shares(focus):
        return eng.dense(engagements.fire_shares(eng, s, hostile, ones, focus))[0, :, 0]

    assert shares(0.0)[1:] == pytest.approx([0.04, 0.96])  # by numbers
    assert shares(1.0)[1:] == pytest.approx([0.5, 0.5])  # by hostility alone
    assert shares(2.0)[1:] == pytest.approx([0.96, 0.04])  # the weak first
    hate = np.array([[0, 3.0, 1.0], [1, 0, 0], [1, 0, 0]])
    f = eng.dense(engagements.fire_shares(eng, s, hostile, hate, 1.0))[0, :, 0]
    assert f[1:] == pytest.approx([0.75, 0.25])  # toward the most hated


def test_fire_focus_one_aims_by_hostility_alone():
    strength, hostile, eng = _crowded_fight()
    hate = np.array([[0.0, 1.0, 3.0], [1.0, 0.0, 1.0], [2.0, 2.0, 0.0]])
    at_one = engagements.fire_shares(eng, strength, hostile, hate, 1.0)
    near_one = engagements.fire_shares(eng, strength, hostile, hate, 1.0 - 1e-12)
    assert np.allclose(at_one, near_one)
    in_p0 = (eng.j == 0) & (eng.p == 0)
    assert np.allclose(at_one[in_p0], [0.25, 0.75])  # 1 : 3, whatever the numbers


def test_fire_intensity_is_enmity_plus_competition_above_a_floor():
    affinity = np.array([[0.0, -0.6], [0.4, 0.0]])
    competition = np.array([[0.0, 0.5], [0.5, 0.0]])
    got = engagements.fire_intensity(affinity, competition, 0.2)
    assert np.allclose(got, [[0.05, 0.6 + 0.1 + 0.05], [0.1 + 0.05, 0.05]])
