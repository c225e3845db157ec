"""Scenario data that remembers where each value came from.

YAML is read into :class:`Map` and :class:`Seq`: a dict and a list that keep
their own origin (``at``) and each key's or item's (``lines``). Merging,
overrides and validation pass these along, so an error found at the end still
names the file and line the user wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sim.scenario.errors import Origin


class Map(dict):
    """A YAML mapping that remembers its origin (``at``) and each key's."""


class Seq(list):
    """A YAML list that remembers its origin (``at``) and each item's."""


def new(cls: type, at: Origin) -> Any:
    """An empty :class:`Map` or :class:`Seq` that started at ``at``."""
    obj = cls()
    obj.at, obj.lines = at, {}
    return obj


def copy(obj: Any) -> Any:
    """A shallow copy of a dict or list, with its origins when it has them."""
    new_obj = type(obj)(obj)
    if hasattr(obj, "lines"):
        new_obj.at, new_obj.lines = obj.at, dict(obj.lines)
    return new_obj


def plain(obj: Any) -> Any:
    """The data as plain dicts and lists, for pydantic and for callers."""
    if isinstance(obj, dict):
        return {k: plain(v) for k, v in obj.items()}
    return [plain(v) for v in obj] if isinstance(obj, list) else obj


def locate(tree: Any, segs: Sequence[Any], root: Origin) -> Origin:
    """Origin of the deepest node along ``segs`` that exists in ``tree``."""
    best, cur = getattr(tree, "at", root), tree
    for seg in segs:
        if not (isinstance(cur, dict) and seg in cur) and not (
            isinstance(cur, list) and isinstance(seg, int) and seg < len(cur)
        ):
            break
        best, cur = getattr(cur, "lines", {}).get(seg, best), cur[seg]
    return best
