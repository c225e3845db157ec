"""One writer per sweep directory: an operating-system lock on ``OUT/.sweep.lock``.

Two sweeps started into the same directory would interleave their rows
and leave one's ``sweep.json`` beside the other's ``results.csv``. The
first takes an exclusive ``flock`` on a lock file in the directory; the
second is refused at once with a clear error. The operating system drops
the lock when the holder ends, however it ends (a crash, ``kill -9``), so
a stale lock never blocks a resume. The file records the holder's process
id and is removed when the sweep ends (a killed sweep leaves it unlocked,
to be taken by the next).
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.experiments.sweep.errors import SweepError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock
    fcntl = None

LOCK_FILE = ".sweep.lock"


class DirectoryLock:
    """An exclusive lock on a sweep directory, held until :meth:`release`."""

    def __init__(self, directory: Path):
        """Take the lock of ``directory`` (which must exist) or raise SweepError."""
        self.path = Path(directory) / LOCK_FILE
        self._fd: int | None = None
        while not self._take():
            pass  # the file was removed by the holder as we locked it: again
        os.ftruncate(self._fd, 0)
        os.write(self._fd, f"{os.getpid()}\n".encode())

    def _take(self) -> bool:
        """Lock the lock file; False if it was replaced meanwhile (try again)."""
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        if fcntl is None:
            return True
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            self._close()
            raise SweepError(
                f"another sweep{holder} is writing to '{self.path.parent}'; wait for "
                "it to finish, or choose another output directory (--out). Only one "
                "sweep may write a directory at a time (the lock ends with that "
                "sweep, even if it is killed)"
            ) from None
        try:
            same = os.path.samestat(os.fstat(self._fd), os.stat(self.path))
        except FileNotFoundError:
            same = False
        if not same:
            self._close()
        return same

    def _holder(self) -> str:
        """`` (process N)`` from the lock file, or nothing if it cannot be read."""
        try:
            text = os.pread(self._fd, 32, 0).decode("ascii").strip()
        except (OSError, UnicodeDecodeError):
            return ""
        return f" (process {text})" if text.isdigit() else ""

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def release(self) -> None:
        """Remove the lock file and let go of the lock; safe to call twice.

        The file is removed while still locked, so a sweep that opened it
        meanwhile sees it replaced and takes the new one (see ``_take``).
        """
        if self._fd is not None:
            self.path.unlink(missing_ok=True)
            self._close()
