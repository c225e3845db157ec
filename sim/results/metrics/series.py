"""Quantities of a finished run that tests, sweeps and the scorecard compare.

Each function reads a :class:`sim.core.history.History` only, so it works on a
model just run or on one rebuilt from files.

Sweeps (:mod:`sim.experiments.sweep`) name their outcomes with strings: ``KIND`` or
``KIND:ARG:ARG``, e.g. ``provinces:taliban``, ``alliance_week:russia:taliban``
or ``strength_in:taliban:Badakhshan+Takhar+Kunduz+Balkh``.
:func:`parse_metric` checks a name (unknown kinds and actors get "did you
mean") and returns a :class:`Metric`; :data:`METRICS` lists the kinds and
:func:`describe_metrics` prints them. Most kinds have a value at every step,
so they can also be kept as time series; the value of a run is the last one
(for the aid totals, the sum over the run).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from sim.core.history import History
from sim.processes.relations import ALLY, ENEMY
from sim.world.geography import load_geography


def first_alliance(h: History, a: str, b: str) -> int | None:
    """Step at which ``a`` and ``b`` first became allies, or ``None``."""
    i, j = h.actor_keys.index(a), h.actor_keys.index(b)
    allied = np.flatnonzero(h.status[: h.n_rows, i, j] == ALLY)
    return int(allied[0]) if allied.size else None


def share_allied(h: History, a: str, b: str) -> float:
    """Share of steps (after the start) in which ``a`` and ``b`` were allies."""
    i, j = h.actor_keys.index(a), h.actor_keys.index(b)
    return float((h.status[1 : h.n_rows, i, j] == ALLY).mean())


def alliance_reasons(h: History, a: str, b: str) -> list[list]:
    """The explanation terms of the first time ``a`` and ``b`` became allies."""
    for e in h.events:
        if e["type"] == "alliance" and {e["a"], e["b"]} == {a, b}:
            return e["why"]
    return []


def leading_shared_enemy(h: History, a: str, b: str) -> str | None:
    """Display name of the largest 'shared enemy' term when ``a``–``b`` first allied."""
    shared = [
        (v, label)
        for label, v in alliance_reasons(h, a, b)
        if label.startswith("shared enemy ")
    ]
    if not shared:
        return None
    return max(shared)[1].removeprefix("shared enemy ")


def strength_in(h: History, actor: str, provinces: list[str], step: int = -1) -> float:
    """Fighters of ``actor`` in ``provinces`` at ``step`` (default: the end)."""
    if actor not in h.actor_keys:
        return 0.0
    i = h.actor_keys.index(actor)
    cols = [h.province_names.index(p) for p in provinces]
    t = h.n_rows - 1 if step < 0 else step
    return float(h.strength[t, i, cols].sum())


def provinces_present(
    h: History, actor: str, step: int = -1, least: float = 1.0
) -> int:
    """Provinces where ``actor`` has at least ``least`` fighters at ``step``."""
    if actor not in h.actor_keys:
        return 0
    t = h.n_rows - 1 if step < 0 else step
    return int((h.strength[t, h.actor_keys.index(actor)] >= least).sum())


# --- named metrics, for sweeps -----------------------------------------------------
#
# A metric name is KIND or KIND:ARG[:ARG], e.g. ``provinces:taliban`` or
# ``strength_in:taliban:Badakhshan+Takhar``. Each kind reads a History only and
# returns a per-step series (so it can be a time series) or, for whole-run
# quantities such as ``alliance_week``, one number.

GOVERNMENT_CLASSES = (3, 4)  # SIGAR "government influence", "government control"


class MetricError(ValueError):
    """A metric name that cannot be used: unknown kind, bad argument, unknown actor."""


def _suggestion(word: str, choices: Iterable[str]) -> str:
    lower = {c.lower(): c for c in choices}
    hits = difflib.get_close_matches(word.lower(), lower, n=1, cutoff=0.6)
    return f"; did you mean '{lower[hits[0]]}'?" if hits else ""


def _actor_row(h: History, actor: str) -> int | None:
    return h.actor_keys.index(actor) if actor in h.actor_keys else None


def _province_columns(h: History, spec: str) -> list[int]:
    """Province ids named by ``A+B+region+all`` (provinces or regions)."""
    regions = h.regions or load_geography().regions
    cols: set[int] = set()
    for name in spec.split("+"):
        if name == "all":
            cols.update(range(len(h.province_names)))
        elif name in h.province_names:
            cols.add(h.province_names.index(name))
        else:
            cols.update(q for q, r in enumerate(regions) if r == name)
    return sorted(cols)


def _per_actor(h: History, actor: str, fn: Callable) -> np.ndarray:
    i = _actor_row(h, actor)
    return np.zeros(h.n_rows) if i is None else fn(i).astype(float)


def _provinces_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: (h.controller[: h.n_rows] == i).sum(axis=1))


def _strength_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: h.strength[: h.n_rows, i].sum(axis=1))


def _presence_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: (h.strength[: h.n_rows, i] >= 1.0).sum(1))


def _strength_in_series(h: History, actor: str, where: str) -> np.ndarray:
    cols = _province_columns(h, where)
    return _per_actor(h, actor, lambda i: h.strength[: h.n_rows, i][:, cols].sum(1))


def _contested_series(h: History) -> np.ndarray:
    return (h.controller[: h.n_rows] < 0).sum(axis=1).astype(float)


def _government_side_series(h: History) -> np.ndarray:
    sigar = h.sigar[: h.n_rows]
    return np.isin(sigar, GOVERNMENT_CLASSES).mean(axis=1)


def _pair_status(h: History, a: str, b: str) -> np.ndarray | None:
    i, j = _actor_row(h, a), _actor_row(h, b)
    return None if i is None or j is None else h.status[: h.n_rows, i, j]


def _allied_series(h: History, a: str, b: str) -> np.ndarray:
    st = _pair_status(h, a, b)
    return np.zeros(h.n_rows) if st is None else (st == ALLY).astype(float)


def _affinity_series(h: History, a: str, b: str) -> np.ndarray:
    i, j = _actor_row(h, a), _actor_row(h, b)
    if i is None or j is None:
        return np.full(h.n_rows, np.nan)
    return h.affinity[: h.n_rows, i, j].astype(float)


def _aid_series(h: History, actor: str, what: str) -> np.ndarray:
    out = np.zeros(h.n_rows)
    for f in h.flows:
        if f.patron == actor and f.step < h.n_rows:
            out[f.step] += getattr(f, what)
    return out / 1e6  # flows are kept in exact micro-units


def _aid_received_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: h.aid_received[: h.n_rows, i])


def _losses_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: h.losses[: h.n_rows, i])


def _recruits_series(h: History, actor: str) -> np.ndarray:
    return _per_actor(h, actor, lambda i: h.recruits[: h.n_rows, i])


def _enemies_series(h: History, a: str, b: str) -> np.ndarray:
    st = _pair_status(h, a, b)
    return np.zeros(h.n_rows) if st is None else (st == ENEMY).astype(float)


def _aid_to_series(h: History, patron: str, client: str) -> np.ndarray:
    out = np.zeros(h.n_rows)
    for f in h.flows:
        if f.patron == patron and f.client == client and f.step < h.n_rows:
            out[f.step] += f.delivered
    return out / 1e6  # flows are kept in exact micro-units


def _government_side_in_series(h: History, where: str) -> np.ndarray:
    cols = _province_columns(h, where)
    sigar = h.sigar[: h.n_rows][:, cols]
    return np.isin(sigar, GOVERNMENT_CLASSES).mean(axis=1)


def _presence_in_series(h: History, actor: str, where: str) -> np.ndarray:
    cols = _province_columns(h, where)
    return _per_actor(
        h, actor, lambda i: (h.strength[: h.n_rows, i][:, cols] >= 1.0).sum(1)
    )


def _share_in_series(h: History, actor: str, where: str) -> np.ndarray:
    i = _actor_row(h, actor)
    if i is None:
        return np.full(h.n_rows, np.nan)
    cols = _province_columns(h, where)
    total = h.strength[: h.n_rows, i].sum(axis=1)
    part = h.strength[: h.n_rows, i][:, cols].sum(axis=1)
    return np.divide(part, total, out=np.full(h.n_rows, np.nan), where=total > 0)


def _alliance_week(h: History, a: str, b: str) -> float:
    st = _pair_status(h, a, b)
    allied = np.flatnonzero(st == ALLY) if st is not None else np.array([])
    return float(allied[0]) if allied.size else math.nan


def _share_allied(h: History, a: str, b: str) -> float:
    st = _pair_status(h, a, b)
    return 0.0 if st is None or len(st) < 2 else float((st[1:] == ALLY).mean())


def _ever_allied(h: History, a: str, b: str) -> float:
    st = _pair_status(h, a, b)
    return float(st is not None and bool((st == ALLY).any()))


@dataclass(frozen=True)
class MetricKind:
    """One kind of built-in metric.

    Attributes:
        name: the first part of a metric name (``provinces``).
        args: what each argument names: ``actor`` or ``provinces``
            (provinces or regions joined by ``+``, or ``all``).
        help: one line for ``--help`` and error messages.
        series: per-step values ``(h, *args) -> array[n_rows]``; the metric's
            value is the last one. None for whole-run quantities.
        whole_run: ``(h, *args) -> float`` for kinds without a series.
    """

    name: str
    args: tuple[str, ...]
    help: str
    series: Callable[..., np.ndarray] | None = None
    whole_run: Callable[..., float] | None = None

    @property
    def usage(self) -> str:
        """The name with its argument slots, e.g. ``provinces:ACTOR``."""
        return ":".join([self.name, *(a.upper() for a in self.args)])


def _aid_kind(what: str, field: str, verb: str) -> MetricKind:
    return MetricKind(
        f"aid_{what}",
        ("actor",),
        f"aid the patron {verb}, summed over the run (to date as a series)",
        series=lambda h, a: _aid_series(h, a, field),
    )


#: The built-in metrics by kind name (read-only).
METRICS: Mapping[str, MetricKind] = MappingProxyType(
    {
        k.name: k
        for k in (
            MetricKind(
                "provinces",
                ("actor",),
                "provinces the actor controls at the end",
                series=_provinces_series,
            ),
            MetricKind(
                "strength",
                ("actor",),
                "the actor's fighters at the end",
                _strength_series,
            ),
            MetricKind(
                "presence",
                ("actor",),
                "provinces where the actor has at least one fighter at the end",
                series=_presence_series,
            ),
            MetricKind(
                "strength_in",
                ("actor", "provinces"),
                "the actor's fighters at the end in the provinces or regions "
                "named (joined by +)",
                series=_strength_in_series,
            ),
            MetricKind(
                "contested",
                (),
                "provinces that no actor controls at the end",
                series=_contested_series,
            ),
            MetricKind(
                "government_side_share",
                (),
                "share of provinces in SIGAR's two government classes at the end",
                series=_government_side_series,
            ),
            MetricKind(
                "government_side_in",
                ("provinces",),
                "share of the provinces or regions named (joined by +) in SIGAR's "
                "two government classes at the end",
                series=_government_side_in_series,
            ),
            MetricKind(
                "presence_in",
                ("actor", "provinces"),
                "how many of the provinces named (joined by +) hold at least one of "
                "the actor's fighters at the end",
                series=_presence_in_series,
            ),
            MetricKind(
                "share_in",
                ("actor", "provinces"),
                "share of the actor's fighters that stand in the provinces named "
                "(joined by +) at the end (empty/NaN if it has none)",
                series=_share_in_series,
            ),
            MetricKind(
                "allied",
                ("actor", "actor"),
                "1 if the pair are allies at the end, else 0",
                series=_allied_series,
            ),
            MetricKind(
                "enemies",
                ("actor", "actor"),
                "1 if the pair are enemies at the end, else 0",
                series=_enemies_series,
            ),
            MetricKind(
                "affinity",
                ("actor", "actor"),
                "how the first actor regards the second at the end (-1..1)",
                series=_affinity_series,
            ),
            MetricKind(
                "alliance_week",
                ("actor", "actor"),
                "first step at which the pair are allies (empty/NaN if never)",
                whole_run=_alliance_week,
            ),
            MetricKind(
                "share_allied",
                ("actor", "actor"),
                "share of steps after the start in which the pair are allies",
                whole_run=_share_allied,
            ),
            MetricKind(
                "ever_allied",
                ("actor", "actor"),
                "1 if the pair are allies at any step, else 0",
                whole_run=_ever_allied,
            ),
            _aid_kind("sent", "sent", "sent"),
            _aid_kind("delivered", "delivered", "got through to its clients"),
            _aid_kind("interdicted", "interdicted", "lost to interdiction"),
            MetricKind(
                "aid_delivered_to",
                ("actor", "actor"),
                "aid the first actor got through to the second, summed over the run "
                "(to date as a series)",
                series=_aid_to_series,
            ),
            MetricKind(
                "aid_received",
                ("actor",),
                "aid delivered to the actor, summed over the run (to date as a series)",
                series=_aid_received_series,
            ),
            MetricKind(
                "losses",
                ("actor",),
                "fighters the actor lost in combat, summed over the run (to date)",
                series=_losses_series,
            ),
            MetricKind(
                "recruits",
                ("actor",),
                "fighters the actor recruited, summed over the run (to date)",
                series=_recruits_series,
            ),
        )
    }
)
_SUMMED = {
    "aid_sent",
    "aid_delivered_to",
    "aid_delivered",
    "aid_interdicted",
    "aid_received",
    "losses",
    "recruits",
}


@dataclass(frozen=True)
class Metric:
    """A validated built-in metric: its column name and how to compute it.

    Holds names only, so it pickles small and travels to worker processes.
    """

    name: str
    kind: str
    args: tuple[str, ...] = ()

    @property
    def per_step(self) -> bool:
        """True if the metric has a value at every step (it can be a time series)."""
        return METRICS[self.kind].series is not None

    def series(self, h: History) -> np.ndarray:
        """Values at steps ``0 .. n_rows-1`` (cumulative for the aid totals)."""
        kind = METRICS[self.kind]
        if kind.series is None:
            raise MetricError(f"'{self.name}' is a whole-run metric, not a series")
        values = kind.series(h, *self.args)
        return np.cumsum(values) if self.kind in _SUMMED else values

    def value(self, h: History) -> float:
        """The metric of a finished run (NaN when it has no value)."""
        kind = METRICS[self.kind]
        if kind.whole_run is not None:
            return float(kind.whole_run(h, *self.args))
        return float(self.series(h)[-1])


def describe_metrics() -> str:
    """One line per built-in metric kind: its usage and what it measures."""
    width = max(len(k.usage) for k in METRICS.values())
    return "\n".join(f"{k.usage:<{width}}  {k.help}" for k in METRICS.values())


def parse_metric(
    name: str,
    actors: Iterable[str] | None = None,
    per_step: bool = False,
    places: Iterable[str] | None = None,
) -> Metric:
    """Check a metric name such as ``alliance_week:russia:taliban`` and parse it.

    Args:
        name: ``KIND`` or ``KIND:ARG:...`` (see :data:`METRICS`).
        actors: actor ids the arguments may name (None: any id).
        per_step: require a metric that has a value at every step.
        places: province and region names the arguments may name (default:
            Afghanistan's, and ``all``).

    Raises:
        MetricError: unknown kind or argument, with "did you mean".
    """
    kind_name, *args = str(name).strip().split(":")
    kind = METRICS.get(kind_name)
    if kind is None:
        known = ", ".join(METRICS)
        raise MetricError(
            f"unknown metric '{name}'{_suggestion(kind_name, METRICS)} "
            f"(known kinds: {known})"
        )
    if len(args) != len(kind.args):
        raise MetricError(
            f"metric '{name}' takes {len(kind.args)} argument(s): {kind.usage}"
        )
    actors = None if actors is None else list(actors)
    places = load_geography().places if places is None else tuple(places)
    for what, arg in zip(kind.args, args, strict=True):
        if what == "actor" and actors is not None and arg not in actors:
            raise MetricError(
                f"metric '{name}': unknown actor '{arg}'{_suggestion(arg, actors)}"
            )
        for place in arg.split("+") if what == "provinces" else ():
            if place not in places:
                raise MetricError(
                    f"metric '{name}': unknown province or region '{place}'"
                    + _suggestion(place, places)
                )
    if kind.args == ("actor", "actor") and args[0] == args[1]:
        raise MetricError(f"metric '{name}' needs two different actors")
    if per_step and kind.series is None:
        series = ", ".join(k.name for k in METRICS.values() if k.series)
        raise MetricError(
            f"'{name}' is a whole-run metric and has no per-step series; "
            f"per-step kinds: {series}"
        )
    return Metric(str(name).strip(), kind_name, tuple(args))


def default_metrics(actors: Iterable[str]) -> list[str]:
    """Provinces controlled and fighters per actor, then contested provinces."""
    actors = list(actors)
    names = [f"provinces:{a}" for a in actors] + [f"strength:{a}" for a in actors]
    return [*names, "contested"]
