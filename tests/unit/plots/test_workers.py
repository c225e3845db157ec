"""sim.plots.workers: figures shared with a forked child, same files, same errors."""

from __future__ import annotations

import os
import time

import pytest

from sim import plots
from sim.core.model import GreatGame
from sim.plots import workers
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT, counting_forks, reaped

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")

pytestmark = pytest.mark.usefixtures("threads_of_this_test_only")


def _recording(tmp_path, fail_on=None, exc=ValueError, sleep_on=None, nap=0.0):
    """A draw function that writes its pid into ``tmp_path/<task>``."""

    def draw(task):
        if task == sleep_on:
            time.sleep(30)
        time.sleep(nap)
        if task == fail_on:
            raise exc(f"cannot draw {task}")
        (tmp_path / task).write_text(str(os.getpid()))

    return draw


def test_the_costliest_tasks_come_first_and_ties_keep_their_order():
    cost = {"a": 1.0, "b": 3.0, "c": 1.0, "d": 2.0, "e": 0.5}
    assert workers.costliest_first(list(cost), cost.get) == ["b", "d", "a", "c", "e"]


def test_jobs_come_from_the_argument_then_the_environment(monkeypatch, capsys):
    monkeypatch.setenv(workers.JOBS_VARIABLE, "1")
    assert workers.figure_jobs() == 1
    assert workers.figure_jobs(2) == 2
    assert workers.figure_jobs(8) == 2  # two shares at most
    monkeypatch.setenv(workers.JOBS_VARIABLE, "two")
    monkeypatch.setattr(workers, "_free_cores", lambda: 1.0)
    assert workers.figure_jobs() == min(2, workers._cores())
    assert (
        "GREATGAME_FIGURE_JOBS='two' is not a whole number" in capsys.readouterr().err
    )


def test_left_to_choose_a_busy_machine_draws_on_one_process(monkeypatch):
    monkeypatch.delenv(workers.JOBS_VARIABLE, raising=False)
    monkeypatch.setattr(workers, "_cores", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.1, 1.0, 1.0))
    assert workers.figure_jobs() == 2  # our own run, and a core to spare
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0, 3.0, 3.0))
    assert workers.figure_jobs() == 1
    assert workers.figure_jobs(2) == 2  # asked for: two it is


@needs_fork
def test_tasks_are_shared_between_two_processes_and_the_child_isreaped(tmp_path):
    tasks = ["a", "b", "c", "d"]
    workers.draw_shared(tasks, _recording(tmp_path, nap=0.2), lambda t: 1.0, jobs=2)
    pids = {int((tmp_path / t).read_text()) for t in tasks}
    assert os.getpid() in pids and len(pids) == 2
    child = (pids - {os.getpid()}).pop()
    assert reaped(child)


def test_one_job_draws_everything_here(tmp_path):
    tasks = ["a", "b", "c"]
    workers.draw_shared(tasks, _recording(tmp_path), lambda t: 1.0, jobs=1)
    assert {int((tmp_path / t).read_text()) for t in tasks} == {os.getpid()}


@needs_fork
def test_an_error_in_the_child_is_raised_here_as_itself(tmp_path):
    tasks = ["big", "small"]  # the child draws "big" (the first share)
    draw = _recording(tmp_path, fail_on="big", exc=FileNotFoundError)
    with pytest.raises(FileNotFoundError, match="cannot draw big"):
        workers.draw_shared(tasks, draw, {"big": 2.0, "small": 1.0}.get, jobs=2)
    assert (tmp_path / "small").read_text() == str(os.getpid())


class _Unpicklable(Exception):
    def __init__(self, message, handle):
        super().__init__(message)
        self.handle = handle

    def __reduce__(self):
        raise TypeError("not picklable")


@needs_fork
def test_an_error_that_cannot_travel_is_named(tmp_path):
    def draw(task):
        if task == "big":
            raise _Unpicklable("broken font", object())

    with pytest.raises(RuntimeError, match="_Unpicklable: broken font"):
        workers.draw_shared(["big", "small"], draw, {"big": 2, "small": 1}.get, 2)


@needs_fork
def test_an_error_here_stops_the_child_without_waiting_for_it(tmp_path):
    tasks = ["big", "small"]
    draw = _recording(tmp_path, fail_on="small", sleep_on="big")
    started = time.monotonic()
    with pytest.raises(ValueError, match="cannot draw small"):
        workers.draw_shared(tasks, draw, {"big": 2.0, "small": 1.0}.get, jobs=2)
    assert time.monotonic() - started < 20  # the child's 30 s nap was cut short
    assert not (tmp_path / "big").exists()


def test_no_fork_while_other_threads_run(monkeypatch, tmp_path):
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not workers.can_fork()
        workers.draw_shared(["a", "b"], _recording(tmp_path), lambda t: 1.0, jobs=2)
    finally:
        stop.set()
        thread.join()
    assert {(tmp_path / t).read_text() for t in "ab"} == {str(os.getpid())}


@needs_fork
def test_figures_are_the_same_bytes_on_one_or_two_processes(tmp_path):
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=6"])
    run = GreatGame(scenario).run()
    serial = plots.write_figures(run, _dir(tmp_path, "serial"), jobs=1)
    shared = plots.write_figures(run, _dir(tmp_path, "shared"), jobs=2)
    assert [p.name for p in serial] == [p.name for p in shared]
    assert "map.gif" in {p.name for p in shared}
    for a, b in zip(serial, shared, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def _dir(root, name):
    path = root / name
    path.mkdir()
    return path


def test_an_idle_progress_bar_monitor_does_not_stop_the_fork():
    import io
    import threading

    tqdm = pytest.importorskip("tqdm")
    with tqdm.tqdm(total=1, file=io.StringIO()) as bar:
        bar.update()
    monitors = [t for t in threading.enumerate() if type(t).__name__ == "TMonitor"]
    if not monitors:
        pytest.skip("tqdm started no monitor thread here")
    assert workers.can_fork() == hasattr(os, "fork")


@needs_fork
def test_the_child_draws_while_this_process_works_and_takes_what_is_left(tmp_path):
    tasks = ["gif", "a", "b", "c"]
    cost = {"gif": 3.0, "a": 1.0, "b": 1.0, "c": 1.0}.get
    with workers.start_shared(tasks, _recording(tmp_path), cost, jobs=2) as drawing:
        deadline = time.monotonic() + 20
        while not all((tmp_path / t).exists() for t in tasks):
            assert time.monotonic() < deadline, "the child drew nothing meanwhile"
            time.sleep(0.01)  # this process is busy elsewhere: the child drew all
        drawing.finish()  # nothing is left for this process
    assert {int((tmp_path / t).read_text()) for t in tasks} != {os.getpid()}


@needs_fork
def test_an_error_before_finish_stops_and_reaps_the_child(tmp_path, monkeypatch):
    tasks = ["big", "small"]
    draw = _recording(tmp_path, sleep_on="big")
    forks = counting_forks(monkeypatch)
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        with workers.start_shared(tasks, draw, {"big": 2, "small": 1}.get, 2):
            raise KeyboardInterrupt  # e.g. Ctrl-C while the tables are written
    assert time.monotonic() - started < 20
    assert len(forks) == 1 and reaped(forks[0])
    assert not (tmp_path / "big").exists() and not (tmp_path / "small").exists()


@needs_fork
def test_the_shared_queue_hands_each_task_to_one_process_only(tmp_path):
    tasks = [f"t{i}" for i in range(40)]
    log = tmp_path / "log"

    def draw(task):
        with open(log, "a") as f:
            f.write(f"{task}\n")
        time.sleep(0.005)

    workers.draw_shared(tasks, draw, lambda t: 1.0, jobs=2)
    drawn = log.read_text().split()
    assert sorted(drawn) == sorted(tasks)
