"""Time an uncertainty check and print the widest and narrowest bands.

    python bench/uncertainty_bench.py [--samples 200] [--seeds-per-sample 2]
                                      [--workers 2] [--scenario scenarios/2016.yaml]

Samples the scenario's priors (Latin hypercube), runs every fact and
counterfactual of the scorecard over them (common random numbers) and
prints the wall time, the runs per second, the validation and calibration
facts ranked by the width of their 10-90 % band relative to their accepted
range, and each fact's share of runs in range.
"""

from __future__ import annotations

import argparse

import numpy as np

from sim.experiments.uncertainty import fact_bands


def relative_width(row) -> float:
    """The 10-90 % band's width as a share of the accepted range's width."""
    span = row["hi"] - row["lo"]
    return float((row["p90"] - row["p10"]) / span) if span > 0 else np.nan


def main() -> None:
    """Run the check and print its figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scenario", default="scenarios/2016.yaml")
    p.add_argument("--samples", type=int, default=200)
    p.add_argument("--seeds-per-sample", type=int, default=2)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    result = fact_bands(
        args.scenario,
        args.samples,
        seeds_per_sample=args.seeds_per_sample,
        workers=args.workers,
        seed=args.seed,
        progress=False,
    )
    t = result.table
    print(
        f"{args.samples} samples x {args.seeds_per_sample} seeds: "
        f"{len(result.runs)} runs in {result.seconds:.0f} s "
        f"({len(result.runs) / result.seconds:.2f} runs/s, {args.workers} workers)"
    )
    scored = t[t["class"].isin(["validation", "calibration"]) & t["p50"].notna()]
    scored = scored.assign(width=scored.apply(relative_width, axis=1))
    print("\nvalidation and calibration facts, widest band first")
    print(
        "fact                           class        p10       p50       p90  "
        "width/range  in range"
    )
    for _, r in scored.sort_values("width", ascending=False).iterrows():
        print(
            f"{r['id']:<30} {r['class']:<11} {r['p10']:>9.4g} {r['p50']:>9.4g} "
            f"{r['p90']:>9.4g} {r['width']:>11.2f} {r['share_in_range']:>8.0%}"
        )


if __name__ == "__main__":
    main()
