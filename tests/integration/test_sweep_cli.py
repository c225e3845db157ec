"""``run.py sweep``: the summary, bad input (exit 2), and a sweep killed part-way.

The kill test starts the real command in its own process group, kills it
with SIGKILL once ``results.csv`` has a few rows, checks that its worker
processes exit by themselves, reruns the same command and compares the
result with a sweep that was never interrupted.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[2]
S2016 = str(ROOT / "scenarios" / "2016.yaml")
SMALL = ["--grid", "actors.russia.resources=0,12", "--replicates", "2", "--steps", "3"]
KILL_SWEEP = [
    *("--grid", "actors.russia.resources=0,12", "--replicates", "10"),
    *("--steps", "60", "--workers", "2", "--seed", "5"),
    *("--metric", "provinces:taliban", "--metric", "ever_allied:russia:taliban"),
]


def sweep_cmd(*args: str) -> list[str]:
    return [sys.executable, "run.py", "sweep", S2016, *args]


def data_rows(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    complete = text[: text.rfind("\n") + 1]
    return list(csv.reader(complete.splitlines()))[1:]


def test_sweep_prints_means_by_point_and_writes_results(tmp_path, capsys):
    out = tmp_path / "s"
    argv = ["sweep", S2016, *SMALL, "--workers", "1", "--out", str(out)]
    assert cli_main([*argv, "--metric", "strength:taliban,contested"]) == 0
    text = capsys.readouterr().out
    assert "Metric means by point (4 runs):" in text
    lines = {line.split()[0]: line.split()[1:] for line in text.splitlines() if line}
    assert lines["actors.russia.resources"] == ["0", "12"]
    assert lines["runs"] == ["2", "2"]
    assert "contested" in lines and "strength:taliban" in lines
    assert f"Wrote {out}/results.csv (4 runs)." in text
    assert {p.name for p in out.iterdir()} >= {"sweep.json", "results.csv"}

    assert cli_main([*argv, "--metric", "strength:taliban,contested"]) == 0
    assert "4 were already there" in capsys.readouterr().out


def test_default_out_is_named_after_scenario_and_seed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = ["sweep", S2016, "--steps", "2", "--seed", "3", "--workers", "1"]
    assert cli_main([*argv, "--quiet"]) == 0
    assert (tmp_path / "runs/afghanistan-2016/sweep-3/results.csv").is_file()


def test_lhs_from_the_command_line(tmp_path, capsys):
    argv = ["sweep", S2016, "--lhs", "parameters.interdiction=0.1:0.9"]
    argv += ["--lhs", "steps=2:4", "--samples", "3", "--workers", "1"]
    assert cli_main([*argv, "--out", str(tmp_path / "s"), "--quiet"]) == 0
    rows = data_rows(tmp_path / "s" / "results.csv")
    assert len(rows) == 3
    assert all(0.1 <= float(r[3]) <= 0.9 and r[4] in "234" for r in rows)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--grid", "actors.rusia.resources=0,1"], "did you mean 'russia'"),
        (["--grid", "actors.russia.resources=0,-5"], "must be ≥ 0"),
        (["--metric", "provinse:taliban"], "did you mean 'provinces'"),
        (["--metric", "provinces:talibn"], "did you mean 'taliban'"),
        (["--grid", "actors.russia.resources"], "expected PATH=V1,V2"),
        (["--grid", "steps=[1,2"], "cannot read the values"),
        (["--lhs", "parameters.interdiction=0.1:0.9"], "needs --samples"),
        (["--lhs", "parameters.interdiction=0.5", "--samples", "4"], "PATH=LO:HI"),
        (["--lhs", "steps=1:3", "--grid", "steps=1", "--samples", "4"], "choose one"),
        (["--samples", "4"], "--samples goes with"),
        (["--replicates", "0"], "--replicates must be"),
        (["--set", "parameters.beta=-1"], "must be ≥ 0"),
    ],
)
def test_bad_input_exits_2_with_one_paragraph(tmp_path, capsys, args, message):
    argv = ["sweep", S2016, "--steps", "2", "--workers", "1"]
    assert cli_main([*argv, *args, "--out", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err
    assert "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "s" / "results.csv").exists()


def test_a_different_sweep_in_out_exits_2(tmp_path, capsys):
    argv = ["sweep", S2016, *SMALL, "--workers", "1", "--out", str(tmp_path / "s")]
    assert cli_main([*argv, "--quiet"]) == 0
    assert cli_main([*argv, "--replicates", "3"]) == 2
    err = capsys.readouterr().err
    assert "holds a different sweep (it differs in: replicates)" in err
    assert "--force" in err and err.count("\n") == 1
    assert cli_main([*argv, "--replicates", "3", "--force", "--quiet"]) == 0


def test_dask_flag_runs_on_a_local_cluster(tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "d"
    argv = ["sweep", S2016, *SMALL, "--workers", "2", "--dask", "--quiet"]
    assert cli_main([*argv, "--out", str(out)]) == 0
    assert len(data_rows(out / "results.csv")) == 4


def group_size(pgid: int) -> int:
    ps = subprocess.run(["ps", "-eo", "pgid="], capture_output=True, text=True)
    return sum(1 for line in ps.stdout.split() if line == str(pgid))


@pytest.mark.slow
def test_killed_sweep_resumes_without_losing_or_duplicating_runs(tmp_path):
    killed, whole = tmp_path / "killed", tmp_path / "whole"
    proc = subprocess.Popen(
        sweep_cmd(*KILL_SWEEP, "--out", str(killed), "--quiet"),
        cwd=ROOT,
        start_new_session=True,  # its own process group, to find its workers
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if len(data_rows(killed / "results.csv")) >= 3:
                os.kill(proc.pid, signal.SIGKILL)  # the sweep, not its workers
                break
            time.sleep(0.005)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()
        # orphaned workers notice and exit instead of waiting for work forever
        deadline = time.monotonic() + 10
        while group_size(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_size(proc.pid) == 0
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    left = data_rows(killed / "results.csv")
    assert 3 <= len(left) < 20  # part-way, as a killed job leaves it

    resumed = subprocess.run(
        sweep_cmd(*KILL_SWEEP, "--out", str(killed)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"{len(left)} were already there" in resumed.stdout
    fresh = subprocess.run(
        sweep_cmd(*KILL_SWEEP, "--out", str(whole), "--quiet"),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert fresh.returncode == 0, fresh.stderr

    rows = data_rows(killed / "results.csv")
    assert rows == data_rows(whole / "results.csv")
    assert len(rows) == len({r[0] for r in rows}) == 20
    for name in ("results.csv", "sweep.json"):
        assert (killed / name).read_bytes() == (whole / name).read_bytes()
