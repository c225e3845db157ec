"""Failures of the machine, not of greatgame or the input: plain words, exit 1.

A full disk, a read-only or unwritable folder, a lack of memory or a
worker process killed by the system are not bugs: the message says what
happened, what was saved and how to go on, and the exit code is 1
(environment). :func:`check_writable` finds an unwritable output folder
before a run computes anything.
"""

from __future__ import annotations

import errno
import os
import sys
import tempfile
from pathlib import Path

#: What to do about a failure, by ``OSError`` number (none: nothing to add).
_ADVICE = {
    errno.ENOSPC: "Free some disk space first",
    errno.EDQUOT: "Free some disk space first",
    errno.EROFS: "Choose a folder you can write (--out)",
    errno.EACCES: "Choose a folder you can write (--out), or fix its permissions",
    errno.EPERM: "Choose a folder you can write (--out), or fix its permissions",
}
#: What an ``OSError`` number means to a user, for the failures of the machine.
_MEANING = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EIO: "an input/output error (a failing disk or network share)",
    errno.EMFILE: "too many files are open",
    errno.ENFILE: "too many files are open on this system",
}


def _killed_worker(err: BaseException) -> bool:
    """A process pool or Dask cluster whose worker died under the sweep.

    The pool's module is looked up, not imported: a pool that broke was
    loaded, and a single run does not pay for loading it.
    """
    pools = sys.modules.get("concurrent.futures.process")
    if pools is not None and isinstance(err, pools.BrokenProcessPool):
        return True
    return type(err).__name__ == "KilledWorker"


def environment_message(err: BaseException, saved: str | None) -> str | None:
    """The plain message for a failure of the machine, or None for anything else.

    Args:
        err: the exception that stopped the command.
        saved: what was kept and how to resume (e.g. "nothing was written").
    """
    after = f"; {saved}" if saved else ""
    if isinstance(err, MemoryError):
        return (
            f"out of memory{after}. Close other programs, or ask for less at once "
            "(fewer --steps; for a sweep, fewer --workers)"
        )
    if _killed_worker(err):
        return (
            "a worker process died (the system killed it, most often for lack of "
            f"memory){after}. Fewer --workers need less memory"
        )
    if isinstance(err, OSError) and err.errno in _MEANING:
        where = f" at '{err.filename}'" if err.filename else ""
        advice = _ADVICE.get(err.errno)
        return f"{_MEANING[err.errno]}{where} ({err.strerror or err}){after}" + (
            f". {advice}" if advice else ""
        )
    return None


def _existing_ancestor(path: Path) -> Path:
    """The nearest folder at or above ``path`` that exists."""
    path = Path(os.path.abspath(path))
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_writable(folder: Path) -> str | None:
    """Why nothing can be written in ``folder`` (or above it); None if it can.

    A probe file is created and removed in the nearest existing folder, so
    an unwritable output directory is found before a run computes for
    minutes, not after.
    """
    where = _existing_ancestor(folder)
    if not where.is_dir():
        return f"'{where}' is not a directory"
    try:
        fd, probe = tempfile.mkstemp(prefix=".greatgame-probe-", dir=where)
    except OSError as err:
        meaning = _MEANING.get(err.errno, err.strerror or str(err))
        return f"cannot write in '{where}': {meaning}"
    os.close(fd)
    os.unlink(probe)
    return None
