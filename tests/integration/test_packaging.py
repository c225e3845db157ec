"""The wheel carries what an installed copy needs far from any clone.

``greatgame 2016`` and ``GreatGame("2016")`` find the shipped scenarios inside
the package, the map is drawn from the province data, the scorecard reads its
facts, and type checkers see ``py.typed``. A file left out of the package data
would only show up in a user's fresh install, so the wheel is built here and
its listing checked.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def _source_copy(dest: Path) -> Path:
    """The files a build reads, copied so the build leaves the clone untouched."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    # symlinks=True keeps sim/scenarios a link to the copied scenarios/ folder
    shutil.copytree(ROOT / "sim", dest / "sim", symlinks=True, ignore=skip)
    shutil.copytree(ROOT / "scenarios", dest / "scenarios", ignore=skip)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = _source_copy(tmp_path_factory.mktemp("src"))
    out = tmp_path_factory.mktemp("wheel")
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", out, src]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    (built,) = out.glob("greatgame-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as zf:
        return set(zf.namelist())


def test_every_shipped_scenario_is_in_the_wheel(wheel_names):
    shipped = sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml"))
    assert shipped, "no scenarios in scenarios/"
    for name in shipped:
        assert f"sim/scenarios/{name}" in wheel_names


def test_the_world_data_is_in_the_wheel(wheel_names):
    data = ROOT / "sim" / "world" / "data"
    for path in sorted(data.glob("*.csv")) + sorted(data.glob("*.md")):
        assert f"sim/world/data/{path.name}" in wheel_names


def test_the_province_boundaries_are_in_the_wheel(wheel_names):
    if not (ROOT / "sim" / "world" / "data" / "provinces.geojson").is_file():
        pytest.skip("sim/world/data/provinces.geojson is not in this tree yet")
    assert "sim/world/data/provinces.geojson" in wheel_names


def test_the_scorecard_facts_are_in_the_wheel(wheel_names):
    facts = [
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "sim" / "experiments").rglob("*.yaml")
    ]
    assert facts, "no facts file under sim/experiments"
    for name in facts:
        assert name in wheel_names


def test_the_package_is_marked_typed_and_licensed(wheel_names):
    assert "sim/py.typed" in wheel_names
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in wheel_names)


def test_the_greatgame_command_is_installed(wheel, wheel_names):
    (entry_points,) = [n for n in wheel_names if n.endswith("entry_points.txt")]
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read(entry_points).decode("utf-8")
    # the entry point runs main() and spares the interpreter its last collections
    assert "greatgame = sim.cli:entry_point" in text.splitlines()
