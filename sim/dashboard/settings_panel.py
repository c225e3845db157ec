"""The Setup tab: scenario, seed and sliders (applied on Reset), and the export.

Every change goes through the session's checks
(:class:`sim.dashboard.session.Session`): the picker's value must be a listed
scenario, a slider's value lies within its schema bounds, the seed is a
whole number. Each slider's value is written beside its label, so it reads
without dragging.
"""

from __future__ import annotations

import threading

import solara

from sim.dashboard.export import export_name, run_zip, snapshot
from sim.dashboard.guard import LOG
from sim.dashboard.session import Session

#: Exports the server draws at once (each draws the run's figures).
EXPORTS = threading.BoundedSemaphore(2)
EXPORT_BUSY = "The server is exporting other runs; try again in a minute."
EXPORT_FAILED = "The export failed; the details are in the server's log."


@solara.component
def SetupPanel(session: Session, act, version: int):
    """Scenario picker, seed box, one slider per scenario value, reset sliders."""
    with solara.Column(classes=["gg-controls"]):
        with solara.Row():
            solara.Button(
                "Reset sliders",
                on_click=lambda: act("reset sliders", session.reset_sliders),
            )
            solara.Button(
                "Reset (apply)",
                color="primary",
                on_click=lambda: act("reset", session.reset),
            )
        solara.Select(
            "Scenario (applied on Reset)",
            values=list(session.catalogue),
            value=session.scenario,
            on_value=lambda v: act(
                "pick a scenario", lambda: session.choose_scenario(v)
            ),
        )
        solara.InputText(
            "Seed (applied on Reset; blank: the scenario's)",
            value="" if session.seed is None else str(session.seed),
            on_value=lambda v: act("set the seed", lambda: session.set_seed(v)),
        )
        for spec in session.specs:
            value = session.values[spec.path]
            solara.SliderFloat(
                f"{spec.label}: {value:g}",
                value=value,
                min=spec.min,
                max=spec.max,
                step=spec.step,
                thumb_label=True,
                on_value=lambda v, p=spec.path: act(
                    "move a slider", lambda: session.set_slider(p, v)
                ),
            )


def _zip_or_message(asked) -> tuple[bytes | None, str]:
    """The run's zip, or None and a sentence for the page."""
    result, name = asked
    if not EXPORTS.acquire(blocking=False):
        return None, EXPORT_BUSY
    try:
        return run_zip(result, name), ""
    except Exception:
        LOG.exception("the dashboard failed to export a run")
        return None, EXPORT_FAILED
    finally:
        EXPORTS.release()


@solara.component
def ExportPanel(session: Session, version: int):
    """Prepare the run on screen as a zip (tables, report), then download it."""
    asked, set_asked = solara.use_state(None)
    result = solara.use_thread(
        lambda: _zip_or_message(asked) if asked is not None else (None, ""),
        dependencies=[asked],
    )
    model = session.model
    with solara.Row(classes=["gg-export"]):
        solara.Button(
            f"Prepare export of week {model.step_index}",
            on_click=lambda: set_asked((snapshot(model), export_name(model))),
            disabled=result.state == solara.ResultState.RUNNING,
        )
        if result.state == solara.ResultState.RUNNING:
            solara.Text("Drawing the report… (about half a minute)")
        elif result.state == solara.ResultState.FINISHED and result.value:
            data, problem = result.value
            if data is not None:
                solara.FileDownload(
                    data,
                    filename=asked[1],
                    label=f"Download {asked[1]}",
                )
            elif problem:
                solara.Text(problem)
