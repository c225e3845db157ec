"""Large synthetic maps give the same bits on the large-map fast paths as off them.

The golden baselines run the shipped scenarios, on 34 provinces; the
sub-models take other paths on maps of a thousand provinces or more
(engagements found actor by actor, aid routes read along the predecessor
arrays), and on every map the kill memory is weighted once per distinct
interest row and beliefs at learning rate 1 are one shared view. Each case
runs twice in this process, once as it ships and once with every such path
turned back to the plain formula, and compares every table and every bit of
the history's arrays. Stored hashes would not do: the large products go
through BLAS kernels that differ between processors, so their last bits
differ from machine to machine while both paths agree on each.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields

import numpy as np
import pytest

from sim.processes import delivery, perception, triples, weighted

#: (map kind, provinces, actors, seed, parameters) of each run, 5 steps.
CASES = {
    "planar-1200x12-seed1": ("planar", 1200, 12, 1, {}),
    "grid-1100x10-seed2-beliefs": (
        "grid",
        1100,
        10,
        2,
        {"belief_rate": 0.6, "perceived_fight": 0.5},
    ),  # fmt: skip
}


def _plain_run_sums(weights, province, value, starts):
    """The kill memory's weighted sums as one product over every row."""
    return np.add.reduceat(weights[:, province] * value, starts, axis=1)


def _plain_learn(beliefs, armed_presence, rate):
    """A step of learning as the formula, for every rate."""
    learnt = (1.0 - rate) * beliefs
    learnt += rate * armed_presence[None, :, :]
    return learnt


def table_hashes(kind: str, provinces: int, actors: int, seed: int, params: dict):
    """Hashes of every table (and the number of flows) of one synthetic run."""
    from sim.core.model import GreatGame
    from sim.results import tables as outputs
    from sim.scenario.loader import scenario_from_dict
    from sim.world.synthetic import synthetic_scenario

    data = synthetic_scenario(kind, provinces, actors, seed=seed, steps=5)
    data["parameters"] = dict(params)
    h = GreatGame(scenario_from_dict(data), seed=seed).run().history
    makers = {
        "actors": outputs.actors_table,
        "provinces": outputs.provinces_table,
        "relations": outputs.relations_table,
        "supply": outputs.supply_table,
        "defections": outputs.defections_table,
        "balance": outputs.balance_table,
        "threat": outputs.threat_table,
    }
    out: dict = {
        name: _sha(make(h).to_csv(index=False, lineterminator="\n"))
        for name, make in makers.items()
    }
    out["events"] = _sha(outputs.events_jsonl(h))
    out["flows"] = len(h.flows)
    # the tables round; the arrays behind them, every bit
    raw = hashlib.sha256()
    for f in fields(h):
        value = getattr(h, f.name)
        if isinstance(value, np.ndarray):
            raw.update(f.name.encode() + np.ascontiguousarray(value).tobytes())
    out["arrays"] = raw.hexdigest()[:16]
    return out


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@pytest.mark.parametrize("case", list(CASES))
def test_a_large_map_gives_the_same_bits_on_and_off_the_fast_paths(case, monkeypatch):
    fast = table_hashes(*CASES[case])
    monkeypatch.setattr(delivery, "ROUTE_ROWS_NODES", 10**9)
    monkeypatch.setattr(triples, "BY_ACTOR_PROVINCES", 10**9)
    monkeypatch.setattr(weighted, "run_sums", _plain_run_sums)
    monkeypatch.setattr(perception, "learn", _plain_learn)
    plain = table_hashes(*CASES[case])
    assert fast == plain
    assert fast["flows"] > 0  # the runs reach the aid routes
