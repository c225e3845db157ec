"""The run told in plain language, with dates: what happened and why.

Built from a :class:`sim.core.history.History` alone, so a chronicle can be
re-made from any finished run. Alliance changes carry their leading
explanation terms (see :func:`sim.processes.explanation.explain_pair`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from sim.core.history import History
from sim.processes import balance
from sim.results.naming import ActorNames
from sim.results.telling import Voice, event_line
from sim.scenario.paths import get_in
from sim.text import long_date
from sim.vocabulary import SigarClass, Status

#: The sentence of one event (kept under its former name for callers).
_event_line = event_line

SIGAR_LABELS = tuple(c.label for c in SigarClass)

# a month with more changes of control than this (a big synthetic map) gets a
# count per actor instead of a line per province
MAX_CONTROL_LINES = 20


#: What a line about a change of control says (a month of many gets counts).
CONTROL_MARKERS = (
    " took control of ",
    " became the main armed force in ",
    " became contested: ",
)


def _is_control_line(line: str) -> bool:
    return any(marker in line for marker in CONTROL_MARKERS)


def _control_summary(events: list[dict], names: dict[str, str]) -> str:
    """One line for a month with too many changes of control to list."""
    took = Counter(e["actor"] for e in events if e["type"] == "capture")
    lost = sum(e["type"] == "contested" for e in events)
    parts = [f"{names.get(a, a)} took {n}" for a, n in took.most_common()]
    if lost:
        parts.append(f"{lost} became contested")
    return (
        f"- {len(events)} provinces changed hands this month: "
        f"{', '.join(parts)} (each is in events.jsonl)."
    )


#: The closing section: how to read the reasons given for alliances and control.
READING_GUIDE = (
    "Alliances form when both sides' affinity passes the ally threshold. The "
    "reasons given are the terms of the affinity rule that moved the pair "
    "most since its last change, summed over both sides: *shared enemy X* "
    "means each fights what the other fears; *common friend X* means both "
    "like X; *ties to rival X* means one arms or likes the other's enemy; "
    "*aid between them* is reciprocity for aid delivered; *scenario "
    "shock* is an event of the scenario. Control is province-level and "
    "follows armed strength: an actor holds a province when it has most of "
    "the fighters there (no town or capital is modelled). A foreign state's "
    "troops can be that majority, next to their ally's forces; the province "
    "is then counted as theirs, though they support a side rather than "
    "govern. SIGAR's five classes use the government side's share. A senior "
    "leader lost to air strikes is a chance event of the model, not a "
    "historical death; the named leaders and their successions come from "
    "the scenario."
)


def chronicle(
    h: History,
    name: str,
    description: str,
    seed: int,
    scenario: dict | None = None,
    start: dict | None = None,
) -> str:
    """The chronicle as Markdown: start, month-by-month events, aid, end state.

    Args:
        h: the run's history.
        name: the title of the run.
        description: the scenario's description (told first).
        seed: the run's seed.
        scenario: the resolved scenario: its actors' kinds and leaders and its
            events' successions name the actors (see
            :class:`~sim.results.naming.ActorNames`); None: table names.
        start: the resolved scenario as it stood at the start, for the value a
            scripted ``set`` replaced ("was 9,800"); None: not told.
    """
    actors = ActorNames.of(h, scenario)
    last = h.n_rows - 1
    first_day, last_day = h.dates[0], h.dates[last]
    over = actors.all_over(first_day, last_day)
    out = [f"# Chronicle: {name}", ""]
    if description:
        out += [description.strip(), ""]
    out += [
        f"Seed {seed}; {last} steps from {long_date(first_day)} to "
        f"{long_date(last_day)}.",
        "",
    ]

    out += [f"## At the start ({long_date(first_day)})", ""]
    out += _state_lines(h, 0, actors)

    out += ["", "## What happened", ""]
    out += _month_lines(h, actors, start)

    out += ["## Aid and supply lines", ""]
    out += _aid_lines(h, over)
    out += _budget_lines(h, over)

    out += ["", f"## At the end ({long_date(last_day)})", ""]
    out += _state_lines(h, last, actors, start=0)
    out += ["", "## Two camps? (structural balance)", ""]
    out += _balance_lines(h, actors)
    out += ["", "## How to read this", "", READING_GUIDE, ""]
    return "\n".join(out)


class _Values:
    """The value a ``set`` path had before an event: the start's, then the last."""

    def __init__(self, start: dict | None):
        self.start, self.seen = start, {}

    def before(self, e: dict):
        """The value ``e`` replaces (None: not known), and remember ``e``'s value."""
        path = e["path"]
        was = self.seen.get(path)
        if path not in self.seen and self.start is not None:
            was = get_in(self.start, path)
        self.seen[path] = e["value"]
        return was


def _month_lines(h: History, actors: ActorNames, start: dict | None) -> list[str]:
    """The events told month by month; a month of many captures gets counts."""
    by_month: dict[str, list[str]] = defaultdict(list)
    control: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    values = _Values(start)
    for e in h.events:
        was = values.before(e) if e["type"] == "set" else None
        line = event_line(e, actors.all_at(e["date"]), actors, was)
        if line is None:
            continue
        month = f"{dt.date.fromisoformat(e['date']):%B %Y}"
        if month not in by_month:
            order.append(month)
        by_month[month].append(f"- {long_date(e['date'])}: {line}")
        if e["type"] in ("capture", "contested"):
            control[month].append(e)
    out = []
    if not order:
        out.append("Nothing changed hands and no alliance formed or broke.")
    for month in order:
        lines = by_month[month]
        if len(control[month]) > MAX_CONTROL_LINES:  # a big map: count, don't list
            lines = [ln for ln in lines if not _is_control_line(ln)]
            names = actors.all_at(control[month][-1]["date"])
            lines.append(_control_summary(control[month], names))
        out += [f"### {month}", "", *lines, ""]
    return out


def _pairs(status: np.ndarray, kind: int, names: list[str]) -> list[str]:
    n = len(names)
    return [
        f"{names[a]}–{names[b]}"
        for a in range(n)
        for b in range(a + 1, n)
        if status[a, b] == kind
    ]


def _foreign_note(h: History, t: int, actors: ActorNames) -> str:
    """Why a foreign state "holds" provinces: its troops outnumber everyone there."""
    say = Voice(actors.all_at(h.dates[t]), actors)
    notes = []
    for i, key in enumerate(h.actor_keys):
        held = [
            p for p, c in zip(h.province_names, h.controller[t], strict=True) if c == i
        ]
        if not held or not actors.is_foreign(key):
            continue
        allies = [
            say(k) for j, k in enumerate(h.actor_keys)
            if j != i and h.status[t, i, j] == Status.ALLY
        ]  # fmt: skip
        side = f" (in support of {' and '.join(allies)})" if allies else ""
        notes.append(
            f"{say.subject(key)} counts as holding {', '.join(held)} because its "
            f"troops are the main armed force there{side}; foreign troops "
            "support a side, they do not govern."
        )
    return " ".join(notes)


def _state_lines(
    h: History, t: int, actors: ActorNames, start: int | None = None
) -> list[str]:
    """Fighters and provinces by actor on row ``t``, and the relations then."""
    s = h.strength[t].sum(axis=1)
    held = np.bincount(h.controller[t][h.controller[t] >= 0], minlength=len(s))
    display = [actors.at(h.dates[t], k) for k in h.actor_keys]
    lines = [
        "| actor | fighters | provinces held | provinces present |",
        "|---|---:|---:|---:|",
    ]
    for i, name in enumerate(display):
        fighters = f"{s[i]:,.0f}"
        if start is not None:
            fighters = f"{h.strength[start, i].sum():,.0f} → {fighters}"
        present = int((h.strength[t, i] >= 1).sum())
        lines.append(f"| {name} | {fighters} | {held[i]} | {present} |")
    contested = int((h.controller[t] < 0).sum())
    classes = np.bincount(h.sigar[t], minlength=len(SIGAR_LABELS))
    lines += [
        "",
        f"Contested provinces: {contested} of {len(h.province_names)}. "
        "By SIGAR's classes: "
        + ", ".join(f"{c} {int(k)}" for c, k in zip(SIGAR_LABELS, classes, strict=True))
        + ".",
    ]
    foreign = _foreign_note(h, t, actors)
    if foreign:
        lines.append(foreign)
    allies = _pairs(h.status[t], Status.ALLY, display)
    enemies = _pairs(h.status[t], Status.ENEMY, display)
    lines.append("Allied pairs: " + (", ".join(allies) if allies else "none") + ".")
    lines.append(f"Hostile pairs: {len(enemies)}.")
    return lines


#: A change of the balanced share at least this large since the last one told
#: is told in the chronicle (a change of the frustration index always is).
NOTABLE_SHARE = 0.1
#: At most this many changes of balance are told; the rest are in balance.csv.
MAX_BALANCE_LINES = 12


def _balance_at(h: History, t: int) -> balance.Balance:
    return balance.measure(h.status[t])


def balances(h: History) -> list[balance.Balance]:
    """The balance of the network at each row, each distinct one measured once.

    Statuses change at a handful of rows in a run of a hundred; a row whose
    status matrix equals the row before it has the same balance (it is a
    function of the matrix alone), so it is carried over, not measured again
    (measuring is a search over every two-camp split).
    """
    out: list[balance.Balance] = []
    for t in range(max(h.n_rows, 1)):
        same = t > 0 and np.array_equal(h.status[t], h.status[t - 1])
        out.append(out[-1] if same else _balance_at(h, t))
    return out


def _balance_told(h: History, t: int, b: balance.Balance, actors: ActorNames) -> str:
    end = " (end)" if t == h.n_rows - 1 else ""
    display = [actors.at(h.dates[t], k) for k in h.actor_keys]
    return (
        f"**{long_date(h.dates[t])}{end}.** {balance.describe(b, display)} "
        f"{balance.camps_words(b, display)}"
    )


def _balance_lines(h: History, display: ActorNames) -> list[str]:
    """Start, notable changes and end of the network's structural balance."""
    last = h.n_rows - 1
    measured = balances(h)
    told = measured[0]
    lines = [_balance_told(h, 0, told, display)]
    changes, shown = 0, 0
    for t in range(1, last + 1):
        b = measured[t]
        moved = abs(b.balanced_share - told.balanced_share) >= NOTABLE_SHARE
        if not (moved or b.frustration != told.frustration):
            continue
        changes += 1
        if changes <= MAX_BALANCE_LINES:
            lines.append(_balance_told(h, t, b, display))
            shown = t
        told = b
    if changes > MAX_BALANCE_LINES:
        lines.append(f"({changes - MAX_BALANCE_LINES} more changes: balance.csv.)")
    if shown != last:
        lines.append(_balance_told(h, last, measured[last], display))
    return [*"\n\n".join(lines).split("\n"), "", BALANCE_GUIDE]


#: How to read the structural-balance section.
BALANCE_GUIDE = (
    "A triad is three actors each allied with or hostile to the other two. "
    'It is balanced when it has no odd number of enmities ("the enemy of my '
    'enemy is my friend"): three friends, or two friends against a common '
    "enemy. When every triad is balanced the actors fall into two camps, "
    "friends inside and enemies across (Heider 1946; Cartwright & Harary "
    "1956). The ties that would have to flip for that are the fewest "
    "possible (the frustration index); neutral pairs do not count."
)


def _budget_lines(h: History, names: dict[str, str]) -> list[str]:
    lines = []
    for i, key in enumerate(h.actor_keys):
        budget = h.aid_budget[: h.n_rows, i].sum()
        sent = h.aid_sent[: h.n_rows, i].sum()
        if budget > 0 and sent < 0.99 * budget:
            lines.append(
                f"{names.get(key, key)} sent {sent:,.0f} of its {budget:,.0f} aid "
                "units: in some weeks the part meant for trusted clients "
                "(affinity above the aid threshold) found none it could reach."
            )
    return [""] + lines if lines else []


def _aid_lines(h: History, names: dict[str, str]) -> list[str]:
    totals: dict[tuple[str, str], list] = {}
    for f in h.flows:
        key = (f.patron, f.client)
        acc = totals.setdefault(key, [0, 0, defaultdict(int)])
        acc[0] += f.sent
        acc[1] += f.delivered
        acc[2][f.route] += f.delivered
    if not totals:
        return ["No aid was sent."]
    lines = [
        "| patron → client | sent | delivered | interdicted | main route |",
        "|---|---:|---:|---:|---|",
    ]
    for (p, c), (sent, delivered, routes) in sorted(
        totals.items(), key=lambda kv: -kv[1][0]
    ):
        lost = (sent - delivered) / sent if sent else 0.0
        route = max(routes.items(), key=lambda kv: (kv[1], kv[0]))[0].replace(
            ">", " → "
        )
        lines.append(
            f"| {names.get(p, p)} → {names.get(c, c)} | {sent / 1e6:,.1f} | "
            f"{delivered / 1e6:,.1f} | {lost:.0%} | {route} |"
        )
    return lines
