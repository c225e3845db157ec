import numpy as np

from sim.processes import aid
from sim.scenario.schema import Parameters


def test_usefulness_weighs_the_fight_by_the_threat():
    threat = np.array([[0.0, 0.0, 2.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    fighting = np.zeros((3, 3, 3))
    fighting[0, 1, 2] = 0.25  # b does a quarter of the fighting against c in a's zone
    use = aid.usefulness(threat, fighting)
    assert use[0, 1] == 0.5
    assert use.sum() == 0.5


def test_own_forces_share_own_spending_by_strength():
    plan = np.array([[4.0, 1.0], [0.0, 3.0]])
    strength = np.array([[30.0, 10.0], [0.0, 0.0]])
    own = aid.own_forces(plan, strength)
    assert np.allclose(own, [[3.0, 1.0], [0.0, 0.0]])  # b has no forces to pay
    outside = aid.to_others(plan, strength)
    assert np.array_equal(outside, [[0.0, 0.0], [0.0, 0.0]])  # nor anyone to send to


def test_budget_counts_one_off_aid_sent_to_others():
    resources = np.array([10.0, 0.0])
    pending = np.array([[0.0, 5.0], [0.0, 0.0]])
    plan = np.array([[2.0, 8.0], [0.0, 0.0]]) + pending
    assert np.allclose(aid.budget_spent(resources, plan, pending), [13.0, 0.0])


def test_spending_splits_aid_between_kit_and_recruits():
    p = Parameters(aid_to_equipment=0.25, equipment_per_aid=0.002, recruits_per_aid=4)
    strength = np.array([[1000.0, 0.0]])
    equipment = np.array([[1.0, 1.0]])
    kit, paid = aid.spend(strength, equipment, np.array([[8.0, 8.0]]), p)
    # 2 units of kit x 0.002 x 1000 / 1000 fighters; none where nobody is
    assert np.allclose(kit, [[1.004, 1.0]])
    assert np.allclose(paid, 0.75 * 8.0 * 4)
    capped, _ = aid.spend(strength, np.full((1, 2), 9.9), np.full((1, 2), 1e6), p)
    assert (capped <= p.max_equipment).all()


def test_shares_sent_sum_to_one_per_patron_that_sent():
    sent = np.array([[0.0, 3.0, 1.0], [0.0, 0.0, 0.0], [2.0, 0.0, 0.0]])
    shares = aid.shares_sent(sent)
    assert np.allclose(shares.sum(axis=1), [1.0, 0.0, 1.0])
    assert np.allclose(shares[0], [0.0, 0.75, 0.25])
