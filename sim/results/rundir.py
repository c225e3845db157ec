"""A folder that appears whole or not at all: how run directories are written.

Files are written under a temporary name beside the target and the folder
is renamed into place at the end, so an interrupted or failed run never
leaves a directory that looks complete, and a replaced run is kept until
its successor is whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _move_into_place(tmp: Path, out_dir: Path, force: bool) -> None:
    """Rename the finished ``tmp`` to ``out_dir``, replacing it only with force."""
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()  # an empty directory is taken without --force
    if out_dir.exists():
        if not force or not out_dir.is_dir():
            raise FileExistsError(out_dir)
        old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
        out_dir.rename(old)
        tmp.rename(out_dir)
        shutil.rmtree(old)
    else:
        tmp.rename(out_dir)


@contextmanager
def atomic_directory(out_dir: Path, force: bool = False) -> Iterator[Path]:
    """A temporary sibling of ``out_dir`` to fill; it becomes ``out_dir`` on exit.

    An existing empty directory is taken; a non-empty one is replaced only
    with ``force``, and a file never (:class:`FileExistsError`). If the body
    raises (or is interrupted), the temporary folder is removed and
    ``out_dir`` is left as it was.
    """
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.partial-", dir=out_dir.parent))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it owner-only; runs are shared
        yield tmp
        _move_into_place(tmp, out_dir, force)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
