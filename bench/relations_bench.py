"""CPU time and Python-level calls of the relations sub-model, per step.

    python bench/relations_bench.py [--runs 10] [--scenario 2016]

Runs ``--runs`` seeded runs of the scenario and reports, per step, the mean
CPU time (``time.process_time``, so other processes on a shared machine
count less than in wall time) of the relations step and of its parts:
beliefs and zones (``_perceive``), the lens verdicts (``lens_terms``), the
actors' decisions (``decide_all``), the logged status changes and the new
status; and the Python-level calls the relations step makes (cProfile,
enabled only inside it). The parts are nested in the relations step, so
they do not add up to it. Works on any tree of the model that has these
methods: point ``PYTHONPATH`` at another checkout to compare.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections import defaultdict

from sim.core import agents, logbook
from sim.core import model as model_module
from sim.core.model import GreatGame
from sim.processes import lenses
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

TOTALS: dict[str, float] = defaultdict(float)


def timed(name: str, fn):
    """``fn`` with its CPU time added to ``TOTALS[name]`` on every call."""

    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            TOTALS[name] += time.process_time() - t0

    return wrapper


def instrument() -> None:
    """Wrap the relations step and its parts where the model calls them."""
    for name in ("_relations", "_perceive", "status_now"):
        setattr(GreatGame, name, timed(name, getattr(GreatGame, name)))
    model_module.decide_all = timed("decide_all", agents.decide_all)
    lenses.lens_terms = timed("lens_terms", lenses.lens_terms)
    logbook.log_status_changes = timed("log_status_changes", logbook.log_status_changes)


def count_calls(sc, seed: int) -> float:
    """Python-level calls made inside ``_relations`` per step of one run."""
    profile = cProfile.Profile()
    inner = GreatGame._relations

    def profiled(self):
        profile.enable()
        try:
            inner(self)
        finally:
            profile.disable()

    GreatGame._relations = profiled
    try:
        model = GreatGame(sc, seed=seed).run()
    finally:
        GreatGame._relations = inner
    stats = pstats.Stats(profile)
    return stats.total_calls / model.step_index


def main() -> None:
    """Time the runs and print the per-step means."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="2016")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()
    sc = load_scenario(find_scenario(args.scenario))
    GreatGame(sc, seed=0).run()  # warm caches and lazy imports
    calls = count_calls(sc, 0)
    instrument()
    steps = 0
    for seed in range(args.runs):
        steps += GreatGame(sc, seed=seed).run().step_index
    print(f"scenario {args.scenario}: {args.runs} runs, {steps} steps")
    for name, total in sorted(TOTALS.items(), key=lambda kv: -kv[1]):
        print(f"{name:20s} {total / steps * 1e3:7.4f} ms/step (CPU)")
    print(f"{'calls in _relations':20s} {calls:7.1f} /step")


if __name__ == "__main__":
    main()
