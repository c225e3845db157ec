"""The run told in plain language, with dates: what happened and why.

Built from a :class:`sim.core.history.History` alone, so a chronicle can be
re-made from any finished run. Alliance changes carry their leading
explanation terms (see :func:`sim.processes.relations.explain_pair`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

import numpy as np

from sim.core.history import History
from sim.processes import balance
from sim.text import long_date
from sim.vocabulary import CONTESTED, SigarClass, Status

SIGAR_LABELS = tuple(c.label for c in SigarClass)

# a month with more changes of control than this (a big synthetic map) gets a
# count per actor instead of a line per province
MAX_CONTROL_LINES = 20


def _why(terms: list) -> str:
    parts = [f"{label} ({value:+.2f})" for label, value in terms]
    return "; ".join(parts) if parts else "no single cause stands out"


def _despite(e: dict) -> str:
    if not e.get("despite"):
        return ""
    return f" Despite: {_why(e['despite'])}."


def _belief(e: dict, names: dict[str, str]) -> str:
    """A "Belief:" sentence when a perceived presence above the armed one drove it."""
    b = e.get("belief")
    if not b:
        return ""
    nm = lambda k: names.get(k, k)  # noqa: E731
    return (
        f" Belief: perceived {nm(b['actor'])} presence in {nm(b['observer'])}'s "
        f"zone {b['perceived']:.2f} vs armed {b['armed']:.2f}."
    )


def _pairs(status: np.ndarray, kind: int, names: list[str]) -> list[str]:
    n = len(names)
    return [
        f"{names[a]}–{names[b]}"
        for a in range(n)
        for b in range(a + 1, n)
        if status[a, b] == kind
    ]


def _event_line(e: dict, names: dict[str, str]) -> str | None:
    """The chronicle's sentence for one logged event (None: not told)."""
    nm = lambda k: names.get(k, k)  # noqa: E731
    for tell in (_relation_line, _control_line, _scenario_line, _incident_line):
        line = tell(e, nm, names)
        if line is not None:
            return line
    return None


def _relation_line(e: dict, nm, names: dict[str, str]) -> str | None:
    """A change of status between two actors, with its reasons."""
    kind = e["type"]
    if kind == "alliance":
        return (
            f"**{nm(e['a'])} and {nm(e['b'])} became allies** (affinities "
            f"{e['affinity'][0]:+.2f} / {e['affinity'][1]:+.2f}). "
            f"Why: {_why(e['why'])}.{_despite(e)}{_belief(e, names)}"
        )
    if kind == "relation":
        verb = {"enemy": "became enemies", "neutral": "moved to neutral"}[e["new"]]
        was = f" (were {e['old']})"
        return (
            f"{nm(e['a'])} and {nm(e['b'])} {verb}{was}. "
            f"Why: {_why(e['why'])}.{_despite(e)}{_belief(e, names)}"
        )
    return None


def _control_line(e: dict, nm, names: dict[str, str]) -> str | None:
    """A province taken, or fallen out of anyone's control, and the fighting."""
    kind = e["type"]
    if kind == "capture":
        prev = "contested ground" if e["previous"] == CONTESTED else nm(e["previous"])
        if "holder" not in e:
            return f"{nm(e['actor'])} took control of {e['province']} from {prev}."
        return (
            f"{nm(e['actor'])} took control of {e['province']} from "
            f"{nm(e['holder'])}{_fighting(e, nm(e['holder']))}."
        )
    if kind == "contested":
        was = nm(e["previous"])
        return (
            f"{e['province']} became contested (was held by {was}){_fighting(e, was)}."
        )
    return None


def _scenario_line(e: dict, nm, names: dict[str, str]) -> str | None:
    """A scripted event of the scenario's timeline, under its label."""
    kind = e["type"]
    if kind == "set":
        label = e.get("label") or "Scenario change"
        return f"{label} ({e['path']} set to {e['value']})."
    if kind == "splinter":
        label = e.get("label") or "A faction split"
        return (
            f"{label}: {e['fighters']:,.0f} fighters of {nm(e['actor'])} "
            f"went over to {nm(e['into'])}."
        )
    if kind == "shock":
        label = e.get("label") or f"A shock to {nm(e['actor'])}"
        what = []
        if "cohesion" in e:
            what.append(f"cohesion {e['cohesion']:+.2f}")
        if "affinity" in e:
            what.append(f"regard for {nm(e['toward'])} {e['affinity']:+.2f}")
        return f"{label} ({nm(e['actor'])}: {', '.join(what)})."
    if kind == "aid":
        label = e.get("label") or "A one-off transfer"
        amount = f"{e['amount']:g} aid units"
        return f"{label}: {nm(e['actor'])} sent {amount} to {nm(e['to'])}."
    return None


def _incident_line(e: dict, nm, names: dict[str, str]) -> str | None:
    """An incident drawn from the state (:mod:`sim.core.incidents`)."""
    kind = e["type"]
    if kind == "offensive":
        return (
            f"{nm(e['actor'])} launched an offensive in {e['province']} "
            f"({e['fighters']:,} fighters, {e['local_share']:.0%} of the armed "
            f"strength there, cohesion {e['cohesion']:.2f})."
        )
    if kind == "leader_killed":
        return (
            f"**{nm(e['actor'])}'s leader was killed** ({e['air_exposure']:.2f} "
            f"of its fighters' weight under hostile air cover); its cohesion "
            f"fell by {e['shock']:.2f} from {e['cohesion_before']:.2f}."
        )
    if kind == "commander_defects":
        return (
            f"A commander of {nm(e['actor'])} in {e['province']} took "
            f"{e['fighters']:,} fighters over to {nm(e['to'])} (cohesion "
            f"{e['cohesion']:.2f}, regard {e['affinity']:+.2f})."
        )
    return None


def _fighting(e: dict, loser: str) -> str:
    """The fighting behind a change of control, as the event recorded it."""
    if "weeks" not in e:  # an event log written before captures kept it
        return ""
    if e["cause"] == "withdrawal":
        return (
            f" after it pulled ~{e['left']:,} fighters out "
            f"({loser} lost ~{e['losses']:,} there in the last weeks)"
        )
    if e["weeks"] == 0:
        return " without a fight"
    return (
        f" after {e['weeks']} weeks of fighting "
        f"({loser} lost ~{e['battle_losses']:,} fighters there)"
    )


def _is_control_line(line: str) -> bool:
    return " took control of " in line or " became contested (was held by " in line


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
    "shock* is an event of the scenario. Control follows armed strength; "
    "SIGAR's five classes use the government side's share."
)


def chronicle(h: History, name: str, description: str, seed: int) -> str:
    """The chronicle as Markdown: start, month-by-month events, aid, end state."""
    names = dict(zip(h.actor_keys, h.actor_names, strict=True))
    display = h.actor_names
    last = h.n_rows - 1
    out = [f"# Chronicle: {name}", ""]
    if description:
        out += [description.strip(), ""]
    out += [
        f"Seed {seed}; {last} steps from {long_date(h.dates[0])} to "
        f"{long_date(h.dates[last])}.",
        "",
    ]

    out += [f"## At the start ({long_date(h.dates[0])})", ""]
    out += _state_lines(h, 0, display)

    out += ["", "## What happened", ""]
    out += _month_lines(h, names)

    out += ["## Aid and supply lines", ""]
    out += _aid_lines(h, names)
    out += _budget_lines(h, names)

    out += ["", f"## At the end ({long_date(h.dates[last])})", ""]
    out += _state_lines(h, last, display, start=0)
    out += ["", "## Two camps? (structural balance)", ""]
    out += _balance_lines(h, display)
    out += ["", "## How to read this", "", READING_GUIDE, ""]
    return "\n".join(out)


def _month_lines(h: History, names: dict[str, str]) -> list[str]:
    """The events told month by month; a month of many captures gets counts."""
    by_month: dict[str, list[str]] = defaultdict(list)
    control: dict[str, list[dict]] = defaultdict(list)
    order: list[str] = []
    for e in h.events:
        line = _event_line(e, names)
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
            lines.append(_control_summary(control[month], names))
        out += [f"### {month}", "", *lines, ""]
    return out


def _state_lines(
    h: History, t: int, display: list[str], start: int | None = None
) -> list[str]:
    s = h.strength[t].sum(axis=1)
    held = np.bincount(h.controller[t][h.controller[t] >= 0], minlength=len(s))
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


def _balance_told(h: History, t: int, b: balance.Balance, display: list[str]) -> str:
    end = " (end)" if t == h.n_rows - 1 else ""
    return (
        f"**{long_date(h.dates[t])}{end}.** {balance.describe(b, display)} "
        f"{balance.camps_words(b, display)}"
    )


def _balance_lines(h: History, display: list[str]) -> list[str]:
    """Start, notable changes and end of the network's structural balance."""
    last = h.n_rows - 1
    told = _balance_at(h, 0)
    lines = [_balance_told(h, 0, told, display)]
    changes, shown = 0, 0
    for t in range(1, last + 1):
        b = _balance_at(h, t)
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
        lines.append(_balance_told(h, last, _balance_at(h, last), display))
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
