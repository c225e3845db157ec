"""Pattern tests over many seeds: does the mechanism produce the article's story?

These compare means over seeds between a scenario and its counterfactual,
with the same seeds (common random numbers). They are slow-marked; the
README's test command runs them too.

Since ISIS-Khorasan is armed only where the DoD placed it (southern
Nangarhar, a pocket in Kunar) and the UN's "presence in 25 provinces" is a
believed presence (:mod:`sim.processes.perception`), the Russia-Taliban
alliance no longer forms (0 of 10 seeds; docs/model.md, "What the
Russia-Taliban alliance rests on"). The two alliance tests, and the one on
Russian aid in the north that depended on the alliance, are kept as strict
expected failures: they state the article's pattern, and they fail loudly
the day the model shows it again, so that it is looked at.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from sim.core.model import GreatGame
from sim.results import metrics
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SEEDS = range(1, 13)
BORDER = ["Badakhshan", "Takhar", "Kunduz", "Balkh"]

pytestmark = pytest.mark.slow


def _summary(job):
    path, overrides, seed = job
    h = GreatGame(load_scenario(path, overrides), seed=seed).run().history
    return {
        "allied": metrics.first_alliance(h, "russia", "taliban") is not None,
        "leader": metrics.leading_shared_enemy(h, "russia", "taliban"),
        "border": metrics.strength_in(h, "taliban", BORDER),
        "isis_provinces": metrics.provinces_present(h, "isis_k")
        if "isis_k" in h.actor_keys
        else 0,
    }


@cache
def runs(name: str, *overrides: str) -> list[dict]:
    path = str(ROOT / "scenarios" / f"{name}.yaml")
    ctx = multiprocessing.get_context("forkserver")  # no fork() of a threaded process
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        return list(pool.map(_summary, [(path, list(overrides), s) for s in SEEDS]))


def mean(rows, key):
    return sum(float(r[key]) for r in rows) / len(rows)


LOST = (
    "the honest ISIS-K encoding: Russia's zone holds no ISIS-K fighters, so no "
    "one fights ISIS-K there and the shared-enemy term stays ~0 whatever Moscow "
    "believes (docs/model.md)"
)


@pytest.mark.xfail(strict=True, reason=LOST)
def test_russia_and_taliban_ally_in_most_seeds_over_isis():
    rows = runs("2016")
    assert mean(rows, "allied") > 0.5
    allied = [r for r in rows if r["allied"]]
    led_by_isis = sum(r["leader"] == "ISIS-Khorasan" for r in allied) / len(allied)
    assert led_by_isis > 0.5


@pytest.mark.xfail(strict=True, reason=LOST)
def test_without_isis_the_alliance_is_clearly_rarer():
    with_isis = mean(runs("2016"), "allied")
    without = mean(runs("no_isis"), "allied")
    assert without < with_isis - 0.3


@pytest.mark.xfail(
    strict=True,
    reason="with no alliance, Russia's aid reaches the Taliban only as a hedge "
    "(and Kabul too), so it no longer makes the Taliban stronger on the Tajik "
    "border (12 seeds: 3,504 fighters with it, 3,516 without)",
)
def test_russian_aid_keeps_taliban_stronger_on_the_tajik_border():
    aid_on = mean(runs("2016"), "border")
    aid_off = mean(runs("2016", "actors.russia.resources=0"), "border")
    assert aid_off < aid_on


def test_isis_k_stays_contained_to_a_few_provinces():
    """The DoD's "contained largely to four or five districts" of Nangarhar.

    ISIS-K may recruit and move; it should not spread over the country.
    """
    rows = runs("2016")
    assert mean(rows, "isis_provinces") <= 5
    assert max(r["isis_provinces"] for r in rows) <= 8
