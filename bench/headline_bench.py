"""What the headline rests on, measured: Morris and Sobol' over the 2016 priors.

    python bench/headline_bench.py [--morris 8] [--sobol 32] [--only sobol]

Runs one Morris screen (``morris * (k + 1)`` runs for ``k`` priors) and one
Sobol' design (``sobol * (k + 2)`` runs), one seed per point (common random
numbers), and writes ``morris.csv``, ``sobol.csv``, ``outcomes.csv`` (the
Sobol' design's per-point values and outcomes, for scenario discovery),
two heat maps, and prints the top parameters per outcome with the run count
and wall time. Each sweep is kept in OUT/<method>_sweep, so a rerun resumes.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from pathlib import Path

from sim.experiments.sensitivity import headline


def _commit() -> str:
    """The commit measured (short hash), or 'unknown'."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        )
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def main() -> None:
    """Run both analyses and print what matters for each outcome."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--morris", type=int, default=8)
    ap.add_argument("--sobol", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="runs/headline")
    ap.add_argument(
        "--only", choices=["morris", "sobol"], help="run one of the two analyses"
    )
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(f"commit {_commit()}, scenario {args.scenario}")
    for method, size in (("morris", args.morris), ("sobol", args.sobol)):
        if args.only not in (None, method):
            continue
        started = time.perf_counter()
        table = headline.analyse(
            args.scenario,
            method=method,
            size=size,
            workers=args.workers,
            out=out / f"{method}_sweep",
        )
        seconds = time.perf_counter() - started
        table.to_csv(out / f"{method}.csv", index=False)
        if method == "sobol":
            table.attrs["outcomes"].to_csv(out / "outcomes.csv", index=False)
        headline.plot(table).savefig(out / f"{method}.png", dpi=120)
        print(f"{method}: size {size}, {table.attrs['runs']} runs, {seconds:.0f} s")
        for outcome in dict.fromkeys(table["outcome"]):
            rows = headline.top(table, outcome, 3)
            key = "ST" if method == "sobol" else "mu_star"
            tops = ", ".join(
                f"{r.parameter} {getattr(r, key):.2f}" for r in rows.itertuples()
            )
            print(f"  {outcome}: {tops}")


if __name__ == "__main__":
    main()
