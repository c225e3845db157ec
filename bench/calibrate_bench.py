"""History matching of the 2016 scenario at a chosen size: runs, time, posterior.

    python bench/calibrate_bench.py [--points 160,120,120] [--seeds 2,3,3]
                                    [--draws 8] [--draw-seeds 4] [--workers 2]
                                    [--out runs/calibrate-bench]

The defaults are the sizes of ``run.py calibrate`` (its full mode). Prints
the model runs per wave, the wall time, the posterior summary and the
validation score, and writes the files of ``run.py calibrate`` into OUT.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from sim.experiments.calibration import Waves, history_match, score_of, validate
from sim.experiments.calibration.files import write_calibration
from sim.experiments.calibration.targets import split_facts
from sim.experiments.scorecard import load_facts
from sim.experiments.uncertainty import priors_of
from sim.scenario.loader import load_scenario


def _ints(text: str) -> tuple[int, ...]:
    """``"160,120"`` as ``(160, 120)``."""
    return tuple(int(x) for x in text.split(","))


def main() -> None:
    """Run the waves and the validation; print what a referee would ask for."""
    from sim.experiments.calibration import Calibration

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--points", type=_ints, default=(160, 120, 120))
    ap.add_argument("--seeds", type=_ints, default=(2, 3, 3))
    ap.add_argument("--draws", type=int, default=8)
    ap.add_argument("--draw-seeds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="runs/calibrate-bench")
    args = ap.parse_args()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    started = time.perf_counter()
    sc = load_scenario(args.scenario)
    split = split_facts(load_facts(None, sc))
    waves = Waves(points=args.points, seeds=args.seeds)
    match = history_match(sc, priors_of(sc), split, waves, workers=args.workers)
    table = validate(sc, match, args.draws, args.draw_seeds, workers=args.workers)
    seconds = time.perf_counter() - started
    runs = match.runs + int(table.attrs.get("runs", 0))
    cal = Calibration(match, table, runs, seconds)
    write_calibration(cal, Path(args.out))
    ev = match.evaluated
    print(f"commit {commit}; {len(split.calibration)} calibration facts")
    for w, group in ev.groupby("wave"):
        print(f"wave {w}: {len(group)} points, {int(group['plausible'].sum())} kept")
    print(f"{runs} model runs ({match.runs} in waves) in {seconds:.0f} s")
    for note in match.notes:
        print(f"note: {note}")
    print(match.summary().round(4).to_string(index=False))
    worst = ev.filter(like="I:").gt(waves.cutoff).sum().sort_values(ascending=False)
    print("points ruled out per fact:\n" + worst.head(8).to_string())
    passed, counted = score_of(table)
    print(f"validation: {passed} of {counted} facts pass on posterior runs")
    if counted:
        print(table[["id", "model", "accepted", "status"]].to_string(index=False))


if __name__ == "__main__":
    main()
