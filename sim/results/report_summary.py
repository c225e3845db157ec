"""The first page of report.html: a one-page handout a teacher can print.

The page holds the caveat box (a teaching model, not a forecast: what is
assumed, what varies with the seed), the headline outcomes (ground and
fighters at the start and the end), the main map, the alliance changes
and the scenario's scripted events, each in plain words from the run's own
data. The print stylesheet (:data:`PRINT_CSS`) ends the page after it, so
the rest of the report starts on page 2.
"""

from __future__ import annotations

import html

from sim.results.naming import ActorNames
from sim.results.rundata import Run
from sim.results.telling import Voice, event_line
from sim.text import long_date
from sim.vocabulary import Status

__all__ = ["CAVEAT", "PRINT_CSS", "handout"]

#: At most this many alliance changes on the first page (the chronicle has all).
MAX_RELATION_LINES = 5
#: At most this many scripted events on the first page.
MAX_SCRIPTED_LINES = 4

#: The caveat box: what the report is, what is assumed, what varies with the seed.
CAVEAT = (
    ("A teaching model, not a forecast.", ""),
    (
        "What is assumed:",
        "the actors, their starting forces and their feelings for one another "
        "are set in the scenario file, most of them as marked assumptions; "
        "alliances follow the model's rule (whose threat each side fears "
        "most), not the record; control is province-level: the side with "
        "most of the armed men in a province holds it, and no town is "
        "modelled.",
    ),
    (
        "What varies with the seed:",
        "the week a relation changes, chance events such as a senior leader "
        "lost to air strikes, and a province or two at the margin. Compare "
        "several seeds (greatgame compare, greatgame sweep) before reading "
        "much into a small difference.",
    ),
)

#: Styles of the first page, on screen and on paper.
PRINT_CSS = """
.caveat { border: 2px solid #b26b00; background: #fff7e6; border-radius: 6px;
  padding: 0.6rem 0.9rem; margin: 1rem 0; font-size: 0.95rem; }
.caveat p { margin: 0.25rem 0; }
.handout h2 { margin-top: 1.2rem; }
.handout ul { margin: 0.3rem 0; padding-left: 1.2rem; }
.handout figure { margin: 0.8rem 0; }
.handout .compact td, .handout .compact th { padding: 0.15rem 0.6rem; }
.handout .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1.5rem; }
@media (max-width: 40rem) { .handout .columns { grid-template-columns: 1fr; } }
@page { size: A4; margin: 12mm; }
@media print {
  body { font-size: 10.5pt; line-height: 1.35; padding: 0; max-width: none; }
  nav, footer { display: none; }
  h1 { font-size: 17pt; margin: 0; }
  h2 { font-size: 12.5pt; margin-top: 0.6rem; }
  .lede { font-size: 10.5pt; margin: 0.2rem 0; }
  .handout { break-after: page; }
  .handout figure { margin: 0.3rem 0; }
  .handout figure img { max-height: 64mm; width: auto; }
  .handout figcaption { font-size: 9pt; margin-top: 0.1rem; }
  .handout table { margin: 0.3rem 0; font-size: 9.5pt; }
  .handout h2 { font-size: 11.5pt; margin: 0.4rem 0 0.2rem; }
  .handout li { font-size: 9.5pt; }
  .meta { margin: 0.2rem 0; font-size: 9.5pt; }
  .caveat { padding: 0.3rem 0.6rem; margin: 0.4rem 0; font-size: 9.5pt; }
  section, figure, table { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


def _caveat() -> str:
    lines = [
        f"<p><strong>{html.escape(head)}</strong> {html.escape(text)}</p>"
        for head, text in CAVEAT
    ]
    return '<aside class="caveat" role="note">' + "".join(lines) + "</aside>"


def _outcome_table(run: Run, actors: ActorNames) -> str:
    """Provinces held and fighters, start → end, for every actor with either."""
    h = run.history
    last = h.n_rows - 1
    over = actors.all_over(h.dates[0], h.dates[last])
    rows = []
    for i, key in enumerate(h.actor_keys):
        held = (int((h.controller[0] == i).sum()), int((h.controller[last] == i).sum()))
        men = (h.strength[0, i].sum(), h.strength[last, i].sum())
        if not any(held) and not any(round(m) for m in men):
            continue
        rows.append(
            f"<tr><td>{html.escape(over[key])}</td>"
            f"<td class='r'>{held[0]} → {held[1]}</td>"
            f"<td class='r'>{men[0]:,.0f} → {men[1]:,.0f}</td></tr>"
        )
    contested = (int((h.controller[0] < 0).sum()), int((h.controller[last] < 0).sum()))
    rows.append(
        f"<tr><td>contested</td><td class='r'>{contested[0]} → {contested[1]}</td>"
        "<td></td></tr>"
    )
    return (
        "<table class='compact'><thead><tr><th>actor</th>"
        f"<th class='r'>provinces held (of {len(h.province_names)})</th>"
        "<th class='r'>fighters</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _foreign_note(run: Run, actors: ActorNames) -> list[str]:
    """Why a foreign state "holds" ground: its troops are the main force there."""
    h = run.history
    ends = h.controller[[0, h.n_rows - 1]]
    held = [
        k
        for i, k in enumerate(h.actor_keys)
        if actors.is_foreign(k) and (ends == i).any()
    ]
    if not held:
        return []
    who = " and ".join(actors.over(h.dates[0], h.dates[h.n_rows - 1], k) for k in held)
    return [
        f"<p class='meta'>{html.escape(who)} counts as holding a province where "
        "its troops are the main armed force (a main base); foreign troops "
        "support a side, they do not govern.</p>"
    ]


def _relation_items(run: Run, actors: ActorNames) -> list[str]:
    """The dated changes of alliance and enmity, and who is allied at the end."""
    h = run.history
    changes = [e for e in h.events if e.get("type") in ("alliance", "relation")]
    items = []
    for e in changes[:MAX_RELATION_LINES]:
        say = Voice(actors.all_at(e["date"]), actors)
        a, b = say.subject(e["a"]), say(e["b"])
        if e["type"] == "alliance":
            what = f"{a} and {b} became allies"
        else:
            verb = {"enemy": "became enemies", "neutral": "moved to neutral"}
            what = f"{a} and {b} {verb[e['new']]}"
        items.append(f"{long_date(e['date'])}: {what}")
    if len(changes) > MAX_RELATION_LINES:
        items.append(f"… and {len(changes) - MAX_RELATION_LINES} more (chronicle)")
    if not changes:
        items.append("No alliance formed or broke, and no pair turned hostile.")
    last = h.n_rows - 1
    names = actors.all_at(h.dates[last])
    n = len(h.actor_keys)
    allied = [
        f"{names[h.actor_keys[a]]} – {names[h.actor_keys[b]]}"
        for a in range(n)
        for b in range(a + 1, n)
        if h.status[last, a, b] == Status.ALLY
    ]
    items.append("Allied at the end: " + ("; ".join(allied) or "none") + ".")
    return items


def _scripted_items(run: Run, actors: ActorNames) -> list[str]:
    """The scenario's own events (a withdrawal, a leader's death), as labelled."""
    h = run.history
    scripted = [
        e for e in h.events if e.get("type") in ("set", "splinter", "shock", "aid")
    ]
    items = []
    for e in scripted[:MAX_SCRIPTED_LINES]:
        label = e.get("label") or event_line(e, actors.all_at(e["date"]), actors)
        items.append(f"{long_date(e['date'])}: {label}")
    if len(scripted) > MAX_SCRIPTED_LINES:
        items.append(f"… and {len(scripted) - MAX_SCRIPTED_LINES} more (chronicle)")
    return items


def _list(title: str, items: list[str]) -> list[str]:
    if not items:
        return []
    body = "".join(f"<li>{html.escape(x)}</li>" for x in items)
    return [f"<h2>{html.escape(title)}</h2>", f"<ul>{body}</ul>"]


def handout(run: Run, map_figure: str | None) -> list[str]:
    """The first page's HTML: caveat, outcomes, the main map, changes, events.

    Args:
        run: the run told.
        map_figure: the main map's ``<figure>`` element, or None without one.
    """
    actors = ActorNames.of(run.history, run.scenario)
    parts = ['<section id="handout" class="handout">', _caveat()]
    parts += ["<h2>At a glance</h2>", _outcome_table(run, actors)]
    parts += _foreign_note(run, actors)
    if map_figure:
        parts.append(map_figure)
    parts.append('<div class="columns">')
    for title, items in (
        ("Alliances and enmities", _relation_items(run, actors)),
        ("What the scenario scripts", _scripted_items(run, actors)),
    ):
        if items:
            parts += ["<div>", *_list(title, items), "</div>"]
    parts += ["</div>", "</section>"]
    return parts
