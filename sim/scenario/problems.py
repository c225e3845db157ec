"""Pydantic's validation errors as a user reads them: located, in plain words.

Pydantic reports ``('actors', 'russia', 'resources')`` and "Input should be a
valid number"; a scenario author needs ``scenarios/x.yaml, line 12, at
actors.russia.resources: expected a number, got 'lots'``. Problems are
gathered as ``(rank, key path, message)`` and the first one, by rank and then
by line, becomes the :class:`ScenarioError`, which counts the rest.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError, show
from sim.scenario.paths import format_path
from sim.scenario.schema import Scenario
from sim.scenario.schema_paths import ANY_MAP, descend
from sim.text import clip, did_you_mean

_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")

_MESSAGES = {
    "missing": "missing required key '{last}'",
    "extra_forbidden": "unknown key '{last}'",
    "float_parsing float_type": "expected a number, got {got}",
    "finite_number": "expected a finite number, got {got}",
    "int_parsing int_type int_from_float": "expected a whole number, got {got}",
    "bool_parsing bool_type": "expected true or false, got {got}",
    "string_type": "expected text, got {got}",
    "greater_than_equal": "must be ≥ {ge:g}, got {got}",
    "greater_than": "must be > {gt:g}, got {got}",
    "less_than_equal": "must be ≤ {le:g}, got {got}",
    "less_than": "must be < {lt:g}, got {got}",
    "dict_type model_type model_attributes_type": "expected a mapping (key: value), "
    "got {got}",
    "list_type tuple_type": "expected a list, got {got}",
    "too_short": "expected at least {min_length} item(s), got {actual_length}",
    "too_long": "expected at most {max_length} item(s), got {actual_length}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters long",
    "string_pattern_mismatch": "must match the pattern {pattern}, got {got}",
    "literal_error": "expected one of {expected}, got {got}",
    "union_tag_invalid": "unknown event kind {got}; expected one of {expected_tags}",
    "union_tag_not_found": "missing key 'do', the kind of event (set, splinter, "
    "shock or aid)",
}
_MESSAGES = {k: v for keys, v in _MESSAGES.items() for k in keys.split()}


def _clean_loc(loc: tuple, data: Any) -> tuple[list, bool, bool]:
    """Pydantic's loc → a data path without union tags; (path, via union, key?)."""
    segs, cur, via_union, is_key = [], data, False, False
    for seg in loc:
        if seg == "[key]":
            is_key = True
        elif (isinstance(cur, dict) and seg in cur) or (
            isinstance(cur, list) and isinstance(seg, int) and seg < len(cur)
        ):
            segs, cur = [*segs, seg], cur[seg]
        elif isinstance(cur, dict) and seg == cur.get("do"):
            pass  # the discriminator tag of an event
        elif isinstance(cur, dict) and _FIELD_NAME.fullmatch(str(seg)):
            segs, cur = [*segs, seg], None  # a missing key
        else:
            via_union = True  # a union member's label, e.g. 'ForceSpec'
    return segs, via_union, is_key


def _special_case(err: Mapping[str, Any], got: str, is_key: bool) -> str | None:
    """Errors whose pydantic wording or template would mislead; None for others."""
    kind, ctx, inp = err["type"], dict(err.get("ctx") or {}), err.get("input")
    if isinstance(inp, float) and not math.isfinite(inp):
        return f"expected a finite number, got {got}"
    if is_key and kind == "string_pattern_mismatch":
        return f"actor id {got} must start with a-z and hold only a-z, 0-9 and '_'"
    if kind == "string_pattern_mismatch" and ctx["pattern"].startswith("^#"):
        return f"expected a colour like '#1f77b4', got {got}"
    if kind.startswith("date"):
        return f"expected a date like 2016-02-12, got {got}"
    if kind == "missing" and isinstance(err["loc"][-1], int):  # a tuple too short
        return f"too few items: item [{err['loc'][-1]}] is missing"
    if kind not in _MESSAGES:
        return err["msg"].removeprefix("Value error, ")
    return None


def _explain(err: Mapping[str, Any], segs: list, is_key: bool) -> str:
    """A plain-language "expected ..." for one pydantic error."""
    kind, ctx, inp = err["type"], dict(err.get("ctx") or {}), err.get("input")
    got = show(segs[-1] if is_key else ctx.get("tag", inp))
    if (special := _special_case(err, got, is_key)) is not None:
        return special
    last = clip(str(segs[-1])) if segs else ""
    msg = _MESSAGES[kind].format(last=last, got=got, **ctx)
    if kind in ("literal_error", "union_tag_invalid"):
        options = re.findall(
            r"'([^']*)'", ctx.get("expected", "") + ctx.get("expected_tags", "")
        )
        return msg + did_you_mean(ctx.get("tag", inp), options)
    if kind == "extra_forbidden":  # suggest a field of the enclosing model
        types_, fields = [Scenario], [None, *segs]
        for i, seg in enumerate(segs):
            types_, _, names, _ = descend(types_, seg, fields[i], False, None, ANY_MAP)
        msg += did_you_mean(segs[-1], names)
    return msg


def pydantic_problems(exc: ValidationError, data: Any, prefix: list) -> list:
    """(rank, path, message) per error; rank 1 = missing key, 2 = union mismatch.

    Args:
        exc: what pydantic raised.
        data: the data it validated, to tell keys present from keys missing.
        prefix: the path of ``data`` inside the scenario.
    """
    out = []
    for err in exc.errors(include_url=False):
        segs, via_union, is_key = _clean_loc(err["loc"], data)
        segs = [*prefix, *segs] + ["do"] * err["type"].startswith("union_tag")
        rank = 2 if via_union and err["type"].endswith("_type") else 0
        rank = rank or int(err["type"] == "missing")
        out.append((rank, segs, _explain(err, segs, is_key)))
    return out


def first_error(problems: list, data: Any, root: Origin) -> ScenarioError:
    """The first problem (by rank, line, path) as an error that counts the rest.

    Args:
        problems: ``(rank, path segments, message)`` triples.
        data: the scenario tree, whose recorded lines locate each path.
        root: where the scenario came from, for paths the tree does not hold.
    """
    if any(rank < 2 for rank, _, _ in problems):
        problems = [p for p in problems if p[0] < 2]
    problems = list(
        {format_path(segs): (r, segs, m) for r, segs, m in problems[::-1]}.values()
    )
    located = [
        (rank, tree.locate(data, segs, root), segs, msg) for rank, segs, msg in problems
    ]
    # among union mismatches (rank 2), the deepest is the member the user meant
    located.sort(
        key=lambda p: (
            p[0],
            -len(p[2]) if p[0] == 2 else 0,
            p[1].line or 0,
            format_path(p[2]),
            p[1].file or "",
        )
    )
    _, origin, segs, msg = located[0]
    if (n := len(located) - 1) > 0:
        msg += f" (and {n} more problem{'s' * (n > 1)})"
    return ScenarioError(
        msg, origin.file, origin.line, format_path(segs) or None, origin.where
    )
