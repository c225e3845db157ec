"""The dashboard's panels, as Solara components laid out for a projector.

Every panel takes the session (:class:`sim.dashboard.session.Session`) and
draws what :mod:`sim.dashboard.view` and :mod:`sim.dashboard.charts` compute;
none of them changes a model. The map is a Vue template
(``province_map.vue``): its province paths reach the browser once, after
which a step sends only the new colours.
"""

from __future__ import annotations

import html
import json

import solara

from sim.dashboard import charts, view
from sim.dashboard.svgmap import MapGeometry, map_geometry, shape_json


@solara.component_vue("province_map.vue", vuetify=False)
def ProvinceMap(shape_json: str, styles_json: str, labels: bool = True):
    """The SVG province map: outlines sent once, per-step ``styles_json``.

    Both are JSON text rather than nested lists, so that the server compares
    one string per step instead of walking hundreds of list items.
    """


def geometry_of(model) -> MapGeometry:
    """The (cached) SVG outlines of the model's map."""
    spec = model.config.map
    kind = spec.kind if spec is not None else "afghanistan"
    geometry = getattr(model.config, "geometry", None)
    return map_geometry(str(geometry) if geometry else None, kind)


def MapOf(model, differs=None, labels: bool = True):
    """The map of ``model`` this week (provinces in ``differs`` outlined)."""
    return ProvinceMap(
        shape_json=shape_json(geometry_of(model)),
        styles_json=json.dumps(view.map_styles(model, differs)),
        labels=labels,
    )


def Legend(model):
    """Colour swatches with each holder's province count."""
    rows = "".join(
        f'<li><span class="gg-swatch" style="background:{r.color}"></span>'
        f"{html.escape(r.name)} <b>{r.provinces}</b></li>"
        for r in view.legend(model)
    )
    return solara.HTML(tag="ul", unsafe_innerHTML=rows, classes=["gg-legend"])


def Presence(model):
    """ISIS-K as each actor believes it is in its zone, beside its armed presence."""
    name, rows = view.presence(model)
    if not rows:
        return solara.Text("")
    bars = "".join(
        f"<tr><td>{html.escape(r.actor)}</td>"
        f'<td><span class="gg-bar gg-believed" style="width:{100 * r.believed:.0f}px">'
        f"</span> {100 * r.believed:.0f}%</td>"
        f'<td><span class="gg-bar gg-armed" style="width:{100 * r.armed:.0f}px">'
        f"</span> {100 * r.armed:.0f}%</td></tr>"
        for r in rows
    )
    table = (
        f"<caption>{html.escape(name)} in each side's zone: what it believes "
        "vs what is armed there</caption>"
        "<tr><th></th><th>believed</th><th>armed</th></tr>" + bars
    )
    return solara.HTML(tag="table", unsafe_innerHTML=table, classes=["gg-presence"])


def WhyPanel(model):
    """The latest captures and alliance changes in words, newest first."""
    lines = view.recent_changes(model)
    with solara.Column(classes=["greatgame-why"]) as panel:
        solara.HTML(tag="h3", unsafe_innerHTML="Why? — the latest changes")
        if not lines:
            solara.Text(
                "Nothing has changed yet. Press Step and watch who takes "
                "a province or turns friend or enemy, and why."
            )
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        solara.HTML(tag="ul", unsafe_innerHTML=items)
    return panel


def Timeline(model, other=None):
    """The alliance timeline (compare view: weeks that differ marked)."""
    other_history = other.history if other is not None else None
    svg = charts.alliance_timeline(model.history, model.config.steps, other_history)
    return solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["gg-timeline"])


def ControlChart(model):
    """Provinces held by each actor over the weeks run."""
    svg = charts.control_chart(model.history, view.colors_of(model), model.config.steps)
    return solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["gg-control"])
