"""sim.experiments.one_thread: thread caps set for starting workers, then undone."""

from __future__ import annotations

import os

from sim.experiments import one_thread


def test_the_block_sets_every_cap_to_one_and_leaves_the_environment_as_it_was(
    monkeypatch,
):
    for name in one_thread.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    with one_thread.pinned_environment():
        assert all(os.environ[n] == "1" for n in one_thread.THREAD_VARIABLES)
    assert not any(n in os.environ for n in one_thread.THREAD_VARIABLES)


def test_a_cap_the_user_set_is_kept(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")
    assert one_thread.one_thread_environment()["OMP_NUM_THREADS"] == "3"
    with one_thread.pinned_environment():
        assert os.environ["OMP_NUM_THREADS"] == "3"
    assert os.environ["OMP_NUM_THREADS"] == "3"


def test_a_worker_started_with_every_cap_skips_the_library_scan(monkeypatch):
    scans = []
    monkeypatch.setattr(one_thread, "limit_this_process", lambda: scans.append(1))
    for name in one_thread.THREAD_VARIABLES:
        monkeypatch.setenv(name, "1")
    one_thread.limit_new_worker()
    assert scans == []  # its libraries were loaded under the caps
    monkeypatch.delenv("OPENBLAS_NUM_THREADS")
    one_thread.limit_new_worker()
    assert scans == [1]  # a fork server started by others: scanned and capped
