"""One self-contained HTML page that tells a run: ``report.html``.

The page opens with a one-page handout (:mod:`sim.results.report_summary`:
the caveat box, the headline outcomes, the main map, the alliance changes,
the scripted events), then holds a summary table, every
figure (embedded as ``data:`` URIs) with a caption saying what to look at,
and the chronicle. CSS is inline and nothing is fetched from the network, so
the file can be mailed, archived or opened offline in any browser::

    from sim.results.report import write_report
    write_report(model, "runs/x", {"control": Path("runs/x/control.png")})

The chronicle's Markdown is rendered by :func:`markdown_to_html` (from
:mod:`sim.results.markdown`, re-exported here), a small converter for the
subset :mod:`sim.results.chronicle` writes, escaping everything else.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

from sim.results.chronicle import chronicle
from sim.results.markdown import markdown_to_html
from sim.results.naming import ActorNames
from sim.results.report_summary import PRINT_CSS, handout
from sim.results.rundata import Run, as_run
from sim.text import long_date
from sim.vocabulary import Status

__all__ = ["CAPTIONS", "markdown_to_html", "render_report", "write_report"]

# Figure slot → (heading, one-line caption saying what to look at), in page order.
CAPTIONS: dict[str, tuple[str, str]] = {
    "map": (
        "Map at the end",
        "Where each side holds ground at the end (hatched = contested); arrows "
        "are the supply lines of the last weeks, wider = more aid delivered.",
    ),
    "map_timeline": (
        "Map at the start, the middle and the end",
        "The same map at three dates: look for the provinces that change colour.",
    ),
    "map.gif": (
        "The whole run, week by week",
        "Watch the front move and the supply arrows grow or fade as alliances change.",
    ),
    "control": (
        "Control over time",
        "How many provinces (top) and how many people (bottom) each side holds; "
        "grey is contested ground, and the numbered dashed lines are the "
        "turning points listed below the chart.",
    ),
    "alliances": (
        "Alliances at the start and the end",
        "Green lines join allies, red ones enemies, thicker = stronger feelings; "
        "compare the two panels for ties that changed colour.",
    ),
    "relations": (
        "How the key relations moved",
        "Each pair that changed status, week by week: a pair is allied once its "
        "whole band (both sides' views) is in the green zone, hostile once any "
        "of it enters the red one; the labels give the leading reason.",
    ),
    "supply": (
        "Aid along the supply lines",
        "What each patron sent each client per week: the coloured part arrived, "
        "the dark part was lost on the way; each panel has its own scale.",
    ),
}
#: The figure shown on the first page, beside the headline outcomes.
MAIN_MAP = "map"
_MIME = {
    ".png": "image/png",
    ".gif": "image/gif",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}
_COLOR = re.compile(r"#[0-9A-Fa-f]{3}(?:[0-9A-Fa-f]{3})?(?:[0-9A-Fa-f]{2})?")

CSS = """
:root { color-scheme: light; }
body {
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
    Arial, sans-serif;
  font-size: 17px; line-height: 1.55; color: #1d1d1f; background: #fff;
  max-width: 64rem; margin: 0 auto; padding: 1.5rem 1.25rem 4rem;
}
h1 { font-size: 2rem; margin: 0.5rem 0 0.25rem; }
h2 { font-size: 1.5rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
h3 { font-size: 1.25rem; margin-top: 1.75rem; }
h4 { font-size: 1.05rem; margin-top: 1.25rem; }
.lede { font-size: 1.1rem; color: #333; }
.meta { color: #555; }
nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap;
  gap: 0.4rem 1.2rem; }
nav a, a { color: #0b5cad; }
table { border-collapse: collapse; margin: 1rem 0; font-variant-numeric: tabular-nums; }
th, td { padding: 0.3rem 0.7rem; border-bottom: 1px solid #e3e3e3; text-align: left;
  vertical-align: top; }
th { border-bottom: 2px solid #bbb; }
td.r, th.r { text-align: right; }
td.c, th.c { text-align: center; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; border-radius: 50%;
  margin-right: 0.45em; vertical-align: -0.1em; border: 1px solid #0003; }
figure { margin: 2rem 0; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto;
  border: 1px solid #eee; }
figcaption { margin-top: 0.5rem; color: #444; }
figcaption strong { color: #1d1d1f; }
.chronicle { margin-top: 1rem; }
footer { margin-top: 3rem; color: #777; font-size: 0.9rem; }
@media print { figure { break-inside: avoid; } body { max-width: none; } }
"""


def write_report(run, out_dir: str | Path, figures: dict[str, Path]) -> Path:
    """Write ``report.html`` into ``out_dir`` and return its path.

    Args:
        run: a model, a :class:`~sim.results.rundata.Run` or a run directory.
        out_dir: the directory to write into (created if missing).
        figures: figure name (``"control"`` or ``"control.png"``; ``"map.gif"``
            for the animation) → image file. Relative paths are taken from
            ``out_dir`` when they do not exist as given.

    Raises:
        FileNotFoundError: when a figure file does not exist.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    resolved = {}
    for key, path in figures.items():
        p = Path(path)
        if not p.is_file() and not p.is_absolute() and (out / p).is_file():
            p = out / p
        if not p.is_file():
            raise FileNotFoundError(
                f"figure '{key}' for the report is missing: no file at '{p}'"
            )
        resolved[key] = p
    target = out / "report.html"
    target.write_text(render_report(run, resolved), encoding="utf-8", newline="\n")
    return target


def render_report(run, figures: dict[str, Path]) -> str:
    """The report as one HTML string (see :func:`write_report`)."""
    run = as_run(run)
    slots = _ordered(figures)
    main = [(s, p) for s, p in slots if s == MAIN_MAP][:1]
    rest = [sp for sp in slots if sp not in main]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(run.name)} — greatgame report</title>",
        f"<style>{CSS}{PRINT_CSS}</style>",
        "</head>",
        "<body>",
        *_header(run, slots),
        *handout(run, "\n".join(_figures(main, heading=False)) or None),
        '<section id="summary">',
        "<h2>Summary</h2>",
        _summary_table(run),
        *_summary_notes(run),
        "</section>",
        *_figures(rest),
    ]
    h = run.history
    told = chronicle(
        h,
        run.name,
        run.description,
        run.seed,
        scenario=run.scenario,
        start=run.initial_scenario,
    )
    text = _chronicle_body(told)
    parts += [
        '<section id="chronicle" class="chronicle">',
        "<h2>Chronicle</h2>",
        markdown_to_html(text, shift=1),
        "</section>",
        "<footer>Written by greatgame from the run's own tables; "
        "this page needs no network.</footer>",
        "</body>",
        "</html>",
        "",
    ]
    return "\n".join(parts)


def _header(run: Run, slots: list[tuple[str, Path]]) -> list[str]:
    """Title, description, dates and seed, and the page's table of contents."""
    h = run.history
    last = h.n_rows - 1
    esc = html.escape
    parts = ["<header>", f"<h1>{esc(run.name)}</h1>"]
    if run.description:
        parts.append(f'<p class="lede">{esc(run.description.strip())}</p>')
    step_days = (h.dates[1] - h.dates[0]).days if last else 0
    rule = (run.scenario.get("parameters") or {}).get("alliance_rule")
    meta = [
        f"{long_date(h.dates[0])} to {long_date(h.dates[last])}",
        f"{last} steps of {step_days} days" if last else "no steps run",
        f"seed {run.seed}",
    ]
    if rule:
        meta.append(f"alliance rule: {str(rule).replace('_', ' ')}")
    parts.append(f'<p class="meta">{esc(" · ".join(meta))}</p>')
    nav = [("handout", "At a glance"), ("summary", "Summary")]
    nav += [(_anchor(s), _heading(s)) for s, _ in slots]
    nav.append(("chronicle", "Chronicle"))
    parts.append(
        "<nav><ul>"
        + "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in nav)
        + "</ul></nav>"
    )
    parts.append("</header>")
    return parts


def _figures(slots: list[tuple[str, Path]], heading: bool = True) -> list[str]:
    """Each figure embedded as a ``data:`` URI, with its heading and caption."""
    esc = html.escape
    parts = ["<h2>Figures</h2>"] if slots and heading else []
    for slot, path in slots:
        heading = _heading(slot)
        caption = CAPTIONS.get(slot, (heading, ""))[1]
        mime = _MIME.get(path.suffix.lower(), "application/octet-stream")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        parts += [
            f'<figure id="{_anchor(slot)}">',
            f'<img src="data:{mime};base64,{data}" alt="{esc(heading)}">',
            f"<figcaption><strong>{esc(heading)}.</strong> {esc(caption)}</figcaption>",
            "</figure>",
        ]
    return parts


def _chronicle_body(text: str) -> str:
    """The chronicle from its first section on.

    Its title, description and seed line repeat the page's header.
    """
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("## "):
            return "\n".join(lines[i:])
    return text


def _slot(key: str, path: Path) -> str:
    """The caption slot of a figure: ``"control.png"`` → ``"control"``."""
    if path.suffix.lower() == ".gif":
        return f"{path.stem}.gif"
    k = str(key)
    stem, dot, ext = k.rpartition(".")
    return stem if dot and f".{ext.lower()}" in _MIME else k


def _ordered(figures: dict[str, Path]) -> list[tuple[str, Path]]:
    """(slot, path) in page order: known figures first, others as given."""
    known = list(CAPTIONS)
    items = [(_slot(k, Path(p)), Path(p)) for k, p in figures.items()]
    rank = {s: known.index(s) if s in known else len(known) for s, _ in items}
    return sorted(items, key=lambda sp: rank[sp[0]])


def _heading(slot: str) -> str:
    if slot in CAPTIONS:
        return CAPTIONS[slot][0]
    return slot.replace("_", " ").replace(".", " ").capitalize()


def _anchor(slot: str) -> str:
    return "fig-" + re.sub(r"[^a-z0-9]+", "-", slot.lower()).strip("-")


def _css_color(color: str) -> str:
    """A colour safe to put in a style attribute (hex), else neutral grey."""
    try:
        from matplotlib.colors import to_hex

        hexed = to_hex(color, keep_alpha=False)
    except (ValueError, TypeError):
        return "#999999"
    return hexed if _COLOR.fullmatch(hexed) else "#999999"


def _num(x: float) -> str:
    return f"{x:,.0f}" if round(x) else "—"


def _summary_table(run: Run) -> str:
    """Actor, fighters and provinces at the start → the end, aid in and out."""
    h = run.history
    n = h.n_rows
    last = n - 1
    esc = html.escape
    rows = [
        "<table>",
        "<thead><tr><th>actor</th><th class='r'>fighters</th>"
        "<th class='r'>provinces held</th><th class='r'>aid received</th>"
        "<th class='r'>aid sent</th></tr></thead>",
        "<tbody>",
    ]
    over = ActorNames.of(h, run.scenario).all_over(h.dates[0], h.dates[last])
    for i, key in enumerate(h.actor_keys):
        s0, s1 = h.strength[0, i].sum(), h.strength[last, i].sum()
        c0 = int((h.controller[0] == i).sum())
        c1 = int((h.controller[last] == i).sum())
        swatch = (
            f'<span class="swatch" style="background:{_css_color(run.color(key))}">'
        )
        rows.append(
            f"<tr><td>{swatch}</span>{esc(over[key])}</td>"
            f"<td class='r'>{s0:,.0f} → {s1:,.0f}</td>"
            f"<td class='r'>{c0} → {c1}</td>"
            f"<td class='r'>{_num(h.aid_received[:n, i].sum())}</td>"
            f"<td class='r'>{_num(h.aid_sent[:n, i].sum())}</td></tr>"
        )
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)


def _summary_notes(run: Run) -> list[str]:
    h = run.history
    last = h.n_rows - 1
    esc = html.escape
    p = len(h.province_names)
    c0 = int((h.controller[0] < 0).sum())
    c1 = int((h.controller[last] < 0).sum())
    notes = [
        f"Contested provinces: {c0} at the start, {c1} at the end (of {p}). "
        "Aid is in the scenario's aid units, summed over the run."
    ]
    actors = ActorNames.of(h, run.scenario)
    formed = [e for e in h.events if e.get("type") == "alliance"]
    if formed:
        notes.append(
            "Alliances formed: "
            + "; ".join(
                f"{actors.at(e['date'], e['a'])} – {actors.at(e['date'], e['b'])} "
                f"({long_date(e['date'])})"
                for e in formed
            )
            + "."
        )
    n = len(h.actor_keys)
    end = actors.all_at(h.dates[last])
    allied = [
        f"{end[h.actor_keys[a]]} – {end[h.actor_keys[b]]}"
        for a in range(n)
        for b in range(a + 1, n)
        if h.status[last, a, b] == Status.ALLY and h.status[last, b, a] == Status.ALLY
    ]
    notes.append("Allied at the end: " + ("; ".join(allied) or "none") + ".")
    return [f"<p>{esc(x)}</p>" for x in notes]
