"""The kinds of named metric a sweep or the scorecard may ask for.

A metric name is ``KIND`` or ``KIND:ARG[:ARG]``, e.g. ``provinces:taliban``
or ``strength_in:taliban:Badakhshan+Takhar``. :data:`METRICS` maps each kind
to what its arguments name, one line of help, and the function of
:mod:`sim.results.metrics.series` that computes it: a per-step series (so it
can be a time series) or, for whole-run quantities such as
``alliance_week``, one number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from sim.results.metrics import series as s


@dataclass(frozen=True)
class MetricKind:
    """One kind of built-in metric.

    Attributes:
        name: the first part of a metric name (``provinces``).
        args: what each argument names: ``actor`` or ``provinces``
            (provinces or regions joined by ``+``, or ``all``).
        help: one line for ``--help`` and error messages.
        series: per-step values ``(h, *args) -> array[n_rows]``; the metric's
            value is the last one. None for whole-run quantities.
        whole_run: ``(h, *args) -> float`` for kinds without a series.
    """

    name: str
    args: tuple[str, ...]
    help: str
    series: Callable[..., np.ndarray] | None = None
    whole_run: Callable[..., float] | None = None

    @property
    def usage(self) -> str:
        """The name with its argument slots, e.g. ``provinces:ACTOR``."""
        return ":".join([self.name, *(a.upper() for a in self.args)])


def _aid_kind(what: str, field: str, verb: str) -> MetricKind:
    return MetricKind(
        f"aid_{what}",
        ("actor",),
        f"aid the patron {verb}, summed over the run (to date as a series)",
        series=lambda h, a: s.aid_series(h, a, field),
    )


#: The built-in metrics by kind name (read-only).
METRICS: Mapping[str, MetricKind] = MappingProxyType(
    {
        k.name: k
        for k in (
            MetricKind(
                "provinces",
                ("actor",),
                "provinces the actor controls at the end",
                series=s.provinces_series,
            ),
            MetricKind(
                "strength",
                ("actor",),
                "the actor's fighters at the end",
                s.strength_series,
            ),
            MetricKind(
                "presence",
                ("actor",),
                "provinces where the actor has at least one fighter at the end",
                series=s.presence_series,
            ),
            MetricKind(
                "strength_in",
                ("actor", "provinces"),
                "the actor's fighters at the end in the provinces or regions "
                "named (joined by +)",
                series=s.strength_in_series,
            ),
            MetricKind(
                "contested",
                (),
                "provinces that no actor controls at the end",
                series=s.contested_series,
            ),
            MetricKind(
                "government_side_share",
                (),
                "share of provinces in SIGAR's two government classes at the end",
                series=s.government_side_series,
            ),
            MetricKind(
                "government_side_in",
                ("provinces",),
                "share of the provinces or regions named (joined by +) in SIGAR's "
                "two government classes at the end",
                series=s.government_side_in_series,
            ),
            MetricKind(
                "presence_in",
                ("actor", "provinces"),
                "how many of the provinces named (joined by +) hold at least one of "
                "the actor's fighters at the end",
                series=s.presence_in_series,
            ),
            MetricKind(
                "share_in",
                ("actor", "provinces"),
                "share of the actor's fighters that stand in the provinces named "
                "(joined by +) at the end (empty/NaN if it has none)",
                series=s.share_in_series,
            ),
            MetricKind(
                "allied",
                ("actor", "actor"),
                "1 if the pair are allies at the end, else 0",
                series=s.allied_series,
            ),
            MetricKind(
                "enemies",
                ("actor", "actor"),
                "1 if the pair are enemies at the end, else 0",
                series=s.enemies_series,
            ),
            MetricKind(
                "affinity",
                ("actor", "actor"),
                "how the first actor regards the second at the end (-1..1)",
                series=s.affinity_series,
            ),
            MetricKind(
                "alliance_week",
                ("actor", "actor"),
                "first step at which the pair are allies (empty/NaN if never)",
                whole_run=s.alliance_week,
            ),
            MetricKind(
                "share_allied",
                ("actor", "actor"),
                "share of steps after the start in which the pair are allies",
                whole_run=s.share_allied,
            ),
            MetricKind(
                "ever_allied",
                ("actor", "actor"),
                "1 if the pair are allies at any step, else 0",
                whole_run=s.ever_allied,
            ),
            _aid_kind("sent", "sent", "sent"),
            _aid_kind("delivered", "delivered", "got through to its clients"),
            _aid_kind("interdicted", "interdicted", "lost to interdiction"),
            MetricKind(
                "aid_delivered_to",
                ("actor", "actor"),
                "aid the first actor got through to the second, summed over the run "
                "(to date as a series)",
                series=s.aid_to_series,
            ),
            MetricKind(
                "aid_received",
                ("actor",),
                "aid delivered to the actor, summed over the run (to date as a series)",
                series=s.aid_received_series,
            ),
            MetricKind(
                "losses",
                ("actor",),
                "fighters the actor lost in combat, summed over the run (to date)",
                series=s.losses_series,
            ),
            MetricKind(
                "recruits",
                ("actor",),
                "fighters the actor recruited, summed over the run (to date)",
                series=s.recruits_series,
            ),
        )
    }
)
#: Kinds whose series are per-step amounts, summed to date by :class:`Metric`.
SUMMED = {
    "aid_sent",
    "aid_delivered_to",
    "aid_delivered",
    "aid_interdicted",
    "aid_received",
    "losses",
    "recruits",
}
