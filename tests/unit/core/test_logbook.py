"""The event log: dated entries, status changes with reasons, captures."""

import numpy as np

from sim.core import logbook
from sim.core.model import GreatGame
from sim.vocabulary import CONTESTED, Status
from tests.conftest import scenario, tiny


def _model():
    return GreatGame(scenario(tiny(steps=4)), seed=1)


def test_an_entry_is_dated_at_the_end_of_the_step_and_drops_missing_fields():
    model = _model()
    logbook.log(model, "note", text="hello", absent=None)
    entry = model.history.events[-1]
    assert entry == {
        "step": 1,
        "date": model.config.date_of(1).isoformat(),
        "type": "note",
        "text": "hello",
    }


def test_a_new_alliance_is_logged_once_with_its_reasons_and_resets_them():
    model = _model()
    a, b = model.index["a"], model.index["b"]
    model.state.cum.help[a, b] = 0.3
    new = model.state.status.copy()
    new[a, b] = new[b, a] = Status.ALLY
    logbook.log_status_changes(model, new)
    entries = [e for e in model.history.events if e["type"] == "alliance"]
    assert len(entries) == 1
    assert (entries[0]["a"], entries[0]["b"], entries[0]["new"]) == ("a", "b", "ally")
    assert entries[0]["why"]  # the aid between them, in words
    assert model.state.cum.help[a, b] == 0.0


def test_captures_and_losses_of_control_are_told_apart():
    model = _model()
    q = model.geo.index["Kunduz"]
    old = np.full(model.geo.n_provinces, -1)
    new = old.copy()
    new[q] = model.index["c"]
    logbook.log_control_changes(model, old, new)
    logbook.log_control_changes(model, new, old)
    capture, lost = model.history.events[-2:]
    assert capture["type"] == "capture" and capture["previous"] == CONTESTED
    assert capture["province"] == "Kunduz" and capture["actor"] == "c"
    assert lost == {**lost, "type": "contested", "previous": "c"}


def test_a_step_without_a_change_of_status_logs_nothing_and_keeps_the_reasons():
    model = _model()
    a, b = model.index["a"], model.index["b"]
    model.state.cum.help[a, b] = 0.3
    logged = len(model.history.events)
    logbook.log_status_changes(model, model.state.status.copy())
    assert len(model.history.events) == logged
    assert model.state.cum.help[a, b] == 0.3
