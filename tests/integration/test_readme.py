"""The README's Python snippet runs as printed, from an empty folder."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_has_a_python_snippet_that_uses_the_public_api():
    blocks = _python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))
    assert blocks, "README.md shows no Python snippet"
    assert "from sim import GreatGame, load, run" in blocks[0]


def test_the_readme_snippet_runs_and_writes_a_run_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = _python_blocks((ROOT / "README.md").read_text(encoding="utf-8"))[0]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102
    result, model = namespace["result"], namespace["model"]
    assert len(result.actors) > 0
    assert (tmp_path / "runs" / "demo" / "actors.csv").is_file()
    assert (tmp_path / "runs" / "demo" / "manifest.json").is_file()
    assert model.config.actors["russia"].resources == 0  # the override held
    rows = model.datacollector.get_model_vars_dataframe()
    assert len(rows) == model.config.steps + 1  # the whole scenario ran
