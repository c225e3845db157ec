"""Print the pattern-test quantities over many seeds (for calibration and notes).

    python bench/patterns.py [--seeds 10] [--set PATH=VALUE ...]

Runs 2016.yaml, no_isis.yaml and 2016 with Russia's aid set to zero, with
the same seeds, and prints: how often Russia and the Taliban ally, how often
ISIS leads the explanation, the Taliban's strength on the Tajik border, and
Russia's believed and armed ISIS-K presence in its zone.
"""

from __future__ import annotations

import argparse
import statistics
from concurrent.futures import ProcessPoolExecutor

from sim.core.model import GreatGame
from sim.results import metrics
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

BORDER = ["Badakhshan", "Takhar", "Kunduz", "Balkh"]


def one(job):
    path, overrides, seed = job
    h = GreatGame(load_scenario(path, overrides), seed=seed).run().history
    return {
        "allied": metrics.first_alliance(h, "russia", "taliban") is not None,
        "share": metrics.share_allied(h, "russia", "taliban"),
        "isis_leads": metrics.leading_shared_enemy(h, "russia", "taliban")
        == "ISIS-Khorasan",
        "border": metrics.strength_in(h, "taliban", BORDER),
        "taliban": metrics.strength_in(h, "taliban", h.province_names),
        "gov": metrics.strength_in(h, "government", h.province_names),
        "isis_prov": metrics.provinces_present(h, "isis_k"),
        "isis": metrics.strength_in(h, "isis_k", h.province_names),
        "contested": int((h.controller[-1] < 0).sum()),
        "tal_ctrl": int((h.controller[-1] == h.actor_keys.index("taliban")).sum()),
        **_belief(h),
    }


def _belief(h) -> dict:
    """Russia's believed and armed ISIS-K presence in its zone, start and end."""
    if "isis_k" not in h.actor_keys:
        return {}
    r, k = h.actor_keys.index("russia"), h.actor_keys.index("isis_k")
    return {
        "isis_believed0": h.perceived_presence[0, r, k],
        "isis_believed": h.perceived_presence[h.n_rows - 1, r, k],
        "isis_armed": h.armed_presence[h.n_rows - 1, r, k],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--set", action="append", default=[])
    args = ap.parse_args()
    cases = {
        "2016": (find_scenario("2016"), args.set),
        "no_isis": (find_scenario("no_isis"), args.set),
        "no_russian_aid": (
            find_scenario("2016"),
            [*args.set, "actors.russia.resources=0"],
        ),
    }
    seeds = list(range(1, args.seeds + 1))
    with ProcessPoolExecutor(args.workers) as pool:
        for name, (path, ov) in cases.items():
            rows = list(pool.map(one, [(path, ov, s) for s in seeds]))
            mean = {
                k: statistics.fmean(float(r.get(k, 0)) for r in rows) for k in rows[0]
            }
            print(f"{name:15s} " + " ".join(f"{k}={v:.3g}" for k, v in mean.items()))


if __name__ == "__main__":
    main()
