"""The dashboard trusts nothing the page sends: every value checked on the server.

A browser can send any message over its websocket, not only what the page's
widgets offer. So the scenario picker accepts only the listed scenarios
(:func:`pick_scenario`), each slider value is checked against its bounds
from the scenario schema (:func:`check_slider`), the seed must be a whole
number in the schema's range (:func:`check_seed`), each session's work is
bounded (:class:`Budget`), and no traceback reaches the page
(:func:`shielded`): the page gets one short sentence, the server's log the
details.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Mapping
from typing import Any

from sim.text import did_you_mean, printable

LOG = logging.getLogger("greatgame.dashboard")

#: Largest seed the schema accepts (exclusive).
SEED_LIMIT = 2**63
#: What the page says when something unexpected went wrong.
SORRY = (
    "Something went wrong with that request; the model is unchanged. "
    "The details are in the server's log."
)


class Refused(ValueError):
    """A request the dashboard does not carry out; its text is shown on the page."""


def pick_scenario(choice: Any, allowed: Mapping[str, str]) -> str:
    """The file of a listed scenario; anything else is refused.

    Args:
        choice: the name the page sent.
        allowed: listed scenario names → their files.
    """
    if isinstance(choice, str) and choice in allowed:
        return allowed[choice]
    shown = printable(choice[:40]) if isinstance(choice, str) else type(choice).__name__
    hint = did_you_mean(shown, list(allowed)) if isinstance(choice, str) else ""
    raise Refused(
        f"'{shown}' is not one of the listed scenarios{hint}; pick one of: "
        + ", ".join(allowed)
        + "."
    )


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise Refused(f"{what} must be a number.")
    try:
        number = float(value)
    except (ValueError, OverflowError):
        raise Refused(f"{what} must be a number.") from None
    if not math.isfinite(number):
        raise Refused(f"{what} must be a finite number.")
    return number


def check_slider(spec, value: Any) -> tuple[float, str | None]:
    """A slider value within its spec's bounds, and a note if it was clamped.

    Args:
        spec: the slider's :class:`~sim.dashboard.controls.SliderSpec`.
        value: what the page sent.

    Returns:
        ``(value, None)`` when in bounds, else ``(nearest bound, note)``.

    Raises:
        Refused: not a finite number.
    """
    number = _number(value, spec.label)
    if number < spec.min:
        return (
            spec.min,
            f"{spec.label}: {number:g} is below the minimum; set to {spec.min:g}.",
        )
    if number > spec.max:
        return (
            spec.max,
            f"{spec.label}: {number:g} is above the maximum; set to {spec.max:g}.",
        )
    return number, None


def check_seed(value: Any) -> int | None:
    """A seed from the seed box: a whole number from 0 below 2**63; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and len(text) > 20:
        raise Refused("The seed must be a whole number from 0 to 2^63 − 1.")
    try:
        seed = int(text)
    except (TypeError, ValueError, OverflowError):
        raise Refused("The seed must be a whole number, e.g. 2016.") from None
    if isinstance(text, float) and seed != text:
        raise Refused("The seed must be a whole number, e.g. 2016.")
    if not 0 <= seed < SEED_LIMIT:
        raise Refused("The seed must be a whole number from 0 to 2^63 − 1.")
    return seed


class Budget:
    """A token bucket: how many requests of one kind a session may make.

    At most ``burst`` requests wait to be served at once and ``rate`` more
    come free each second; a request beyond that is dropped, so a page that
    floods the server with Step messages runs only a few steps and leaves
    the other sessions their share of the processor.
    """

    def __init__(
        self, burst: int, rate: float, clock: Callable[[], float] = time.monotonic
    ):
        """A full bucket of ``burst`` tokens, refilled at ``rate`` per second."""
        self.burst, self.rate, self.clock = burst, rate, clock
        self.tokens = float(burst)
        self.stamp = clock()

    def take(self) -> bool:
        """Spend one token if there is one; False means: drop the request."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


def shielded(action: Callable[[], Any], what: str) -> str | None:
    """Run ``action``; return None, or the one sentence the page shows instead.

    A :class:`Refused` request gives its own text; any other exception is
    logged with its traceback on the server and the page gets :data:`SORRY`.
    """
    try:
        action()
    except Refused as refusal:
        LOG.info("refused %s: %s", what, refusal)
        return str(refusal)
    except Exception:
        LOG.exception("the dashboard failed to %s", what)
        return SORRY
    return None
