"""Planning a check (sim.experiments.scorecard.plan): which runs, which n/a.

The 2016 scenario and its no-ISIS variant show one sweep over shared paths
and the facts that cannot be measured in a scenario.
"""

from __future__ import annotations

import pytest

from sim.experiments.scorecard import BASELINE, FactsError, plan_check
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

S2016 = find_scenario("2016")
NO_ISIS = find_scenario("no_isis")


def test_one_sweep_runs_the_baseline_and_the_variants_on_shared_paths():
    plan = plan_check(S2016)
    assert plan.variants == [BASELINE, "no_isis", "no_russian_aid", "us_exit"]
    assert len({frozenset(p) for p in plan.points}) == 1  # same paths everywhere
    base, no_isis, no_aid, us_exit = plan.points
    assert base["actors.isis_k"]["name"] == "ISIS-Khorasan"
    assert no_isis["actors.isis_k"] is None
    assert no_aid["actors.russia.resources"] == 0 and base["actors.russia.resources"]
    assert us_exit["actors.us_nato.troops"] == 0

    # the drawdown events would bring the US back: dropped in us_exit only
    def troop_events(point):
        return [e for e in point["events"] if e.get("path") == "actors.us_nato.troops"]

    dropped = len(troop_events(base))  # 2016.yaml: 8,400 into 2017
    assert dropped == 1 and troop_events(us_exit) == []
    assert len(base["events"]) == len(us_exit["events"]) + dropped
    assert set(plan.unavailable) == {
        "isis_k_recruits_taliban",
        "civilian_casualties_2016",
    }


def test_facts_naming_absent_actors_or_idle_variants_are_na():
    plan = plan_check(NO_ISIS)
    assert "no_isis" not in plan.variants
    assert "changes nothing" in plan.unavailable["cf_no_isis_russia_taliban"]
    assert "isis_k not in scenario" in plan.unavailable["isis_k_fighters_apr2016"]
    measured = {m.key for m in plan.probe.measures}
    assert "isis_k_fighters_apr2016" not in measured
    assert "taliban_fighters_2016" in measured


def test_a_facts_file_with_dates_beyond_a_short_scenario_is_refused():
    short = load_scenario(S2016, {"steps": 10})
    with pytest.raises(FactsError, match="outside the run"):
        plan_check(short)
