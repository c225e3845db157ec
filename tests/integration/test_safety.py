"""Safety: paths named in a scenario resolve beside it, a run writes only
under ``--out`` (or ``runs/``), and a scenario file never runs code.

Every run is in-process (:func:`sim.cli.main`), short (``--steps 2``) and
under pytest's temporary directory; ``tempfile`` is pointed inside it too,
so the before/after snapshots see every file a run creates.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from sim.cli import main as cli_main
from sim.cli.options import slug
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[2]
S2016 = ROOT / "scenarios" / "2016.yaml"


def snapshot(*roots: Path) -> set[Path]:
    return {p for root in roots if root.exists() for p in root.rglob("*")}


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A cwd, a temp dir for ``tempfile`` and a folder of scenarios, all fresh."""
    cwd, systmp, scen = (tmp_path / n for n in ("cwd", "systmp", "scen"))
    for d in (cwd, systmp, scen):
        d.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr(tempfile, "tempdir", str(systmp))
    shutil.copy(S2016, scen / "base.yaml")
    return tmp_path


# --- (a) extends: and geometry: resolve beside the scenario file --------------


def test_extends_and_geometry_resolve_beside_the_scenario(sandbox):
    scen = sandbox / "scen"
    (scen / "common").mkdir()
    shutil.move(scen / "base.yaml", scen / "common" / "base.yaml")
    with (scen / "common" / "base.yaml").open("a", encoding="utf-8") as f:
        f.write("geometry: shapes.geojson\n")
    (scen / "sub").mkdir()
    (scen / "sub" / "child.yaml").write_text(
        "extends: ../common/base.yaml\nname: child\n", encoding="utf-8"
    )
    (scen / "sibling.yaml").write_text(
        "extends: common/base.yaml\nname: sibling\ngeometry: own.geojson\n",
        encoding="utf-8",
    )
    # decoys where a cwd-relative lookup would find them
    (sandbox / "cwd" / "common").mkdir()
    (sandbox / "cwd" / "common" / "base.yaml").write_text("not: a scenario\n")

    child = load_scenario("../scen/sub/child.yaml")
    assert child.name == "child"
    assert child.actors  # inherited from common/base.yaml
    assert Path(child.geometry) == (scen / "common" / "shapes.geojson").resolve()

    sibling = load_scenario(Path("..") / "scen" / "sibling.yaml")
    assert sibling.name == "sibling"
    assert Path(sibling.geometry) == (scen / "own.geojson").resolve()

    out = sandbox / "out"
    code = cli_main(["../scen/sub/child.yaml", "--steps", "2", "--no-figures",
                     "--quiet", "--out", str(out)])  # fmt: skip
    assert code == 0
    assert (out / "actors.csv").is_file()


def test_a_missing_extends_target_is_reported_not_looked_up_in_the_cwd(sandbox):
    (sandbox / "scen" / "lonely.yaml").write_text(
        "extends: nowhere.yaml\nname: lonely\n", encoding="utf-8"
    )
    shutil.copy(S2016, sandbox / "cwd" / "nowhere.yaml")  # decoy in the cwd
    with pytest.raises(ScenarioError, match="extends"):
        load_scenario("../scen/lonely.yaml")


# --- (b) output only under --out -------------------------------------------------


@pytest.mark.parametrize(
    "flags", [["--no-figures"], ["--no-anim"]], ids=["no-figures", "figures"]
)
def test_a_run_writes_only_under_out(sandbox, flags):
    out = sandbox / "elsewhere" / "run"
    before = snapshot(sandbox)
    code = cli_main([str(sandbox / "scen" / "base.yaml"), "--steps", "2",
                     "--quiet", "--out", str(out), *flags])  # fmt: skip
    assert code == 0
    new = snapshot(sandbox) - before
    outside = sorted(
        str(p) for p in new if p != out.parent and out not in (p, *p.parents)
    )
    assert outside == [], f"files written outside --out: {outside}"
    assert (out / "manifest.json").is_file()
    if "--no-anim" in flags:
        assert (out / "report.html").is_file()
        assert not (out / "map.gif").exists()


def test_without_out_a_run_writes_only_under_runs(sandbox):
    before = snapshot(sandbox)
    code = cli_main([str(sandbox / "scen" / "base.yaml"), "--steps", "2",
                     "--quiet", "--no-figures", "--seed", "1"])  # fmt: skip
    assert code == 0
    runs = sandbox / "cwd" / "runs"
    new = snapshot(sandbox) - before
    assert new and all(p == runs or runs in p.parents for p in new)
    assert (runs / "afghanistan-2016" / "seed-1" / "actors.csv").is_file()


# --- (c) no code runs from a scenario file ----------------------------------------

MARK = "pwned-marker"
PAYLOADS = {
    "object-apply": f'!!python/object/apply:os.system ["touch {MARK}"]',
    "object-new": f'!!python/object/new:os.system ["touch {MARK}"]',
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "object": "!!python/object:subprocess.Popen {args: [touch, " + MARK + "]}",
}


def _no_marker(sandbox: Path) -> None:
    assert not any(p.name == MARK for p in sandbox.rglob("*")), "code ran!"
    assert not (ROOT / MARK).exists(), "code ran!"


@pytest.mark.parametrize("where", ["top", "nested", "event-value", "key-value"])
@pytest.mark.parametrize("payload", list(PAYLOADS), ids=list(PAYLOADS))
def test_python_yaml_tags_are_refused(sandbox, capsys, payload, where):
    base = (sandbox / "scen" / "base.yaml").read_text(encoding="utf-8")
    tag = PAYLOADS[payload]
    text = {
        "top": f"{base}\nevil: {tag}\n",
        "nested": f"extends: base.yaml\nname: x\nparameters:\n  sigma: {tag}\n",
        "event-value": "extends: base.yaml\nname: x\nevents:\n  - at: 2016-03-01\n"
        f"    do: set\n    path: parameters.sigma\n    value: {tag}\n",
        "key-value": f"extends: base.yaml\nname: {tag}\n",
    }[where]
    path = sandbox / "scen" / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    code = cli_main([str(path), "--steps", "2", "--quiet", "--no-figures",
                     "--out", str(sandbox / "out")])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "not allowed" in err and "Traceback" not in err
    assert not (sandbox / "out").exists()
    _no_marker(sandbox)


INJECT = f"__import__('os').system('touch {MARK}')"


@pytest.mark.parametrize(
    "path",
    ["actors.taliban.troops", "actors.taliban.cohesion", "parameters.sigma"],
)
def test_a_set_event_with_a_code_string_is_refused(sandbox, capsys, path):
    (sandbox / "scen" / "evil.yaml").write_text(
        "extends: base.yaml\nname: evil\nevents:\n"
        f'  - {{at: 2016-03-01, do: set, path: {path}, value: "{INJECT}"}}\n',
        encoding="utf-8",
    )
    code = cli_main(["../scen/evil.yaml", "--steps", "6", "--quiet",
                     "--no-figures", "--out", str(sandbox / "out")])  # fmt: skip
    assert code == 2
    assert "Traceback" not in capsys.readouterr().err
    _no_marker(sandbox)


def test_code_strings_in_text_fields_stay_text(sandbox):
    (sandbox / "scen" / "evil.yaml").write_text(
        f'extends: base.yaml\nname: evil\ntitle: "{INJECT}"\nevents:\n'
        "  - {at: 2016-03-01, do: set, path: actors.taliban.troops, value: 5,\n"
        f'     label: "{INJECT}"}}\n',
        encoding="utf-8",
    )
    out = sandbox / "out"
    code = cli_main(["../scen/evil.yaml", "--steps", "6", "--quiet",
                     "--no-figures", "--set", f"actors.taliban.name={INJECT}",
                     "--out", str(out)])  # fmt: skip
    assert code == 0
    assert INJECT in (out / "chronicle.md").read_text(encoding="utf-8")
    assert INJECT in (out / "manifest.json").read_text(encoding="utf-8")
    _no_marker(sandbox)


# --- (d) a scenario name cannot steer the default output dir out of runs/ ---------


@pytest.mark.parametrize(
    "name", ["../../evil", "..", ".", "/tmp/evil", "a/../../b", "..\\\\..", "~/x"]
)
def test_slug_is_one_path_component_inside_runs(name):
    made = slug(name)
    assert "/" not in made and "\\" not in made
    assert made not in (".", "..", "")
    runs = Path("/r/runs")
    target = (runs / made / "seed-1").resolve()
    assert target.parent.parent == runs


@pytest.mark.parametrize("name", ["../../evil", "..", ".", "/tmp/evil", "a/../b"])
def test_a_path_like_name_stays_under_runs(sandbox, name):
    (sandbox / "scen" / "evil.yaml").write_text(
        f'extends: base.yaml\nname: "{name}"\n', encoding="utf-8"
    )
    before = snapshot(sandbox)
    code = cli_main(["../scen/evil.yaml", "--steps", "2", "--quiet",
                     "--no-figures", "--seed", "1"])  # fmt: skip
    assert code == 0
    runs = (sandbox / "cwd" / "runs").resolve()
    new = {p.resolve() for p in snapshot(sandbox) - before}
    assert new and all(p == runs or runs in p.parents for p in new), sorted(new)
    written = [p for p in new if p.name == "actors.csv"]
    assert len(written) == 1
    assert written[0].parent.parent.parent == runs  # runs/<slug>/seed-1/
