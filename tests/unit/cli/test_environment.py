"""sim.cli.environment: failures of the machine in plain words."""

from __future__ import annotations

import errno
import tempfile
from concurrent.futures.process import BrokenProcessPool

import pytest

from sim.cli.environment import check_writable, environment_message
from sim.cli.errors import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, guarded


@pytest.mark.parametrize(
    ("err", "said"),
    [
        (OSError(errno.ENOSPC, "No space left on device", "/o/a.csv"), "disk is full"),
        (OSError(errno.EROFS, "Read-only file system", "/o"), "read-only"),
        (PermissionError(errno.EACCES, "Permission denied", "/o"), "permission"),
        (MemoryError(), "out of memory"),
        (BrokenProcessPool("terminated"), "worker process died"),
    ],
)
def test_failures_of_the_machine_are_named_with_what_was_saved(err, said):
    message = environment_message(err, "nothing was written")
    assert said in message and "nothing was written" in message
    assert "bug" not in message


def test_other_errors_are_not_the_machines():
    assert environment_message(ValueError("x"), None) is None
    assert environment_message(OSError(errno.EINVAL, "Invalid argument"), None) is None


def test_guarded_gives_exit_1_without_calling_it_a_bug(capsys):
    def body():
        raise OSError(errno.ENOSPC, "No space left on device", "/runs/x")

    code = guarded(body, False, bad_input=(), interrupted=None, saved="kept: all")
    err = capsys.readouterr().err
    assert code == EXIT_ENVIRONMENT == 1
    assert "disk is full at '/runs/x'" in err and "kept: all" in err
    assert "bug" not in err and EXIT_BAD_INPUT == 2


def test_check_writable_probes_the_nearest_existing_folder(tmp_path, monkeypatch):
    assert check_writable(tmp_path / "a" / "b") is None
    assert list(tmp_path.iterdir()) == []  # the probe is removed, nothing created

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    assert "read-only" in check_writable(tmp_path / "a")


def test_check_writable_refuses_a_file_in_the_way(tmp_path):
    (tmp_path / "f").write_text("x", encoding="utf-8")
    assert "not a directory" in check_writable(tmp_path / "f" / "out")
