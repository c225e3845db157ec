"""The SolaraViz page: map, alliances, control and relations, sliders, "Why?".

Serve it with ``python run.py serve [SCENARIO]`` or ``solara run
sim/dashboard/app.py`` (scenario from ``GREATGAME_SCENARIO``, default
``scenarios/2016.yaml``). Sliders come from the scenario schema
(:func:`sim.dashboard.controls.slider_specs`); Reset re-creates the model from
the picked scenario and the moved sliders; Step and Play advance it one week at
a time.
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # figures are PNGs sent to the browser; no GUI backend

import solara  # noqa: E402
from mesa.visualization import SolaraViz  # noqa: E402

from sim import plots  # noqa: E402
from sim.dashboard.controls import (  # noqa: E402
    DEFAULT_SCENARIO,
    SCENARIO_KEY,
    DashboardGame,
    balance_line,
    scenario_files,
    slider_specs,
    why_lines,
)
from sim.scenario.loader import load_scenario  # noqa: E402

TITLE = "The Great Game — Afghanistan 2016"


def _figure(fig) -> solara.Element:
    return solara.FigureMatplotlib(fig, format="png", dpi=72)


@solara.component
def _Figure(model, step: int, what: str):
    """One figure of ``model``, redrawn only when the step (or the model) changes."""
    fig = solara.use_memo(lambda: getattr(plots, what)(model), [model, step, what])
    return _figure(fig)


def map_view(model):
    """The province map coloured by controller, with supply routes."""
    return _Figure(model, model.step_index, "map")


def alliance_view(model):
    """The alliance graph."""
    return _Figure(model, model.step_index, "alliances")


def control_view(model):
    """Provinces held by each actor over time."""
    return _Figure(model, model.step_index, "control")


def relations_view(model):
    """Key relations (affinities) over time."""
    return _Figure(model, model.step_index, "relations")


def _changes(model) -> str:
    overrides = getattr(model, "overrides", {})
    if not overrides:
        return "as in the file"
    return "; ".join(f"{path} = {value:g}" for path, value in overrides.items())


def why_panel(model):
    """The latest alliance changes with their explanation terms, in words.

    Plain text and HTML only: Solara's Markdown fetches KaTeX from a CDN,
    which an offline classroom does not have.
    """
    lines = why_lines(model)
    date = model.config.date_of(model.step_index)
    with solara.Card("Why? — the latest changes of alliance") as card:
        with solara.Column(classes=["greatgame-why"]):
            solara.Text(
                f"Week {model.step_index} of {model.config.steps}: {date}.",
                style={"font-weight": "bold"},
            )
            solara.Text(
                f"Scenario {getattr(model, 'scenario_file', '')}, seed "
                f"{model.seed_value}: "
                f"{_changes(model)}. Move a slider or pick a scenario, then "
                "press Reset to apply it."
            )
            if not lines:
                solara.Text(
                    "No relation has changed yet. Press Step or ▶ and watch "
                    "who turns friend or enemy, and why."
                )
            with solara.v.Html(tag="ul"):
                for line in lines:
                    solara.v.Html(tag="li", children=[line])
            solara.Text(balance_line(model))
            solara.Text(
                "Terms: the push each mechanism gave the pair since its last "
                "change (+ toward alliance, − toward enmity).",
                style={"font-style": "italic", "font-size": "0.9em"},
            )
    return card


#: Slider labels above their sliders, so that long labels do not squeeze them.
CSS = """
.v-input__slider .v-input__slot { flex-wrap: wrap; }
.v-input__slider .v-input__slot > .v-label {
  flex-basis: 100%; height: auto !important; white-space: normal;
  line-height: 1.3; margin-bottom: 4px;
}
.greatgame-why li { margin-bottom: 6px; }
"""


COMPONENTS = [
    (map_view, 0),
    (why_panel, 0),
    (alliance_view, 0),
    (control_view, 0),
    (relations_view, 1),
]


def model_params(scenario_file: str) -> dict:
    """SolaraViz's ``model_params``: picker, seed, schema-derived sliders, fixed values.

    The seed box is Mesa's ``rng``: each seed gives its own run on Reset.
    """
    scenario = load_scenario(scenario_file)
    files = scenario_files(Path(scenario_file).parent)
    if scenario_file not in files:
        files = [scenario_file, *files]
    specs = slider_specs(scenario)
    params: dict = {
        SCENARIO_KEY: {
            "type": "Select",
            "label": "Scenario (applied on Reset)",
            "value": scenario_file,
            "values": files,
        }
    }
    params["rng"] = {
        "type": "InputText",
        "label": "Seed (applied on Reset)",
        "value": str(scenario.seed),
    }
    params.update({s.path: s.as_user_param() for s in specs})
    params["defaults"] = {s.path: s.value for s in specs}  # fixed, not shown
    return params


@solara.component
def Page():
    """The dashboard of one browser session (each session has its own model)."""
    scenario_file = os.environ.get("GREATGAME_SCENARIO", DEFAULT_SCENARIO)
    params = solara.use_memo(lambda: model_params(scenario_file), [scenario_file])
    model = solara.use_memo(
        lambda: DashboardGame(scenario_file, defaults=params["defaults"]),
        [scenario_file],
    )
    solara.Style(CSS)
    SolaraViz(
        model,
        components=COMPONENTS,
        model_params=params,
        name=TITLE,
        play_interval=300,
    )
