"""The dashboard's server-side checks: picker, sliders, seed, budget, shield."""

from __future__ import annotations

import logging

import pytest

from sim.dashboard.controls import SliderSpec
from sim.dashboard.guard import (
    SORRY,
    Budget,
    Refused,
    check_seed,
    check_slider,
    pick_scenario,
    shielded,
)

LISTED = {"2016.yaml": "scenarios/2016.yaml", "no_isis.yaml": "scenarios/no_isis.yaml"}
RUSSIA = SliderSpec("actors.russia.resources", "Russia: aid", 12.0, 0.0, 50.0, 1.0)


def test_only_a_listed_scenario_is_picked():
    assert pick_scenario("no_isis.yaml", LISTED) == "scenarios/no_isis.yaml"
    for crafted in ("/etc/shadow", "../.env", "scenarios/2016.yaml", "/dev/zero"):
        with pytest.raises(Refused, match="not one of the listed scenarios"):
            pick_scenario(crafted, LISTED)


def test_a_misspelt_scenario_gets_the_closest_name():
    with pytest.raises(Refused, match="did you mean 'no_isis.yaml'"):
        pick_scenario("no_isiss.yaml", LISTED)


def test_a_refusal_never_echoes_a_long_or_odd_value():
    with pytest.raises(Refused) as err:
        pick_scenario("x" * 5000 + "\n", LISTED)
    assert len(str(err.value)) < 200
    with pytest.raises(Refused, match="'dict' is not one"):
        pick_scenario({"path": "/etc/passwd"}, LISTED)


def test_a_slider_value_is_held_within_the_schema_bounds():
    assert check_slider(RUSSIA, 20) == (20.0, None)
    value, note = check_slider(RUSSIA, 1e9)
    assert value == 50.0 and "above the maximum" in note
    value, note = check_slider(RUSSIA, -3)
    assert value == 0.0 and "below the minimum" in note


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "lots", None, [1], True])
def test_a_slider_value_that_is_not_a_finite_number_is_refused(bad):
    with pytest.raises(Refused, match="number"):
        check_slider(RUSSIA, bad)


def test_the_seed_is_a_whole_number_in_the_schema_range():
    assert check_seed(" 42 ") == 42 and check_seed("") is None and check_seed(7) == 7
    for bad in ("forty", "-1", str(2**63), "9" * 5000, 1.5):
        with pytest.raises(Refused, match="whole number"):
            check_seed(bad)


def test_the_budget_drops_requests_beyond_its_burst_and_refills():
    now = [0.0]
    budget = Budget(3, 2.0, clock=lambda: now[0])
    assert [budget.take() for _ in range(200)].count(True) == 3
    now[0] += 1.0  # two more come free
    assert [budget.take() for _ in range(10)].count(True) == 2


def test_the_page_gets_one_sentence_and_the_log_the_traceback(caplog):
    def broken():
        raise KeyError("secret line from /etc/shadow")

    with caplog.at_level(logging.ERROR, logger="greatgame.dashboard"):
        assert shielded(broken, "step") == SORRY
    assert "secret" not in SORRY and "Traceback" in caplog.text

    def refused():
        raise Refused("No.")

    assert shielded(refused, "step") == "No."
    assert shielded(lambda: None, "step") is None
