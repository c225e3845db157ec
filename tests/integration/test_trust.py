"""Trust: nothing deleted that is not ours, no tampered table believed, and
failures of the machine told in plain words.

Every run is in-process (:func:`sim.cli.main`), two or three steps long
and without figures, under pytest's temporary directory.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.cli import main
from sim.core.model import GreatGame
from sim.results.rundata import load_run
from tests.conftest import RUN_FILES

ROOT = Path(__file__).resolve().parents[2]
S2016 = ROOT / "scenarios" / "2016.yaml"
QUICK = ["--steps", "3", "--no-figures", "--quiet"]


def run_into(out: Path, *extra: str) -> int:
    return main([str(S2016), "--out", str(out), *QUICK, *extra])


def tree(root: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(root)): None if p.is_dir() else p.read_bytes()
        for p in root.rglob("*")
    }


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """One short 2016 run directory, copied by the tests that change it."""
    out = tmp_path_factory.mktemp("trust") / "run"
    assert run_into(out) == 0
    return out


@pytest.fixture
def rundir(written, tmp_path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(written, copy)
    return copy


@pytest.fixture
def no_model(monkeypatch):
    """Fail the test if a model is computed."""

    def refuse(*args, **kwargs):
        raise AssertionError("the model ran although the output was refused")

    monkeypatch.setattr(GreatGame, "run", refuse)


# --- 1. --force deletes only a run of ours ------------------------------------


def test_force_keeps_a_folder_that_is_not_a_run(tmp_path, capsys, no_model):
    thesis = tmp_path / "thesis"
    (thesis / "chapters").mkdir(parents=True)
    (thesis / "thesis.tex").write_text("\\chapter{One}\n", encoding="utf-8")
    (thesis / "chapters" / "one.tex").write_text("text\n", encoding="utf-8")
    before = tree(thesis)
    assert run_into(thesis, "--force") == 2
    err = capsys.readouterr().err
    assert "thesis.tex" in err and "chapters" in err and "Nothing was removed" in err
    assert "Traceback" not in err
    assert tree(thesis) == before


def test_force_keeps_a_run_with_foreign_files_in_it(rundir, capsys, no_model):
    (rundir / "my-notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree(rundir)
    assert run_into(rundir, "--force") == 2
    err = capsys.readouterr().err
    assert "my-notes.txt" in err and "not part of the run" in err
    assert tree(rundir) == before


def test_force_replaces_a_run_of_ours(rundir, capsys):
    (rundir / "chronicle.md").write_text("old\n", encoding="utf-8")
    assert run_into(rundir, "--force") == 0
    assert {p.name for p in rundir.iterdir()} == RUN_FILES
    assert (rundir / "chronicle.md").read_text(encoding="utf-8") != "old\n"
    assert not [p for p in rundir.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("force", [[], ["--force"]])
def test_a_symlink_as_out_is_refused_and_left_in_place(
    rundir, tmp_path, capsys, no_model, force
):
    link = tmp_path / "latest"
    link.symlink_to(rundir, target_is_directory=True)
    before = tree(rundir)
    assert run_into(link, *force) == 2
    err = capsys.readouterr().err
    assert "symbolic link" in err and "Traceback" not in err
    assert link.is_symlink() and os.readlink(link) == str(rundir)
    assert tree(rundir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest", "run"]


def test_a_dangling_symlink_is_refused_before_computing(tmp_path, capsys, no_model):
    link = tmp_path / "gone"
    link.symlink_to(tmp_path / "nowhere")
    assert run_into(link, "--force") == 2
    assert "does not exist" in capsys.readouterr().err
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def _dead_pid() -> int:
    done = subprocess.run(["true"], check=True)
    assert done.returncode == 0
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_leftovers_of_a_killed_run_are_cleaned_at_the_next_run(tmp_path):
    out = tmp_path / "o"
    dead, alive = _dead_pid(), os.getpid()
    stale = tmp_path / f".o.partial-{dead}-abc123xy"
    old = tmp_path / f".o.old-{dead}"
    running = tmp_path / f".o.partial-{alive}-zzzzzzzz"  # a run still writing
    other = tmp_path / f".other.partial-{dead}-abc123xy"  # another target's
    notes = tmp_path / ".o.partial-notes"  # not named as ours
    for d in (stale, old, running, other, notes):
        d.mkdir()
        (d / "actors.csv").write_text("x\n", encoding="utf-8")
    assert run_into(out) == 0
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted(["o", running.name, other.name, notes.name])


# --- 3. run directories are checked when loaded -------------------------------


def _drop_checksums(rundir: Path) -> None:
    path = rundir / "manifest.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.pop("checksums", None)
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_the_manifest_records_each_tables_checksum(written):
    import hashlib

    meta = json.loads((written / "manifest.json").read_text(encoding="utf-8"))
    for name in RUN_FILES - {"manifest.json", "chronicle.md"}:
        digest = hashlib.sha256((written / name).read_bytes()).hexdigest()
        assert meta["checksums"][name] == digest


@pytest.mark.parametrize("table", ["provinces.csv", "actors.csv", "relations.csv"])
def test_rows_are_matched_by_key_not_by_order(written, rundir, table):
    _drop_checksums(rundir)  # as a run written before checksums were recorded
    frame = pd.read_csv(rundir / table, keep_default_na=False, dtype=str)
    frame = frame.iloc[::-1].sort_values(frame.columns[2], kind="stable")
    frame.to_csv(rundir / table, index=False, lineterminator="\n")
    a, b = load_run(written).history, load_run(rundir).history
    assert a.province_names == b.province_names
    for name in ("strength", "controller", "government_share", "affinity", "status"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert np.array_equal(a.aid_received, b.aid_received)


def _edit(rundir: Path, table: str, line: int, column: str, value: str) -> None:
    frame = pd.read_csv(rundir / table, keep_default_na=False, dtype=str)
    frame.loc[line - 2, column] = value
    frame.to_csv(rundir / table, index=False, lineterminator="\n")


TAMPERING = [
    ("provinces.csv", "controller", "mujahideen", "not one of"),
    ("provinces.csv", "taliban", "nan", "not a finite number"),
    ("provinces.csv", "taliban", "inf", "not a finite number"),
    ("provinces.csv", "government", "-500.0", "is not 0 or more"),
    ("provinces.csv", "step", "-1", "not a whole number from 0"),
    ("provinces.csv", "province", "Atlantis", "not one of the run's provinces"),
    ("provinces.csv", "government_share", "7", "is not from 0 to 1"),
    ("actors.csv", "actor", "martians", "not one of"),
    ("actors.csv", "aid_received", "-3", "is not 0 or more"),
    ("relations.csv", "status", "married", "not one of"),
    ("relations.csv", "affinity", "9", "is not from -1 to 1"),
    ("threat.csv", "real_threat", "nan", "not a finite number"),
]


@pytest.mark.parametrize(("table", "column", "value", "said"), TAMPERING)
def test_a_tampered_table_is_refused_by_plot(
    rundir, capsys, table, column, value, said
):
    _drop_checksums(rundir)  # the content checks, not only the checksum
    _edit(rundir, table, 5, column, value)
    assert main(["plot", str(rundir), "--no-anim"]) == 2
    err = capsys.readouterr().err
    assert table in err and "line 5" in err and said in err, err
    assert "Traceback" not in err and "--force" in err
    assert not list(rundir.glob("*.png"))


@pytest.mark.parametrize("how", ["drop", "double"])
def test_a_missing_or_doubled_row_is_refused(rundir, capsys, how):
    _drop_checksums(rundir)
    lines = (rundir / "provinces.csv").read_text(encoding="utf-8").splitlines(True)
    lines = lines[:40] + lines[41:] if how == "drop" else lines + lines[40:41]
    (rundir / "provinces.csv").write_text("".join(lines), encoding="utf-8")
    assert main(["plot", str(rundir), "--no-anim"]) == 2
    err = capsys.readouterr().err
    assert "provinces.csv" in err and ("rows" in err or "twice" in err), err


def test_a_table_changed_after_the_run_fails_its_checksum(rundir, capsys):
    frame = pd.read_csv(rundir / "provinces.csv", keep_default_na=False, dtype=str)
    frame.sort_values("province").to_csv(
        rundir / "provinces.csv", index=False, lineterminator="\n"
    )
    assert main(["plot", str(rundir), "--no-anim"]) == 2
    err = capsys.readouterr().err
    assert "provinces.csv" in err and "sha256" in err and "--ignore-checksums" in err
    assert "python run.py" in err
    assert not list(rundir.glob("*.png"))


def test_a_manifest_that_is_not_utf8_is_bad_input(rundir, capsys):
    (rundir / "manifest.json").write_bytes(b'{"seed": "caf\xe9"}')
    assert main(["plot", str(rundir)]) == 2
    err = capsys.readouterr().err
    assert "manifest.json" in err and "bug" not in err


# --- 6. failures of the machine are not bugs ----------------------------------


def _no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device", "/full/provinces.csv")


def test_a_full_disk_is_told_plainly_and_nothing_is_half_written(
    rundir, monkeypatch, capsys
):
    before = tree(rundir)
    monkeypatch.setattr("sim.results.tables.write_tables", _no_space)
    assert run_into(rundir, "--force") == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "nothing was written" in err
    assert "earlier run" in err and "bug" not in err
    assert tree(rundir) == before
    assert not [p for p in rundir.parent.iterdir() if p.name.startswith(".")]


def test_an_unwritable_out_is_found_before_computing(tmp_path, monkeypatch, capsys):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(GreatGame, "run", lambda *a, **k: pytest.fail("computed"))
    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert run_into(tmp_path / "ro" / "out") == 2
    err = capsys.readouterr().err
    assert "read-only" in err and "Nothing was computed" in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_a_folder_without_write_permission_is_found_before_computing(
    tmp_path, no_model, capsys
):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        assert run_into(locked / "out") == 2
    finally:
        locked.chmod(0o700)
    assert "permission denied" in capsys.readouterr().err


def test_out_of_memory_is_not_called_a_bug(tmp_path, monkeypatch, capsys):
    def hungry(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(GreatGame, "run", hungry)
    assert run_into(tmp_path / "o") == 1
    err = capsys.readouterr().err
    assert "out of memory" in err and "bug" not in err
    assert not (tmp_path / "o").exists()


def test_a_killed_sweep_worker_says_what_was_saved(tmp_path, monkeypatch, capsys):
    from concurrent.futures.process import BrokenProcessPool

    def killed(*args, **kwargs):
        raise BrokenProcessPool("A process in the process pool was terminated")

    monkeypatch.setattr("sim.experiments.sweep.driver.run_all", killed)
    args = ["sweep", str(S2016), "--steps", "2", "--out", str(tmp_path / "s")]
    assert main([*args, "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "worker process died" in err and "saved" in err and "resumes" in err
    assert "bug" not in err


def test_a_full_disk_during_a_sweep_says_what_was_saved(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("sim.experiments.sweep.store.Store.append", _no_space)
    args = ["sweep", str(S2016), "--steps", "2", "--out", str(tmp_path / "s")]
    assert main([*args, "--workers", "1", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert "disk is full" in err and "rerunning the same command resumes" in err
    assert "bug" not in err
