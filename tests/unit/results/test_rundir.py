"""sim.results.rundir: only a run of ours is replaced, leftovers are cleaned."""

from __future__ import annotations

import json
import subprocess

import pytest

from sim.results.rundir import (
    FIGURE_FILES,
    RUN_FILES,
    NotOurDirectory,
    atomic_directory,
    check_replaceable,
    clean_leftovers,
    foreign_entries,
)


def fake_run(directory, files=None):
    directory.mkdir()
    for name in RUN_FILES:
        (directory / name).write_text("x\n", encoding="utf-8")
    meta = {"seed": 1} if files is None else {"seed": 1, "files": files}
    (directory / "manifest.json").write_text(json.dumps(meta), encoding="utf-8")
    return directory


def test_a_run_holds_only_its_own_files(tmp_path):
    run = fake_run(tmp_path / "r", files=[*RUN_FILES, "control.png"])
    (run / "control.png").write_bytes(b"png")
    (run / ".plot-abc").mkdir()  # where plot draws
    assert foreign_entries(run) == []
    (run / "thesis.png").write_bytes(b"png")  # not listed by this manifest
    assert foreign_entries(run) == ["thesis.png"]


def test_the_figure_files_are_those_plot_draws():
    from sim import plots

    drawn = {f"{name}.png" for name in plots.FIGURES} | {"map.gif", "report.html"}
    assert set(FIGURE_FILES) == drawn


def test_a_run_may_hold_figures_plot_drew_later(tmp_path):
    run = fake_run(tmp_path / "r", files=list(RUN_FILES))  # drawn without map.gif
    (run / "map.gif").write_bytes(b"gif")
    (run / "report.html").write_text("<p>", encoding="utf-8")
    assert foreign_entries(run) == []
    (run / "notes.txt").write_text("mine", encoding="utf-8")
    assert foreign_entries(run) == ["notes.txt"]


def test_a_folder_without_a_manifest_is_all_foreign(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "actors.csv").write_text("x", encoding="utf-8")
    with pytest.raises(NotOurDirectory, match="no manifest.json.*actors.csv"):
        check_replaceable(tmp_path / "d")


def test_a_symlink_is_never_replaced(tmp_path):
    run = fake_run(tmp_path / "r")
    link = tmp_path / "link"
    link.symlink_to(run)
    with pytest.raises(NotOurDirectory, match="symbolic link"):
        check_replaceable(link)
    with pytest.raises(NotOurDirectory), atomic_directory(link, force=True):
        pass
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == [
        "link",
        "r",
    ]


def test_only_leftovers_of_ended_processes_for_this_target_are_cleaned(tmp_path):
    proc = subprocess.Popen(["true"])
    proc.wait()
    dead = proc.pid
    names = [
        f".o.partial-{dead}-abcdefgh",  # ours, process gone: removed
        f".o.old-{dead}",  # a replaced run left behind: removed
        f".o.partial-{1}-abcdefgh",  # pid 1 is alive: kept
        f".o2.partial-{dead}-abcdefgh",  # another target: kept
        ".o.partial-mine",  # not named as ours: kept
    ]
    for name in names:
        (tmp_path / name).mkdir()
    removed = clean_leftovers(tmp_path / "o")
    assert sorted(p.name for p in removed) == sorted(names[:2])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])
