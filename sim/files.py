"""Reading a file a user named, within bounds: regular files only, never too much.

Every input the package reads from a path the user gave (a scenario, the
file it ``extends``, a GeoJSON of province boundaries, a facts file) goes
through :func:`read_bounded`. It refuses anything but a regular file (a
directory, a FIFO, a device such as ``/dev/zero``, a socket) by looking at the
path with ``os.stat`` before opening it, so a FIFO never blocks; it refuses a
file larger than the cap of its kind before reading a byte; and it reads at
most one byte past the cap, so a file that grows while it is read cannot get
past it either. The problem is a :class:`FileRefused` whose message says
what the path is, never what it contains: each reader turns it into its own
error naming the file (and the key that pointed at it).
"""

from __future__ import annotations

import os
import stat

#: Largest scenario file (or file it ``extends``): the 2016 scenario is 23 kB.
SCENARIO_MAX_BYTES = 2_000_000
#: Largest GeoJSON of province boundaries: the shipped one is 90 kB, a
#: full-resolution outline of the 34 provinces a few MB.
GEOJSON_MAX_BYTES = 50_000_000
#: Largest facts file for ``run.py check --facts``: the shipped one is 20 kB.
FACTS_MAX_BYTES = 1_000_000

_CHUNK = 1 << 20

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class FileRefused(Exception):
    """A path that cannot be read as an input file, and why (never its content).

    Attributes:
        reason: what is wrong, worded to follow the file's name, e.g. "is a
            FIFO (named pipe), not a regular file".
        missing: True when nothing exists at the path.
    """

    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason, missing)
        self.reason, self.missing = reason, missing

    def __str__(self) -> str:
        """The reason alone; the caller names the file."""
        return self.reason


def size_text(n: int) -> str:
    """A byte count as a person reads it: ``812 bytes``, ``23 kB``, ``2.1 GB``."""
    if n < 1000:
        return f"{n:,} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12)):
        if n < scale * 1000 or unit == "TB":
            value = n / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:,.0f} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def _not_regular(mode: int) -> str | None:
    """What a path that is not a regular file is ("a FIFO (named pipe)"), or None."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def _refuse_mode(mode: int) -> None:
    kind = _not_regular(mode)
    if kind is not None:
        raise FileRefused(f"is {kind}, not a regular file")


def _refuse_size(size: int, limit: int, noun: str) -> None:
    if size > limit:
        big, cap = size_text(size), size_text(limit)
        if big == cap:  # just over: rounded, the two would read the same
            big, cap = f"{size:,} bytes", f"{limit:,} bytes"
        raise FileRefused(f"is {big}; {noun} may be at most {cap}")


def check_file(path: str | os.PathLike[str], limit: int, noun: str) -> None:
    """Refuse ``path`` unless it is an existing regular file of at most ``limit`` bytes.

    Only ``os.stat`` is used, nothing is opened: a scenario's ``extends`` or
    ``geometry`` is checked this way where the key is read, so the error can
    name the key that pointed at a FIFO or a device.

    Args:
        path: the file (symbolic links are followed).
        limit: the largest size allowed, in bytes.
        noun: the kind of file, as the size message names it ("a scenario file").

    Raises:
        FileRefused: missing, unreadable, not a regular file, or too large.
    """
    if "\0" in os.fsdecode(path):
        raise FileRefused("cannot be read: its name holds a NUL character")
    try:
        info = os.stat(path)
    except OSError as err:
        missing = isinstance(err, FileNotFoundError)
        raise FileRefused(_os_reason(err), missing) from None
    _refuse_mode(info.st_mode)
    _refuse_size(info.st_size, limit, noun)


def read_bounded(path: str | os.PathLike[str], limit: int, noun: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, read safely.

    Checked with ``os.stat`` before opening (a FIFO is refused, not opened),
    opened without blocking and checked again on the open descriptor (the
    path cannot be swapped for a device in between), then read up to
    ``limit + 1`` bytes, so a file growing meanwhile is refused too.

    Args:
        path: the file (symbolic links are followed).
        limit: the largest size allowed, in bytes.
        noun: the kind of file, as the size message names it ("a scenario file").

    Raises:
        FileRefused: missing, unreadable, not a regular file, or too large.
    """
    check_file(path, limit, noun)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    flags |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as err:
        raise FileRefused(_os_reason(err)) from None
    with os.fdopen(fd, "rb", buffering=0) as f:
        info = os.fstat(f.fileno())
        _refuse_mode(info.st_mode)
        _refuse_size(info.st_size, limit, noun)
        data = _read_at_most(f, limit + 1)
    if len(data) > limit:
        raise FileRefused(
            f"grew past {size_text(limit)} while it was read; {noun} may be at "
            f"most {size_text(limit)}"
        )
    return data


def _read_at_most(f, n: int) -> bytes:
    """Up to ``n`` bytes of ``f``, in chunks (a short read is not the end)."""
    parts, left = [], n
    while left > 0:
        try:
            chunk = f.read(min(left, _CHUNK))
        except OSError as err:
            raise FileRefused(_os_reason(err)) from None
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _os_reason(err: OSError) -> str:
    """Why the system refused, worded to follow the file's name."""
    return f"cannot be read: {err.strerror or type(err).__name__}"
