"""Large synthetic maps give the same bits as before the large-map fast paths.

The golden baselines run the shipped scenarios, on 34 provinces; the
sub-models take other paths on maps of a thousand provinces or more
(engagements found actor by actor, aid routes read along the predecessor
arrays, kill memory weighted once per distinct interest row, beliefs shared
at learning rate 1). These hashes of every table of two such runs were made
before those paths existed: a change that alters a single bit of the
results on a large map fails here. If a change in behaviour is intended,
re-make them with :func:`table_hashes` and say so in the commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields

import numpy as np
import pytest

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

#: First 16 hex digits of the sha256 of each table's CSV text and of the
#: history's arrays, and the number of flows.
EXPECTED = {
    "planar-1200x12-seed1": {
        "actors": "a6638b7128c9fee4",
        "provinces": "fa368ddb255a3f12",
        "relations": "1cd7e6a9fe81e059",
        "supply": "3c1199c3fc721a75",
        "defections": "0c1f1c48923fcd55",
        "balance": "f406d94f174b5aa5",
        "threat": "069e73f7b1ffb881",
        "events": "b866247e78b4589c",
        "flows": 83,
        "arrays": "8a41754bed205e28",
    },
    "grid-1100x10-seed2-beliefs": {
        "actors": "33ef7863445f676e",
        "provinces": "70d3ee1baa254003",
        "relations": "12f4aa39fdd3a98c",
        "supply": "fa4917e493a05110",
        "defections": "0c1f1c48923fcd55",
        "balance": "3f47b1da6aed9798",
        "threat": "0c522e0b326ecc08",
        "events": "f4f401aa32cc7539",
        "flows": 55,
        "arrays": "f9212493cacea1b3",
    },
}


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
def test_a_large_map_gives_the_same_bits(case):
    assert table_hashes(*CASES[case]) == EXPECTED[case]
