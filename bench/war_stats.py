"""How the war the model tells compares with the record, over many seeds.

    python bench/war_stats.py [--seeds 30] [--workers 2]

Prints, for 2016.yaml: ISIS-K's fighters and provinces through 2016-17,
ANDSF losses by who inflicted them, changes of control won by fighting
against those left by withdrawal, the 10-90 % bands of the headline
outcomes, and the Russia-Taliban alliance under the honest encoding and
its sensitivity to beliefs, the believed fight, presence_scale and lambda; for
us_withdrawal_2016.yaml, where the ANDSF's deserters go.
"""

from __future__ import annotations

import argparse
import datetime as dt
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from sim.core.model import GreatGame
from sim.results import metrics
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

VARIANTS = {
    "2016 as shipped": [],
    "beliefs off (belief_rate=1)": ["parameters.belief_rate=1"],
    "presence_scale=150 (schema default)": ["parameters.presence_scale=150"],
    "lambda=0.02": ["parameters.lambda=0.02"],
    "fight judged by kills only (perceived_fight=0)": ["parameters.perceived_fight=0"],
    "beliefs corrected at 2%/week (belief_rate=0.02)": ["parameters.belief_rate=0.02"],
    "incidents off": [
        "parameters.offensive_rate=0",
        "parameters.leader_kill_rate=0",
        "parameters.commander_rate=0",
    ],
}


def _row_at(h, day: dt.date) -> int:
    return max(t for t, d in enumerate(h.dates) if d <= day)


def one(job):
    """One run's numbers: the quantities the record can be held against."""
    name, overrides, seed = job
    h = (
        GreatGame(load_scenario(find_scenario(name), overrides), seed=seed)
        .run()
        .history
    )
    k = h.actor_keys.index
    gov, isis, tal = k("government"), k("isis_k"), k("taliban")
    killed_gov = h.kills_by_pair[:, :, gov].sum(axis=0)
    captures = [e for e in h.events if e["type"] in ("capture", "contested")]
    end16 = _row_at(h, dt.date(2016, 12, 31))
    deserters = h.defections_by_pair[:, gov, :].sum(axis=0)
    return {
        "isis_fighters": [float(h.strength[t, isis].sum()) for t in (0, end16, -1)],
        "isis_provinces": [
            int((h.strength[t, isis] >= 1).sum()) for t in (0, end16, -1)
        ],
        "andsf_killed_by": killed_gov / max(killed_gov.sum(), 1e-9),
        "by_fighting": sum(e.get("cause") == "fighting" for e in captures),
        "by_withdrawal": sum(e.get("cause") == "withdrawal" for e in captures),
        "other_cause": sum(
            e.get("cause") not in ("fighting", "withdrawal") for e in captures
        ),
        "taliban": float(h.strength[-1, tal].sum()),
        "gov_side_provinces": int((h.sigar[-1] >= 3).sum()),
        "isis": float(h.strength[-1, isis].sum()),
        "allied_ever": metrics.first_alliance(h, "russia", "taliban") is not None,
        "alliance_week": metrics.first_alliance(h, "russia", "taliban"),
        "share_allied": metrics.share_allied(h, "russia", "taliban"),
        "deserters_to": deserters,
        "deserters_home": float(h.went_home[:, gov].sum()),
        "keys": h.actor_keys,
    }


def _band(values) -> str:
    v = np.asarray([x for x in values if x is not None], dtype=float)
    if v.size == 0:
        return "n/a"
    lo, mid, hi = np.percentile(v, [10, 50, 90])
    return f"median {mid:,.0f} (10-90 %: {lo:,.0f}-{hi:,.0f})"


def _alliance(rows) -> str:
    ever = sum(r["allied_ever"] for r in rows)
    weeks = [r["alliance_week"] for r in rows if r["alliance_week"] is not None]
    share = np.mean([r["share_allied"] for r in rows])
    week = f", first week {_band(weeks)}" if weeks else ""
    return f"allied in {ever}/{len(rows)} seeds{week}; mean share of weeks {share:.2f}"


def report_2016(rows) -> None:
    """Print ISIS-K, ANDSF losses, control changes and the headline bands."""
    keys = rows[0]["keys"]
    print("ISIS-K fighters (start / 31 Dec 2016 / end):")
    for i, when in enumerate(("start", "31 Dec 2016", "end")):
        print(
            f"  {when}: {_band(r['isis_fighters'][i] for r in rows)}, provinces "
            f"{_band(r['isis_provinces'][i] for r in rows)}"
        )
    share = np.mean([r["andsf_killed_by"] for r in rows], axis=0)
    parts = [
        f"{keys[j]} {share[j]:.1%}" for j in np.argsort(-share) if share[j] > 0.0005
    ]
    print("ANDSF combat losses by killer (mean share): " + ", ".join(parts))
    for cause in ("by_fighting", "by_withdrawal", "other_cause"):
        print(
            f"changes of control {cause.replace('_', ' ')} per run: "
            f"{np.mean([r[cause] for r in rows]):.1f}"
        )
    print("headline bands at the end:")
    for name in ("taliban", "isis", "gov_side_provinces"):
        print(f"  {name}: {_band(r[name] for r in rows)}")


def report_withdrawal(rows) -> None:
    """Print where the ANDSF's deserters go when the US leaves."""
    keys = rows[0]["keys"]
    to = np.mean([r["deserters_to"] for r in rows], axis=0)
    home = np.mean([r["deserters_home"] for r in rows])
    parts = [f"{keys[j]} {to[j]:,.0f}" for j in np.argsort(-to) if to[j] >= 0.5]
    print(
        f"us_withdrawal_2016: ANDSF deserters per run went home {home:,.0f}; "
        "joined " + (", ".join(parts) or "nobody")
    )
    print(f"  ISIS-K at the end: {_band(r['isis'] for r in rows)}")


def main() -> None:
    """Run the seeds and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    seeds = range(1, args.seeds + 1)
    jobs = {name: [("2016", o, s) for s in seeds] for name, o in VARIANTS.items()}
    jobs["withdrawal"] = [("us_withdrawal_2016", [], s) for s in seeds]
    with ProcessPoolExecutor(args.workers) as pool:
        done = {name: list(pool.map(one, js)) for name, js in jobs.items()}
    print(f"== 2016.yaml, seeds 1-{args.seeds}")
    report_2016(done["2016 as shipped"])
    print("Russia-Taliban alliance:")
    for name in VARIANTS:
        print(f"  {name}: {_alliance(done[name])}")
    if "incidents off" in done:
        rows = done["incidents off"]
        print(
            "headline bands with incidents off: "
            + "; ".join(
                f"{n} {_band(r[n] for r in rows)}"
                for n in ("taliban", "isis", "gov_side_provinces")
            )
        )
    report_withdrawal(done["withdrawal"])


if __name__ == "__main__":
    main()
