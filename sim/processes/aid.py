"""What aid buys: the patron's usefulness test, its own share, equipment and recruits.

A patron values a client by how much it fights the patron's threats
(patron–client theory of proxy war: Salehyan, Gleditsch & Cunningham 2011,
*International Organization* 65):

    usefulness[i, j] = Σ_k T[i, k] · Hz[i, j, k]

with ``T`` the threat i perceives (:mod:`sim.processes.threats`) and ``Hz``
j's share of the fight against k in i's zone. :func:`sim.processes.supply.allocate`
divides the budget with it; what an actor keeps for itself goes to its forces
in proportion to their strength (:func:`own_forces`). Aid that arrives is
spent (:func:`spend`): a share ``parameters.aid_to_equipment`` buys kit,
``equipment_per_aid`` per unit per 1,000 fighters, up to
``parameters.max_equipment``; the rest pays ``parameters.recruits_per_aid``
recruits per unit.
"""

from __future__ import annotations

import numpy as np

from sim.processes.supply import off_diagonal
from sim.scenario.schema import Parameters


def usefulness(threat: np.ndarray, fighting: np.ndarray) -> np.ndarray:
    """``[i, j]`` how much j fights i's threats: ``Σ_k T[i, k]·Hz[i, j, k]``."""
    return np.einsum("ik,ijk->ij", threat, fighting)


def budget_spent(
    resources: np.ndarray, plan: np.ndarray, pending: np.ndarray
) -> np.ndarray:
    """``[N]`` each actor's budget this step, one-off aid included.

    The regular ``resources`` less what was kept for the actor's own forces,
    plus the one-off aid (``pending``, from scenario ``aid`` events) sent to
    others. ``plan`` already includes ``pending``.
    """
    kept = plan.diagonal() - pending.diagonal()  # spent on own forces
    return resources - kept + (np.add.reduce(pending, 1) - pending.diagonal())


def own_forces(
    plan: np.ndarray, strength: np.ndarray, totals: np.ndarray | None = None
) -> np.ndarray:
    """``[N, P]`` what each actor spends on its own forces, shared by strength.

    ``totals`` is each actor's strength summed over provinces, if the caller
    has it already.
    """
    if totals is None:
        totals = np.add.reduce(strength, 1)
    has = totals[:, None] > 0
    own = plan.diagonal()[:, None] * has
    return own * np.divide(
        strength, totals[:, None], out=np.zeros(strength.shape), where=has
    )


def to_others(
    plan: np.ndarray, strength: np.ndarray, totals: np.ndarray | None = None
) -> np.ndarray:
    """``[patron, client]`` aid sent to other actors that still have fighters.

    ``totals`` is each actor's strength summed over provinces, if the caller
    has it already.
    """
    if totals is None:
        totals = np.add.reduce(strength, 1)
    return plan * off_diagonal(plan.shape[0]) * (totals > 0)


def spend(
    strength: np.ndarray, equipment: np.ndarray, gained: np.ndarray, p: Parameters
) -> tuple[np.ndarray, np.ndarray]:
    """``(equipment, paid recruits)`` bought with ``gained`` aid per force (``[N, P]``).

    Recruits are returned, not added: they join through
    :func:`sim.processes.recruitment.add_recruits`, which also mixes their kit.
    """
    kit = p.aid_to_equipment * gained
    per_k = np.divide(
        kit * p.equipment_per_aid * 1000.0,
        strength,
        out=np.zeros(kit.shape),
        where=strength > 0,
    )
    equipment = np.minimum(p.max_equipment, equipment + per_k)
    paid = (1.0 - p.aid_to_equipment) * gained * p.recruits_per_aid
    return equipment, paid


def shares_sent(sent: np.ndarray) -> np.ndarray:
    """``[patron, client]`` share of each patron's outside aid sent to each client."""
    row = np.add.reduce(sent, 1, keepdims=True)
    return np.divide(sent, row, out=np.zeros(sent.shape), where=row > 0)
