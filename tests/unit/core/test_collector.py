"""Mesa's DataCollector view of a run, read from the History arrays."""

from __future__ import annotations

import numpy as np

from sim.core.collector import AGENT_COLUMNS, _pairs, model_series
from sim.core.model import GreatGame
from sim.vocabulary import Status
from tests.conftest import scenario, tiny


def test_pairs_counts_each_unordered_pair_once():
    status = np.zeros((2, 3, 3), dtype=np.int8)
    status[1, 0, 1] = status[1, 1, 0] = Status.ALLY
    status[1, 0, 2] = status[1, 2, 0] = Status.ENEMY
    assert _pairs(status, Status.ALLY).tolist() == [0, 1]
    assert _pairs(status, Status.ENEMY).tolist() == [0, 1]


def test_model_series_follow_the_history_step_by_step():
    m = GreatGame(scenario(tiny(steps=6))).run(4)
    h = m.history
    series = model_series(m)
    assert all(len(v) == 5 for v in series.values())
    for i, key in enumerate(h.actor_keys):
        assert series[f"fighters_{key}"] == h.strength[:5, i].sum(axis=1).tolist()
        held = (h.controller[:5] == i).sum(axis=1).tolist()
        assert series[f"provinces_{key}"] == held
    assert series["date"][0] == h.dates[0].isoformat()


def test_the_collector_is_lazy_and_follows_new_steps():
    m = GreatGame(scenario(tiny(steps=6)))
    dc = m.datacollector
    dc.collect(m)  # a no-op: the History records every step itself
    assert dc._collection_steps == [0]
    first = dc.model_vars
    assert dc.model_vars is first  # cached while the model stands still
    m.step()
    assert dc._collection_steps == [0, 1]
    assert len(dc.model_vars["contested"]) == 2
    records = dc._agent_records[1]
    assert [r[0] for r in records] == [1] * 3
    assert [r[2] for r in records] == m.history.actor_keys
    assert len(records[0]) == 2 + len(AGENT_COLUMNS)
    ids = [a.unique_id for a in m.actor_agents]
    assert [r[1] for r in records] == ids
