"""The command line and the run directory it writes.

Most runs call :func:`sim.cli.main` in-process with ``--steps 3`` and
``--no-figures`` (figures have their own tests); a few go through ``run.py``
/ ``python -m sim`` in a subprocess, and the full 2016 scenario is run once
as the README tells a user to, figures and all (module fixture), for the
checks on whole-run files. Everything is written under pytest's temporary
directories.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import sim.results.tables
from sim.cli import main as cli_main
from tests.conftest import RUN_FILES

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
S2016 = SCENARIOS / "2016.yaml"
FIGURE_FILES = {
    "map.png",
    "map_timeline.png",
    "map.gif",
    "control.png",
    "alliances.png",
    "relations.png",
    "supply.png",
    "report.html",
}
DETERMINISTIC = sorted(RUN_FILES - {"manifest.json"})
N_PROVINCES, N_ACTORS = 34, 7


def main(argv: list[str]) -> int:
    """The CLI without figures, unless a test asks for them."""
    if argv and argv[0] not in ("validate", "plot") and "--figures" not in argv:
        argv = [*argv, "--no-figures"]
    return cli_main([a for a in argv if a != "--figures"])


def run_script(
    *args: str, module: bool = False, figures: bool = False
) -> subprocess.CompletedProcess:
    if not figures and args and args[0] not in ("validate", "plot"):
        args = (*args, "--no-figures")
    cmd = [sys.executable, *(["-m", "sim"] if module else ["run.py"]), *args]
    return subprocess.run(
        cmd, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def hidden(directory: Path) -> list[str]:
    return [p.name for p in directory.iterdir() if p.name.startswith(".")]


@pytest.fixture(scope="module")
def full_run(tmp_path_factory) -> Path:
    """The full 2016 scenario, once, through ``run.py`` in a subprocess."""
    out = tmp_path_factory.mktemp("full") / "run"
    proc = run_script(str(S2016), "--out", str(out), "--quiet", figures=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""  # --quiet: no summary
    assert "Traceback" not in proc.stderr
    return out


# 1. The run directory -----------------------------------------------------------


def test_full_run_writes_exactly_the_contract_files(full_run):
    assert {p.name for p in full_run.iterdir()} == RUN_FILES | FIGURE_FILES
    assert not hidden(full_run.parent)  # no temporary directory left beside it


def test_full_run_tables_have_every_province_and_actor(full_run):
    manifest = json.loads((full_run / "manifest.json").read_text())
    steps = manifest["steps"]
    actor_keys = list(manifest["resolved_scenario"]["actors"])
    assert len(actor_keys) == N_ACTORS

    provinces = read_csv(full_run / "provinces.csv")
    header = list(provinces[0])
    assert header[:4] == ["step", "date", "province", "controller"]
    assert [k for k in header if k in actor_keys] == actor_keys  # one column each
    by_step: dict[str, set[str]] = {}
    for row in provinces:
        by_step.setdefault(row["step"], set()).add(row["province"])
        assert row["controller"] in {*actor_keys, "contested"}
    assert len(by_step) == steps + 1  # the initial state plus every step
    assert all(len(names) == N_PROVINCES for names in by_step.values())
    assert len(provinces) == (steps + 1) * N_PROVINCES

    actors = read_csv(full_run / "actors.csv")
    assert list(actors[0]) == [
        "step",
        "date",
        "actor",
        "strength",
        "provinces_controlled",
        "provinces_present",
        "aid_received",
        "aid_sent",
        "equipment",
        "aid_budget",  # beyond the contract: the patron's budget that step
        "losses",  # fighters lost in combat that step
        "recruits",  # fighters recruited that step
    ]
    assert len(actors) == (steps + 1) * N_ACTORS
    for step in {r["step"] for r in actors}:
        assert [r["actor"] for r in actors if r["step"] == step] == actor_keys


def test_manifest_records_what_was_run(full_run):
    m = json.loads((full_run / "manifest.json").read_text())
    assert m["seed"] == 2016
    assert m["steps"] == 104
    assert m["scenario"] == "afghanistan-2016"
    resolved = m["resolved_scenario"]
    assert resolved["name"] == m["scenario"]
    assert resolved["steps"] == m["steps"]
    assert set(resolved["actors"]) >= {"russia", "taliban", "isis_k"}
    assert m["mesa_version"] not in ("", None, "unknown")
    assert m["greatgame_version"] not in ("", None)
    assert m["started"] <= m["finished"]


def test_manifest_resolves_overrides(tmp_path, capsys):
    out = tmp_path / "o"
    rc = main(
        [
            str(S2016),
            "--out",
            str(out),
            "--steps",
            "3",
            "--seed",
            "11",
            "--set",
            "actors.russia.resources=0",
            "--quiet",
        ]
    )
    assert rc == 0, capsys.readouterr().err
    m = json.loads((out / "manifest.json").read_text())
    assert (m["seed"], m["steps"]) == (11, 3)
    assert m["resolved_scenario"]["steps"] == 3
    assert m["resolved_scenario"]["actors"]["russia"]["resources"] == 0
    assert "actors.russia.resources=0" in m["overrides"]


def test_summary_is_printed_and_ends_with_the_output_path(tmp_path, capsys):
    out = tmp_path / "o"
    assert main([str(S2016), "--out", str(out), "--steps", "3"]) == 0
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.out.strip().splitlines()
    assert lines[0].split()[0] == "actor"
    assert any(line.startswith("Taliban") for line in lines)
    assert "Contested provinces at the end" in captured.out
    assert lines[-1].startswith(f"Wrote {out}")
    assert {p.name for p in out.iterdir()} == RUN_FILES


def test_quiet_prints_nothing(tmp_path, capsys):
    assert (
        main([str(S2016), "--out", str(tmp_path / "o"), "--steps", "3", "--quiet"]) == 0
    )
    assert capsys.readouterr().out == ""


# 2. Determinism -----------------------------------------------------------------


def test_same_seed_gives_byte_identical_files(full_run, tmp_path, capsys):
    again = tmp_path / "again"
    assert main([str(S2016), "--out", str(again), "--quiet", "--seed", "2016"]) == 0
    for name in DETERMINISTIC:
        assert (again / name).read_bytes() == (full_run / name).read_bytes(), name


def test_different_seed_gives_different_provinces(full_run, tmp_path):
    other = tmp_path / "other"
    assert main([str(S2016), "--out", str(other), "--quiet", "--seed", "7"]) == 0
    a = (full_run / "provinces.csv").read_bytes()
    b = (other / "provinces.csv").read_bytes()
    assert a != b


# 3. Bad input -------------------------------------------------------------------


def _unknown_key(tmp: Path) -> list[str]:
    bad = tmp / "typo.yaml"
    bad.write_text(f"extends: {S2016}\nname: typo\nstpes: 3\n", encoding="utf-8")
    return [str(bad)]


def _yaml_syntax(tmp: Path) -> list[str]:
    bad = tmp / "broken.yaml"
    bad.write_text("name: broken\nsteps: [1, 2\nseed: 3\n", encoding="utf-8")
    return [str(bad)]


BAD_INPUT = {
    "missing file": (lambda t: [str(t / "nowhere.yaml")], ["nowhere.yaml"]),
    "yaml syntax": (_yaml_syntax, ["broken.yaml", "line"]),
    "unknown key": (_unknown_key, ["typo.yaml", "stpes", "did you mean 'steps'"]),
    "set bad path": (
        lambda t: [str(S2016), "--set", "actors.russia.resourcez=0"],
        ["--set actors.russia.resourcez=0", "did you mean 'resources'"],
    ),
    "set wrong type": (
        lambda t: [str(S2016), "--set", "actors.russia.resources=lots"],
        ["actors.russia.resources", "lots"],
    ),
    "set unknown actor": (
        lambda t: [str(S2016), "--set", "actors.rusia.resources=1"],
        ["rusia", "russia"],
    ),
    "steps zero": (lambda t: [str(S2016), "--steps", "0"], ["--steps", "0"]),
    "negative seed": (lambda t: [str(S2016), "--seed", "-1"], ["--seed", "-1"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_exits_2_with_one_clear_paragraph(
    case, tmp_path, monkeypatch, capsys
):
    make_args, expected = BAD_INPUT[case]
    args = make_args(tmp_path)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "out"

    for extra in ([], ["--out", str(out)]):  # default and explicit output dirs
        assert main([*args, *extra]) == 2
        captured = capsys.readouterr()
        err = captured.err.strip()
        assert err.startswith("error:"), err
        assert "Traceback" not in captured.err
        assert "\n\n" not in err  # one paragraph
        for text in expected:
            assert text in err, (text, err)
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # no runs/, out/


def test_argparse_errors_exit_2_without_traceback(capsys):
    with pytest.raises(SystemExit) as exc:
        main([str(S2016), "--steps", "many"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--steps" in err and "Traceback" not in err


def test_bad_input_through_run_py_has_no_traceback(tmp_path):
    out = tmp_path / "out"
    proc = run_script(str(S2016), "--set", "stepz=3", "--out", str(out))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error:")
    assert "did you mean 'steps'" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


# 4. Existing output directory ---------------------------------------------------


def test_existing_output_dir_needs_force(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (out / "actors.csv").write_text("not a run\n", encoding="utf-8")
    before = snapshot(out)

    assert main([str(S2016), "--out", str(out), "--steps", "3", "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error:")
    assert "--force" in captured.err and str(out) in captured.err
    assert "Traceback" not in captured.err
    assert snapshot(out) == before  # untouched
    assert not hidden(tmp_path)

    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--force"]
    assert main(args) == 2  # not a run of ours: --force does not delete it
    err = capsys.readouterr().err
    assert "notes.txt" in err and "actors.csv" in err and "Nothing was removed" in err
    assert snapshot(out) == before

    for f in out.iterdir():
        f.unlink()
    assert main([str(S2016), "--out", str(out), "--steps", "2", "--quiet"]) == 0
    assert main(args) == 0  # a run of ours is replaced
    assert {p.name for p in out.iterdir()} == RUN_FILES  # replaced, not merged
    assert json.loads((out / "manifest.json").read_text())["steps"] == 3
    assert not hidden(tmp_path)


def test_existing_empty_output_dir_is_used_without_force(tmp_path, capsys):
    out = tmp_path / "o"
    out.mkdir()
    assert main([str(S2016), "--out", str(out), "--steps", "3", "--quiet"]) == 0
    assert "error" not in capsys.readouterr().err
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert not hidden(tmp_path)


@pytest.mark.parametrize("force", [False, True])
def test_output_path_that_is_a_file_is_refused(force, tmp_path, capsys):
    out = tmp_path / "o"
    out.write_text("a file\n", encoding="utf-8")
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet"]
    assert main(args + ["--force"] * force) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and str(out) in err
    assert out.read_text(encoding="utf-8") == "a file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


# 5. Failures leave nothing that looks complete ---------------------------------


def _boom(*args, **kwargs):
    raise RuntimeError("boom in relations_table")


def test_failed_write_leaves_no_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sim.results.tables, "relations_table", _boom)
    parent = tmp_path / "runs"
    out = parent / "o"
    assert main([str(S2016), "--out", str(out), "--steps", "3", "--quiet"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("error: internal error")
    assert "boom in relations_table" in err
    assert "--debug" in err
    assert "Traceback" not in captured.err
    assert not out.exists()
    assert not hidden(parent)  # no '.o.partial-*' left behind
    assert list(parent.iterdir()) == []


def test_failed_write_with_force_keeps_the_old_run(tmp_path, monkeypatch, capsys):
    out = tmp_path / "o"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet"]
    assert main(args) == 0
    before = snapshot(out)
    monkeypatch.setattr(sim.results.tables, "relations_table", _boom)
    assert main([*args, "--force", "--seed", "5"]) == 1
    capsys.readouterr()
    assert snapshot(out) == before
    assert not hidden(tmp_path)


def test_debug_shows_the_traceback(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sim.results.tables, "relations_table", _boom)
    out = tmp_path / "o"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--debug"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "RuntimeError: boom in relations_table" in err
    assert not out.exists()
    assert not hidden(tmp_path)


def test_interrupt_while_writing_exits_130_and_leaves_nothing(
    tmp_path, monkeypatch, capsys
):
    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sim.results.tables, "relations_table", interrupt)
    out = tmp_path / "o"
    assert main([str(S2016), "--out", str(out), "--steps", "3", "--quiet"]) == 130
    err = capsys.readouterr().err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists()
    assert not hidden(tmp_path)


# 6. validate --------------------------------------------------------------------


def test_validate_valid_file_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["validate", str(S2016)]) == 0
    captured = capsys.readouterr()
    assert "valid" in captured.out and captured.err == ""
    assert list(tmp_path.iterdir()) == []  # no runs/


def test_validate_invalid_file_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    bad = _unknown_key(tmp_path)[0]
    assert main(["validate", bad]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("error:") and "stpes" in captured.err
    assert "Traceback" not in captured.err and "valid." not in captured.out
    assert main(["validate", str(S2016), "--set", "steps=soon"]) == 2
    assert capsys.readouterr().err.startswith("error:")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["typo.yaml"]


def test_validate_through_python_m_sim(tmp_path):
    proc = run_script("validate", str(S2016), module=True)
    assert proc.returncode == 0, proc.stderr
    assert "valid" in proc.stdout


# 7. Every scenario file runs ----------------------------------------------------


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_scenario_runs_three_steps(path, tmp_path, capsys):
    out = tmp_path / "o"
    rc = main([str(path), "--out", str(out), "--steps", "3", "--quiet"])
    err = capsys.readouterr().err
    assert rc == 0, err
    assert {p.name for p in out.iterdir()} == RUN_FILES
    m = json.loads((out / "manifest.json").read_text())
    assert m["steps"] == 3
    assert len(read_csv(out / "provinces.csv")) == 4 * N_PROVINCES


def test_python_m_sim_runs_a_scenario(tmp_path):
    out = tmp_path / "o"
    proc = run_script(
        str(SCENARIOS / "no_isis.yaml"), "--out", str(out), "--steps", "3", module=True
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip().splitlines()[-1].startswith(f"Wrote {out}")
    assert {p.name for p in out.iterdir()} == RUN_FILES
    actors = {r["actor"] for r in read_csv(out / "actors.csv")}
    assert "isis_k" not in actors


# 8-9. Table invariants over the full run ----------------------------------------


def test_supply_sent_is_delivered_plus_interdicted_exactly(full_run):
    rows = read_csv(full_run / "supply.csv")
    assert rows, "the 2016 scenario has aid flows"
    assert list(rows[0]) == [
        "step",
        "date",
        "patron",
        "client",
        "route",
        "sent",
        "delivered",
        "interdicted",
    ]
    for row in rows:
        sent, delivered, interdicted = (
            Decimal(row[k]) for k in ("sent", "delivered", "interdicted")
        )
        assert sent == delivered + interdicted, row
        assert delivered >= 0 and interdicted >= 0, row


def test_relations_statuses_and_affinities(full_run):
    rows = read_csv(full_run / "relations.csv")
    assert rows
    assert {r["status"] for r in rows} <= {"ally", "neutral", "enemy"}
    for row in rows:
        assert -1 <= float(row["affinity"]) <= 1, row
        assert row["actor_a"] != row["actor_b"]
    steps = {r["step"] for r in rows}
    assert len(rows) == len(steps) * N_ACTORS * (N_ACTORS - 1)  # ordered pairs


def test_events_jsonl_is_one_object_per_line(full_run):
    lines = (full_run / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        assert isinstance(json.loads(line), dict)
    assert "2016" in (full_run / "chronicle.md").read_text(encoding="utf-8")


# 10. Default output directory ---------------------------------------------------


def test_default_output_dir_is_runs_name_seed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main([str(S2016), "--steps", "3", "--quiet"]) == 0
    assert main([str(S2016), "--steps", "3", "--quiet", "--seed", "9"]) == 0
    capsys.readouterr()
    runs = tmp_path / "runs" / "afghanistan-2016"
    assert sorted(p.name for p in runs.iterdir()) == ["seed-2016", "seed-9"]
    for seed in ("seed-2016", "seed-9"):
        assert {p.name for p in (runs / seed).iterdir()} == RUN_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs"]


# 11. Figures from the command line ------------------------------------------------


def test_plot_redraws_the_figures_of_a_run_directory(tmp_path, capsys):
    out = tmp_path / "r"
    assert main([str(S2016), "--out", str(out), "--steps", "4", "--quiet"]) == 0
    assert not (out / "map.png").exists()  # --no-figures
    tables = snapshot(out)
    assert cli_main(["plot", str(out), "--no-anim"]) == 0
    names = {p.name for p in out.iterdir()}
    assert FIGURE_FILES - {"map.gif"} <= names
    assert not hidden(out)
    assert {k: v for k, v in snapshot(out).items() if k in tables} == tables
    assert "report.html" in capsys.readouterr().out


def test_plot_redraws_a_runs_figures_and_report_to_the_byte(full_run, tmp_path):
    # the figures are drawn from the values the tables hold, so a redraw from
    # the tables alone is the same files
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(full_run, copy)
    drawn = {p.name for p in full_run.iterdir()} & (FIGURE_FILES | {"report.html"})
    for name in drawn:
        (copy / name).unlink()
    assert cli_main(["plot", str(copy)]) == 0
    differ = [
        n
        for n in sorted(drawn)
        if (copy / n).read_bytes() != (full_run / n).read_bytes()
    ]
    assert differ == []


def test_plot_of_a_directory_that_is_not_a_run_exits_2(tmp_path, capsys):
    assert cli_main(["plot", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "not a run directory" in err


def test_a_bad_geometry_file_exits_2_before_anything_is_written(tmp_path, capsys):
    bad = tmp_path / "shapes.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    out = tmp_path / "r"
    args = [str(S2016), "--out", str(out), "--steps", "2", "--geometry", str(bad)]
    assert cli_main([*args, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "shapes.geojson" in err
    assert "Traceback" not in err
    assert not out.exists() and not hidden(tmp_path)
