"""Where a step goes: CPU time and Python-level calls of each sub-model.

    python bench/step_parts_bench.py [--runs 10] [--scenario 2016]

Runs ``--runs`` seeded runs of the scenario with each sub-model of a step
(the methods of :class:`sim.core.model.GreatGame`, the incidents' step and
the functions of :mod:`sim.core.forces`) wrapped in a
``time.process_time`` accumulator, and prints the CPU milliseconds per step
of each, then one more run under ``cProfile`` for the Python-level calls
per step each makes (numpy's C functions count once per call; the arithmetic
of an array expression does not count). CPU time is less sensitive to
other processes than wall time, but a busy machine still slows every part:
to compare two versions, run this in both back to back a few times and
compare medians, or the share of the parts you did not change.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable

from sim.core import forces, incidents
from sim.core.model import GreatGame
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

#: Each part of a step: (label, where it lives, the attribute to wrap). A
#: part that another calls counts with its caller.
WHERE = (
    ("_timeline", GreatGame, "_timeline"),
    ("_relations", GreatGame, "_relations"),
    ("_aid", GreatGame, "_aid"),
    ("incidents", incidents, "step"),
    ("recruit_and_defect", forces, "recruit_and_defect"),
    ("move", forces, "move"),
    ("fight", forces, "fight"),
    ("maintain", forces, "maintain"),
    ("take_control", forces, "take_control"),
    ("_record", GreatGame, "_record"),
)
PARTS = tuple(label for label, _, _ in WHERE)


def _wrapped(part: str, fn: Callable, hook: Callable) -> Callable:
    """``fn`` with ``hook(part, fn, args)`` around each call."""

    def run(*args, **kwargs):
        return hook(part, fn, args, kwargs)

    return run


def _install(hook: Callable) -> Callable[[], None]:
    """Wrap every part with ``hook``; returns the function that unwraps them."""
    saved = [(holder, name, getattr(holder, name)) for _, holder, name in WHERE]
    for (part, _, _), (holder, name, fn) in zip(WHERE, saved, strict=True):
        setattr(holder, name, _wrapped(part, fn, hook))

    def undo() -> None:
        for holder, name, fn in saved:
            setattr(holder, name, fn)

    return undo


def cpu_per_step(sc, runs: int) -> dict[str, float]:
    """CPU milliseconds per step of each part, over ``runs`` seeded runs."""
    spent = dict.fromkeys(PARTS, 0.0)

    def timed(part, fn, args, kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[part] += time.process_time() - t0

    undo = _install(timed)
    steps = 0
    try:
        for seed in range(1, runs + 1):
            model = GreatGame(sc, seed=seed)
            model.run()
            steps += model.step_index
    finally:
        undo()
    return {p: 1000.0 * s / steps for p, s in spent.items()}


def calls_per_step(sc) -> tuple[dict[str, float], float]:
    """Python-level calls per step of each part, and of the whole step (seed 1)."""
    profiles = {p: cProfile.Profile() for p in PARTS}
    inside: list[str] = []

    def counted(part, fn, args, kwargs):
        if inside:  # a part called from another counts with its caller
            return fn(*args, **kwargs)
        inside.append(part)
        profiles[part].enable()
        try:
            return fn(*args, **kwargs)
        finally:
            profiles[part].disable()
            inside.pop()

    model = GreatGame(sc, seed=1)
    undo = _install(counted)
    try:
        model.run()
    finally:
        undo()
    steps = model.step_index
    per_part = {p: _total_calls(profiles[p]) / steps for p in PARTS}
    whole = cProfile.Profile()
    again = GreatGame(sc, seed=1)
    whole.enable()
    again.run()
    whole.disable()
    return per_part, _total_calls(whole) / steps


def _total_calls(profile: cProfile.Profile) -> int:
    """All calls a profile recorded (0 if it recorded none)."""
    try:
        stats = pstats.Stats(profile)
    except TypeError:  # never enabled
        return 0
    return sum(entry[1] for entry in stats.stats.values())


def main() -> None:
    """Print each part's CPU ms and Python calls per step."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--scenario", default="2016")
    args = ap.parse_args()
    sc = load_scenario(find_scenario(args.scenario))
    cpu = cpu_per_step(sc, args.runs)
    calls, whole = calls_per_step(sc)
    print(f"{'part':22s} {'CPU ms/step':>12s} {'calls/step':>11s}")
    for part in PARTS:
        print(f"{part:22s} {cpu[part]:12.3f} {calls[part]:11.1f}")
    print(f"{'all parts':22s} {sum(cpu.values()):12.3f} {sum(calls.values()):11.1f}")
    print(f"whole step, Python-level calls per step: {whole:.1f}")


if __name__ == "__main__":
    main()
