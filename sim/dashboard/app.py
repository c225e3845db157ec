"""The classroom dashboard page: one model per browser session, projector first.

Serve it with ``python run.py serve [SCENARIO]``. Each browser session gets
its own :class:`~sim.dashboard.session.Session` (model, seed, sliders). The
header carries the big date and week and the run buttons; four named tabs
hold the map with the "Why?" panel, the alliance timeline and control over
time, the compare view, and the scenario, seed and sliders. Every request
goes through the session's checks; a refusal or failure shows one sentence
under the header, never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import solara
import solara.lab

from sim.dashboard import layout, view
from sim.dashboard.controls import DEFAULT_SCENARIO
from sim.dashboard.guard import LOG, shielded
from sim.dashboard.session import AS_IN_FILE, Session
from sim.dashboard.settings_panel import ExportPanel, SetupPanel

TITLE = "The Great Game — Afghanistan 2016–17"
CSS = Path(__file__).with_name("dashboard.css")
TABS = ("Map", "Alliances", "Compare", "Setup")


def start_file() -> str:
    """The scenario the server was started with (``GREATGAME_SCENARIO``)."""
    return os.environ.get("GREATGAME_SCENARIO", DEFAULT_SCENARIO)


#: What a panel says instead of a traceback when it cannot be drawn.
NOT_DRAWN = (
    "This part of the page could not be drawn; the details are in the server's "
    "log. Press Reset, or reload the page."
)


@solara.component
def Shield(panel, *args):
    """``panel(*args)``, or one sentence if drawing it fails (traceback to the log)."""
    error, clear = solara.use_exception()
    if error is None:
        panel(*args)
        return
    LOG.error("the dashboard could not draw a panel", exc_info=error)
    with solara.Column():
        solara.Text(NOT_DRAWN, classes=["gg-message"])
        solara.Button("Try again", on_click=clear)


@solara.component
def Page():
    """The dashboard of one browser session (a traceback never reaches it)."""
    Shield(Dashboard)


@solara.component
def Dashboard():
    """The dashboard of one browser session."""
    session = solara.use_memo(lambda: Session(start_file()), [])
    version, set_version = solara.use_state(0)
    message, set_message = solara.use_state("")
    tab, set_tab = solara.use_state(0)

    def act(what: str, action) -> None:
        problem = shielded(action, what)
        notes = session.take_notes()
        set_message(" ".join([*notes, problem] if problem else notes))
        if problem is None:  # a refused request changes nothing to redraw
            set_version(lambda v: v + 1)

    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.Column(classes=["gg-page"]):
        Shield(Header, session, act, version)
        if message:
            solara.Text(message, classes=["gg-message"])
        with solara.lab.Tabs(value=tab, on_value=set_tab, lazy=True):
            with solara.lab.Tab(TABS[0]):
                Shield(MapTab, session, version)
            with solara.lab.Tab(TABS[1]):
                Shield(AlliancesTab, session, version)
            with solara.lab.Tab(TABS[2]):
                Shield(CompareTab, session, act, version)
            with solara.lab.Tab(TABS[3]):
                Shield(ExportPanel, session, version)
                Shield(SetupPanel, session, act, version)


@solara.component
def Header(session: Session, act, version: int):
    """The big date and week, and Step / Run to date / Run to end / Reset."""
    date, week = view.headline(session.model)
    target, set_target = solara.use_state("2016-12-31")
    with solara.Row(classes=["gg-header"]):
        with solara.Column(gap="0px", classes=["gg-when"]):
            solara.Text(date, classes=["gg-date"])
            solara.Text(week, classes=["gg-week"])
        solara.Button(
            "Step", on_click=lambda: act("step", session.step), color="primary"
        )
        solara.InputText(
            "Run to date (YYYY-MM-DD)",
            value=target,
            on_value=set_target,
            continuous_update=True,
            classes=["gg-target"],
        )
        solara.Button(
            "Run to date",
            on_click=lambda: act("run", lambda: session.run_to_date(target)),
        )
        solara.Button("Run to end", on_click=lambda: act("run", session.run_to_end))
        solara.Button("Reset", on_click=lambda: act("reset", session.reset))
        solara.Text(
            f"{session.scenario} · seed {session.model.seed_value}",
            classes=["gg-title"],
        )


@solara.component
def MapTab(session: Session, version: int):
    """The large map beside the legend, the "Why?" panel and ISIS-K's presence."""
    model = session.model
    with solara.Row(classes=["gg-main"]):
        with solara.Column(classes=["gg-map-col"]):
            layout.MapOf(model)
        with solara.Column(classes=["gg-side"]):
            layout.Legend(model)
            layout.WhyPanel(model)
            layout.Presence(model)


@solara.component
def AlliancesTab(session: Session, version: int):
    """Each pair's status over time, and the provinces each actor holds."""
    with solara.Row(classes=["gg-two"]):
        with solara.Column():
            solara.Text(
                "Each pair's status: green ally, grey neutral, red enemy",
                classes=["gg-caption"],
            )
            layout.Timeline(session.model)
        with solara.Column():
            solara.Text("Provinces held", classes=["gg-caption"])
            layout.ControlChart(session.model)


@solara.component
def CompareTab(session: Session, act, version: int):
    """Baseline and counterfactual, same seed, stepped together, differences marked."""
    choices = [AS_IN_FILE, *session.catalogue]
    picked, set_picked = solara.use_state(AS_IN_FILE)
    with solara.Column(classes=["gg-compare"]):
        with solara.Row():
            solara.Select(
                "Counterfactual",
                values=choices,
                value=picked,
                on_value=set_picked,
                classes=["gg-compare-pick"],
            )
            solara.Button(
                "Compare",
                color="primary",
                on_click=lambda: act("compare", lambda: session.compare_with(picked)),
            )
            if session.comparing:
                solara.Button(
                    "Stop comparing",
                    on_click=lambda: act("stop", session.stop_comparing),
                )
        if not session.comparing:
            solara.Text(
                "Pick a counterfactual and press Compare: it runs with the same "
                "seed beside the current run, and Step moves both."
            )
            return
        CompareView(session)


def CompareView(session: Session):
    """The two maps side by side and the alliance timeline with differences."""
    base, twin = session.model, session.counterfactual
    differs = view.controllers_differ(base, twin)
    count = int(differs.sum())
    solara.Text(
        f"{session.scenario} as set vs {session.counterfactual_choice}, "
        f"seed {base.seed_value} · {count} province{'s' if count != 1 else ''} "
        "held differently (red outline) · alliances that differ: ★ and yellow "
        "marks in the timeline below",
        classes=["gg-compare-summary"],
    )
    with solara.Row(classes=["gg-compare-maps"]):
        with solara.Column():
            solara.Text("Baseline", style={"font-weight": "bold"})
            layout.MapOf(base, differs, labels=False)
        with solara.Column():
            solara.Text("Counterfactual", style={"font-weight": "bold"})
            layout.MapOf(twin, differs, labels=False)
    layout.Timeline(base, twin)
