"""CPU seconds of each static chart of a run, drawn and saved in one process.

    python bench/static_figures_bench.py RUNDIR [--repeats 5]
    PYTHONPATH=/another/checkout python bench/static_figures_bench.py RUNDIR

Draws the supply, control, relations and alliances figures of the run
directory ``RUNDIR`` one after another, as one figure process of
``python run.py`` does, and prints each one's median CPU time
(``time.process_time``: what another process on the machine does not
change much) and their sum. Every repeat starts with the date axes'
remembered ticks and labels forgotten, so it costs what a fresh run costs.
Run it alternately on two checkouts to compare them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

FIGURES = ("supply", "control", "relations", "alliances")


def _forget_date_ticks() -> None:
    """Empty the ticks and labels the date axes keep, where they keep any."""
    from sim.plots import style

    kept = (("QuarterLocator", "_found"), ("MonthYearFormatter", "_written"))
    for name, store in kept:
        getattr(getattr(style, name, None), store, {}).clear()


def main() -> None:
    """Time each figure ``--repeats`` times and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rundir")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    from sim import plots
    from sim.plots.style import save
    from sim.results.rundata import as_run

    run = as_run(args.rundir)
    out = Path(tempfile.mkdtemp())
    for name in FIGURES:  # fonts and imports loaded before timing
        save(getattr(plots, name)(run), out / f"{name}.png")
    seconds: dict[str, list[float]] = {name: [] for name in FIGURES}
    for _ in range(args.repeats):
        _forget_date_ticks()
        for name in FIGURES:
            start = time.process_time()
            save(getattr(plots, name)(run), out / f"{name}.png")
            seconds[name].append(time.process_time() - start)
    medians = {name: statistics.median(s) for name, s in seconds.items()}
    for name, cpu in medians.items():
        print(f"{name:<10} {cpu:6.3f} s CPU")
    print(f"{'total':<10} {sum(medians.values()):6.3f} s CPU")


if __name__ == "__main__":
    main()
