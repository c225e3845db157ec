"""Pattern tests over many seeds: does the mechanism produce the article's story?

These compare means over seeds between a scenario and its counterfactual,
with the same seeds (common random numbers). They are slow-marked; the
README's test command runs them too.
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
    }


@cache
def runs(name: str, *overrides: str) -> list[dict]:
    path = str(ROOT / "scenarios" / f"{name}.yaml")
    ctx = multiprocessing.get_context("forkserver")  # no fork() of a threaded process
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        return list(pool.map(_summary, [(path, list(overrides), s) for s in SEEDS]))


def mean(rows, key):
    return sum(float(r[key]) for r in rows) / len(rows)


def test_russia_and_taliban_ally_in_most_seeds_over_isis():
    rows = runs("2016")
    assert mean(rows, "allied") > 0.5
    allied = [r for r in rows if r["allied"]]
    led_by_isis = sum(r["leader"] == "ISIS-Khorasan" for r in allied) / len(allied)
    assert led_by_isis > 0.5


def test_without_isis_the_alliance_is_clearly_rarer():
    with_isis = mean(runs("2016"), "allied")
    without = mean(runs("no_isis"), "allied")
    assert without < with_isis - 0.3


def test_russian_aid_keeps_taliban_stronger_on_the_tajik_border():
    aid_on = mean(runs("2016"), "border")
    aid_off = mean(runs("2016", "actors.russia.resources=0"), "border")
    assert aid_off < aid_on
