import numpy as np
import pytest

from sim.processes import lenses, relations
from sim.scenario.schema import Parameters


def _view(n=4, seed=0):
    rng = np.random.default_rng(seed)
    affinity = rng.uniform(-1, 1, (n, n))
    np.fill_diagonal(affinity, 1.0)
    strength = rng.uniform(0, 500, (n, 6))
    return lenses.Outlook(
        affinity=affinity,
        baseline=np.eye(n),
        inertia=np.full((n, n), 0.02),
        ideology_distance=rng.uniform(0, 1, (n, n)),
        armed=strength,
        strength=strength,
        hostile=affinity < -0.3,
        interests=np.full((n, 6), 1 / 6),
        presence=relations.presence(strength, 100.0),
        intent=np.ones((n, n)),
        competition=np.zeros((n, n)),
        fighting=rng.uniform(0, 1, (n, n, n)),
        aid_share=np.zeros((n, n)),
        delivered=np.zeros((n, n)),
    )


@pytest.mark.parametrize("rule", ["balance_of_threat", "balance_of_power"])
def test_threat_lenses_see_a_threat_and_their_total_is_the_terms_sum(rule):
    view = _view()
    verdict = lenses.lens_terms(rule, view, Parameters(), np.zeros((4, 4)))
    assert verdict.threat is not None and (verdict.threat >= 0).all()
    assert (np.diag(verdict.threat) == 0).all()
    assert np.array_equal(verdict.total, verdict.terms.total())


def test_balance_of_power_fears_only_the_strongest_other():
    view = _view()
    verdict = lenses.lens_terms(
        "balance_of_power", view, Parameters(), np.zeros((4, 4))
    )
    assert ((verdict.threat > 0).sum(axis=1) == 1).all()


def test_structural_balance_is_eta_a_at_without_noise_or_inertia():
    view = _view()
    p = Parameters(eta=0.1)
    verdict = lenses.lens_terms("structural_balance", view, p, np.zeros((4, 4)))
    a = view.affinity
    expect = np.zeros((4, 4))
    for i in range(4):
        for j in range(4):
            if i != j:
                ks = [k for k in range(4) if k not in (i, j)]
                expect[i, j] = 0.1 * sum(a[i, k] * a[j, k] for k in ks)
    inertia = -view.inertia * (a - view.baseline) * ~np.eye(4, dtype=bool)
    assert np.allclose(verdict.total - inertia, expect)
    assert verdict.threat is None


def test_updated_row_is_clipped_with_self_affinity_one_and_static_keeps_it():
    affinity = np.array([[1.0, 0.95, -0.2], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    total = np.array([[0.3, 0.1, -0.9], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    row = lenses.updated_row("balance_of_threat", 0, affinity, total)
    assert np.allclose(row, [1.0, 1.0, -1.0])
    kept = lenses.updated_row("static", 0, affinity, total)
    assert np.array_equal(kept, affinity[0]) and kept is not affinity[0]
