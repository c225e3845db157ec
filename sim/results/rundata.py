"""A finished run as one object, from a model just run or from its directory.

Figures and reports take a :class:`Run`, so ``plots.map(model)`` in a
notebook and ``python run.py plot RUNDIR`` draw the same thing: the
directory's tables hold everything the figures need, and :func:`load_run`
rebuilds the :class:`~sim.core.history.History` from them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.history import Flow, History
from sim.processes.combat import SIGAR_CLASSES
from sim.processes.relations import STATUS_NAMES

# Okabe & Ito (2008): distinguishable with the common colour-vision deficiencies.
OKABE_ITO = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
    "#999999",
)


@dataclass
class Run:
    """A run's history with what is needed to show it: names, colours, thresholds."""

    history: History
    name: str
    description: str
    seed: int
    colors: dict[str, str]
    ally_threshold: float = 0.3
    enemy_threshold: float = -0.3
    geometry: str | None = None
    directory: Path | None = None
    scenario: dict = field(default_factory=dict)

    def color(self, actor: str) -> str:
        """The actor's colour (from the scenario, else the default palette)."""
        return self.colors[actor]

    def display(self, actor: str) -> str:
        """The actor's display name."""
        h = self.history
        return h.actor_names[h.actor_keys.index(actor)]


def actor_colors(keys: list[str], given: dict[str, str | None]) -> dict[str, str]:
    """Scenario colours where given; the Okabe–Ito palette, unused first, elsewhere."""
    taken = {c.upper() for c in given.values() if c}
    spare = [c for c in OKABE_ITO if c.upper() not in taken] or list(OKABE_ITO)
    out, k = {}, 0
    for key in keys:
        if given.get(key):
            out[key] = given[key]
        else:
            out[key] = spare[k % len(spare)]
            k += 1
    return out


def from_model(model) -> Run:
    """The :class:`Run` of a model (finished or not: its history so far)."""
    cfg = model.config
    given = {k: a.color for k, a in cfg.actors.items()}
    return Run(
        history=model.history,
        name=cfg.title or cfg.name,
        description=cfg.description,
        seed=model.seed_value,
        colors=actor_colors(list(cfg.actors), given),
        ally_threshold=cfg.parameters.ally_threshold,
        enemy_threshold=cfg.parameters.enemy_threshold,
        geometry=getattr(cfg, "geometry", None),
        scenario=cfg.model_dump(mode="json", by_alias=True),
    )


def as_run(obj) -> Run:
    """Accept a :class:`Run`, a model, or a run directory path."""
    if isinstance(obj, Run):
        return obj
    if isinstance(obj, str | Path):
        return load_run(obj)
    if hasattr(obj, "history") and hasattr(obj, "config"):
        return from_model(obj)
    raise TypeError(f"expected a model, a Run or a run directory, got {type(obj)}")


def load_run(directory: str | Path) -> Run:
    """Rebuild a :class:`Run` from a run directory written by :mod:`sim.results.tables`.

    Raises:
        FileNotFoundError: when the directory or one of its files is missing.
    """
    d = Path(directory)
    manifest_path = d / "manifest.json"
    if not manifest_path.is_file():
        raise FileNotFoundError(
            f"'{d}' is not a run directory: it has no manifest.json "
            "(run a scenario first: python run.py SCENARIO.yaml)"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    scenario = manifest["resolved_scenario"]
    keys = list(scenario["actors"])
    names = [scenario["actors"][k]["name"] for k in keys]
    provinces = pd.read_csv(d / "provinces.csv", keep_default_na=False)
    actors = pd.read_csv(d / "actors.csv", keep_default_na=False)
    rel = pd.read_csv(d / "relations.csv", keep_default_na=False)
    supply = pd.read_csv(d / "supply.csv", keep_default_na=False, dtype=str)

    pnames = list(dict.fromkeys(provinces["province"]))
    steps = int(provinces["step"].max()) + 1
    n, p = len(keys), len(pnames)
    start = dt.date.fromisoformat(scenario["start"])
    dates = [start + dt.timedelta(days=scenario["step_days"] * t) for t in range(steps)]
    h = History.empty(keys, names, pnames, dates)
    h.last = steps - 1

    h.strength[:] = provinces[keys].to_numpy().reshape(steps, p, n).transpose(0, 2, 1)
    h.equipment[:] = 1.0
    ctrl_index = {k: i for i, k in enumerate(keys)} | {"contested": -1}
    h.controller[:] = (
        provinces["controller"].map(ctrl_index).to_numpy().reshape(steps, p)
    )
    h.government_share[:] = provinces["government_share"].to_numpy().reshape(steps, p)
    sigar_index = {c: i for i, c in enumerate(SIGAR_CLASSES)}
    h.sigar[:] = provinces["sigar_class"].map(sigar_index).to_numpy().reshape(steps, p)

    for col, arr in (
        ("aid_sent", h.aid_sent),
        ("aid_received", h.aid_received),
        ("aid_budget", h.aid_budget),
        ("losses", h.losses),
        ("recruits", h.recruits),
    ):
        if col in actors:
            arr[:] = actors[col].to_numpy().reshape(steps, n)

    a = rel["actor_a"].map(ctrl_index).to_numpy()
    b = rel["actor_b"].map(ctrl_index).to_numpy()
    t = rel["step"].to_numpy()
    h.affinity[t, a, b] = rel["affinity"].to_numpy()
    np.einsum("tii->ti", h.affinity)[:] = 1.0
    status_code = {v: k for k, v in STATUS_NAMES.items()}
    h.status[t, a, b] = rel["status"].map(status_code).to_numpy()

    micro = Decimal(1_000_000)
    h.flows = [
        Flow(
            int(r.step),
            r.patron,
            r.client,
            r.route,
            int(Decimal(r.sent) * micro),
            int(Decimal(r.delivered) * micro),
        )
        for r in supply.itertuples()
    ]
    events_path = d / "events.jsonl"
    h.events = [
        json.loads(line)
        for line in events_path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    given = {k: scenario["actors"][k].get("color") for k in keys}
    params = scenario.get("parameters", {})
    return Run(
        history=h,
        name=scenario.get("title") or scenario["name"],
        description=scenario.get("description", ""),
        seed=int(manifest["seed"]),
        colors=actor_colors(keys, given),
        ally_threshold=params.get("ally_threshold", 0.3),
        enemy_threshold=params.get("enemy_threshold", -0.3),
        geometry=scenario.get("geometry"),
        directory=d,
        scenario=scenario,
    )
