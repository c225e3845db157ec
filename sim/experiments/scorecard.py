"""The scorecard: a scenario's runs checked against the observed facts of 2016.

Pattern-oriented modelling: several independent observations of the period
(``sim/experiments/facts.yaml``: sources, dates, the model quantity each maps to and an
accepted range), each checked over many seeds, plus counterfactuals that check
the mechanisms (no ISIS, no Russian aid, no US) on the same seeds (common
random numbers)::

    from sim.experiments.scorecard import scorecard, plot_scorecard
    df = scorecard("scenarios/2016.yaml", seeds=20, workers=2)
    plot_scorecard(df)

``df`` has one row per fact: ``id``, ``kind``, ``statement``, ``metric`` and
``when`` (the mapping), ``statistic`` (what ``model`` is), ``model``, ``p10``,
``p90``, ``lo``, ``hi``, ``accepted``, ``share_in_range``, ``pass``,
``status`` (``pass``, ``fail`` or ``n/a``), ``counted``, ``seeds``,
``source``, ``why`` and ``note``.

How a fact is read from a run: its metric (a name of :mod:`sim.results.metrics`; a
list is summed) is evaluated on the run's history cut at the step of the
fact's ``at`` date (:func:`history_until`), so whole-run metrics such as
``ever_allied`` mean "by then"; or its per-step series is reduced over the
``over`` window (``min``, ``max``, ``mean`` or ``change`` = last - first).

How a fact passes:
    value facts: the median over seeds lies in ``[lo, hi]``; ``p10``-``p90``
    is the spread over seeds.
    probability facts (``holds_if``): the share of seeds whose value meets
    the condition lies in range; ``p10``-``p90`` is the 80% Wilson interval
    of that share (what 20 seeds can tell).
    counterfactual facts: the per-seed difference between the variant and
    the baseline run on the same seed (``variant - baseline``,
    ``baseline - variant`` or ``relative`` = (variant - baseline) / baseline);
    its median (or mean) lies in range and, with ``min_share``, at least
    that share of seeds have a difference in range.
Only ``outcome`` and ``counterfactual`` facts count in the score; ``input``
facts (set by the scenario) are shown for completeness. A fact that the
model cannot measure (``not_measurable``), that names an actor the scenario
lacks, or whose variant changes nothing in the scenario is ``n/a``.

All runs (the baseline and every variant a fact needs) go through one
:func:`sim.experiments.sweep.sweep`, so the seeds are shared and the pool is
started once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import operator
import os
import re
import textwrap
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from sim.core.history import History
from sim.results.metrics import Metric, MetricError, parse_metric
from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
    validate_path,
)
from sim.scenario.schema import Scenario

__all__ = [
    "BASELINE",
    "Fact",
    "Facts",
    "FactsError",
    "FactProbe",
    "CheckPlan",
    "default_facts_path",
    "format_scorecard",
    "history_until",
    "load_facts",
    "plan_check",
    "plot_scorecard",
    "run_check",
    "score",
    "score_line",
    "scorecard",
]

BASELINE = "baseline"
KINDS = ("outcome", "counterfactual", "input")
REDUCERS = ("min", "max", "mean", "change")
COMPARES = ("variant - baseline", "baseline - variant", "relative")
STATISTICS = ("median", "mean")
OPEN = ("lo", "hi", "both")
WILSON_Z = 1.2815515655446004  # two-sided 80%: the 10th and 90th percentiles
_ID = re.compile(r"[a-z][a-z0-9_]*")
_CONDITION = re.compile(r"\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*")
_OPS = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}
_FACT_KEYS = {
    "id",
    "kind",
    "statement",
    "source",
    "observed",
    "metric",
    "at",
    "over",
    "reduce",
    "holds_if",
    "range",
    "open",
    "why",
    "not_measurable",
    "variant",
    "compare",
    "statistic",
    "min_share",
}
_VARIANT_KEYS = {"label", "description", "set"}
_TOP_KEYS = {"actors", "variants", "facts"}


class FactsError(ValueError):
    """A facts file that cannot be used: which file, which fact, what is wrong."""


def default_facts_path() -> Path:
    """The facts shipped with the package (``sim/experiments/facts.yaml``)."""
    return Path(str(resources.files("sim.experiments") / "facts.yaml"))


# --- the facts file ----------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A counterfactual: overrides applied to the checked scenario.

    Attributes:
        name: the key that facts use (``no_isis``).
        label: a few words for tables and figures.
        description: what it changes.
        overrides: ``{path: value}``; ``None`` removes (an actor, say).
    """

    name: str
    label: str
    description: str
    overrides: dict[str, Any]


@dataclass(frozen=True)
class Fact:
    """One observation and how the model is checked against it.

    ``at`` and ``over`` hold ``"start"``, ``"end"`` or a date. See the module
    docstring and ``sim/experiments/facts.yaml`` for the meaning of the fields.
    """

    id: str
    kind: str
    statement: str
    source: str
    observed: str
    why: str
    lo: float = math.nan
    hi: float = math.nan
    open_lo: bool = False
    open_hi: bool = False
    metrics: tuple[str, ...] = ()
    at: str | dt.date | None = None
    over: tuple[str | dt.date, str | dt.date] | None = None
    reduce: str | None = None
    holds_if: tuple[str, float] | None = None
    not_measurable: str | None = None
    variant: str | None = None
    compare: str | None = None
    statistic: str = "median"
    min_share: float | None = None

    @property
    def measurable(self) -> bool:
        """False for a fact the model cannot measure (always ``n/a``)."""
        return self.not_measurable is None

    @property
    def counted(self) -> bool:
        """True for the kinds that count in the score (outcomes, counterfactuals)."""
        return self.kind != "input"

    @property
    def mapping(self) -> str:
        """The model quantity as text: the metric names, joined by ``+``."""
        return " + ".join(self.metrics) if self.metrics else "n/a"

    @property
    def when(self) -> str:
        """When it is read: ``at 2016-04-29`` or ``min over start..2016-12-31``."""
        if self.over is not None:
            return f"{self.reduce} over {self.over[0]}..{self.over[1]}"
        return "" if self.at is None else f"at {self.at}"

    @property
    def accepted(self) -> str:
        """The accepted range as text, e.g. ``[1,000, 3,000]`` or ``[-1, 0)``."""
        if math.isnan(self.lo):
            return "n/a"
        left = "(" if self.open_lo else "["
        right = ")" if self.open_hi else "]"
        return f"{left}{_num(self.lo)}, {_num(self.hi)}{right}"

    def in_range(self, x: Any) -> Any:
        """True where ``x`` lies in the accepted range (NaN is never in range)."""
        x = np.asarray(x, dtype=float)
        low = x > self.lo if self.open_lo else x >= self.lo
        high = x < self.hi if self.open_hi else x <= self.hi
        out = low & high & ~np.isnan(x)
        return bool(out) if out.ndim == 0 else out

    def holds(self, x: Any) -> np.ndarray:
        """Per-seed truth of ``holds_if`` (NaN never holds)."""
        assert self.holds_if is not None
        op, value = self.holds_if
        x = np.asarray(x, dtype=float)
        return _OPS[op](x, value) & ~np.isnan(x)

    @property
    def actors(self) -> set[str]:
        """Actor ids its metrics name."""
        return {a for m in self.metrics for a in _metric_actors(m)}


@dataclass(frozen=True)
class Facts:
    """A validated facts file: the facts, the variants and the actor ids."""

    facts: tuple[Fact, ...]
    variants: Mapping[str, Variant]
    actors: tuple[str, ...]
    path: str = "<facts>"

    def __iter__(self):
        return iter(self.facts)

    def __len__(self) -> int:
        return len(self.facts)

    def __getitem__(self, fact_id: str) -> Fact:
        for f in self.facts:
            if f.id == fact_id:
                return f
        raise KeyError(fact_id)


def _metric_actors(name: str) -> list[str]:
    from sim.results.metrics import METRICS

    kind, *args = name.split(":")
    slots = METRICS[kind].args
    return [a for what, a in zip(slots, args, strict=True) if what == "actor"]


def _text(raw: dict, key: str, where: str, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FactsError(f"{where}: '{key}' is missing (give it in plain words)")
        return None
    if isinstance(value, list | dict):
        raise FactsError(f"{where}: '{key}' must be text, not a list or mapping")
    return " ".join(str(value).split())


def _number(value: Any, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FactsError(f"{where}: {what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise FactsError(f"{where}: {what} must be finite, got {value!r}")
    return float(value)


def _when(value: Any, what: str, where: str) -> str | dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date) or value in ("start", "end"):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise FactsError(
        f"{where}: {what} must be a date like 2016-04-29, 'start' or 'end', "
        f"got {value!r}"
    )


def _parse_metrics(raw: Any, actors: list[str], where: str) -> tuple[str, ...]:
    names = raw if isinstance(raw, list) else [raw]
    if not names or not all(isinstance(n, str) and n.strip() for n in names):
        raise FactsError(
            f"{where}: 'metric' must be a metric name such as strength:taliban, "
            "or a list of them (summed)"
        )
    out = []
    for name in names:
        try:
            out.append(parse_metric(name, actors).name)
        except MetricError as err:
            raise FactsError(f"{where}: {err}") from None
    return tuple(out)


def _parse_fact(raw: Any, i: int, actors: list[str], variants: dict) -> Fact:
    where = f"facts[{i}]"
    if not isinstance(raw, dict):
        raise FactsError(f"{where}: each fact must be a mapping (id: ..., ...)")
    fid = raw.get("id")
    if not isinstance(fid, str) or not _ID.fullmatch(fid):
        raise FactsError(
            f"{where}: 'id' must be a short name of a-z, 0-9 and '_', got {fid!r}"
        )
    where = f"fact '{fid}'"
    unknown = sorted(set(raw) - _FACT_KEYS, key=str)
    if unknown:
        raise FactsError(
            f"{where}: unknown key(s) {', '.join(map(str, unknown))}"
            + _did_you_mean(unknown[0], _FACT_KEYS)
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FactsError(
            f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {kind!r}"
        )
    common = {
        "id": fid,
        "kind": kind,
        "statement": _text(raw, "statement", where),
        "source": _text(raw, "source", where),
        "observed": _text(raw, "observed", where),
        "why": _text(raw, "why", where),
    }
    reason = _text(raw, "not_measurable", where, required=False)
    if reason is not None:
        extra = sorted(set(raw) & {"metric", "at", "over", "range", "variant"})
        if extra:
            raise FactsError(
                f"{where}: a not_measurable fact has no {', '.join(extra)}"
            )
        return Fact(**common, not_measurable=reason)
    if "metric" not in raw:
        raise FactsError(
            f"{where}: give 'metric' (what the model measures), or "
            "'not_measurable' with the reason it cannot"
        )
    metrics = _parse_metrics(raw["metric"], actors, where)
    spec = _timing(raw, metrics, actors, where)
    lo, hi, open_lo, open_hi = _range(raw, where)
    extra: dict[str, Any] = {}
    if kind == "counterfactual":
        extra = _counterfactual(raw, variants, where)
    else:
        stray = sorted(set(raw) & {"variant", "compare", "statistic", "min_share"})
        if stray:
            raise FactsError(
                f"{where}: {', '.join(stray)} belong to counterfactual facts only"
            )
    holds_if = None
    if raw.get("holds_if") is not None:
        if kind == "counterfactual":
            raise FactsError(
                f"{where}: a counterfactual compares values; it takes no holds_if"
            )
        holds_if = _condition(raw["holds_if"], where)
        if lo < 0 or hi > 1:
            raise FactsError(
                f"{where}: with holds_if the range is a share of seeds, within "
                f"[0, 1]; got [{lo:g}, {hi:g}]"
            )
    return Fact(
        **common,
        lo=lo,
        hi=hi,
        open_lo=open_lo,
        open_hi=open_hi,
        metrics=metrics,
        holds_if=holds_if,
        **spec,
        **extra,
    )


def _did_you_mean(word: Any, choices: Sequence[str] | set[str]) -> str:
    import difflib

    hits = difflib.get_close_matches(str(word), sorted(choices), n=1)
    return f"; did you mean '{hits[0]}'?" if hits else ""


def _timing(raw: dict, metrics: tuple, actors: list[str], where: str) -> dict:
    has_at, has_over = raw.get("at") is not None, raw.get("over") is not None
    if has_at == has_over:
        raise FactsError(
            f"{where}: give either 'at' (a date, start or end) or 'over' "
            "([from, to] with 'reduce')"
        )
    if has_at:
        if raw.get("reduce") is not None:
            raise FactsError(f"{where}: 'reduce' goes with 'over', not with 'at'")
        return {"at": _when(raw["at"], "'at'", where)}
    over = raw["over"]
    if not isinstance(over, list) or len(over) != 2:
        raise FactsError(f"{where}: 'over' must be [from, to], got {over!r}")
    window = (_when(over[0], "'over' from", where), _when(over[1], "'over' to", where))
    reduce = raw.get("reduce")
    if reduce not in REDUCERS:
        raise FactsError(
            f"{where}: 'over' needs 'reduce': one of {', '.join(REDUCERS)}, "
            f"got {reduce!r}"
        )
    for name in metrics:
        if not parse_metric(name, actors).per_step:
            raise FactsError(
                f"{where}: '{name}' is a whole-run metric with no weekly series; "
                "read it 'at' a date instead of 'over' a window"
            )
    return {"over": window, "reduce": reduce}


def _range(raw: dict, where: str) -> tuple[float, float, bool, bool]:
    rng = raw.get("range")
    if not isinstance(rng, list) or len(rng) != 2:
        raise FactsError(f"{where}: 'range' must be [lo, hi], got {rng!r}")
    lo, hi = (_number(v, "each bound of 'range'", where) for v in rng)
    if lo > hi:
        raise FactsError(f"{where}: 'range' has lo > hi ({lo:g} > {hi:g})")
    opened = raw.get("open")
    if opened is not None and opened not in OPEN:
        raise FactsError(
            f"{where}: 'open' must be lo, hi or both (the strict bounds), "
            f"got {opened!r}"
        )
    open_lo, open_hi = opened in ("lo", "both"), opened in ("hi", "both")
    if lo == hi and (open_lo or open_hi):
        raise FactsError(f"{where}: an open range [{lo:g}, {hi:g}] is empty")
    return lo, hi, open_lo, open_hi


def _condition(raw: Any, where: str) -> tuple[str, float]:
    m = _CONDITION.fullmatch(str(raw))
    try:
        value = float(m[2]) if m else math.nan
    except ValueError:
        value = math.nan
    if not m or not math.isfinite(value):
        raise FactsError(
            f"{where}: 'holds_if' must be a comparison such as '> 0' or '>= 1', "
            f"got {raw!r}"
        )
    return m[1], value


def _counterfactual(raw: dict, variants: dict, where: str) -> dict:
    name = raw.get("variant")
    if name not in variants:
        known = ", ".join(variants) or "none defined"
        raise FactsError(
            f"{where}: 'variant' must name a variant of the file ({known}), "
            f"got {name!r}" + _did_you_mean(name, variants)
        )
    compare = raw.get("compare")
    if compare not in COMPARES:
        raise FactsError(
            f"{where}: 'compare' must be one of {', '.join(map(repr, COMPARES))}, "
            f"got {compare!r}"
        )
    statistic = raw.get("statistic", "median")
    if statistic not in STATISTICS:
        raise FactsError(
            f"{where}: 'statistic' must be median or mean, got {statistic!r}"
        )
    min_share = raw.get("min_share")
    if min_share is not None:
        min_share = _number(min_share, "'min_share'", where)
        if not 0 <= min_share <= 1:
            raise FactsError(f"{where}: 'min_share' is a share, within [0, 1]")
    return {
        "variant": name,
        "compare": compare,
        "statistic": statistic,
        "min_share": min_share,
    }


def _parse_variants(raw: Any, path: str) -> dict[str, Variant]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise FactsError(f"{path}: 'variants' must map names to {{set: ...}}")
    out = {}
    for name, spec in raw.items():
        where = f"{path}: variant '{name}'"
        if not isinstance(name, str) or not _ID.fullmatch(name) or name == BASELINE:
            raise FactsError(
                f"{where}: a variant name is a-z, 0-9 and '_' (not 'baseline')"
            )
        if not isinstance(spec, dict):
            raise FactsError(f"{where}: expected {{label: ..., set: {{path: value}}}}")
        unknown = sorted(set(spec) - _VARIANT_KEYS, key=str)
        if unknown:
            raise FactsError(f"{where}: unknown key(s) {', '.join(map(str, unknown))}")
        overrides = spec.get("set")
        if not isinstance(overrides, dict) or not overrides:
            raise FactsError(
                f"{where}: 'set' must map scenario paths to values, e.g. "
                "{actors.russia.resources: 0}"
            )
        for p in overrides:
            try:
                validate_path(str(p))
            except ScenarioError as err:
                raise FactsError(f"{where}: {err}") from None
        out[name] = Variant(
            name,
            _text(spec, "label", where, required=False) or name,
            _text(spec, "description", where, required=False) or "",
            {str(k): v for k, v in overrides.items()},
        )
    return out


def _read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise FactsError(
            f"{path}: cannot read the facts file: {err.strerror}"
        ) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f", line {mark.line + 1}" if mark else ""
        problem = getattr(err, "problem", None) or err
        raise FactsError(f"{path}{line}: YAML syntax error: {problem}") from None
    except ValueError as err:  # e.g. the date 2016-13-01
        raise FactsError(f"{path}: cannot read a value: {err}") from None


def load_facts(
    path: str | os.PathLike[str] | None = None, scenario: Scenario | None = None
) -> Facts:
    """Read and validate a facts file (default: the package's ``facts.yaml``).

    Checks every field: kinds, ids (unique), sources and statements present,
    metric names (against the file's ``actors``), dates, ranges (finite,
    ``lo <= hi``), conditions, variants and their scenario paths. With a
    ``scenario``, also that every date lies within its run.

    Raises:
        FactsError: the first problem, naming the file and the fact.
    """
    p = Path(path) if path is not None else default_facts_path()
    raw = _read(p)
    shown = str(p)
    if not isinstance(raw, dict):
        raise FactsError(f"{shown}: expected a mapping with 'facts:' at the top")
    unknown = sorted(set(raw) - _TOP_KEYS, key=str)
    if unknown:
        raise FactsError(
            f"{shown}: unknown top-level key(s) {', '.join(map(str, unknown))}"
            + _did_you_mean(unknown[0], _TOP_KEYS)
        )
    actors = raw.get("actors")
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        raise FactsError(
            f"{shown}: 'actors' must list the actor ids the metrics may name"
        )
    variants = _parse_variants(raw.get("variants"), shown)
    items = raw.get("facts")
    if not isinstance(items, list) or not items:
        raise FactsError(f"{shown}: 'facts' must be a non-empty list")
    facts, seen = [], set()
    for i, item in enumerate(items):
        try:
            fact = _parse_fact(item, i, actors, variants)
        except FactsError as err:
            raise FactsError(f"{shown}: {err}") from None
        if fact.id in seen:
            raise FactsError(f"{shown}: fact '{fact.id}' is given twice")
        seen.add(fact.id)
        facts.append(fact)
    out = Facts(tuple(facts), variants, tuple(actors), shown)
    if scenario is not None:
        for fact in out:
            try:
                _steps(fact, scenario)
            except FactsError as err:
                raise FactsError(f"{shown}: {err}") from None
    return out


def _step_of(when: str | dt.date, sc: Scenario, where: str) -> int:
    if when == "start":
        return 0
    if when == "end":
        return sc.steps
    end = sc.date_of(sc.steps)
    if not sc.start <= when <= end:
        raise FactsError(
            f"{where}: {when} is outside the run of scenario '{sc.name}' "
            f"({sc.start} to {end}, {sc.steps} steps)"
        )
    return sc.step_of(when)


def _steps(fact: Fact, sc: Scenario) -> tuple[int | None, tuple[int, int] | None]:
    """The step of ``at`` or the steps of ``over`` in ``sc``, checked."""
    where = f"fact '{fact.id}'"
    if fact.over is not None:
        t0 = _step_of(fact.over[0], sc, where)
        t1 = _step_of(fact.over[1], sc, where)
        if t1 <= t0:
            raise FactsError(
                f"{where}: 'over' must run forward over at least one step, "
                f"got {fact.over[0]}..{fact.over[1]}"
            )
        return None, (t0, t1)
    if fact.at is not None:
        return _step_of(fact.at, sc, where), None
    return None, None


# --- measuring a run -----------------------------------------------------------------


def history_until(h: History, step: int) -> History:
    """The history as it stood after ``step`` steps (a view: arrays are shared).

    Every metric of :mod:`sim.results.metrics` reads rows ``0 .. n_rows-1`` only, so a
    metric of the result is the metric "by then"; events and aid flows after
    ``step`` are left out too.
    """
    t = min(max(0, int(step)), h.last)
    return dataclasses.replace(
        h,
        last=t,
        flows=[f for f in h.flows if f.step <= t],
        events=[e for e in h.events if e.get("step", 0) <= t],
    )


@dataclass(frozen=True)
class Measure:
    """How one fact is read from a run (names and steps only: pickles small)."""

    key: str
    metrics: tuple[Metric, ...]
    step: int | None = None
    window: tuple[int, int] | None = None
    reduce: str | None = None

    def value(self, h: History) -> float:
        """The fact's per-seed value in the run whose history is ``h``."""
        if self.window is None:
            cut = history_until(h, self.step if self.step is not None else h.last)
            return float(sum(m.value(cut) for m in self.metrics))
        t0, t1 = self.window
        series = sum(np.asarray(m.series(h), dtype=float) for m in self.metrics)
        part = series[t0 : t1 + 1]
        if self.reduce == "change":
            return float(part[-1] - part[0])
        fn = {"min": np.nanmin, "max": np.nanmax, "mean": np.nanmean}[self.reduce]
        return float(fn(part)) if np.isfinite(part).any() else math.nan


@dataclass(frozen=True)
class FactProbe:
    """A sweep metric function: every fact's value in one run, by fact id."""

    measures: tuple[Measure, ...]

    def __call__(self, model: Any) -> dict[str, float]:
        """``{fact id: value}`` for a finished model."""
        h = model.history
        return {m.key: m.value(h) for m in self.measures}


# --- planning and running ------------------------------------------------------------


@dataclass
class CheckPlan:
    """What a check runs: the scenario, the variants, the sweep points, the probe.

    Attributes:
        scenario: the checked (baseline) scenario.
        facts: the facts.
        variants: names of the runs at each sweep point, ``baseline`` first.
        points: the sweep's points (``{path: value}``; None: baseline only).
        probe: the sweep metric that reads every fact.
        unavailable: ``{fact id: reason}`` for facts reported ``n/a``.
    """

    scenario: Scenario
    facts: Facts
    variants: list[str]
    points: list[dict[str, Any]] | None
    probe: FactProbe
    unavailable: dict[str, str] = field(default_factory=dict)


def _as_scenario(scenario: Any) -> Scenario:
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, str | os.PathLike):
        return load_scenario(scenario)
    if isinstance(scenario, Mapping):
        return scenario_from_dict(dict(scenario))
    raise TypeError(
        "scenario must be a scenario file path, a loaded Scenario or a dict, "
        f"not {type(scenario).__name__}"
    )


def _as_facts(facts: Any, sc: Scenario) -> Facts:
    if facts is None or isinstance(facts, str | os.PathLike):
        return load_facts(facts, sc)
    if isinstance(facts, Facts):
        for fact in facts:
            _steps(fact, sc)
        return facts
    raise TypeError(f"facts must be a path or Facts, not {type(facts).__name__}")


_SEG = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _get(data: Any, path: str) -> Any:
    """The value at a dotted path of plain scenario data (None if absent)."""
    for name, index in _SEG.findall(path):
        if index and isinstance(data, list) and int(index) < len(data):
            data = data[int(index)]
        elif name and isinstance(data, dict):
            data = data.get(name)
        else:
            return None
    return data


def _variant_data(base: dict, variant: Variant, where: str) -> dict:
    """The scenario data of a variant: overrides on, events on those paths off."""
    try:
        data = apply_overrides(base, variant.overrides)
    except ScenarioError as err:
        raise FactsError(f"{where}: {err}") from None
    events = data.get("events") or []
    held = set(variant.overrides)
    kept = [e for e in events if not (e.get("do") == "set" and e.get("path") in held)]
    if len(kept) != len(events):
        data = {**data, "events": kept}
    try:
        scenario_from_dict(data, f"variant '{variant.name}'")
    except ScenarioError as err:
        raise FactsError(f"{where}: {err}") from None
    return data


def plan_check(scenario: Any, facts: Any = None) -> CheckPlan:
    """Validate a scenario and facts together and work out the runs a check needs.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        facts: a facts file, a :class:`Facts`, or None for the package's
                ``facts.yaml``.

    Raises:
        ScenarioError: a bad scenario.
        FactsError: a bad facts file, a date outside the run, a bad variant.
    """
    sc = _as_scenario(scenario)
    fs = _as_facts(facts, sc)
    base = resolved_dict(sc)
    actors = set(sc.actors)
    unavailable: dict[str, str] = {}
    datas: dict[str, dict] = {}
    measures = []
    for fact in fs:
        if not fact.measurable:
            unavailable[fact.id] = f"not measurable: {fact.not_measurable}"
            continue
        missing = sorted(fact.actors - actors)
        if missing:
            unavailable[fact.id] = (
                f"actor {', '.join(missing)} not in scenario '{sc.name}'"
            )
            continue
        if fact.kind == "counterfactual" and fact.variant not in datas:
            where = f"{fs.path}: variant '{fact.variant}'"
            data = _variant_data(base, fs.variants[fact.variant], where)
            if resolved_dict(scenario_from_dict(data)) == base:
                data = None
            datas[fact.variant] = data
        if fact.kind == "counterfactual" and datas[fact.variant] is None:
            unavailable[fact.id] = (
                f"variant '{fact.variant}' changes nothing in scenario '{sc.name}'"
            )
            continue
        step, window = _steps(fact, sc)
        metrics = tuple(parse_metric(m, sc.actors) for m in fact.metrics)
        measures.append(Measure(fact.id, metrics, step, window, fact.reduce))
    used = [v for v, d in datas.items() if d is not None]
    points = None
    if used:
        # One sweep for all runs: every point must set the same paths, so the
        # baseline (and each variant) gives its own value for every path.
        paths = list(dict.fromkeys(p for v in used for p in fs.variants[v].overrides))
        if any(datas[v].get("events") != base.get("events") for v in used):
            paths.append("events")
        points = [
            {p: _get(d, p) for p in paths} for d in [base, *(datas[v] for v in used)]
        ]
    return CheckPlan(
        scenario=sc,
        facts=fs,
        variants=[BASELINE, *used],
        points=points,
        probe=FactProbe(tuple(measures)),
        unavailable=unavailable,
    )


def run_check(
    plan: CheckPlan,
    seeds: int = 20,
    workers: int = 2,
    seed: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run a check's sweep: one row per run with every fact's per-seed value.

    Returns:
        Columns ``variant``, ``replicate``, ``seed`` and one per measured fact.
        Replicate ``r`` has the same seed in every variant (common random
        numbers).
    """
    from sim.experiments.sweep import sweep

    res = sweep(
        plan.scenario,
        plan.points,
        replicates=seeds,
        seed=seed,
        workers=workers,
        metrics=[plan.probe] if plan.probe.measures else None,
        progress=progress,
        common_random_numbers=True,
    )
    keys = [m.key for m in plan.probe.measures]
    out = pd.DataFrame(
        {
            "variant": [plan.variants[p] for p in res["point"]],
            "replicate": res["replicate"].to_numpy(),
            "seed": res["seed"].to_numpy(),
        }
    )
    for k in keys:
        out[k] = res[k].to_numpy(dtype=float)
    return out


# --- scoring -------------------------------------------------------------------------


def wilson(k: int, n: int, z: float = WILSON_Z) -> tuple[float, float]:
    """Wilson score interval of a share ``k / n`` (default: 80%, two-sided)."""
    if n == 0:
        return math.nan, math.nan
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _paired(fact: Fact, runs: pd.DataFrame) -> np.ndarray:
    col = fact.id
    base = runs[runs["variant"] == BASELINE].set_index("replicate")[col]
    alt = runs[runs["variant"] == fact.variant].set_index("replicate")[col]
    b, v = base.align(alt, join="inner")
    b, v = b.to_numpy(dtype=float), v.to_numpy(dtype=float)
    if fact.compare == "variant - baseline":
        return v - b
    if fact.compare == "baseline - variant":
        return b - v
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = (v - b) / np.abs(b)
    return np.where((b == 0) & (v == 0), 0.0, np.where(b == 0, np.nan, rel))


def _row(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "kind": fact.kind,
        "statement": fact.statement,
        "metric": fact.mapping,
        "when": fact.when,
        "statistic": "",
        "model": math.nan,
        "p10": math.nan,
        "p90": math.nan,
        "lo": fact.lo,
        "hi": fact.hi,
        "open": "both"
        if fact.open_lo and fact.open_hi
        else "lo"
        if fact.open_lo
        else "hi"
        if fact.open_hi
        else "",
        "accepted": fact.accepted,
        "share_in_range": math.nan,
        "pass": pd.NA,
        "status": "n/a",
        "counted": False,
        "seeds": 0,
        "source": fact.source,
        "why": fact.why,
        "note": "",
    }


def _score_fact(fact: Fact, runs: pd.DataFrame, reason: str | None) -> dict:
    row = _row(fact)
    if reason is None and fact.id not in runs.columns:
        reason = "not measured in these runs"
    if reason is not None:
        row["note"] = reason
        return row
    if fact.kind == "counterfactual":
        d = _paired(fact, runs)
        d = d[~np.isnan(d)]
        if d.size == 0:
            row["note"] = "no paired values"
            return row
        stat = float(np.median(d) if fact.statistic == "median" else np.mean(d))
        share = float(np.mean(fact.in_range(d)))
        ok = bool(fact.in_range(stat)) and (
            fact.min_share is None or share >= fact.min_share
        )
        what = "relative difference" if fact.compare == "relative" else "difference"
        row.update(
            statistic=f"{fact.statistic} paired {what} ({fact.compare})",
            model=stat,
            p10=float(np.quantile(d, 0.1)),
            p90=float(np.quantile(d, 0.9)),
            share_in_range=share,
            seeds=int(d.size),
        )
        if fact.min_share is not None:
            row["note"] = (
                f"{share:.0%} of seeds in range (needs {fact.min_share:.0%} or more)"
            )
    else:
        x = runs.loc[runs["variant"] == BASELINE, fact.id].to_numpy(dtype=float)
        if fact.holds_if is not None:
            held = fact.holds(x)
            k, n = int(held.sum()), int(x.size)
            if n == 0:
                row["note"] = "no runs"
                return row
            lo80, hi80 = wilson(k, n)
            stat = k / n
            op, value = fact.holds_if
            row.update(
                statistic=f"share of seeds with value {op} {_num(value)}",
                model=stat,
                p10=lo80,
                p90=hi80,
                share_in_range=stat,
                seeds=n,
            )
            ok = bool(fact.in_range(stat))
        else:
            x = x[~np.isnan(x)]
            if x.size == 0:
                row["note"] = "no value in any seed"
                return row
            stat = float(np.median(x))
            row.update(
                statistic="median over seeds",
                model=stat,
                p10=float(np.quantile(x, 0.1)),
                p90=float(np.quantile(x, 0.9)),
                share_in_range=float(np.mean(fact.in_range(x))),
                seeds=int(x.size),
            )
            ok = bool(fact.in_range(stat))
    row.update(
        {"pass": ok, "status": "pass" if ok else "fail", "counted": fact.counted}
    )
    return row


def score(
    facts: Facts, runs: pd.DataFrame, unavailable: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """The scorecard from per-seed values (no model runs: testable on fake data).

    Args:
        facts: the facts.
        runs: one row per run: ``variant`` (``baseline`` or a variant name),
            ``replicate`` (the seed's number, shared across variants) and one
            column per fact id holding that run's value.
        unavailable: ``{fact id: reason}`` of facts to report ``n/a``.

    Returns:
        One row per fact (columns in the module docstring).
    """
    unavailable = dict(unavailable or {})
    rows = []
    for fact in facts:
        reason = unavailable.get(fact.id)
        if reason is None and not fact.measurable:
            reason = f"not measurable: {fact.not_measurable}"
        rows.append(_score_fact(fact, runs, reason))
    df = pd.DataFrame(rows)
    df["pass"] = df["pass"].astype("boolean")
    return df


def score_line(df: pd.DataFrame) -> str:
    """``'N of M facts pass'`` with the inputs and the n/a facts counted apart."""
    counted = df[df["counted"].astype(bool)]
    passed = int((counted["status"] == "pass").sum())
    inputs = df[(df["kind"] == "input") & (df["status"] != "n/a")]
    ok_inputs = int((inputs["status"] == "pass").sum())
    na = int((df["status"] == "n/a").sum())
    parts = [f"{passed} of {len(counted)} facts pass (outcomes and counterfactuals)"]
    if len(inputs):
        parts.append(f"inputs as set: {ok_inputs} of {len(inputs)}")
    if na:
        parts.append(f"{na} n/a")
    return "; ".join(parts) + "."


def scorecard(
    scenario: Any,
    seeds: int = 20,
    workers: int = 2,
    facts: Any = None,
    *,
    seed: int = 0,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Run a scenario's seeds (and the counterfactuals) and score every fact.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        seeds: seeds per variant (the same seeds in every variant).
        workers: worker processes of the sweep.
        facts: a facts file or :class:`Facts` (default ``sim/experiments/facts.yaml``).
        seed: the sweep seed from which the run seeds derive.
        progress: show a progress bar (default: when stderr is a terminal).

    Returns:
        The scorecard (see :func:`score`); ``attrs`` hold ``scenario``,
        ``seeds``, ``seed``, ``variants``, ``runs`` (the number of runs) and
        ``seconds``.
    """
    started = time.perf_counter()
    plan = plan_check(scenario, facts)
    runs = run_check(plan, seeds=seeds, workers=workers, seed=seed, progress=progress)
    df = score(plan.facts, runs, plan.unavailable)
    df.attrs.update(
        scenario=plan.scenario.name,
        seeds=seeds,
        seed=seed,
        variants=list(plan.variants),
        runs=len(runs),
        seconds=time.perf_counter() - started,
    )
    return df


# --- showing it ----------------------------------------------------------------------


def _num(x: Any) -> str:
    """A compact number: 1,850; 22; 0.85; -0.12; 'n/a' for NaN."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return "n/a"
    if math.isnan(x):
        return "n/a"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    if x == round(x):
        return f"{x:.0f}"
    if abs(x) >= 100:
        return f"{x:.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.3g}"


def _model_text(row: Mapping[str, Any], spread: bool = True) -> str:
    """``'share 0.85 [0.74 – 0.92]'``: the statistic, tagged, and its spread."""
    if row["status"] == "n/a":
        return "n/a"
    stat = str(row["statistic"])
    tag = "share " if stat.startswith("share") else "Δ " if "paired" in stat else ""
    if "paired" in stat and stat.startswith("mean"):
        tag = "mean Δ "
    text = f"{tag}{_num(row['model'])}"
    if spread:
        text += f" [{_num(row['p10'])} – {_num(row['p90'])}]"
    return text


_GROUPS = (
    ("outcome", "Outcomes (the model must produce them)"),
    ("counterfactual", "Counterfactuals (paired over the same seeds)"),
    ("input", "Inputs (set by the scenario; not scored)"),
)


def _ordered(df: pd.DataFrame) -> pd.DataFrame:
    """Outcomes, counterfactuals, inputs, then the n/a facts; file order within."""
    rank = {k: i for i, (k, _) in enumerate(_GROUPS)}
    key = [
        (3 if s == "n/a" else rank.get(k, 3), i)
        for i, (k, s) in enumerate(zip(df["kind"], df["status"], strict=True))
    ]
    order = sorted(range(len(df)), key=lambda i: key[i])
    return df.iloc[order]


def format_scorecard(df: pd.DataFrame, width: int = 100) -> str:
    """The scorecard as a terminal table, grouped by kind, and the score line."""
    width = max(72, width)
    id_w = min(32, max(len("fact"), *(len(str(i)) for i in df["id"])))
    acc_w = max(len("accepted"), *(len(str(a)) for a in df["accepted"]))
    res_w = 6
    model_w = max(24, min(40, width - id_w - acc_w - res_w - 3))
    head = (
        f"{'fact':<{id_w}} {'model [p10 – p90]':<{model_w}} "
        f"{'accepted':<{acc_w}} {'result':<{res_w}}"
    )
    lines = [head, "-" * len(head)]
    ordered = _ordered(df)
    current = None
    for _, row in ordered.iterrows():
        group = "n/a" if row["status"] == "n/a" else row["kind"]
        if group != current:
            current = group
            title = dict(_GROUPS).get(group, "Not measured (n/a)")
            lines.append(title)
        fid = str(row["id"])
        fid = fid if len(fid) <= id_w else fid[: id_w - 1] + "…"
        if row["status"] == "n/a":
            note = str(row["note"]).removeprefix("not measurable: ")
            wrapped = textwrap.wrap(note, width - id_w - 1) or [""]
            lines.append(f"{fid:<{id_w}} {wrapped[0]}")
            lines.extend(f"{'':<{id_w}} {more}" for more in wrapped[1:])
            continue
        result = {"pass": "pass", "fail": "FAIL"}[row["status"]]
        model = _model_text(row)
        model = model if len(model) <= model_w else model[: model_w - 1] + "…"
        lines.append(
            f"{fid:<{id_w}} {model:<{model_w}} {row['accepted']:<{acc_w}} {result}"
        )
    lines.append("")
    lines.append(score_line(df))
    return "\n".join(lines)


def plot_scorecard(df: pd.DataFrame, title: str | None = None):
    """One row per fact on one axis, each scaled to its own accepted range.

    The grey band is the accepted range (0 = its low bound, 1 = its high
    bound); the bar is the model's 10–90% range over seeds (for a share of
    seeds, its 80% Wilson interval; for a counterfactual, the spread of the
    paired differences); the dot is the median (or share, or mean
    difference). Green passes, red fails; inputs are drawn lighter, n/a
    facts are listed without marks. Values beyond the axis are clipped to
    its edge, with an arrow.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from sim.plots.style import (
        ALLY_COLOR,
        ENEMY_COLOR,
        NEUTRAL_COLOR,
        new_figure,
        styled,
    )

    rows = _ordered(df).reset_index(drop=True)
    n = len(rows)
    left, right = -1.0, 2.0

    @styled
    def draw():
        fig = new_figure(12.0, 1.6 + 0.42 * max(n, 1))
        ax = fig.add_subplot()
        ax.axvspan(0, 1, color="#DDDDDD", zorder=0)
        for x in (0, 1):
            ax.axvline(x, color="#888888", lw=1, zorder=1)
        labels, notes = [], []
        for i, row in rows.iterrows():
            y = n - 1 - i
            kind = row["kind"]
            tag = " (input)" if kind == "input" else ""
            labels.append(f"{row['id']}{tag}")
            if row["status"] == "n/a":
                notes.append("n/a")
                ax.text(
                    0.5,
                    y,
                    "not measured",
                    ha="center",
                    va="center",
                    color=NEUTRAL_COLOR,
                    fontsize=11,
                    style="italic",
                )
                continue
            lo, hi = float(row["lo"]), float(row["hi"])
            span = hi - lo if hi > lo else (abs(lo) or 1.0)
            base = lo if hi > lo else lo - span / 2

            def scale(x, base=base, span=span):
                return (float(x) - base) / span

            colour = ALLY_COLOR if row["status"] == "pass" else ENEMY_COLOR
            alpha = 0.45 if kind == "input" else 1.0
            a, b = sorted((scale(row["p10"]), scale(row["p90"])))
            ax.plot(
                [max(a, left), min(b, right)],
                [y, y],
                color=colour,
                lw=7,
                alpha=0.55 * alpha,
                solid_capstyle="butt",
                zorder=2,
            )
            m = scale(row["model"])
            marker = "<" if m < left else ">" if m > right else "o"
            ax.plot(
                [min(max(m, left), right)],
                [y],
                marker=marker,
                ms=11,
                color=colour,
                mec="white",
                alpha=alpha,
                zorder=3,
            )
            notes.append(f"{_model_text(row, spread=False)} · {row['accepted']}")
        groups = [
            "n/a" if st == "n/a" else k
            for k, st in zip(rows["kind"], rows["status"], strict=True)
        ]
        for i in range(1, n):
            if groups[i] != groups[i - 1]:
                ax.axhline(n - i - 0.5, color="#888888", lw=0.8, ls=":")
        ax.set_yticks(range(n - 1, -1, -1), labels)
        ax.set_ylim(-0.7, n - 0.3)
        ax.set_xlim(left, right)
        ax.set_xticks([-1, 0, 0.5, 1, 2], ["", "low bound", "", "high bound", ""])
        ax.set_xlabel("position in the accepted range (each fact scaled to its own)")
        twin = ax.twinx()
        twin.set_ylim(ax.get_ylim())
        twin.set_yticks(range(n - 1, -1, -1), notes)
        twin.tick_params(length=0)
        for spine in ("top", "right"):
            twin.spines[spine].set_visible(False)
        passed = int(((rows["status"] == "pass") & rows["counted"]).sum())
        counted = int(rows["counted"].sum())
        ax.set_title(
            title or f"Scorecard: {passed} of {counted} facts pass", loc="left"
        )
        fig.legend(
            handles=[
                Patch(color="#DDDDDD", label="accepted range"),
                Line2D(
                    [],
                    [],
                    color=ALLY_COLOR,
                    lw=7,
                    alpha=0.55,
                    label="model 10–90% (pass)",
                ),
                Line2D(
                    [],
                    [],
                    color=ENEMY_COLOR,
                    lw=7,
                    alpha=0.55,
                    label="model 10–90% (fail)",
                ),
                Line2D(
                    [],
                    [],
                    marker="o",
                    ls="",
                    color="#555555",
                    ms=10,
                    label="median / share",
                ),
            ],
            loc="outside lower center",
            ncol=4,
            frameon=False,
        )
        return fig

    return draw()
