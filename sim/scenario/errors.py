"""What went wrong in a scenario, said once: the error and the words it uses.

Every problem with a scenario (a YAML slip, a wrong type, a misspelt actor, a
bad ``--set``) ends as one :class:`ScenarioError` that names the file, the
line, the key path and, for a misspelt name, the closest valid one. The
helpers here render offending values and "unknown name" messages the same way
wherever the problem is found.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any, NamedTuple

from sim.text import clip, did_you_mean, printable


class ScenarioError(Exception):
    """A scenario that cannot be used: where and why, in one paragraph.

    Attributes:
        file: the scenario file at fault (None for an override).
        line: 1-based line in ``file``, when YAML gives one.
        path: dotted key path such as ``actors.russia.resources``.
        message: what was expected, with "did you mean" when a name is close.
        where: the override at fault instead of a file, e.g. ``--set steps=x``.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        where: str | None = None,
    ) -> None:
        self.message, self.file, self.line = message, file, line
        self.path, self.where = path, where
        super().__init__(message, file, line, path, where)  # args: picklable

    def __str__(self) -> str:
        """Render as ``file, line N, at path: message``."""
        head = [self.where or self.file, self.line and f"line {self.line}"]
        path = self.path and f"at {printable(self.path)}"
        head = ", ".join(filter(None, [*head, path]))
        return f"{head}: {self.message}" if head else self.message


class Origin(NamedTuple):
    """Where a value came from: a file and line, or an override (``where``).

    Kept beside every key and list item read from YAML, so an error found
    after merging and validation still points at the line the user wrote.
    """

    file: str | None = None
    line: int | None = None
    where: str | None = None


def unknown(noun: str, name: Any, valid: Iterable[Any]) -> str:
    """``unknown actor 'rusia'; did you mean 'russia'?`` for a name not in ``valid``."""
    return f"unknown {noun} '{clip(str(name))}'" + did_you_mean(name, valid)


def show(v: Any) -> str:
    """A value as an error message quotes it: as YAML spells it, never too long.

    ``null``, ``true``, ``.nan``, ``'text'``, "a mapping", "a number of 1,000
    digits": the user sees what they wrote, not Python's spelling of it.
    """
    if isinstance(v, float) and not math.isfinite(v):
        return ".nan" if math.isnan(v) else ("-.inf" if v < 0 else ".inf")
    if v is None or isinstance(v, bool):
        return {None: "null", True: "true", False: "false"}[v]
    if isinstance(v, dict | list | tuple):
        return "a mapping" if isinstance(v, dict) else "a list"
    if isinstance(v, int) and abs(v) >= 10**80:
        return f"a number of {len(str(abs(v))):,} digits"
    return repr(clip(v)) if isinstance(v, str) else clip(str(v))
