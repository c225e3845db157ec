"""Words and numbers as the user reads them: one home for shared wording helpers.

Every message that suggests a name, every date in a chronicle or report and
every compact number in a terminal table is made here, so the package says
things one way.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections.abc import Iterable
from typing import Any


def closest(word: Any, choices: Iterable[Any], cutoff: float = 0.6) -> str | None:
    """The choice closest to ``word`` (case-insensitive), or None if none is near.

    Used for "did you mean" hints: a user who types ``rusia`` or ``Russia``
    should be pointed at ``russia``.
    """
    lower = {str(c).lower(): str(c) for c in choices}
    key = str(word).lower()
    if key in lower:
        return lower[key]
    hits = difflib.get_close_matches(key, list(lower), n=1, cutoff=cutoff)
    return lower[hits[0]] if hits else None


def did_you_mean(
    word: Any, choices: Iterable[Any], cutoff: float = 0.6, *, ties: bool = False
) -> str:
    """``"; did you mean 'X'?"`` for the closest choice, or ``""`` if none is near.

    The suffix is appended to an "unknown name" message, so every error that
    names a misspelt key, actor, province or metric reads the same. With
    ``ties``, every choice as close as the closest is named (``'--seed' or
    '--seeds'``): when two are equally near, picking one would be a guess.
    """
    if not ties:
        hit = closest(word, choices, cutoff)
        return f"; did you mean '{hit}'?" if hit is not None else ""
    hits = closest_ties(word, choices, cutoff)
    return "; did you mean " + " or ".join(f"'{h}'" for h in hits) + "?" if hits else ""


def closest_ties(word: Any, choices: Iterable[Any], cutoff: float = 0.6) -> list[str]:
    """Every choice as close to ``word`` as the closest (case-insensitive), in order.

    Empty if none is within ``cutoff``; a choice equal to ``word`` but for
    its case is the only one.
    """
    names = [str(c) for c in choices]
    key = str(word).lower()
    exact = [n for n in names if n.lower() == key]
    if exact:
        return exact[:1]
    scores = {n: difflib.SequenceMatcher(None, key, n.lower()).ratio() for n in names}
    best = max(scores.values(), default=0.0)
    return [n for n in names if scores[n] == best] if best >= cutoff else []


def printable(text: str) -> str:
    """``text`` on one line: line breaks and other control characters escaped.

    Error messages must stay one paragraph whatever a file contains.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def clip(text: str, limit: int = 80) -> str:
    """``text``, printable, or its start and its length when longer than ``limit``.

    Keeps a megabyte-long value in a bad file from flooding the terminal.
    """
    text = printable(text)
    return text if len(text) <= limit else f"{text[:60]}… ({len(text):,} characters)"


def long_date(d: dt.date | str) -> str:
    """A date as prose writes it: ``12 February 2016`` (ISO strings accepted)."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.day} {d:%B %Y}"


def compact_number(x: Any, missing: str = "–") -> str:
    """A number for a narrow table: 1,850; 312; 22.4; 0.85; ``missing`` for NaN.

    Thousands get separators and no decimals, hundreds one decimal, smaller
    values three significant digits, so columns of very different sizes
    stay readable side by side.
    """
    try:
        x = float(x)
    except (TypeError, ValueError):
        return missing
    if math.isnan(x):
        return missing
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 100 else f"{x:.3g}"
