"""Figures drawn on two processes: same files, same errors, nothing half-written."""

from __future__ import annotations

import os
import time

import pytest

import sim.plots.charts
from sim import plots
from sim.cli import main as cli_main
from sim.plots import workers
from tests.conftest import ROOT, counting_forks

S2016 = ROOT / "scenarios" / "2016.yaml"
pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here"),
    pytest.mark.usefixtures("threads_of_this_test_only"),
]


def _failing_run(tmp_path, monkeypatch, capsys, figure: str, jobs: str):
    """Run the 2016 scenario with ``figure`` broken; (exit code, stderr, out)."""
    monkeypatch.setenv(workers.JOBS_VARIABLE, jobs)

    def broken(*args, **kwargs):
        raise RuntimeError(f"cannot draw {figure}")

    monkeypatch.setattr(sim.plots.charts, figure, broken)
    out = tmp_path / f"run-{jobs}"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--no-anim"]
    code = cli_main(args)
    return code, capsys.readouterr().err, out


@pytest.mark.parametrize("rank", [0, -1])
def test_a_broken_figure_fails_the_same_way_on_one_or_two_processes(
    rank, tmp_path, monkeypatch, capsys
):
    # the costliest chart goes to the forked child first; the cheapest to
    # whichever process is free last
    charts = ("control", "alliances", "relations", "supply")
    figure = [
        n
        for n in workers.costliest_first(plots.FIGURES, plots._COST.get)
        if n in charts
    ][rank]
    serial = _failing_run(tmp_path, monkeypatch, capsys, figure, "1")
    forks = counting_forks(monkeypatch)
    shared = _failing_run(tmp_path, monkeypatch, capsys, figure, "2")
    assert len(forks) == 1
    assert serial[0] == shared[0] == 1
    assert serial[1].replace("run-1", "run-2") == shared[1]
    assert f"cannot draw {figure}" in shared[1] and "Traceback" not in shared[1]
    for _, _, out in (serial, shared):
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no partial folders
    assert _all_reaped(forks)


def _all_reaped(pids: list[int]) -> bool:
    """Whether every one of ``pids`` (children of this process) was waited for."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue  # reaped already
        return False
    return True


def test_a_run_writes_the_same_bytes_on_one_or_two_processes(tmp_path, monkeypatch):
    files = {}
    forks = counting_forks(monkeypatch)
    for jobs in ("1", "2"):
        monkeypatch.setenv(workers.JOBS_VARIABLE, jobs)
        out = tmp_path / f"run-{jobs}"
        args = [str(S2016), "--out", str(out), "--steps", "4", "--quiet"]
        assert cli_main(args) == 0
        files[jobs] = {
            p.name: p.read_bytes()
            for p in out.iterdir()
            if p.suffix in (".png", ".gif", ".html")
        }
    assert "map.gif" in files["2"] and len(files["2"]) == len(plots.FIGURES) + 2
    assert files["1"] == files["2"]
    assert len(forks) == 1  # the second run drew on two processes


def test_the_helper_starts_drawing_before_the_tables_are_written(tmp_path, monkeypatch):
    """The forked helper draws while the parent writes the tables, not after."""
    from sim.results import tables

    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    parent, marker = os.getpid(), tmp_path / "helper-started"
    real_draw, real_write = plots._draw_one, tables.write_tables

    def draw(run, name, path, geometry):
        if os.getpid() != parent:
            marker.touch()
        real_draw(run, name, path, geometry)

    seen = []

    def write_tables(directory, h):
        deadline = time.monotonic() + 15
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append(marker.exists())
        real_write(directory, h)

    monkeypatch.setattr(plots, "_draw_one", draw)
    monkeypatch.setattr(tables, "write_tables", write_tables)
    out = tmp_path / "run"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--no-anim"]
    assert cli_main(args) == 0
    assert seen == [True]
    assert (out / "actors.csv").is_file() and (out / "report.html").is_file()


def test_the_helper_is_forked_before_the_model_runs(tmp_path, monkeypatch):
    """It imports the drawing code while the scenario loads and the model runs."""
    import sim.cli.run as run_command

    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    forks = counting_forks(monkeypatch)
    real_simulate, forks_then = run_command._simulate, []

    def simulate(*args):
        forks_then.append(len(forks))
        real_simulate(*args)

    monkeypatch.setattr(run_command, "_simulate", simulate)
    out = tmp_path / "run"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--no-anim"]
    assert cli_main(args) == 0
    assert forks_then == [1] and len(forks) == 1
    assert _all_reaped(forks)


_FORK_WATCH = """
import os, sys
sys.path.insert(0, sys.argv[1])
real_fork, top = os.fork, os.getpid()


def fork():
    imported = [m for m in ("sim.core.model", "mesa", "matplotlib") if m in sys.modules]
    pid = real_fork()
    if pid and os.getpid() == top:  # this process's forks, not the helper's
        print("fork after " + ",".join(imported), file=sys.stderr, flush=True)
    return pid


os.fork = fork
from sim.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_the_helper_is_forked_before_the_model_code_is_imported(tmp_path):
    """Forked once the scenario is checked: it warms up while mesa is imported."""
    import subprocess
    import sys

    out = tmp_path / "run"
    args = [str(S2016), "--out", str(out), "--steps", "2", "--quiet", "--no-anim"]
    done = subprocess.run(
        [sys.executable, "-c", _FORK_WATCH, str(ROOT), *args],
        env={**os.environ, workers.JOBS_VARIABLE: "2"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == ["fork after "]  # one fork, nothing heavy yet
    assert (out / "report.html").is_file()


@pytest.mark.parametrize(
    "bad",
    [["--set", "actors.russia.resourcez=3"], ["--steps", "0"]],
    ids=["scenario", "option"],
)
def test_bad_input_is_refused_before_any_helper_is_forked(
    bad, tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    forks = counting_forks(monkeypatch)
    out = tmp_path / "run"
    assert cli_main([str(S2016), "--out", str(out), *bad]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "Traceback" not in err
    assert forks == []
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_an_error_in_the_model_stops_the_helper(tmp_path, monkeypatch, capsys):
    import sim.cli.run as run_command

    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    forks = counting_forks(monkeypatch)

    def broken(*args):
        raise ZeroDivisionError("a bug in a step")

    monkeypatch.setattr(run_command, "_simulate", broken)
    out = tmp_path / "run"
    assert cli_main([str(S2016), "--out", str(out), "--steps", "2"]) == 1
    assert "a bug in a step" in capsys.readouterr().err
    assert len(forks) == 1 and _all_reaped(forks)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_plot_forks_its_helper_before_it_reads_the_run(tmp_path, monkeypatch):
    import sim.results.rundata as rundata

    out = tmp_path / "run"
    args = [str(S2016), "--out", str(out), "--steps", "3", "--quiet", "--no-figures"]
    assert cli_main(args) == 0
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    forks = counting_forks(monkeypatch)
    real_load, forks_then = rundata.load_run, []

    def load_run(*args, **kwargs):
        forks_then.append(len(forks))
        return real_load(*args, **kwargs)

    monkeypatch.setattr(rundata, "load_run", load_run)
    assert cli_main(["plot", str(out), "--no-anim"]) == 0
    assert forks_then == [1] and _all_reaped(forks)
    assert (out / "report.html").is_file() and (out / "supply.png").is_file()


def test_plot_of_a_missing_run_stops_its_helper(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    forks = counting_forks(monkeypatch)
    assert cli_main(["plot", str(tmp_path / "nowhere")]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert len(forks) == 1 and _all_reaped(forks)


def _session(sid: int) -> list[tuple[int, str]]:
    """(pid, state) of every process of the session ``sid``, read from /proc."""
    from pathlib import Path

    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it has just ended
        state, _, _, session = stat[stat.rindex(")") + 2 :].split()[:4]
        if int(session) == sid:
            found.append((int(entry.name), state))
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="needs /proc")
def test_ctrl_c_while_both_drawers_draw_leaves_no_process_behind(tmp_path):
    """Ctrl-C reaches the run and both drawers; each is reaped before the run ends."""
    import signal
    import subprocess
    import sys

    out = tmp_path / "run"
    run = subprocess.Popen(
        [sys.executable, "run.py", str(S2016), "--out", str(out), "--quiet"],
        cwd=ROOT,
        env={**os.environ, workers.JOBS_VARIABLE: "2"},
        start_new_session=True,  # its own group, as a terminal's foreground job
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while len(_session(run.pid)) < 3:  # the run, its helper and the second drawer
        assert run.poll() is None, "the run ended before both drawers started"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    os.killpg(run.pid, signal.SIGINT)
    _, err = run.communicate(timeout=60)
    assert run.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert _session(run.pid) == []  # no drawer left, not even as a zombie
    assert not out.exists()
