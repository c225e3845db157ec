"""End-to-end time of a run with its figures, against the import floor.

    python bench/figures_bench.py [--repeats 3] [--scenario scenarios/2016.yaml]
    python bench/figures_bench.py --against ../other-clone   # A/B, interleaved
    python bench/figures_bench.py --costs     # each figure's CPU, for _COST

Runs ``python run.py SCENARIO`` as a user does (a fresh process each time)
with every figure and the animation (on as many processes as the run
chooses, on two: ``GREATGAME_FIGURE_JOBS=2``, as a quiet 2-core machine
would choose, and on one: ``GREATGAME_FIGURE_JOBS=1``), with ``--no-anim`` and
with ``--no-figures``, and ``python -c "import mesa, matplotlib.pyplot,
pandas"`` alongside, interleaved so a busy machine slows them alike. Prints
each one's median wall time and CPU time (user + system of the process and
of the processes it forked), what the figures cost over ``--no-figures``
and the ratio of the full run to the import floor. The CPU column shows
what the figures cost; the wall column, with the one-process row, what
drawing on two cores bought. Targets on the 2-core machine: at most 4 s end
to end with every figure, and at most 2.2x the import floor.

The run draws on two processes only when the load average leaves half a
core idle, so on a shared machine the "everything" row may be serial: the
"2 processes" row shows the two-process time however busy the machine is.

``--against DIR`` adds the "everything, 2 processes" and "--no-figures"
rows of another clone of the project (run with ``PYTHONPATH=DIR`` from
that folder), interleaved with this one's, to compare two versions on the
same machine at the same moments.

``--costs`` prints each figure's CPU seconds, drawn in this process after a
first warm-up pass (the date ticks, glyphs and outlines that pass kept are
forgotten before each figure, as a figure drawn once in a run finds none of its
own), as the ``_COST`` table of :mod:`sim.plots` to paste: the costs
order the drawing (the costliest first, to the forked helper), so
re-measure them when a figure gets much cheaper or dearer.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from static_figures_bench import forget_kept

ROOT = Path(__file__).resolve().parents[1]
IMPORTS = "import mesa, matplotlib.pyplot, pandas"


def _timed(
    argv: list[str], env: dict | None = None, cwd: Path = ROOT
) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one child process and those it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=env or None
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def _commands(scenario: str, out: Path) -> dict[str, list[str]]:
    run = [sys.executable, "run.py", scenario, "--force", "--quiet", "--out"]
    return {
        "imports only": [sys.executable, "-c", IMPORTS],
        "--no-figures": [*run, str(out / "nofig"), "--no-figures"],
        "--no-anim": [*run, str(out / "noanim"), "--no-anim"],
        "everything": [*run, str(out / "all")],
        "everything, 2 processes": [*run, str(out / "two")],
        "everything, 1 process": [*run, str(out / "serial")],
    }


def _other_commands(scenario: str, out: Path, other: Path) -> dict[str, list[str]]:
    """The rows run in the clone ``other`` (``--against``), named after it."""
    run = [sys.executable, "run.py", scenario, "--force", "--quiet", "--out"]
    return {
        f"--no-figures @{other.name}": [*run, str(out / "other-nofig"), "--no-figures"],
        f"everything, 2 processes @{other.name}": [*run, str(out / "other-two")],
    }


def _environment(name: str, other: Path | None = None) -> dict | None:
    """The environment of a command: the drawing processes of its row, if set.

    A row of the other clone (its name ends in ``@`` and the clone's folder)
    imports that clone's code.
    """
    base = name.split(" @")[0]
    jobs = {"everything, 2 processes": "2", "everything, 1 process": "1"}.get(base)
    env = {**os.environ, "GREATGAME_FIGURE_JOBS": jobs} if jobs else None
    if other is not None and " @" in name:
        env = {**(env or os.environ), "PYTHONPATH": str(other)}
    return env


def main() -> None:
    """Time each command ``--repeats`` times, interleaved, and print the medians."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--costs", action="store_true", help="each figure's CPU")
    ap.add_argument("--against", type=Path, help="another clone to compare with")
    args = ap.parse_args()
    if args.costs:
        _print_costs(args.scenario)
        return
    other = args.against.resolve() if args.against else None
    with tempfile.TemporaryDirectory(prefix="figures-bench-") as tmp:
        commands = _commands(args.scenario, Path(tmp))
        if other is not None:
            commands.update(_other_commands(args.scenario, Path(tmp), other))
        _timed(commands["imports only"])  # warm the file cache
        walls = {name: [] for name in commands}
        cpus = {name: [] for name in commands}
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        for _ in range(args.repeats):
            for name, argv in commands.items():
                cwd = other if " @" in name else ROOT
                wall, cpu = _timed(argv, _environment(name, other), cwd)
                walls[name].append(wall)
                cpus[name].append(cpu)
    print(f"scenario        {args.scenario}, median of {args.repeats}")
    print(f"load average    {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    width = max(24, *(len(name) + 2 for name in commands))
    print(f"{'':{width}}{'wall s':>8}{'cpu s':>8}   wall range")
    for name in commands:
        w, c = walls[name], cpus[name]
        print(
            f"{name:{width}}{statistics.median(w):8.2f}{statistics.median(c):8.2f}"
            f"   {min(w):.2f}-{max(w):.2f}"
        )
    _figure_costs(walls, cpus)
    full = statistics.median(walls["everything"])
    floor = statistics.median(walls["imports only"])
    cpu_ratio = statistics.median(cpus["everything"]) / statistics.median(
        cpus["imports only"]
    )
    print(f"everything / imports: {full / floor:.2f}x wall, {cpu_ratio:.2f}x cpu")
    print("targets: everything <= 4 s wall, <= 2.2x the imports")


def _figure_costs(walls: dict, cpus: dict) -> None:
    """What the figures add to a run without them, wall and CPU, per variant."""
    base_wall = statistics.median(walls["--no-figures"])
    base_cpu = statistics.median(cpus["--no-figures"])
    for name in (
        "--no-anim",
        "everything",
        "everything, 2 processes",
        "everything, 1 process",
    ):
        wall = statistics.median(walls[name]) - base_wall
        cpu = statistics.median(cpus[name]) - base_cpu
        print(f"figures of {name:21} +{wall:.2f} s wall, +{cpu:.2f} s cpu")


def _print_costs(scenario_file: str) -> None:
    """Each figure's CPU seconds in this process, as ``_COST`` of sim.plots."""
    sys.path.insert(0, str(ROOT))
    from sim import plots
    from sim.core.model import GreatGame
    from sim.results.rundata import from_model
    from sim.scenario.loader import load_scenario, resolved_dict

    scenario = load_scenario(Path(scenario_file), [])
    run = from_model(GreatGame(scenario, seed=scenario.seed).run())
    run.initial_scenario = resolved_dict(scenario)
    names = [*plots.FIGURES, "animate"]
    costs = {}
    with tempfile.TemporaryDirectory(prefix="figure-costs-") as tmp:
        for warm in (True, False):  # the first pass pays the one-off imports
            for name in names:
                path = Path(tmp) / ("map.gif" if name == "animate" else name)
                if not warm:
                    forget_kept()  # as in a run: no figure drew this one before
                start = time.process_time()
                plots._draw_one(run, name, path, None)
                if not warm:
                    costs[name] = time.process_time() - start
    print(f"load average {os.getloadavg()[0]:.2f}; CPU seconds of each figure:")
    print("_COST = {")
    for name in names:
        print(f'    "{name}": {costs[name]:.2f},')
    print("}")


if __name__ == "__main__":
    main()
