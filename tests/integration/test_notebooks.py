"""The notebooks in notebooks/: each runs top to bottom, and none is saved with outputs.

Each notebook is executed by nbclient in a fresh kernel started from this
Python (the "python3" kernel of the current environment), with
``GREATGAME_QUICK=1`` so that every sweep is tiny, ``GREATGAME_OUT`` pointing
at ``tmp_path`` so that nothing is written into the repository, and the
notebooks folder as the working directory. A cell that raises fails the test.
About 10 s per notebook on 2 cores.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
EXPECTED = {
    "01_quickstart.ipynb",
    "02_sweep.ipynb",
    "03_counterfactuals.ipynb",
    "04_sensitivity.ipynb",
    "05_what_the_headline_rests_on.ipynb",
}
NEEDS = {
    "04_sensitivity.ipynb": "SALib",
    "05_what_the_headline_rests_on.ipynb": "SALib",
}  # beyond the test extra's own packages
CELL_TIMEOUT = 180  # seconds; a quick-mode cell takes a few


def execute(nb, tmp_path: Path):
    env = dict(os.environ, GREATGAME_QUICK="1", GREATGAME_OUT=str(tmp_path))
    client = nbclient.NotebookClient(
        nb,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    return client.execute(env=env)


def test_the_five_notebooks_are_there():
    assert {p.name for p in ALL} >= EXPECTED


@pytest.mark.slow
@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_in_quick_mode(path, tmp_path):
    needed = NEEDS.get(path.name)
    if needed and importlib.util.find_spec(needed) is None:
        pytest.skip(f"{path.name} needs {needed} (pip install '.[analysis]')")
    nb = nbformat.read(path, as_version=4)
    execute(nb, tmp_path)  # raises CellExecutionError on the first failing cell
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code)
    shown = [o for c in code for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in shown), "no figure shown"


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    dirty = [
        i
        for i, c in enumerate(nb.cells)
        if c.cell_type == "code" and (c.outputs or c.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; strip them"
    assert nb.metadata.get("kernelspec", {}).get("name") == "python3"
    assert "widgets" not in nb.metadata


def test_the_kernel_is_this_python(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import sys; print(sys.executable)")]
    execute(nb, tmp_path)
    printed = nb.cells[0].outputs[0]["text"].strip()
    assert Path(printed).resolve() == Path(sys.executable).resolve()
