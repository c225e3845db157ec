"""sim.files: reading a user-named file within bounds, and saying why not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.files import FileRefused, check_file, read_bounded, size_text


def test_a_regular_file_is_read_whole(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"name: x\n")
    assert read_bounded(path, 100, "a scenario file") == b"name: x\n"
    assert read_bounded(str(path), 8, "a scenario file") == b"name: x\n"  # at the cap


def test_a_file_one_byte_over_the_cap_is_refused_before_reading(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(FileRefused) as err:
        read_bounded(path, 1000, "a facts file")
    assert str(err.value) == "is 1,001 bytes; a facts file may be at most 1,000 bytes"


def test_a_sparse_file_fails_on_its_size(tmp_path):
    path = tmp_path / "huge.geojson"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)
    with pytest.raises(FileRefused) as err:
        read_bounded(path, 50_000_000, "a GeoJSON file")
    assert str(err.value) == "is 2.1 GB; a GeoJSON file may be at most 50 MB"


def test_a_file_larger_than_its_size_says_is_cut_at_the_cap():
    """/proc files claim size 0: the cap is enforced on the bytes read."""
    status = Path("/proc/self/status")
    if not status.is_file() or status.stat().st_size != 0:
        pytest.skip("needs Linux /proc")
    with pytest.raises(FileRefused, match="grew past 10 bytes while it was read"):
        read_bounded(status, 10, "a scenario file")


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(FileRefused, match="is a directory, not a regular file"):
        read_bounded(tmp_path, 100, "a scenario file")


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    """Opening a FIFO with no writer would block forever; it is never opened."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(FileRefused, match=r"is a FIFO \(named pipe\), not a regular"):
        read_bounded(fifo, 100, "a scenario file")
    with pytest.raises(FileRefused, match="FIFO"):
        check_file(fifo, 100, "a scenario file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    with pytest.raises(FileRefused, match="is a character device, not a regular"):
        read_bounded(device, 100, "a scenario file")


def test_a_symlink_to_a_device_is_refused_and_to_a_file_followed(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(FileRefused, match="character device"):
        read_bounded(tmp_path / "zero.yaml", 100, "a scenario file")
    (tmp_path / "real.yaml").write_bytes(b"a: 1\n")
    (tmp_path / "link.yaml").symlink_to(tmp_path / "real.yaml")
    assert read_bounded(tmp_path / "link.yaml", 100, "a scenario file") == b"a: 1\n"


def test_a_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        with pytest.raises(FileRefused, match="is a socket"):
            read_bounded(path, 100, "a scenario file")


def test_a_missing_file_says_so_and_is_marked_missing(tmp_path):
    with pytest.raises(FileRefused) as err:
        check_file(tmp_path / "nowhere.yaml", 100, "a scenario file")
    assert err.value.missing
    assert str(err.value) == "cannot be read: No such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file_says_why(tmp_path):
    path = tmp_path / "locked.yaml"
    path.write_bytes(b"a: 1\n")
    path.chmod(0)
    with pytest.raises(FileRefused, match="Permission denied") as err:
        read_bounded(path, 100, "a scenario file")
    assert not err.value.missing


@pytest.mark.parametrize(
    "n, text",
    [
        (0, "0 bytes"),
        (999, "999 bytes"),
        (1000, "1.0 kB"),
        (23_469, "23 kB"),
        (2_000_000, "2.0 MB"),
        (50_000_000, "50 MB"),
        (2 * 1024**3, "2.1 GB"),
        (10**16, "10,000 TB"),
    ],
)
def test_sizes_read_as_people_write_them(n, text):
    assert size_text(n) == text


def test_a_name_with_a_nul_is_refused_not_a_crash():
    with pytest.raises(FileRefused, match="its name holds a NUL character"):
        read_bounded("a\0b.yaml", 100, "a scenario file")
