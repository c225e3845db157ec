"""sim.plots.helper: a drawing helper forked before the run exists."""

from __future__ import annotations

import os
import time

import pytest

from sim.plots import helper as helpers
from tests.conftest import reaped

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here"),
    pytest.mark.usefixtures("threads_of_this_test_only"),
]


def _make_draw(payload):
    """In the helper: draw tasks as files holding the payload and the pid."""
    folder, text = payload

    def draw(task):
        (folder / task).write_text(f"{text} {os.getpid()}")

    return draw


def _mark(path):
    """Write this process's pid into ``path``, whole (it is polled for)."""
    part = path.with_suffix(".part")
    part.write_text(str(os.getpid()))
    part.rename(path)


def _warm_up_marker(path):
    def warm_up():
        _mark(path)

    return warm_up


def test_the_helper_warms_up_then_draws_what_it_is_handed(tmp_path):
    tasks = ["gif", "a", "b"]
    cost = {"gif": 3.0, "a": 1.0, "b": 1.0}.get
    warmed = tmp_path / "warmed"
    helper = helpers.fork_helper(
        tasks, cost, _warm_up_marker(warmed), _make_draw, jobs=2
    )
    assert helper is not None and helper.tasks == tasks
    deadline = time.monotonic() + 20
    while not warmed.exists():  # it warms up before it has anything to draw
        assert time.monotonic() < deadline
        time.sleep(0.01)
    with helper:
        drawing = helper.start((tmp_path, "run-data"), _make_draw((tmp_path, "here")))
        drawing.finish()
    texts = {t: (tmp_path / t).read_text().split() for t in tasks}
    assert texts["gif"] == ["run-data", warmed.read_text()]  # the helper's own
    assert all(text in ("run-data", "here") for text, _ in texts.values())
    assert reaped(int(warmed.read_text()))


def test_a_helper_never_handed_work_is_stopped_andreaped(tmp_path):
    warmed = tmp_path / "warmed"

    def slow_warm_up():
        _mark(warmed)
        time.sleep(30)

    started = time.monotonic()
    with helpers.fork_helper(["a", "b"], lambda t: 1.0, slow_warm_up, _make_draw, 2):
        while not warmed.exists():
            time.sleep(0.01)
    assert time.monotonic() - started < 20
    assert reaped(int(warmed.read_text()))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warmed"]


def test_an_error_in_the_helper_comes_back_as_itself(tmp_path):
    def make_draw(payload):
        def draw(task):
            if os.getpid() != payload:
                raise LookupError(f"no font for {task}")

        return draw

    helper = helpers.fork_helper(
        ["gif", "a"], {"gif": 2, "a": 1}.get, int, make_draw, 2
    )
    with pytest.raises(LookupError, match="no font for gif"):
        with helper:
            helper.start(os.getpid(), make_draw(os.getpid())).finish()


def test_no_helper_where_drawing_is_serial():
    assert helpers.fork_helper(["a", "b"], lambda t: 1.0, int, _make_draw, 1) is None
    assert helpers.fork_helper(["a"], lambda t: 1.0, int, _make_draw, 2) is None


def test_a_helper_for_other_figures_is_refused(tmp_path):
    from sim import plots
    from sim.core.model import GreatGame
    from sim.scenario.loader import load_scenario
    from tests.conftest import ROOT

    run = GreatGame(load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=2"]))
    helper = plots.prepare(animation=True, jobs=2)
    with helper, pytest.raises(ValueError, match="prepared for"):
        plots.start_all(run.run(), tmp_path, animation=False, helper=helper)


def test_a_helper_that_died_before_its_work_leaves_it_all_to_this_process(tmp_path):
    import signal

    warmed = tmp_path / "warmed"

    def dying_warm_up():
        _mark(warmed)
        os.kill(os.getpid(), signal.SIGKILL)

    tasks = ["gif", "a", "b"]
    helper = helpers.fork_helper(tasks, lambda t: 1.0, dying_warm_up, _make_draw, 2)
    deadline = time.monotonic() + 20
    while not warmed.exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.2)  # let it die
    with helper:
        helper.start((tmp_path, "run-data"), _make_draw((tmp_path, "here"))).finish()
    assert {(tmp_path / t).read_text() for t in tasks} == {f"here {os.getpid()}"}
    assert reaped(int(warmed.read_text()))


def test_no_temporary_folder_means_no_helper(monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError("read-only /tmp")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)
    assert helpers.fork_helper(["a", "b"], lambda t: 1.0, int, _make_draw, 2) is None


def _pids_drawing(folder, tasks) -> dict[str, int]:
    """Which process drew each task (the pid written by :func:`_make_draw`)."""
    return {t: int((folder / t).read_text().split()[1]) for t in tasks}


def test_the_warm_helper_forks_a_second_drawer_and_this_process_draws_nothing(
    tmp_path,
):
    tasks = ["gif", "a", "b", "c", "d"]
    cost = {"gif": 3.0}.get

    def make_draw(payload):
        draw = _make_draw(payload)

        def slow_draw(task):
            time.sleep(0.2)  # long enough for the second drawer to take some
            draw(task)

        return slow_draw

    helper = helpers.fork_helper(tasks, lambda t: cost(t, 1.0), int, make_draw, 2)
    with helper:
        here = _make_draw((tmp_path, "here"))
        helper.start((tmp_path, "run-data"), here).finish()
    pids = _pids_drawing(tmp_path, tasks)
    assert os.getpid() not in pids.values()
    assert len(set(pids.values())) == 2  # the helper and the drawer it forked
    assert all(reaped(pid) for pid in pids.values())


def test_with_parent_draws_this_process_takes_a_share(tmp_path):
    tasks = ["gif", "a", "b", "c"]

    def make_draw(payload):
        draw = _make_draw(payload)

        def slow_gif(task):
            if task == "gif":
                time.sleep(0.5)  # the helper is busy: this process takes the rest
            draw(task)

        return slow_gif

    helper = helpers.fork_helper(
        tasks,
        lambda t: 3.0 if t == "gif" else 1.0,
        int,
        make_draw,
        2,
        parent_draws=True,
    )
    with helper:
        here = _make_draw((tmp_path, "here"))
        helper.start((tmp_path, "run-data"), here).finish()
    pids = _pids_drawing(tmp_path, tasks)
    assert os.getpid() in pids.values() and pids["gif"] != os.getpid()
    assert len(set(pids.values())) == 2


def test_an_error_in_the_second_drawer_comes_back_as_itself(tmp_path):
    first = tmp_path / "first"

    def make_draw(payload):
        def draw(task):
            if task == "gif":  # the helper's own: it waits for the error
                _mark(first)
                time.sleep(0.5)
            elif task == "font":
                raise LookupError(f"no font for {task}")

        return draw

    helper = helpers.fork_helper(
        ["gif", "font"], {"gif": 2, "font": 1}.get, int, make_draw, 2
    )
    with pytest.raises(LookupError, match="no font for font"):
        with helper:
            helper.start(None, make_draw(None)).finish()
    assert reaped(int(first.read_text()))


def test_cancelled_while_drawing_the_helper_stops_its_second_drawer(tmp_path):
    tasks = ["gif", "a"]

    def make_draw(payload):
        def draw(task):
            _mark(tmp_path / task)
            time.sleep(30)

        return draw

    helper = helpers.fork_helper(tasks, {"gif": 2, "a": 1}.get, int, make_draw, 2)
    started = time.monotonic()
    with helper:
        helper.start(None, make_draw(None))
        while not all((tmp_path / t).exists() for t in tasks):  # both drawing
            assert time.monotonic() - started < 20
            time.sleep(0.01)
        helper.cancel()  # e.g. writing the tables failed
    drawers = {int((tmp_path / t).read_text()) for t in tasks}
    assert len(drawers) == 2 and os.getpid() not in drawers
    deadline = time.monotonic() + 10  # the second drawer is reaped by the helper
    while not all(reaped(pid) for pid in drawers):
        assert time.monotonic() < deadline, "a drawer outlived its cancel"
        time.sleep(0.01)
    assert time.monotonic() - started < 20


def test_the_helpers_keep_the_collector_off_what_they_hold(tmp_path):
    import gc

    def make_draw(payload):
        def draw(task):
            (tmp_path / task).write_text(str(gc.get_freeze_count()))

        return draw

    tasks = ["gif", "a", "b"]
    helper = helpers.fork_helper(
        tasks, {"gif": 2, "a": 1, "b": 1}.get, int, make_draw, 2
    )
    with helper:
        helper.start(None, make_draw(None)).finish()
    here = gc.get_freeze_count()  # what the interpreter froze at start, if anything
    assert all(int((tmp_path / t).read_text()) > here + 1000 for t in tasks)
