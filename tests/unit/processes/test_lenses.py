import dataclasses

import numpy as np
import pytest

from sim.core.model import GreatGame
from sim.processes import lenses, perception, threats
from sim.scenario.schema import Parameters
from tests.conftest import scenario, tiny


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
        presence=threats.presence(strength, 100.0),
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


def _flow_to_blowup(x: np.ndarray, eta: float = 0.05) -> np.ndarray:
    for _ in range(100_000):
        if np.abs(x).max() >= lenses.BLOWUP:
            return x
        x = lenses.marvel_flow(x, eta)
    raise AssertionError("no blow-up")


@pytest.mark.parametrize("seed", range(10))
def test_marvel_splits_by_the_leading_eigenvector_of_the_initial_matrix(seed):
    # Marvel et al. (2011): for generic symmetric X(0), X(t) blows up as
    # λ₁/(1 − λ₁t)·u₁u₁ᵀ, so the two camps are the signs of u₁
    rng = np.random.default_rng(seed)
    n = 6 + seed % 5
    x0 = rng.normal(size=(n, n))
    x0 = (x0 + x0.T) / 2
    x = _flow_to_blowup(x0)
    u = np.linalg.eigh(x0)[1][:, -1]
    assert np.array_equal(np.sign(x), np.sign(np.outer(u, u)))


def test_marvel_is_unclipped_x_squared_and_its_terms_add_up():
    view = _view(n=5, seed=3)
    x = view.affinity
    verdict = lenses.lens_terms("marvel", view, Parameters(eta=0.01), np.ones((5, 5)))
    new = x.copy()
    for _ in range(lenses.MARVEL_SUBSTEPS):
        new = new + 0.001 * new @ new
    assert np.allclose(verdict.unbounded, new)  # no inertia, no noise
    assert np.allclose(verdict.total, new - x)
    assert np.allclose(verdict.terms.total(), verdict.total)
    # first order through k: η·X[i,k]·X[k,j], split by the two stances
    i, j, k = 0, 1, 2
    per_k = (
        verdict.terms.shared[i, j, k]
        + verdict.terms.friends[i, j, k]
        + verdict.terms.befriend[i, j, k]
    )
    assert per_k == pytest.approx(0.01 * x[i, k] * x[k, j])
    assert verdict.threat is None


def test_marvel_values_grow_past_one_but_the_affinity_is_capped():
    x = np.array([[1.0, 0.9, -0.8], [0.9, 1.0, -0.7], [-0.8, -0.7, 1.0]])
    grown = lenses.marvel_flow(x, 0.3)
    assert np.abs(grown).max() > 1.0
    row = lenses.updated_row("marvel", 2, x, grown - x, grown)
    assert row[2] == 1.0 and np.abs(row).max() <= 1.0
    assert np.array_equal(np.sign(row[:2]), np.sign(grown[2, :2]))


def test_marvel_freezes_after_blow_up_and_yields_to_shocks():
    x = _flow_to_blowup(np.array([[1.0, 0.5], [0.5, 1.0]]))
    frozen = lenses.marvel_verdict(x, 0.05)
    assert not frozen.total.any() and np.array_equal(frozen.unbounded, x)
    # a shock moved the capped affinity of (0, 1): X takes the new value there
    view = _view(n=2)
    shocked = np.array([[1.0, -0.2], [1.0, 1.0]])
    view = lenses.Outlook(**{**view.__dict__, "affinity": shocked, "unbounded": x})
    seen = lenses.marvel_matrix(view)
    assert seen[0, 1] == -0.2 and seen[1, 0] == x[1, 0]


def test_a_marvel_run_ends_in_two_clean_camps():
    from sim.core.model import GreatGame
    from sim.processes import balance

    m = GreatGame("2016", seed=0, parameters__alliance_rule="marvel").run(30)
    b = balance.measure(m.status)
    assert b.frustration == 0 and b.balanced_share == 1.0
    assert 0 not in set(b.camps)  # every actor is in one camp or the other
    assert np.abs(m.state.affinity).max() <= 1.0
    assert np.abs(m.state.unbounded).max() >= lenses.BLOWUP


def test_one_actor_may_reason_by_marvel_among_others():
    from sim.core.model import GreatGame

    m = GreatGame("2016", seed=3, actors__russia__alliance_rule="marvel").run(15)
    r = m.index["russia"]
    assert m.setup.lenses[r] == "marvel"
    row = np.clip(m.state.unbounded[r], -1.0, 1.0)
    row[r] = 1.0
    assert np.allclose(m.state.affinity[r], row)
    assert np.abs(m.state.unbounded[r]).max() > 1.0  # Russia's X outgrew the cap
    assert np.abs(m.state.affinity).max() <= 1.0


@pytest.mark.parametrize("with_beliefs", [False, True])
def test_balance_of_threat_reads_the_threat_it_is_given(with_beliefs):
    view = _view()
    if with_beliefs:
        beliefs = np.random.default_rng(4).uniform(0, 1, (4, 4, 6))
        view = lenses.Outlook(**{**view.__dict__, "beliefs": beliefs})
        zone = perception.zone_presence(view.interests, view.beliefs)
    else:
        zone = threats.zone_presence(view.interests, view.presence)
    p, noise = Parameters(), np.zeros((4, 4))
    plain = lenses.lens_terms("balance_of_threat", view, p, noise)
    threat = threats.threat(view.affinity, view.intent, view.competition, zone, p.gamma)
    given = lenses.Outlook(**{**view.__dict__, "threat": threat})
    same = lenses.lens_terms("balance_of_threat", given, p, noise)
    assert same.threat.tobytes() == plain.threat.tobytes()
    assert same.total.tobytes() == plain.total.tobytes()
    doubled = lenses.Outlook(**{**view.__dict__, "threat": 2 * threat})
    more = lenses.lens_terms("balance_of_threat", doubled, p, noise)
    assert np.array_equal(more.threat, 2 * threat)
    power = lenses.lens_terms("balance_of_power", doubled, p, noise)
    assert (
        power.threat.tobytes()
        == lenses.lens_terms("balance_of_power", view, p, noise).threat.tobytes()
    )


@pytest.mark.parametrize("rule", ["balance_of_threat", "balance_of_power"])
@pytest.mark.parametrize("seed", range(5))
def test_a_threat_lens_total_is_the_terms_total_bit_for_bit(rule, seed):
    view = _view(seed=seed)
    noise = np.random.default_rng(seed).normal(0, 0.01, (4, 4))
    verdict = lenses.lens_terms(rule, view, Parameters(), noise)
    assert verdict.total.tobytes() == verdict.terms.total().tobytes()
    for name in verdict.zero_terms:  # +0.0 itself, sign bit and all
        term = getattr(verdict.terms, name)
        assert term.tobytes() == np.zeros(term.shape).tobytes()
    assert set(verdict.zero_terms) == {"friends", "shock", "momentum"}


def test_an_outlook_built_from_its_fields_is_the_same_frozen_outlook():
    view = _view()
    given = {**view.__dict__}
    built = lenses.Outlook.of(**given)
    assert type(built) is lenses.Outlook and built.__dict__ == view.__dict__
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.affinity = None
    del given["threat"]
    with pytest.raises(TypeError, match="missing \\['threat'\\]"):
        lenses.Outlook.of(**given)
    with pytest.raises(TypeError, match="unknown \\['zone'\\]"):
        lenses.Outlook.of(**view.__dict__, zone=None)


def test_static_lens_freezes_affinities():
    data = tiny(steps=10, parameters={"alliance_rule": "static", "sigma": 0.5})
    m = GreatGame(scenario(data)).run()
    assert np.array_equal(m.affinity, m.baseline)
