"""Why a pair's status changed: the largest terms of its affinity change, in words.

The terms of ``dA`` (:class:`sim.processes.affinity_terms.Terms`) are kept
apart and accumulated per pair since the pair last changed status
(``cum`` of :class:`sim.core.state.State`). When the status changes,
:func:`explain_pair` names the terms that drove the change and those that
pushed against it, e.g. "shared enemy ISIS-K" or "aid between them", for
the event log and the chronicle.
"""

from __future__ import annotations

from sim.processes.affinity_terms import Terms


def explain_pair(
    i: int, j: int, cum: Terms, names: list[str], direction: int, top: int = 3
) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """Why the pair {i, j} changed status: the terms that drove it, and those against.

    ``cum`` holds the terms accumulated since the pair last changed status,
    summed over both directions. ``direction`` is +1 for a warming change
    (toward alliance) and -1 for a cooling one. Returns ``(why, despite)``:
    the largest terms pushing that way, e.g. ``("shared enemy ISIS-K", 0.61)``,
    and the largest pushing the other way.
    """
    items: list[tuple[str, float]] = []
    for k, name in enumerate(names):
        if k in (i, j):
            continue
        s = cum.shared[i, j, k] + cum.shared[j, i, k]
        if s:
            items.append((f"shared enemy {name}", s))
        b = cum.befriend[i, j, k] + cum.befriend[j, i, k]
        if b:
            items.append((f"ties to rival {name}", b))
        f = cum.friends[i, j, k] + cum.friends[j, i, k]
        if f:
            items.append((f"common friend {name}", f))
    for label, arr in (
        ("scenario shock", cum.shock),
        ("aid between them", cum.help),
        ("threat from each other", cum.threat),
        ("ideological friction", cum.friction),
        ("pull toward old stance", cum.inertia),
        ("chance", cum.noise),
        ("the tie's own momentum", cum.momentum),
    ):
        v = arr[i, j] + arr[j, i]
        if v:
            items.append((label, v))
    items.sort(key=lambda t: (-abs(t[1]), t[0]))
    rounded = [(label, round(float(v), 3)) for label, v in items if abs(v) >= 0.005]
    why = [t for t in rounded if t[1] * direction > 0][:top]
    despite = [t for t in rounded if t[1] * direction < 0][:top]
    return why, despite
