"""A finished run as one object, from a model just run or from its directory.

Figures and reports take a :class:`RunResult`, so ``plots.map(model)`` in a
notebook and ``python run.py plot RUNDIR`` draw the same thing: the
directory's tables hold everything the figures need, and :func:`load_run`
rebuilds the :class:`~sim.core.history.History` from them. :func:`sim.run`
returns one too, with the run's tables as typed DataFrames (``.actors``,
``.provinces``...), ``.save()``, ``.plot()`` and a notebook summary.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.history import Flow, History
from sim.results import export, frames, tables, verify
from sim.vocabulary import CONTESTED, SigarClass, Status

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
class RunResult:
    """A run's history with what is needed to show it: names, colours, thresholds.

    From :func:`sim.run` or :func:`from_model` it also holds the ``model``;
    from :func:`load_run`, the ``directory`` it was read from. The tables
    (``actors``, ``provinces``, ``relations``, ``supply``, ``events``) are
    built from the history each time they are asked for.
    """

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
    # the scenario as it stood at the start, when known: ``scenario`` of a
    # model just run holds the values its ``set`` events left at the end
    initial_scenario: dict | None = None
    model: Any = field(default=None, repr=False)
    overrides: list[str] = field(default_factory=list)
    started: dt.datetime | None = None
    finished: dt.datetime | None = None

    def color(self, actor: str) -> str:
        """The actor's colour (from the scenario, else the default palette)."""
        return self.colors[actor]

    def display(self, actor: str) -> str:
        """The actor's display name."""
        h = self.history
        return h.actor_names[h.actor_keys.index(actor)]

    @property
    def actors(self) -> pd.DataFrame:
        """One row per step and actor (as ``actors.csv``, typed)."""
        return frames.actors_frame(self.history)

    @property
    def provinces(self) -> pd.DataFrame:
        """One row per step and province (as ``provinces.csv``, typed)."""
        return frames.provinces_frame(self.history)

    @property
    def relations(self) -> pd.DataFrame:
        """One row per step and ordered pair of actors (as ``relations.csv``)."""
        return frames.relations_frame(self.history)

    @property
    def supply(self) -> pd.DataFrame:
        """One row per aid flow, amounts as numbers (as ``supply.csv``)."""
        return frames.supply_frame(self.history)

    @property
    def threat(self) -> pd.DataFrame:
        """One row per step and ordered pair (as ``threat.csv``, typed)."""
        return frames.threat_frame(self.history)

    @property
    def events(self) -> pd.DataFrame:
        """The event log, one row per event (as ``events.jsonl``)."""
        return frames.events_frame(self.history)

    def save(self, directory: str | Path, force: bool = False, **options) -> Path:
        """Write the run directory the command line writes; returns its path.

        ``options`` go to :func:`sim.results.export.save_run` (``figures``,
        ``animation``, ``geometry``).
        """
        return export.save_run(self, directory, force=force, **options)

    def plot(self, kind: str = "control", **options):
        """A figure of the run (default: provinces held over time).

        ``kind`` names a function of :mod:`sim.plots` (``map``, ``alliances``,
        ``relations``, ``supply``...); returns its matplotlib ``Figure``.
        """
        from sim import plots

        return getattr(plots, kind)(self, **options)

    def _repr_html_(self) -> str:
        return export.summary_html(self)


#: The former name of :class:`RunResult`, kept for the modules that still use it.
Run = RunResult


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


def from_model(model) -> RunResult:
    """The :class:`RunResult` of a model (finished or not: its history so far)."""
    cfg = model.config
    given = {k: a.color for k, a in cfg.actors.items()}
    return RunResult(
        history=model.history,
        name=cfg.title or cfg.name,
        description=cfg.description,
        seed=model.seed_value,
        colors=actor_colors(list(cfg.actors), given),
        ally_threshold=cfg.parameters.ally_threshold,
        enemy_threshold=cfg.parameters.enemy_threshold,
        geometry=getattr(cfg, "geometry", None),
        scenario=cfg.model_dump(mode="json", by_alias=True),
        initial_scenario=_initial(model),
        model=model,
    )


def _initial(model) -> dict | None:
    """The model's scenario as at the start, when no ``set`` event changed it."""
    if any(e.get("type") == "set" for e in model.history.events):
        return None  # the config holds the values set last, not the first ones
    return model.config.model_dump(mode="json", by_alias=True)


def as_run(obj) -> RunResult:
    """Accept a :class:`RunResult`, a model, or a run directory path."""
    if isinstance(obj, RunResult):
        return obj
    if isinstance(obj, str | Path):
        return load_run(obj)
    if hasattr(obj, "history") and hasattr(obj, "config"):
        return from_model(obj)
    raise TypeError(
        f"expected a model, a RunResult or a run directory, got {type(obj)}"
    )


def _read_manifest(d: Path) -> dict:
    """The run's manifest.json, checked to be a run's; clear errors otherwise."""
    path = d / "manifest.json"
    if not path.is_file():
        raise FileNotFoundError(
            f"'{d}' is not a run directory: it has no manifest.json "
            "(run a scenario first: python run.py SCENARIO.yaml)"
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise verify.RunDirectoryError(
            f"'{path}' is not a manifest greatgame wrote: it is not JSON ({err})"
        ) from None
    scenario = meta.get("resolved_scenario") if isinstance(meta, dict) else None
    if not isinstance(scenario, dict) or not isinstance(scenario.get("actors"), dict):
        raise verify.RunDirectoryError(
            f"'{path}' is not a manifest greatgame wrote: it has no "
            "resolved_scenario with actors"
        )
    return meta


def _expected(d: Path, meta: dict) -> verify.Expected:
    """What the tables must hold: the manifest's actors, provinces and steps."""
    steps = meta.get("steps")
    provinces = meta.get("provinces")
    return verify.Expected(
        directory=d,
        actors=list(meta["resolved_scenario"]["actors"]),
        provinces=list(provinces) if isinstance(provinces, list) else None,
        last_step=steps if isinstance(steps, int) and steps >= 0 else None,
        rerun=verify.rerun_command(d, meta),
    )


def load_run(directory: str | Path, verify_checksums: bool = True) -> RunResult:
    """Rebuild a :class:`RunResult` from a directory of :mod:`sim.results.tables`.

    Every table is checked before it is believed (:mod:`sim.results.verify`):
    its sha256 against the manifest's (unless ``verify_checksums`` is False,
    to read tables edited on purpose), its columns, keys and ranges; rows
    are matched by key, so reordered rows read the same.

    Raises:
        FileNotFoundError: when the directory or one of its files is missing.
        RunDirectoryError: when the manifest or a table cannot be believed.
    """
    d = Path(directory)
    manifest = _read_manifest(d)
    if verify_checksums:
        verify.check_checksums(d, manifest)
    scenario = manifest["resolved_scenario"]
    keys = list(scenario["actors"])
    h = _read_history(_expected(d, manifest), scenario, keys)
    given = {k: scenario["actors"][k].get("color") for k in keys}
    params = scenario.get("parameters", {})
    return RunResult(
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
        initial_scenario=scenario,
    )


_ACTOR_ARRAYS = ("aid_sent", "aid_received", "aid_budget", "losses", "recruits")


def _read_history(exp: verify.Expected, scenario: dict, keys: list[str]) -> History:
    """The History held by a run directory's tables and event log, all checked."""
    d = exp.directory
    names = [scenario["actors"][k]["name"] for k in keys]
    provinces, pnames = verify.read_provinces(exp)
    steps = int(provinces["step"].max()) + 1
    exp = verify.Expected(d, exp.actors, pnames, steps - 1, exp.rerun)
    actors = verify.read_actors(exp, ("strength", *_ACTOR_ARRAYS))
    rel = verify.read_relations(exp)
    supply = verify.read_supply(exp)
    start = dt.date.fromisoformat(scenario["start"])
    dates = [start + dt.timedelta(days=scenario["step_days"] * t) for t in range(steps)]
    h = History.empty(keys, names, pnames, dates)
    h.last = steps - 1
    ctrl_index = {k: i for i, k in enumerate(keys)} | {CONTESTED: -1}
    _fill_provinces(h, provinces, ctrl_index)
    for col in _ACTOR_ARRAYS:
        if col in actors:
            getattr(h, col)[:] = actors[col].to_numpy().reshape(steps, len(keys))
    _fill_relations(h, rel, ctrl_index)
    h.fill_balance()
    if (d / "threat.csv").exists():  # runs written before perception have none
        threat = verify.read_pairs(
            exp, "threat.csv", ("observer", "actor"), tables.THREAT_COLUMNS, 0.0
        )
        _fill_threat(h, threat, ctrl_index)
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
    h.events = verify.read_events(exp)
    return h


def _fill_provinces(h: History, provinces: pd.DataFrame, ctrl_index: dict) -> None:
    """Strength, controller, government share and SIGAR class from provinces.csv."""
    steps, n, p = h.n_rows, len(h.actor_keys), len(h.province_names)
    strength = provinces[h.actor_keys].to_numpy().reshape(steps, p, n)
    h.strength[:] = strength.transpose(0, 2, 1)
    h.equipment[:] = 1.0
    h.controller[:] = (
        provinces["controller"].map(ctrl_index).to_numpy().reshape(steps, p)
    )
    h.government_share[:] = provinces["government_share"].to_numpy().reshape(steps, p)
    sigar_index = {c.label: int(c) for c in SigarClass}
    h.sigar[:] = provinces["sigar_class"].map(sigar_index).to_numpy().reshape(steps, p)


def _fill_relations(h: History, rel: pd.DataFrame, ctrl_index: dict) -> None:
    """Affinities and statuses from relations.csv (an actor's own affinity is 1)."""
    a = rel["actor_a"].map(ctrl_index).to_numpy()
    b = rel["actor_b"].map(ctrl_index).to_numpy()
    t = rel["step"].to_numpy()
    h.affinity[t, a, b] = rel["affinity"].to_numpy()
    np.einsum("tii->ti", h.affinity)[:] = 1.0
    status_code = {s.label: int(s) for s in Status}
    h.status[t, a, b] = rel["status"].map(status_code).to_numpy()


def _fill_threat(h: History, threat: pd.DataFrame, ctrl_index: dict) -> None:
    """Believed and armed presence and both threats from threat.csv."""
    a = threat["observer"].map(ctrl_index).to_numpy()
    b = threat["actor"].map(ctrl_index).to_numpy()
    t = threat["step"].to_numpy()
    for col, arr in zip(
        tables.THREAT_COLUMNS,
        (h.perceived_presence, h.armed_presence, h.threat, h.real_threat),
        strict=True,
    ):
        arr[t, a, b] = threat[col].to_numpy()
