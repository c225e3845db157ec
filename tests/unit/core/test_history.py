"""What a run records: the ledger's signs, flows, and one row per step."""

import numpy as np

from sim.core.history import KEPT_TERMS, LEDGER, Flow, ledger_net
from sim.core.model import GreatGame
from tests.conftest import scenario, tiny


def test_ledger_net_adds_gains_and_subtracts_losses():
    ledger = {name: np.zeros((1, 1)) for name in LEDGER}
    ledger["drawn_recruits"][:] = 10
    ledger["combat_losses"][:] = 4
    ledger["moves_in"][:] = 3
    ledger["moves_out"][:] = 3
    assert ledger_net(ledger)[0, 0] == 6


def test_every_kept_term_is_a_ledger_term():
    assert set(KEPT_TERMS) <= set(LEDGER)


def test_a_flow_loses_exactly_what_was_not_delivered():
    assert Flow(1, "a", "b", "X>Y", sent=1_000, delivered=750).interdicted == 250


def test_a_run_fills_one_row_per_step_and_its_ledger_explains_strength():
    model = GreatGame(scenario(tiny(steps=3)), seed=2)
    h = model.history
    before = model.strength.copy()
    model.step()
    assert h.last == 1 and h.n_rows == 2
    assert np.allclose(h.strength[1], model.strength)
    assert np.allclose(model.strength - before, ledger_net(model.ledger), atol=1e-6)
    assert np.allclose(h.losses[1], model.ledger["combat_losses"].sum(axis=1))


def test_combat_losses_are_recorded_by_who_inflicted_them():
    model = GreatGame(scenario(tiny(steps=3)), seed=2).run()
    h = model.history
    assert h.losses[1:].sum() > 0
    assert np.allclose(h.kills_by_pair[1:].sum(axis=1), h.losses[1:])
    assert not np.diagonal(h.kills_by_pair, axis1=1, axis2=2).any()


def test_each_kept_term_is_recorded_under_its_own_name():
    model = GreatGame(scenario(tiny(steps=3)), seed=2)
    model.step()
    for row in range(len(LEDGER)):
        model.state.ledger_block[row] = row + 1.0  # each term told apart
    model.history.record(1, model.state, np.zeros(model.geo.n_provinces), 0)
    for name in KEPT_TERMS:
        expected = (list(LEDGER).index(name) + 1.0) * model.geo.n_provinces
        assert np.array_equal(getattr(model.history, name)[1], np.full(3, expected))
