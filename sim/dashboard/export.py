"""Export the run on screen: the run directory the command line writes, zipped.

The dashboard does not write its own report: :func:`run_zip` saves the
session's model through :meth:`sim.results.rundata.RunResult.save` (tables,
event log, chronicle, manifest, figures and ``report.html``, without the
animation) into a temporary directory and returns it as one zip file for
the browser to download. Nothing is left on the server.
"""

from __future__ import annotations

import copy
import io
import tempfile
import zipfile
from pathlib import Path

from sim.results.rundata import RunResult, from_model


def export_name(model) -> str:
    """The zip's file name, e.g. ``2016-seed2016-week52.zip``."""
    stem = Path(getattr(model, "scenario_file", "run")).stem
    return f"{stem}-seed{model.seed_value}-week{model.step_index}.zip"


def snapshot(model) -> RunResult:
    """The run so far, with its history copied: later steps do not change it."""
    result = from_model(model)
    result.history = copy.deepcopy(model.history)
    return result


def run_zip(result: RunResult, name: str, figures: bool = True) -> bytes:
    """A run as a zip of its run directory (tables, chronicle, report.html...).

    Args:
        result: the run (:func:`snapshot` of the session's model).
        name: the zip's file name (:func:`export_name`); its stem is the folder.
        figures: also draw the figures and ``report.html``.
    """
    with tempfile.TemporaryDirectory(prefix="greatgame-export-") as tmp:
        folder = Path(tmp) / Path(name).stem
        result.save(folder, figures=figures, animation=False)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(folder.parent))
        return buffer.getvalue()
