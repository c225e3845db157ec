"""The facts model (sim.experiments.scorecard.facts): ranges, words and dates.

What a fact says about itself: whether a value lies in its accepted range,
how that range is written, and at which steps of a scenario it is read.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from sim.experiments.scorecard import Fact, FactsError
from sim.experiments.scorecard.facts import fact_steps, short_number
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario


def a_fact(**fields) -> Fact:
    """A fact with placeholder words and the given timing or range."""
    words = {"statement": "s", "source": "src", "observed": "2016", "why": "w"}
    return Fact(id="x", kind="outcome", **words, **fields)


def test_open_and_closed_bounds(synthetic):
    fact = synthetic["cf_lower"]  # [-100, 0)
    assert fact.accepted == "[-100, 0)"
    assert fact.in_range(-100) and fact.in_range(-1e-9) and not fact.in_range(0)
    assert not fact.in_range(math.nan)
    closed = synthetic["value_pass"]
    assert closed.in_range(4) and closed.in_range(8) and not closed.in_range(8.01)


def test_which_bounds_are_open_is_named_as_the_file_names_it(synthetic):
    assert synthetic["cf_lower"].open == "hi"
    assert synthetic["value_pass"].open == ""
    assert a_fact(lo=0.0, hi=1.0, open_lo=True).open == "lo"
    both = a_fact(lo=0.0, hi=1.0, open_lo=True, open_hi=True)
    assert both.open == "both" and both.accepted == "(0, 1)"
    assert a_fact(not_measurable="why not").accepted == "n/a"


def test_a_fact_says_what_it_reads_and_when(synthetic):
    assert synthetic["value_pass"].mapping == "strength:a"
    assert synthetic["value_pass"].when == "at 2016-01-15"
    assert synthetic["unmeasured"].mapping == "n/a"
    window = a_fact(metrics=("strength:a",), over=("start", "end"), reduce="min")
    assert window.when == "min over start..end"
    assert synthetic["cf_lower"].actors == {"c"}
    assert not synthetic["unmeasured"].measurable
    assert not synthetic["an_input"].counted and synthetic["cf_lower"].counted


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (1850, "1,850"),
        (-25000.4, "-25,000"),
        (22.0, "22"),
        (150.0, "150"),
        (150.4, "150"),
        (12.34, "12.3"),
        (0.8512, "0.851"),
        (-0.12, "-0.12"),
        (math.nan, "n/a"),
        (None, "n/a"),
        ("many", "n/a"),
    ],
)
def test_scorecard_numbers_keep_whole_numbers_and_hundreds_without_decimals(x, text):
    assert short_number(x) == text


def test_a_fact_is_read_at_the_steps_of_the_scenario():
    sc = load_scenario(find_scenario("2016"))
    assert fact_steps(a_fact(at="start"), sc) == (0, None)
    assert fact_steps(a_fact(at="end"), sc) == (sc.steps, None)
    day = sc.date_of(3)
    assert fact_steps(a_fact(at=day), sc) == (sc.step_of(day), None)
    window = a_fact(over=("start", "end"), reduce="mean")
    assert fact_steps(window, sc) == (None, (0, sc.steps))
    assert fact_steps(a_fact(), sc) == (None, None)


def test_a_window_that_does_not_run_forward_or_leaves_the_run_is_refused():
    sc = load_scenario(find_scenario("2016"))
    backwards = a_fact(over=("end", "start"), reduce="mean")
    with pytest.raises(FactsError, match="must run forward"):
        fact_steps(backwards, sc)
    with pytest.raises(FactsError, match="outside the run"):
        fact_steps(a_fact(at=dt.date(2030, 1, 1)), sc)
