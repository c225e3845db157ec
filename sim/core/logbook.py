"""The run's event log: what the chronicle tells, written as the model steps.

Every entry is a dict with the step, the date and a ``type``: scenario
events (``set``, ``splinter``, ``shock``, ``aid``), changes of pair status
(``alliance``, ``relation``, with the terms that drove them), and changes of
control (``capture``, ``contested``). Aid flows are kept apart as
:class:`sim.core.history.Flow` records. Entries are dated at the end of the
step they happen in, unless an event gives its own date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core.history import Flow
from sim.processes import affinity_terms, explanation
from sim.vocabulary import CONTESTED, Status

if TYPE_CHECKING:
    from sim.core.model import GreatGame


def log(model: GreatGame, kind: str, when=None, **data: Any) -> None:
    """Add an entry of type ``kind`` to the event log (dated this step's end)."""
    t = model.step_index + 1
    date = when or model.config.date_of(t)
    entry = {"step": t, "date": date.isoformat(), "type": kind}
    entry.update({k: v for k, v in data.items() if v is not None})
    model.history.events.append(entry)


def log_flows(model: GreatGame, routes: list) -> None:
    """Keep this step's aid flows, with their routes in place names."""
    t, keys, place = model.step_index + 1, model.keys, model.node_names.__getitem__
    model.history.flows.extend(
        [
            Flow(t, keys[patron], keys[client], ">".join(map(place, route)), sent, got)
            for patron, client, route, sent, got in routes
        ]
    )


def log_status_changes(model: GreatGame, new: np.ndarray) -> None:
    """Log each pair whose status changes to ``new``, with the terms that drove it.

    The terms accumulated for a pair are reset once its change is told.
    """
    s = model.state
    changed = (new != s.status) & model.setup.ties.upper_pairs
    if not changed.any():  # most steps: no pair changes status
        return
    names = [a.name for a in model.actor_agents]
    for i, j in zip(*np.nonzero(changed), strict=True):
        direction = 1 if new[i, j] > s.status[i, j] else -1
        why, despite = explanation.explain_pair(int(i), int(j), s.cum, names, direction)
        log(
            model,
            "alliance" if new[i, j] == Status.ALLY else "relation",
            a=model.keys[i],
            b=model.keys[j],
            old=Status(int(s.status[i, j])).label,
            new=Status(int(new[i, j])).label,
            affinity=[
                round(float(s.affinity[i, j]), 3),
                round(float(s.affinity[j, i]), 3),
            ],
            why=why,
            despite=despite,
            belief=_belief_behind(model, int(i), int(j), why),
        )
        for name in affinity_terms.Terms.FIELDS:
            arr = getattr(s.cum, name)
            arr[i, j] = arr[j, i] = 0.0


#: Believed presence above the armed one by this much is told as a belief.
BELIEF_GAP = 0.05


def _belief_behind(model: GreatGame, i: int, j: int, why: list) -> dict | None:
    """The belief behind a change driven by a shared enemy, if belief exceeds fact.

    For the leading "shared enemy k" term: the side of the pair whose believed
    presence of k in its zone most exceeds k's armed presence there, if by more
    than :data:`BELIEF_GAP` (``None`` otherwise), so the chronicle can say
    that a perception, not fighters on the ground, drove the change.
    """
    names = [a.name for a in model.actor_agents]
    enemies = [
        label.removeprefix("shared enemy ")
        for label, _ in why
        if label.startswith("shared enemy ")
    ]
    if not enemies or enemies[0] not in names:
        return None
    k = names.index(enemies[0])
    s = model.state
    gap = s.zone_perceived[[i, j], k] - s.zone_armed[[i, j], k]
    who = (i, j)[int(np.argmax(gap))]
    if gap.max() <= BELIEF_GAP:
        return None
    return {
        "observer": model.keys[who],
        "actor": model.keys[k],
        "perceived": round(float(s.zone_perceived[who, k]), 3),
        "armed": round(float(s.zone_armed[who, k]), 3),
    }


def log_control_changes(model: GreatGame, old: np.ndarray, new: np.ndarray) -> None:
    """Log provinces captured by an actor, or fallen out of anyone's control.

    Each entry carries the fighting behind it (:meth:`sim.processes.control.
    Front.account`): weeks of fighting, the losses of the one who lost the
    province (its last holder, if it was contested) and of the taker there.
    """
    names, keys = model.geo.names, model.keys
    front = model.state.front
    for q in (new != old).nonzero()[0]:
        if new[q] >= 0 and old[q] != new[q]:
            loser = old[q] if old[q] >= 0 else front.holder[q]
            told = {}
            if loser >= 0 and loser != new[q]:
                told = front.account(q, int(loser), int(new[q]))
                told["holder"] = keys[loser]
            log(
                model,
                "capture",
                province=names[q],
                capital=model.geo.capitals[q],
                actor=keys[new[q]],
                previous=keys[old[q]] if old[q] >= 0 else CONTESTED,
                **told,
            )
        elif new[q] < 0:
            told = front.account(q, int(old[q]), None)
            log(model, "contested", province=names[q], previous=keys[old[q]], **told)
