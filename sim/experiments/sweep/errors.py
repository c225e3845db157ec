"""The two ways a sweep fails: it cannot start as asked, or one of its runs failed."""

from __future__ import annotations


class SweepError(ValueError):
    """A sweep that cannot run as asked: design, ranges, options or output dir."""


class RunError(RuntimeError):
    """One run of a sweep failed (the model or a user metric raised)."""
