"""Scenario discovery on the headline bench's sample: where the alliance forms.

    python bench/discovery_bench.py [--out DIR] [--min-coverage 0.9]

Reads OUT/outcomes.csv (the Sobol' design's points and outcomes written by
bench/headline_bench.py; no model runs here), runs PRIM for the runs in
which Russia and the Taliban ally, writes OUT/prim.png and OUT/prim_box.csv
and prints the box with its coverage and density, and the trajectory.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from sim.experiments.discovery import plot_prim, prim
from sim.experiments.uncertainty import priors_of


def main() -> None:
    """PRIM on the alliance outcome; print and write the chosen box."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="scenarios/2016.yaml")
    ap.add_argument("--out", default="runs/headline")
    ap.add_argument("--min-coverage", type=float, default=0.9)
    ap.add_argument("--max-restricted", type=int, default=6)
    args = ap.parse_args()
    out = Path(args.out)
    priors = priors_of(args.scenario)
    data = pd.read_csv(out / "outcomes.csv")
    paths = [p.path for p in priors]
    allied = data["russia_taliban_allied"] > 0.5
    print(f"alliance in {int(allied.sum())} of {len(data)} runs")
    found = prim(
        data[paths].astype(float),
        allied,
        limits={p.path: (p.low, p.high) for p in priors},
    )
    found.choose(args.min_coverage, args.max_restricted)
    box = found.box()
    box.to_csv(out / "prim_box.csv", index=False)
    logs = {p.path for p in priors if p.scale == "log"}
    plot_prim(found, "Where the Russia-Taliban alliance forms", logs).savefig(
        out / "prim.png", dpi=120
    )
    s = box.attrs
    print(
        f"box: coverage {s['coverage']:.2f}, density {s['density']:.2f}, "
        f"mass {s['mass']:.2f}"
    )
    print(box.to_string(index=False))
    print(found.trajectory.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
