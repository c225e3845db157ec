"""What the dashboard shows of a model this week, as plain data (no Solara).

The page (:mod:`sim.dashboard.app`) only lays these out: the big date and
week, the map's colours, the legend with each actor's province count, the
latest captures and alliance changes in words, and ISIS-K's presence as each
actor believes it against the armed presence in its zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim.dashboard.svgmap import CONTESTED_FILL, province_styles
from sim.results.rundata import actor_colors

#: The actor whose perceived presence the dashboard sets beside its armed one.
WATCHED = "isis_k"


def colors_of(model) -> list[str]:
    """Colour per actor index, as the run's figures use them."""
    given = {k: a.color for k, a in model.config.actors.items()}
    by_key = actor_colors(list(model.config.actors), given)
    return [by_key[k] for k in model.history.actor_keys]


def long_date(day: dt.date) -> str:
    """``12 Feb 2016``: a date read from the back of a room."""
    return f"{day.day} {day:%b %Y}"


def headline(model) -> tuple[str, str]:
    """The big date and the week line, e.g. ("12 Feb 2016", "Week 0 of 104")."""
    t = model.step_index
    return long_date(model.config.date_of(t)), f"Week {t} of {model.config.steps}"


def map_styles(model, differs: np.ndarray | None = None) -> list[list]:
    """Per province ``[fill, stroke, stroke width, tooltip]`` for the SVG map."""
    h = model.history
    styles = province_styles(
        h.controller[h.last],
        colors_of(model),
        tuple(h.province_names),
        list(h.actor_names),
        differs,
    )
    return [[s.fill, s.stroke, s.stroke_width, s.title] for s in styles]


def holders(model) -> list[str]:
    """This week's holder of each province, by actor key ("" when contested)."""
    h = model.history
    return [h.actor_keys[c] if c >= 0 else "" for c in h.controller[h.last]]


def controllers_differ(model, other) -> np.ndarray:
    """``[P]`` True where two runs' provinces have different holders this week.

    Matched by actor key, so a counterfactual without an actor compares too.
    """
    return np.array(
        [a != b for a, b in zip(holders(model), holders(other), strict=True)]
    )


@dataclass(frozen=True)
class LegendRow:
    """One actor in the legend: name, colour, provinces held this week."""

    name: str
    color: str
    provinces: int


def legend(model) -> list[LegendRow]:
    """Actors that hold a province this week (and "contested"), most first."""
    h = model.history
    ctrl = h.controller[h.last]
    colors = colors_of(model)
    rows = [
        LegendRow(name, colors[i], int((ctrl == i).sum()))
        for i, name in enumerate(h.actor_names)
    ]
    rows = sorted((r for r in rows if r.provinces), key=lambda r: -r.provinces)
    contested = int((ctrl < 0).sum())
    if contested:
        rows.append(LegendRow("contested", CONTESTED_FILL, contested))
    return rows


def _terms(terms) -> str:
    return ", ".join(f"{label} ({value:+.2f})" for label, value in terms)


def _line(event: dict, names: dict[str, str]) -> str | None:
    """One capture or alliance change in words, or None for other events."""
    when = long_date(dt.date.fromisoformat(event["date"]))
    if event["type"] == "capture":
        was = event.get("previous") or "contested"
        who = names.get(event["actor"], event["actor"])
        return f"{when} — {who} took {event['province']} (was {names.get(was, was)})"
    if event["type"] in ("alliance", "relation"):
        a, b = names.get(event["a"], event["a"]), names.get(event["b"], event["b"])
        line = f"{when} — {a} and {b}: {event['old']} → {event['new']}"
        if event.get("why"):
            line += f", because of {_terms(event['why'])}"
        if event.get("despite"):
            line += f"; despite {_terms(event['despite'])}"
        return line
    return None


def recent_changes(model, limit: int = 8) -> list[str]:
    """The latest captures and alliance changes, newest first, in words."""
    h = model.history
    names = dict(zip(h.actor_keys, h.actor_names, strict=True))
    lines = []
    for event in reversed(h.events):
        line = _line(event, names)
        if line:
            lines.append(line)
        if len(lines) >= limit:
            break
    return lines


@dataclass(frozen=True)
class PresenceRow:
    """How present one actor believes the watched actor is in its zone."""

    actor: str
    believed: float
    armed: float


def presence(model, watched: str = WATCHED) -> tuple[str, list[PresenceRow]]:
    """The watched actor's name and, per other actor, believed vs armed presence.

    Both are shares of the fighters in the actor's zone (0 to 1) from the
    perception sub-model; empty when the scenario lacks the watched actor.
    """
    h = model.history
    if watched not in h.actor_keys or h.perceived_presence is None:
        return "", []
    k = h.actor_keys.index(watched)
    believed = h.perceived_presence[h.last][:, k]
    armed = h.armed_presence[h.last][:, k]
    rows = [
        PresenceRow(name, float(believed[i]), float(armed[i]))
        for i, name in enumerate(h.actor_names)
        if i != k
    ]
    return h.actor_names[k], rows
