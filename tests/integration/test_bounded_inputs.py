"""Hostile input files through the real command line: each is refused at once.

A scenario, its ``extends:`` or ``geometry:``, ``--geometry`` and ``check
--facts`` pointed at a device (``/dev/zero``, ``/dev/urandom``), a FIFO or a
2 GB sparse file must end in exit 2 with one line naming the file (and the
key that pointed at it) within seconds and within little memory; a file that
is no scenario must not be quoted. Every case runs ``run.py`` in a child
process with its address space capped at 1 GB and a timeout, so a reader that
loops, blocks or fills the memory fails the test instead of the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")  # the memory cap needs a POSIX system

ROOT = Path(__file__).resolve().parents[2]
S2016 = str(ROOT / "scenarios" / "2016.yaml")
MEMORY_CAP = 1_000_000_000  # bytes of address space for the child
TIMEOUT = 60  # seconds; a blocked read of a FIFO would never end


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """``run.py ARGS`` in ``cwd``, memory-capped; a timeout is a test failure."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    try:
        return subprocess.run(
            [sys.executable, str(ROOT / "run.py"), *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=env,
            preexec_fn=_limit_memory,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"run.py {' '.join(args)} still running after {TIMEOUT} s")


def refused(res: subprocess.CompletedProcess, *words: str) -> str:
    """The one error line of a run that must exit 2, checked to hold ``words``."""
    message = res.stderr.strip()
    assert res.returncode == 2, f"exit {res.returncode}: {res.stderr[-600:]}"
    assert "Traceback" not in res.stderr
    assert message.startswith("error: ") and "\n" not in message, message
    for word in words:
        assert word in message, message
    return message


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


@pytest.fixture
def sparse(tmp_path) -> Path:
    """A 2 GB file that takes no disk: reading it would fill the memory."""
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(2 * 1024**3)
    return path


def write(folder: Path, text: str, name: str = "child.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_extends_a_device(tmp_path, device):
    child = write(tmp_path, f"extends: {device}\nname: x\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "line 1", "at extends", device, "character device")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_geometry_a_device(tmp_path, device):
    child = write(tmp_path, f"extends: {S2016}\ngeometry: {device}\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "line 2", "at geometry", device, "character device")


def test_geometry_option_a_device_writes_nothing(tmp_path):
    out = tmp_path / "out"
    args = [S2016, "--steps", "1", "--geometry", "/dev/zero", "--out", str(out)]
    refused(run_cli(args, tmp_path), "/dev/zero", "character device")
    assert not out.exists()


def test_a_sparse_2gb_parent_fails_on_its_size(tmp_path, sparse):
    child = write(tmp_path, f"extends: {sparse.name}\nname: x\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "at extends", "2.1 GB", "at most 2.0 MB")


def test_a_sparse_2gb_geometry_fails_on_its_size(tmp_path, sparse):
    child = write(tmp_path, f"extends: {S2016}\ngeometry: {sparse.name}\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "at geometry", "2.1 GB", "at most 50 MB")


def test_a_sparse_2gb_scenario_fails_on_its_size(tmp_path, sparse):
    refused(run_cli(["validate", str(sparse)], tmp_path), str(sparse), "2.1 GB")


def test_a_fifo_as_the_scenario_does_not_hang(tmp_path, fifo):
    refused(run_cli(["validate", str(fifo)], tmp_path), str(fifo), "FIFO")


def test_a_fifo_as_extends_does_not_hang(tmp_path, fifo):
    child = write(tmp_path, f"extends: {fifo.name}\nname: x\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "at extends", fifo.name, "FIFO")


def test_a_fifo_as_geometry_does_not_hang(tmp_path, fifo):
    child = write(tmp_path, f"extends: {S2016}\ngeometry: {fifo.name}\n")
    res = run_cli(["validate", str(child)], tmp_path)
    refused(res, str(child), "at geometry", fifo.name, "FIFO")


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero", "sparse"])
def test_a_facts_file_that_is_no_file_is_refused(tmp_path, kind, request):
    facts = request.getfixturevalue(kind) if kind in ("fifo", "sparse") else kind
    args = ["check", S2016, "--seeds", "1", "--facts", str(facts)]
    args += ["--out", str(tmp_path / "out")]
    message = refused(run_cli(args, tmp_path), str(facts))
    assert any(w in message for w in ("FIFO", "character device", "2.1 GB"))
    assert not (tmp_path / "out").exists()


def test_extends_a_file_that_is_no_scenario_does_not_quote_it(tmp_path):
    secret = write(tmp_path, "root:x:0:0:hunter2:/root:/bin/bash\n", "passwd")
    child = write(tmp_path, f"extends: {secret}\nname: x\n")
    message = refused(run_cli(["validate", str(child)], tmp_path), "at extends")
    assert "hunter2" not in message and "root:x" not in message
    res = run_cli(["validate", str(write(tmp_path, f"extends: {secret}\n"))], tmp_path)
    assert "hunter2" not in res.stderr


def test_extends_etc_passwd_is_not_quoted(tmp_path):
    child = write(tmp_path, "extends: /etc/passwd\nname: x\n")
    message = refused(run_cli(["validate", str(child)], tmp_path), "at extends")
    first = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    assert first[:12] not in message


def test_a_yaml_parent_that_is_one_value_is_not_quoted(tmp_path):
    write(tmp_path, "API_TOKEN=hunter2-secret-value\n", "env.yaml")
    child = write(tmp_path, "extends: env.yaml\nname: x\n")
    message = refused(run_cli(["validate", str(child)], tmp_path), "env.yaml")
    assert "hunter2" not in message and "must be a mapping" in message


def test_a_facts_alias_bomb_fails_fast(tmp_path):
    items = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):  # 8**9 values, a billion "lol"s once expanded
        items.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]")
    body = "actors: [taliban]\nfacts:\n  - {id: x, kind: outcome, statement: s, "
    body += "source: s, observed: s, metric: strength:taliban, at: end, "
    body += f"range: [0, 1], why: [{', '.join(items)}]}}\n"
    facts = write(tmp_path, body, "facts.yaml")
    args = ["check", S2016, "--seeds", "1", "--facts", str(facts)]
    refused(run_cli(args, tmp_path), str(facts), "expands to more than", "at facts[0]")
