"""Reading a facts file: YAML in, validated :class:`~.facts.Facts` out.

The whole file is checked before any model runs, so a typo in the last fact
costs seconds, not a sweep; every error names the file, the fact (or
variant) and the field, and the line the fact starts on.

The file is read by the same hardened YAML reader as scenarios
(:func:`sim.scenario.yaml_reader.read_yaml` with its :data:`FACTS` kind): a
regular file of at most :data:`sim.files.FACTS_MAX_BYTES`, no tags, no YAML
alias bombs, no nesting deeper than any fact needs, and a key given twice in
one mapping is an error naming both lines. Values are quoted clipped.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sim.scenario import tree
from sim.scenario.errors import show
from sim.scenario.loader import ScenarioError, validate_path
from sim.scenario.schema import Scenario
from sim.scenario.yaml_reader import FACTS, read_yaml
from sim.text import clip, did_you_mean

from .fact_fields import (
    condition_field,
    counterfactual_fields,
    metrics_field,
    range_fields,
    text_field,
    timing_fields,
)
from .facts import (
    BASELINE,
    CLASSES,
    ID_PATTERN,
    KINDS,
    Fact,
    Facts,
    FactsError,
    Variant,
    default_facts_path,
    fact_steps,
)

_FACT_KEYS = {
    "id",
    "kind",
    "class",
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
_COUNTERFACTUAL_KEYS = {"variant", "compare", "statistic", "min_share"}


def _refuse_unknown_keys(
    raw: dict, known: set[str], where: str, what: str = "key(s)", hint: bool = True
) -> None:
    """Raise on keys outside ``known``, naming them (and the nearest known key)."""
    unknown = sorted(set(raw) - known, key=str)
    if unknown:
        suggestion = did_you_mean(unknown[0], known) if hint else ""
        names = clip(", ".join(map(str, unknown)), 200)
        raise FactsError(f"{where}: unknown {what} {names}" + suggestion)


def _fact_id(raw: Any, i: int) -> str:
    where = f"facts[{i}]"
    if not isinstance(raw, dict):
        raise FactsError(f"{where}: each fact must be a mapping (id: ..., ...)")
    fid = raw.get("id")
    if not isinstance(fid, str) or not ID_PATTERN.fullmatch(fid):
        raise FactsError(
            f"{where}: 'id' must be a short name of a-z, 0-9 and '_', got {show(fid)}"
        )
    return fid


def _fact_class(raw: dict, kind: str, where: str) -> str:
    """The fact's class: input, calibration or validation (an input kind is input).

    Every scored fact says whether it was used to tune the scenario, so the
    reader refuses one without a class rather than guess.
    """
    cls = raw.get("class")
    if cls is None and kind == "input":
        return "input"
    if cls not in CLASSES:
        got = "nothing" if cls is None else repr(cls)
        raise FactsError(
            f"{where}: 'class' must be one of {', '.join(CLASSES)} (input: set by "
            "the scenario; calibration: used to tune it; validation: never used "
            f"to tune), got {got}" + did_you_mean(cls, CLASSES)
        )
    if kind == "input" and cls != "input":
        raise FactsError(f"{where}: a fact of kind input is of class input")
    return cls


def _parse_fact(raw: Any, i: int, actors: list[str], variants: dict) -> Fact:
    fid = _fact_id(raw, i)
    where = f"fact '{clip(fid)}'"
    _refuse_unknown_keys(raw, _FACT_KEYS, where)
    kind = raw.get("kind")
    if kind not in KINDS:
        raise FactsError(
            f"{where}: 'kind' must be one of {', '.join(KINDS)}, got {show(kind)}"
        )
    common = {
        "id": fid,
        "kind": kind,
        "fact_class": _fact_class(raw, kind, where),
        "statement": text_field(raw, "statement", where),
        "source": text_field(raw, "source", where),
        "observed": text_field(raw, "observed", where),
        "why": text_field(raw, "why", where),
    }
    reason = text_field(raw, "not_measurable", where, required=False)
    if reason is not None:
        extra = sorted(set(raw) & {"metric", "at", "over", "range", "variant"})
        if extra:
            raise FactsError(
                f"{where}: a not_measurable fact has no {', '.join(extra)}"
            )
        return Fact(**common, not_measurable=reason)
    return _measured_fact(raw, common, actors, variants, where)


def _measured_fact(
    raw: dict, common: dict, actors: list[str], variants: dict, where: str
) -> Fact:
    """The fact with its metric, timing, range and kind-specific fields."""
    kind = common["kind"]
    if "metric" not in raw:
        raise FactsError(
            f"{where}: give 'metric' (what the model measures), or "
            "'not_measurable' with the reason it cannot"
        )
    metrics = metrics_field(raw["metric"], actors, where)
    spec = timing_fields(raw, metrics, actors, where)
    lo, hi, open_lo, open_hi = range_fields(raw, where)
    extra: dict[str, Any] = {}
    if kind == "counterfactual":
        extra = counterfactual_fields(raw, variants, where)
    else:
        stray = sorted(set(raw) & _COUNTERFACTUAL_KEYS)
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
        holds_if = condition_field(raw["holds_if"], where)
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


def _parse_variant(name: Any, spec: Any, path: str) -> Variant:
    where = f"{path}: variant '{clip(str(name))}'"
    if not isinstance(name, str) or not ID_PATTERN.fullmatch(name) or name == BASELINE:
        raise FactsError(
            f"{where}: a variant name is a-z, 0-9 and '_' (not 'baseline')"
        )
    if not isinstance(spec, dict):
        raise FactsError(f"{where}: expected {{label: ..., set: {{path: value}}}}")
    _refuse_unknown_keys(spec, _VARIANT_KEYS, where, hint=False)
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
    return Variant(
        name,
        text_field(spec, "label", where, required=False) or name,
        text_field(spec, "description", where, required=False) or "",
        {str(k): v for k, v in overrides.items()},
    )


def _parse_variants(raw: Any, path: str) -> dict[str, Variant]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise FactsError(f"{path}: 'variants' must map names to {{set: ...}}")
    return {name: _parse_variant(name, spec, path) for name, spec in raw.items()}


def _read(path: Path) -> tuple[Any, dict[int, int]]:
    """The file as plain data, and the line each item of ``facts`` starts on."""
    try:
        data = read_yaml(path, str(path), FACTS)
    except ScenarioError as err:
        raise FactsError(str(err)) from None
    items = data.get("facts")
    lines = {i: o.line for i, o in getattr(items, "lines", {}).items()}
    return tree.plain(data), lines


def _parse_facts(
    items: Any, actors: list[str], variants: dict, shown: str, lines: dict[int, int]
) -> list:
    if not isinstance(items, list) or not items:
        raise FactsError(f"{shown}: 'facts' must be a non-empty list")
    facts, seen = [], set()
    for i, item in enumerate(items):
        where = f"{shown}, line {lines[i]}" if i in lines else shown
        try:
            fact = _parse_fact(item, i, actors, variants)
        except FactsError as err:
            raise FactsError(f"{where}: {err}") from None
        if fact.id in seen:
            raise FactsError(f"{where}: fact '{fact.id}' is given twice")
        seen.add(fact.id)
        facts.append(fact)
    return facts


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
    raw, lines = _read(p)
    shown = str(p)
    _refuse_unknown_keys(raw, _TOP_KEYS, shown, what="top-level key(s)")
    actors = raw.get("actors")
    if not isinstance(actors, list) or not all(isinstance(a, str) for a in actors):
        raise FactsError(
            f"{shown}: 'actors' must list the actor ids the metrics may name"
        )
    variants = _parse_variants(raw.get("variants"), shown)
    facts = _parse_facts(raw.get("facts"), actors, variants, shown, lines)
    out = Facts(tuple(facts), variants, tuple(actors), shown)
    if scenario is not None:
        for fact in out:
            try:
                fact_steps(fact, scenario)
            except FactsError as err:
                raise FactsError(f"{shown}: {err}") from None
    return out
