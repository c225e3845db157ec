"""Mesa's ``DataCollector`` view of a run, read from its History.

:class:`sim.core.history.History` already stores every step in arrays, so
the collector keeps nothing of its own: ``model_vars`` and the agent
records that ``mesa.batch_run`` and ``get_model_vars_dataframe`` read are
built from those arrays when first asked for, and a plain run pays nothing
per step. Collection step ``t`` is the state after ``t`` steps, as row ``t``
of the History (0 is the start).

Model variables: the date, contested provinces, allied and hostile pairs,
and each actor's fighters and provinces held (``fighters_<actor>``,
``provinces_<actor>``). Agent records: one per actor and step
(``actor``, ``fighters``, ``provinces``, ``losses``, ``recruits``,
``aid_received``), keyed by the actor agent's ``unique_id``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from mesa import DataCollector

from sim.vocabulary import Status

AGENT_COLUMNS = ("actor", "fighters", "provinces", "losses", "recruits", "aid_received")


def _pairs(status: np.ndarray, code: Status) -> np.ndarray:
    """Per step, how many unordered pairs stand at ``code`` (each pair once)."""
    n = status.shape[1]
    upper = np.triu(np.ones((n, n), dtype=bool), k=1)
    return ((status == code) & upper).sum(axis=(1, 2))


def model_series(model) -> dict[str, list]:
    """The model variables of every recorded step, one list per variable."""
    h = model.history
    rows = h.n_rows
    ctrl = h.controller[:rows]
    fighters = h.strength[:rows].sum(axis=2)
    out: dict[str, list] = {
        "date": [d.isoformat() for d in h.dates[:rows]],
        "contested": (ctrl < 0).sum(axis=1).tolist(),
        "allied_pairs": _pairs(h.status[:rows], Status.ALLY).tolist(),
        "hostile_pairs": _pairs(h.status[:rows], Status.ENEMY).tolist(),
    }
    for i, key in enumerate(h.actor_keys):
        out[f"fighters_{key}"] = fighters[:, i].tolist()
        out[f"provinces_{key}"] = (ctrl == i).sum(axis=1).tolist()
    return out


def agent_records(model) -> dict[int, list[tuple]]:
    """Per step, ``(step, unique_id, *AGENT_COLUMNS)`` of each actor agent."""
    h = model.history
    rows = h.n_rows
    fighters = h.strength[:rows].sum(axis=2).tolist()
    held = [
        (h.controller[:rows] == i).sum(axis=1).tolist()
        for i in range(len(h.actor_keys))
    ]
    losses, recruits = h.losses[:rows].tolist(), h.recruits[:rows].tolist()
    received = h.aid_received[:rows].tolist()
    ids = [a.unique_id for a in model.actor_agents]
    return {
        t: [
            (
                t,
                ids[i],
                key,
                fighters[t][i],
                held[i][t],
                losses[t][i],
                recruits[t][i],
                received[t][i],
            )
            for i, key in enumerate(h.actor_keys)
        ]
        for t in range(rows)
    }


class HistoryCollector(DataCollector):
    """A Mesa ``DataCollector`` whose data is the model's History.

    ``collect`` does nothing: the model records every step itself. The
    attributes Mesa's tools read (``model_vars``, ``_collection_steps``,
    ``_agent_records``) are computed on demand and cached until the model
    takes another step.
    """

    def __init__(self, model) -> None:
        """Attach to ``model``; nothing is read until data is asked for."""
        self._model = model
        self._cache: dict[str, Any] = {}
        self._cached_at: int | None = None
        self.agent_reporters = {name: name for name in AGENT_COLUMNS}
        self.agenttype_reporters = {}
        self._agenttype_records = {}
        self.tables = {}
        self._validated = True

    def collect(self, model) -> None:
        """Nothing to do: the History already holds the step."""

    def _data(self, name: str):
        last = self._model.history.last
        if self._cached_at != last:
            self._cache.clear()
            self._cached_at = last
        if name not in self._cache:
            build = {"model": model_series, "agents": agent_records}[name]
            self._cache[name] = build(self._model)
        return self._cache[name]

    @property
    def model_vars(self) -> dict[str, list]:
        """Each model variable's value at every recorded step."""
        return self._data("model")

    @property
    def model_reporters(self) -> dict[str, str]:
        """The model variables' names (each reads the History, not the model)."""
        return {name: name for name in self.model_vars}

    @property
    def _collection_steps(self) -> list[int]:
        return list(range(self._model.history.n_rows))

    @property
    def _agent_records(self) -> dict[int, list[tuple]]:
        return self._data("agents")
