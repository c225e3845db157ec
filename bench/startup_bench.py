"""Where a single run's time goes before and after the model: phase by phase.

    python bench/startup_bench.py [--repeats 5] [--scenario scenarios/2016.yaml]

Starts a fresh process ``--repeats`` times; each does what ``run.py SCENARIO
--no-figures`` does, one phase after another, and reports the CPU time of
each phase (CPU time, not wall time: it moves less when other work shares
the machine). Prints the median of each phase, and the load average. The
phases: the import floor (numpy, pandas, Mesa), the command line, the
scenario loader's imports (pydantic, the schema), the model's and the
results' imports, loading the scenario, the model's run, the chronicle, the
manifest and writing the run directory.

Below the total, the CPU a run with figures spends importing the drawing
code: the drawing helper, forked once the scenario is loaded and the
model's code imported, does it while the model runs and the chronicle,
manifest and tables are written, so it is hidden as long as it is shorter
than those phases together.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_UP = "imports: drawing (the helper's)"


def _phases(scenario: str, out: str) -> dict[str, float]:
    """Run the phases in this process; CPU milliseconds of each, in order."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")  # as the CLI does
    marks = [("start", time.process_time())]

    def mark(name: str) -> None:
        marks.append((name, time.process_time()))

    import mesa  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    mark("imports: numpy, pandas, mesa")
    from sim.cli import commands  # noqa: F401
    from sim.cli import run as run_command  # noqa: F401

    mark("imports: command line")
    from sim.scenario.loader import load_scenario, resolved_dict

    mark("imports: scenario loader")
    from sim.core.model import GreatGame

    mark("imports: model")
    from sim.results import tables
    from sim.results.chronicle import chronicle

    mark("imports: results")
    scenario_ = load_scenario(Path(scenario), [])
    mark("load the scenario")
    model = GreatGame(scenario_, seed=scenario_.seed).run()
    mark("the model's run")
    initial = resolved_dict(scenario_)
    text = chronicle(model.history, "bench", "", scenario_.seed, initial, initial)
    mark("chronicle")
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    meta = tables.manifest(initial, scenario_.seed, scenario_.steps, now, now, [])
    mark("manifest")
    tables.write_run(Path(out), model.history, meta, text, force=True)
    mark("write the run directory")
    from sim import plots

    plots._warm_up()
    mark(WARM_UP)
    return {
        name: (t - before) * 1e3
        for (_, before), (name, t) in zip(marks, marks[1:], strict=False)
    }


def main() -> None:
    """Time the phases in fresh processes and print their medians."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)  # the output directory
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_phases(args.scenario, args.child)))
        return
    load_before = os.getloadavg()
    runs = []
    with tempfile.TemporaryDirectory(prefix="startup-bench-") as tmp:
        for _ in range(args.repeats):
            argv = [sys.executable, __file__, "--scenario", args.scenario]
            done = subprocess.run(
                [*argv, "--child", str(Path(tmp) / "run")],
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    after = os.getloadavg()
    pairs = zip(load_before, after, strict=True)
    load = ", ".join(f"{a:.2f}/{b:.2f}" for a, b in pairs)
    print(f"scenario {args.scenario}, median of {args.repeats} fresh processes")
    print(f"load average (1, 5, 15 min; start/end): {load}")
    total = 0.0
    for name in (n for n in runs[0] if n != WARM_UP):
        ms = statistics.median(r[name] for r in runs)
        total += ms
        print(f"  {name:32}{ms:8.0f} ms cpu")
    print(f"  {'total':32}{total:8.0f} ms cpu")
    warm_up = statistics.median(r[WARM_UP] for r in runs)
    print(f"  {WARM_UP:32}{warm_up:8.0f} ms cpu, beside the run and writing")


if __name__ == "__main__":
    main()
