"""Structural balance measured: triads, the exact frustration index, the camps."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core.model import GreatGame
from sim.processes import balance
from sim.scenario.loader import load_scenario
from sim.vocabulary import Status
from tests.conftest import ROOT

A, N, E = int(Status.ALLY), int(Status.NEUTRAL), int(Status.ENEMY)


def _status(n: int, edges: dict[tuple[int, int], int]) -> np.ndarray:
    st = np.zeros((n, n), dtype=int)
    for (i, j), s in edges.items():
        st[i, j] = st[j, i] = s
    return st


def _random_status(n: int, seed: int, neutral: float = 0.3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    upper = rng.choice(
        [A, N, E], size=(n, n), p=[(1 - neutral) / 2, neutral, 0.5 - neutral / 2]
    )
    st = np.triu(upper, 1)
    return st + st.T


def _brute_force(st: np.ndarray) -> int:
    """Least frustrated edges over every ±1 assignment, counted edge by edge."""
    n = st.shape[0]
    edges = [(i, j, st[i, j]) for i in range(n) for j in range(i + 1, n) if st[i, j]]
    best = len(edges)
    for split in itertools.product((1, -1), repeat=n):
        bad = sum(1 for i, j, s in edges if s * split[i] * split[j] < 0)
        best = min(best, bad)
    return best


def test_a_balanced_triad_and_an_unbalanced_one():
    # 0-1 allies, both enemies of 2: "the enemy of my enemy" holds
    good = balance.measure(_status(3, {(0, 1): A, (0, 2): E, (1, 2): E}))
    assert (good.triads, good.balanced_triads, good.frustration) == (1, 1, 0)
    assert good.camps == (1, 1, -1)
    # three mutual enemies: no two-camp split can satisfy all three ties
    bad = balance.measure(_status(3, {(0, 1): E, (0, 2): E, (1, 2): E}))
    assert (bad.triads, bad.balanced_triads, bad.frustration) == (1, 0, 1)
    assert bad.balanced_share == 0.0


def test_three_of_four_triads_and_one_tie_to_flip_in_words():
    # two balanced camps {0,1,2} vs {3,4} plus one ally across them (1-3)
    edges = {(0, 1): A, (0, 2): A, (1, 2): A, (0, 3): E, (2, 3): E, (3, 4): A}
    edges[(1, 3)] = A
    b = balance.measure(_status(5, edges))
    assert (b.triads, b.balanced_triads) == (4, 2)
    assert b.frustration == 1 and b.frustrated == ((1, 3),)
    names = ["Russia", "Taliban", "Iran", "US", "Kabul"]
    assert balance.describe(b, names) == (
        "2 of 4 triads balanced; one tie would have to flip for two clean "
        "camps: Taliban–US."
    )
    assert balance.camps_text(b.camps, list("abcde")) == "a b c | d e"


def test_neutral_pairs_are_not_edges_and_loose_actors_join_no_camp():
    b = balance.measure(_status(4, {(0, 1): E}))
    assert (b.signed_edges, b.triads, b.frustration) == (1, 0, 0)
    assert b.camps == (1, -1, 0, 0)
    assert b.balanced_share == 1.0
    assert "no triad" in balance.describe(b, list("abcd"))


@pytest.mark.parametrize("seed", range(12))
def test_frustration_is_the_exact_minimum(seed):
    n = 3 + seed % 5
    st = _random_status(n, seed)
    b = balance.measure(st)
    assert b.exact
    assert b.frustration == _brute_force(st)
    # flipping the named ties leaves a balanced network
    flipped = st.copy()
    for i, j in b.frustrated:
        flipped[i, j] = flipped[j, i] = -st[i, j]
    after = balance.measure(flipped)
    assert after.frustration == 0 and after.balanced_share == 1.0


@pytest.mark.parametrize("seed", range(6))
def test_triad_counts_match_a_loop_over_triples(seed):
    st = _random_status(7, 100 + seed)
    s = balance.signs(st)
    full = [
        s[i, j] * s[j, k] * s[i, k]
        for i, j, k in itertools.combinations(range(7), 3)
        if s[i, j] and s[j, k] and s[i, k]
    ]
    assert balance.triad_counts(s) == (len(full), sum(p > 0 for p in full))


@pytest.mark.parametrize("seed", range(5))
def test_the_greedy_split_is_an_upper_bound(seed):
    st = _random_status(10, 200 + seed)
    s = balance.signs(st)
    exact = balance.frustrated_count(s, balance.exact_split(s)[None, :])[0]
    greedy = balance.frustrated_count(s, balance.greedy_split(s)[None, :])[0]
    assert greedy >= exact


def test_beyond_the_exact_limit_the_bound_is_flagged_and_finds_clean_camps():
    n = balance.EXACT_LIMIT + 2
    camp = np.where(np.arange(n) % 3 == 0, 1, -1)
    st = np.outer(camp, camp)
    np.fill_diagonal(st, 0)
    b = balance.measure(st)
    assert not b.exact and b.frustration == 0
    assert np.array_equal(np.array(b.camps), camp)
    st[0, 1] = st[1, 0] = A  # one tie across the camps
    worse = balance.measure(st)
    assert worse.frustration >= 1
    assert "at most one tie" in balance.describe(worse, [str(i) for i in range(n)])


def test_history_records_the_balance_of_every_step():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=3"])
    h = GreatGame(scenario, seed=5).run().history
    for t in range(h.n_rows):
        b = balance.measure(h.status[t])
        assert tuple(h.balance_counts[t]) == (
            b.signed_edges,
            b.triads,
            b.balanced_triads,
            b.frustration,
        )
        assert tuple(h.camps[t]) == b.camps
    assert h.balance_counts[0, 0] > 0  # the 2016 scenario starts with signed ties


def test_the_best_split_in_words():
    b = balance.measure(_status(4, {(0, 1): A, (0, 2): E, (1, 2): E}))
    assert balance.camps_words(b, ["Russia", "Taliban", "ISIS-K", "Iran"]) == (
        "Best split: Russia, Taliban against ISIS-K."
    )
    none = balance.measure(_status(3, {}))
    assert balance.camps_words(none, list("abc")).startswith("No two camps")
