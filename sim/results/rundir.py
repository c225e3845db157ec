"""A folder that appears whole or not at all: how run directories are written.

Files are written under a temporary name beside the target and the folder
is renamed into place at the end, so an interrupted or failed run never
leaves a directory that looks complete, and a replaced run is kept until
its successor is whole.

Only what is ours is ever removed: ``force`` replaces a directory that
holds a run (a ``manifest.json`` and nothing but the run's own files),
never a folder of other files, never a symbolic link; the hidden
temporary folders a killed run leaves beside its target are cleaned at
the next run into the same place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: The files every run directory holds (``manifest.json`` lists the rest).
RUN_FILES = (
    "manifest.json",
    "actors.csv",
    "provinces.csv",
    "relations.csv",
    "supply.csv",
    "defections.csv",
    "balance.csv",
    "threat.csv",
    "events.jsonl",
    "chronicle.md",
)
#: The files ``plot`` may add to a run (a test keeps this in step with sim.plots).
FIGURE_FILES = (
    "map.png",
    "map_timeline.png",
    "control.png",
    "alliances.png",
    "relations.png",
    "supply.png",
    "map.gif",
    "report.html",
)
#: Hidden folders of ours: ``.NAME.partial-PID-XXXX`` and ``.NAME.old-PID``.
_LEFTOVER = re.compile(r"\.(?P<name>.+)\.(?:partial|old)-(?P<pid>\d+)(?:-[\w]+)?")


class NotOurDirectory(FileExistsError):
    """``force`` was asked to replace something that is not a run of ours."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _listed_files(out_dir: Path) -> set[str] | None:
    """The files the run's manifest says it wrote; None if it has no such list."""
    try:
        meta = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = meta.get("files") if isinstance(meta, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def foreign_entries(out_dir: Path) -> list[str]:
    """What in ``out_dir`` is not a file of the run it holds (all of it if no run).

    A run of ours has a ``manifest.json``; its files are the tables, the
    figures ``plot`` draws, those the manifest lists, and the hidden folders
    ``plot`` draws in.
    """
    out_dir = Path(out_dir)
    names = sorted(p.name for p in out_dir.iterdir())
    if "manifest.json" not in names:
        return names
    listed = _listed_files(out_dir)

    def ours(name: str) -> bool:
        path = out_dir / name
        if path.is_symlink():
            return False
        if name.startswith(".plot-") and path.is_dir():
            return True
        if not path.is_file():
            return False
        return name in RUN_FILES or name in FIGURE_FILES or name in (listed or ())

    return [n for n in names if not ours(n)]


def check_replaceable(out_dir: Path) -> None:
    """Raise :class:`NotOurDirectory` unless ``force`` may replace ``out_dir``.

    Why: ``--force`` must never delete a user's folder of other files (a
    thesis given as ``--out`` by mistake), nor move a symbolic link.
    """
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise NotOurDirectory(
            f"'{out_dir}' is a symbolic link; give the directory it points to "
            "(or another path) as the output directory"
        )
    if not out_dir.is_dir() or not any(out_dir.iterdir()):
        return
    foreign = foreign_entries(out_dir)
    if not foreign:
        return
    more = len(foreign) - 5
    shown = ", ".join(foreign[:5]) + (f" and {more} more" if more > 0 else "")
    what = (
        "it holds files that are not part of the run"
        if (out_dir / "manifest.json").is_file()
        else "it holds no manifest.json, so it is not a run directory"
    )
    raise NotOurDirectory(
        f"--force would remove '{out_dir}', but {what}: {shown}. Nothing was "
        "removed; choose another output directory, or move those files away"
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_leftovers(out_dir: Path) -> list[Path]:
    """Remove the hidden folders killed runs into ``out_dir`` left; the removed.

    Only folders named as :func:`atomic_directory` names them, for this very
    ``out_dir``, whose process is gone; a run still writing keeps its own.
    """
    out_dir = Path(out_dir)
    removed = []
    if not out_dir.parent.is_dir():
        return removed
    for path in out_dir.parent.glob(f".{glob_escape(out_dir.name)}.*-*"):
        found = _LEFTOVER.fullmatch(path.name)
        if not found or found["name"] != out_dir.name or path.is_symlink():
            continue
        if not path.is_dir() or _pid_alive(int(found["pid"])):
            continue
        shutil.rmtree(path, ignore_errors=True)
        removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    """``name`` with glob's special characters made literal."""
    return re.sub(r"([*?\[])", r"[\1]", name)


def _move_into_place(tmp: Path, out_dir: Path, force: bool) -> None:
    """Rename the finished ``tmp`` to ``out_dir``, replacing it only with force."""
    if out_dir.is_symlink():
        raise NotOurDirectory(f"'{out_dir}' is a symbolic link; it is never replaced")
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()  # an empty directory is taken without --force
    if out_dir.exists():
        if not force or not out_dir.is_dir():
            raise FileExistsError(out_dir)
        check_replaceable(out_dir)
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
    with ``force`` and only if it holds a run of ours
    (:class:`NotOurDirectory` otherwise), and a file or a symbolic link
    never (:class:`FileExistsError`). If the body raises (or is
    interrupted), the temporary folder is removed and ``out_dir`` is left
    as it was; folders left by killed runs are removed first.
    """
    out_dir = Path(out_dir)
    if out_dir.is_symlink():
        raise NotOurDirectory(f"'{out_dir}' is a symbolic link; it is never replaced")
    if force and out_dir.exists():
        check_replaceable(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(out_dir)
    prefix = f".{out_dir.name}.partial-{os.getpid()}-"
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    try:
        tmp.chmod(0o777 & ~_umask())  # mkdtemp makes it owner-only; runs are shared
        yield tmp
        _move_into_place(tmp, out_dir, force)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
