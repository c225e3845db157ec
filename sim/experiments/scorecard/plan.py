"""Planning a check: which facts can be measured, which runs they need.

All runs (the baseline and every variant a fact needs) go through one
:func:`sim.experiments.sweep.sweep`, so the seeds are shared (common random
numbers) and the pool is started once. A plan is worked out, and every
input validated, before any model runs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from sim.experiments.sweep import as_scenario
from sim.results.metrics import parse_metric
from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    resolved_dict,
    scenario_from_dict,
)
from sim.scenario.schema import Scenario

from .facts import BASELINE, Fact, Facts, FactsError, Variant, fact_steps
from .facts_file import load_facts
from .measure import FactProbe, Measure


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
    return as_scenario(scenario, TypeError)


def _as_facts(facts: Any, sc: Scenario) -> Facts:
    if facts is None or isinstance(facts, str | os.PathLike):
        return load_facts(facts, sc)
    if isinstance(facts, Facts):
        for fact in facts:
            fact_steps(fact, sc)
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


def _unavailable(
    fact: Fact, fs: Facts, sc: Scenario, base: dict, datas: dict[str, dict | None]
) -> str | None:
    """Why ``fact`` is ``n/a`` in ``sc`` (None if it can be measured).

    Fills ``datas`` with the scenario data of each variant met (None for a
    variant that changes nothing), so each variant is built once.
    """
    if not fact.measurable:
        return f"not measurable: {fact.not_measurable}"
    missing = sorted(fact.actors - set(sc.actors))
    if missing:
        return f"actor {', '.join(missing)} not in scenario '{sc.name}'"
    if fact.kind != "counterfactual":
        return None
    if fact.variant not in datas:
        where = f"{fs.path}: variant '{fact.variant}'"
        data = _variant_data(base, fs.variants[fact.variant], where)
        if resolved_dict(scenario_from_dict(data)) == base:
            data = None
        datas[fact.variant] = data
    if datas[fact.variant] is None:
        return f"variant '{fact.variant}' changes nothing in scenario '{sc.name}'"
    return None


def _sweep_points(
    fs: Facts, base: dict, datas: dict[str, dict | None], used: list[str]
) -> list[dict[str, Any]] | None:
    """The sweep's points: the baseline's values, then each used variant's."""
    if not used:
        return None
    # One sweep for all runs: every point must set the same paths, so the
    # baseline (and each variant) gives its own value for every path.
    paths = list(dict.fromkeys(p for v in used for p in fs.variants[v].overrides))
    if any(datas[v].get("events") != base.get("events") for v in used):
        paths.append("events")
    return [{p: _get(d, p) for p in paths} for d in [base, *(datas[v] for v in used)]]


def plan_check(scenario: Any, facts: Any = None) -> CheckPlan:
    """Validate a scenario and facts together and work out the runs a check needs.

    Args:
        scenario: a scenario file, a loaded Scenario or a dict.
        facts: a facts file, a :class:`~.facts.Facts`, or None for the
            package's ``facts.yaml``.

    Raises:
        ScenarioError: a bad scenario.
        FactsError: a bad facts file, a date outside the run, a bad variant.
    """
    sc = _as_scenario(scenario)
    fs = _as_facts(facts, sc)
    base = resolved_dict(sc)
    unavailable: dict[str, str] = {}
    datas: dict[str, dict | None] = {}
    measures = []
    for fact in fs:
        reason = _unavailable(fact, fs, sc, base, datas)
        if reason is not None:
            unavailable[fact.id] = reason
            continue
        step, window = fact_steps(fact, sc)
        metrics = tuple(parse_metric(m, sc.actors) for m in fact.metrics)
        measures.append(Measure(fact.id, metrics, step, window, fact.reduce))
    used = [v for v, d in datas.items() if d is not None]
    return CheckPlan(
        scenario=sc,
        facts=fs,
        variants=[BASELINE, *used],
        points=_sweep_points(fs, base, datas, used),
        probe=FactProbe(tuple(measures)),
        unavailable=unavailable,
    )
