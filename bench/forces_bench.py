"""CPU time of each of the forces' sub-models, on the state of a real step.

    python bench/forces_bench.py [--step 50] [--repeats 300] [--scenario 2016]

Runs the scenario to ``--step``, then, for each sub-model of
:mod:`sim.core.forces`, brings a copy of the model to the moment that
sub-model starts in the next step and times one call, ``--repeats`` times
from that same state; prints the minimum and the median in microseconds. One
call on a fixed state is far less sensitive to a busy machine than a whole
run: to compare two checkouts, run this in each (with ``PYTHONPATH`` set to
it), back to back, and compare the minima. A checkout from before the
sub-models left :class:`sim.core.model.GreatGame` is timed through its
methods of the same order.
"""

from __future__ import annotations

import argparse
import copy
import gc
import statistics
import time
from collections.abc import Callable

from sim.core import incidents
from sim.core.model import GreatGame

#: The forces' sub-models in schedule order, and the methods they once were.
PARTS = (
    ("recruit_and_defect", "_recruit_and_defect"),
    ("move", "_move"),
    ("fight", "_combat"),
    ("maintain", "_upkeep"),
    ("take_control", "_control"),
)


def _part(name: str, method: str) -> Callable[[GreatGame], None]:
    """The sub-model as a function of the model, in this checkout."""
    try:
        from sim.core import forces
    except ImportError:  # an older checkout: the model's own method
        return lambda model: getattr(model, method)()
    return getattr(forces, name)


def _before(model: GreatGame, upto: int) -> GreatGame:
    """A copy of ``model`` as the next step's ``upto``-th forces' part starts."""
    m = copy.deepcopy(model)
    m.state.new_ledger()
    m._timeline()
    m._relations()
    m._aid()
    incidents.step(m)
    for name, method in PARTS[:upto]:
        _part(name, method)(m)
    return m


def time_parts(model: GreatGame, repeats: int) -> dict[str, list[float]]:
    """Microseconds of one call of each part, ``repeats`` times from one state.

    Before each call the state arrays and the random streams are put back
    as they were; the scenario's arrays stay the same objects, so what the
    sub-models remember from them (:mod:`sim.processes.memo`) serves as in a
    run.
    """
    out = {}
    for n, (name, method) in enumerate(PARTS):
        fn, m = _part(name, method), _before(model, n)
        state = copy.deepcopy(m.state)
        streams = {k: g.bit_generator.state for k, g in m.streams.items()}
        spent = []
        gc.collect()
        gc.disable()  # a collection inside one call would be timed with it
        for _ in range(repeats):
            m.state = copy.deepcopy(state)
            for k, g in m.streams.items():
                g.bit_generator.state = streams[k]
            t0 = time.process_time_ns()
            fn(m)
            spent.append((time.process_time_ns() - t0) / 1000.0)
        gc.enable()
        out[name] = spent
    return out


def main() -> None:
    """Print each part's minimum and median CPU microseconds per call."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--step", type=int, default=50)
    ap.add_argument("--repeats", type=int, default=300)
    ap.add_argument("--scenario", default="2016")
    args = ap.parse_args()
    model = GreatGame(args.scenario, seed=1).run(args.step)
    spent = time_parts(model, args.repeats)
    print(f"{'part':20s} {'min us':>8s} {'median us':>10s}")
    for name, times in spent.items():
        print(f"{name:20s} {min(times):8.1f} {statistics.median(times):10.1f}")
    mins = sum(min(t) for t in spent.values())
    meds = sum(statistics.median(t) for t in spent.values())
    print(f"{'all':20s} {mins:8.1f} {meds:10.1f}")


if __name__ == "__main__":
    main()
