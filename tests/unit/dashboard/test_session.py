"""One browser session: its own model and seed, checked requests, bounded work."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.dashboard.guard import Refused
from sim.dashboard.session import AS_IN_FILE, BUSY, Session

ROOT = Path(__file__).resolve().parents[3]
START = str(ROOT / "scenarios/2016.yaml")
ISIS = "actors.isis_k.resources"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def session(clock):
    return Session(START, clock=clock)


def test_the_picker_lists_the_shipped_scenarios_only_by_name(session):
    assert "2016.yaml" in session.catalogue and "no_isis.yaml" in session.catalogue
    with pytest.raises(Refused):
        session.choose_scenario("/etc/passwd")
    assert session.scenario == "2016.yaml"


def test_a_scenario_switch_resets_the_sliders_that_do_not_apply(session):
    session.set_slider(ISIS, 1.0)
    session.set_slider("parameters.interdiction", 0.9)
    session.choose_scenario("no_isis.yaml")
    assert ISIS not in session.values  # no ISIS-K in that scenario: no slider
    assert session.values["parameters.interdiction"] == 0.9  # still applies
    session.reset()
    assert "isis_k" not in session.model.config.actors
    assert session.model.config.parameters.interdiction == 0.9


def test_reset_sliders_puts_every_slider_back(session):
    session.set_slider("actors.russia.resources", 0.0)
    session.reset_sliders()
    assert session.values == session.defaults


def test_a_slider_beyond_its_bound_is_clamped_with_a_note(session):
    spec = session.spec("actors.russia.resources")
    session.set_slider(spec.path, 1e9)
    assert session.values[spec.path] == spec.max
    assert "above the maximum" in session.take_notes()[0]
    session.reset()
    assert session.model.config.actors["russia"].resources == spec.max
    with pytest.raises(Refused):
        session.set_slider("actors.russia.secret", 3.0)


def test_each_session_has_its_own_model_and_seed(clock):
    a, b = Session(START, clock=clock), Session(START, clock=clock)
    a.set_seed("7")
    a.reset()
    assert a.model is not b.model and a.model.seed_value == 7
    assert b.model.seed_value == 2016
    a.step()
    assert (a.model.step_index, b.model.step_index) == (1, 0)


def test_200_step_messages_run_only_a_few_steps(session, clock):
    refused = 0
    for _ in range(200):
        try:
            session.step()
        except Refused as err:
            assert str(err) == BUSY
            refused += 1
    assert session.model.step_index == 4 and refused == 196
    clock.now += 1.0  # six more come free
    session.step()
    assert session.model.step_index == 5


def test_run_to_date_and_to_end(session):
    session.run_to_date("2016-06-01")
    assert session.model.config.date_of(session.model.step_index).isoformat() >= (
        "2016-06-01"
    )
    assert session.model.config.date_of(session.model.step_index - 1).isoformat() < (
        "2016-06-01"
    )
    session.run_to_end()
    assert session.model.step_index == session.model.config.steps
    with pytest.raises(Refused, match="YYYY-MM-DD"):
        session.run_to_date("next week")


def test_the_counterfactual_shares_the_seed_and_steps_with_the_model(session, clock):
    session.set_slider("actors.russia.resources", 0.0)
    session.reset()
    session.step()
    session.compare_with(AS_IN_FILE)
    twin = session.counterfactual
    assert twin.seed_value == session.model.seed_value and twin.step_index == 1
    assert twin.config.actors["russia"].resources > 0  # the file's value
    clock.now += 10
    session.run_to(20)
    assert session.model.step_index == twin.step_index == 20
    with pytest.raises(Refused):
        session.compare_with("/etc/shadow")
    session.compare_with("no_isis.yaml")
    assert "isis_k" not in session.counterfactual.config.actors


def test_the_same_seed_steps_the_same_run_in_two_sessions(clock):
    a, b = Session(START, clock=clock), Session(START, clock=clock)
    for s in (a, b):
        s.run_to(10)
    assert np.array_equal(a.model.history.strength, b.model.history.strength)
