"""The fields of one fact, each read and checked on its own.

Every reader takes the raw YAML value and ``where`` (``fact 'id'``), and
raises :class:`~.facts.FactsError` with a message that names the field and
says what it should be, so a bad facts file is fixed from the message alone.
Values are quoted as YAML spells them, clipped (``show``), never a huge repr.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from sim.results.metrics import MetricError, parse_metric
from sim.scenario.errors import show
from sim.text import did_you_mean

from .facts import COMPARES, OPEN, REDUCERS, STATISTICS, FactsError

_CONDITION = re.compile(r"\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*")


def text_field(raw: dict, key: str, where: str, required: bool = True) -> str | None:
    """A text field on one line (None if absent and not ``required``).

    Facts are read aloud in tables, so a text field is plain words, never a
    list or mapping.
    """
    value = raw.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FactsError(f"{where}: '{key}' is missing (give it in plain words)")
        return None
    if isinstance(value, list | dict):
        raise FactsError(f"{where}: '{key}' must be text, not a list or mapping")
    return " ".join(str(value).split())


def number_field(value: Any, what: str, where: str) -> float:
    """A finite number (not a bool): a bound or share that can be compared."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FactsError(f"{where}: {what} must be a number, got {show(value)}")
    if not math.isfinite(value):
        raise FactsError(f"{where}: {what} must be finite, got {show(value)}")
    return float(value)


def date_field(value: Any, what: str, where: str) -> str | dt.date:
    """A date, or ``start`` / ``end`` of whatever run is checked."""
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
        f"got {show(value)}"
    )


def metrics_field(raw: Any, actors: list[str], where: str) -> tuple[str, ...]:
    """The metric names of a fact (one, or a list that is summed), checked."""
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


def timing_fields(raw: dict, metrics: tuple, actors: list[str], where: str) -> dict:
    """``{at: ...}`` or ``{over: (from, to), reduce: ...}``: when a fact is read.

    A window needs a per-step series to reduce, so whole-run metrics are
    refused with ``over``.
    """
    has_at, has_over = raw.get("at") is not None, raw.get("over") is not None
    if has_at == has_over:
        raise FactsError(
            f"{where}: give either 'at' (a date, start or end) or 'over' "
            "([from, to] with 'reduce')"
        )
    if has_at:
        if raw.get("reduce") is not None:
            raise FactsError(f"{where}: 'reduce' goes with 'over', not with 'at'")
        return {"at": date_field(raw["at"], "'at'", where)}
    over = raw["over"]
    if not isinstance(over, list) or len(over) != 2:
        raise FactsError(f"{where}: 'over' must be [from, to], got {show(over)}")
    window = (
        date_field(over[0], "'over' from", where),
        date_field(over[1], "'over' to", where),
    )
    reduce = raw.get("reduce")
    if reduce not in REDUCERS:
        raise FactsError(
            f"{where}: 'over' needs 'reduce': one of {', '.join(REDUCERS)}, "
            f"got {show(reduce)}"
        )
    for name in metrics:
        if not parse_metric(name, actors).per_step:
            raise FactsError(
                f"{where}: '{name}' is a whole-run metric with no weekly series; "
                "read it 'at' a date instead of 'over' a window"
            )
    return {"over": window, "reduce": reduce}


def range_fields(raw: dict, where: str) -> tuple[float, float, bool, bool]:
    """``(lo, hi, open_lo, open_hi)``: the accepted range, never empty."""
    rng = raw.get("range")
    if not isinstance(rng, list) or len(rng) != 2:
        raise FactsError(f"{where}: 'range' must be [lo, hi], got {show(rng)}")
    lo, hi = (number_field(v, "each bound of 'range'", where) for v in rng)
    if lo > hi:
        raise FactsError(f"{where}: 'range' has lo > hi ({lo:g} > {hi:g})")
    opened = raw.get("open")
    if opened is not None and opened not in OPEN:
        raise FactsError(
            f"{where}: 'open' must be lo, hi or both (the strict bounds), "
            f"got {show(opened)}"
        )
    open_lo, open_hi = opened in ("lo", "both"), opened in ("hi", "both")
    if lo == hi and (open_lo or open_hi):
        raise FactsError(f"{where}: an open range [{lo:g}, {hi:g}] is empty")
    return lo, hi, open_lo, open_hi


def condition_field(raw: Any, where: str) -> tuple[str, float]:
    """``(operator, value)`` of ``holds_if``, e.g. ``('>', 0.0)`` from ``'> 0'``."""
    m = _CONDITION.fullmatch(str(raw))
    try:
        value = float(m[2]) if m else math.nan
    except ValueError:
        value = math.nan
    if not m or not math.isfinite(value):
        raise FactsError(
            f"{where}: 'holds_if' must be a comparison such as '> 0' or '>= 1', "
            f"got {show(raw)}"
        )
    return m[1], value


def counterfactual_fields(raw: dict, variants: dict, where: str) -> dict:
    """``variant``, ``compare``, ``statistic`` and ``min_share`` of a counterfactual."""
    name = raw.get("variant")
    if name not in variants:
        known = ", ".join(variants) or "none defined"
        raise FactsError(
            f"{where}: 'variant' must name a variant of the file ({known}), "
            f"got {show(name)}" + did_you_mean(name, variants)
        )
    compare = raw.get("compare")
    if compare not in COMPARES:
        raise FactsError(
            f"{where}: 'compare' must be one of {', '.join(map(repr, COMPARES))}, "
            f"got {show(compare)}"
        )
    statistic = raw.get("statistic", "median")
    if statistic not in STATISTICS:
        raise FactsError(
            f"{where}: 'statistic' must be median or mean, got {show(statistic)}"
        )
    min_share = raw.get("min_share")
    if min_share is not None:
        min_share = number_field(min_share, "'min_share'", where)
        if not 0 <= min_share <= 1:
            raise FactsError(f"{where}: 'min_share' is a share, within [0, 1]")
    return {
        "variant": name,
        "compare": compare,
        "statistic": statistic,
        "min_share": min_share,
    }
