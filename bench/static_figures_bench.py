"""CPU seconds of each static chart of a run, drawn and saved in one process.

    python bench/static_figures_bench.py RUNDIR [--repeats 5] [--maps] [--report]
    PYTHONPATH=/another/checkout python bench/static_figures_bench.py RUNDIR

Draws the supply, control, relations and alliances figures of the run
directory ``RUNDIR`` one after another, as one figure process of
``python run.py`` does, and prints each one's median CPU time
(``time.process_time``: what another process on the machine does not
change much) and their sum; ``--maps`` adds the two static maps (map.png
and map_timeline.png), which are saved the same way; ``--only NAME`` (which
may be repeated) times just those figures, say ``--only map``. Every repeat
starts with the date axes' remembered ticks and labels, the kept glyphs and
the kept text outlines forgotten, so it costs what a fresh run costs; within
a repeat the figures share them, as they do in a run's figure process. Run
it alternately on two checkouts to compare them; ``--out DIR`` keeps the
PNGs, to compare the checkouts' pixels. ``--report`` adds the two texts a
run writes after its figures: the chronicle (chronicle.md, told again inside
the report) and report.html with the run directory's images.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

FIGURES = ("supply", "control", "relations", "alliances")
MAPS = ("map", "map_timeline")


def _forget_date_ticks() -> None:
    """Empty the ticks and labels the date axes keep, where they keep any."""
    from sim.plots import style

    kept = (("QuarterLocator", "_found"), ("MonthYearFormatter", "_written"))
    for name, store in kept:
        getattr(getattr(style, name, None), store, {}).clear()


def _forget_glyphs() -> None:
    """Empty the glyphs and text outlines the process keeps, where it keeps any."""
    try:
        from sim.plots.glyphs import forget_glyphs
        from sim.plots.mapping.halo import KeptOutlines
    except ImportError:  # a checkout that keeps none between figures
        return
    forget_glyphs()
    KeptOutlines._outlines.clear()


def forget_kept() -> None:
    """Forget what figures keep for the next one: a fresh figure process's state.

    The date axes' ticks and labels, the glyphs and the text outlines.
    """
    _forget_date_ticks()
    _forget_glyphs()


def main() -> None:
    """Time each figure ``--repeats`` times and print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rundir")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--maps", action="store_true", help="time the maps too")
    parser.add_argument("--report", action="store_true", help="time the texts too")
    parser.add_argument("--out", help="keep the PNGs in this directory")
    parser.add_argument(
        "--only", action="append", default=[], help="time only this figure (repeatable)"
    )
    args = parser.parse_args()
    from sim import plots
    from sim.plots.style import save
    from sim.results.rundata import as_run

    run = as_run(args.rundir)
    out = Path(args.out) if args.out else Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    names = FIGURES + (MAPS if args.maps else ())
    names = tuple(args.only) or names
    for name in names:  # fonts and imports loaded before timing
        save(getattr(plots, name)(run), out / f"{name}.png")
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(args.repeats):
        forget_kept()
        for name in names:
            start = time.process_time()
            save(getattr(plots, name)(run), out / f"{name}.png")
            seconds[name].append(time.process_time() - start)
    medians = {name: statistics.median(s) for name, s in seconds.items()}
    for name, cpu in medians.items():
        print(f"{name:<12} {cpu:6.3f} s CPU")
    if set(FIGURES) <= set(medians):
        charts = sum(medians[name] for name in FIGURES)
        print(f"{'charts':<12} {charts:6.3f} s CPU")
    if len(medians) > 1:
        print(f"{'total':<12} {sum(medians.values()):6.3f} s CPU")
    if args.report:
        for name, cpu in _text_costs(run, Path(args.rundir), out, args.repeats).items():
            print(f"{name:<12} {cpu:6.3f} s CPU")


def _text_costs(run, rundir: Path, out: Path, repeats: int) -> dict[str, float]:
    """Median CPU seconds of the chronicle and of report.html (into ``out``)."""
    from sim.results.chronicle import chronicle
    from sim.results.report import write_report

    images = {p.name: p for p in sorted(rundir.glob("*.png"))}
    if (rundir / "map.gif").is_file():
        images["map.gif"] = rundir / "map.gif"
    h = run.history
    texts = {
        "chronicle": lambda: chronicle(
            h, run.name, run.description, run.seed,
            scenario=run.scenario, start=run.initial_scenario,
        ),
        "report.html": lambda: write_report(run, out, images),
    }  # fmt: skip
    seconds: dict[str, list[float]] = {name: [] for name in texts}
    for _ in range(repeats):
        for name, write in texts.items():
            start = time.process_time()
            write()
            seconds[name].append(time.process_time() - start)
    return {name: statistics.median(s) for name, s in seconds.items()}


if __name__ == "__main__":
    main()
