"""Print what each hostile input file costs: exit code, seconds, peak memory.

    python bench/hostile_inputs.py [--cap-mb 2500] [--timeout 30]

Runs ``run.py`` once per attack (a scenario's ``extends:`` or ``geometry:``
pointing at /dev/zero, /dev/urandom, a FIFO or a 2 GB sparse file; a
``--facts`` alias bomb; ``extends: /etc/passwd``), each in a child whose
address space is capped (``--cap-mb``) and that is killed after
``--timeout`` seconds, and prints one line per attack: the exit code (or
"timeout"), the wall time, the child's peak resident memory and the first
90 characters of its last stderr line. Everything is made in a temporary
folder and removed.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
S2016 = ROOT / "scenarios" / "2016.yaml"


def _bomb(levels: int = 9) -> str:
    items = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        items.append(f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]")
    return (
        "actors: [taliban]\n"
        f"variants: {{v: {{set: {{steps: [{', '.join(items)}]}}}}}}\n"
        "facts:\n  - {id: x, kind: outcome, statement: s, source: s, observed: s, "
        "why: w, metric: strength:taliban, at: end, range: [0, 1]}\n"
    )


def attacks(folder: Path) -> list[tuple[str, list[str]]]:
    """(label, run.py arguments) of each attack, its files made in ``folder``."""
    os.mkfifo(folder / "pipe.yaml")
    with open(folder / "huge.yaml", "wb") as f:
        f.truncate(2 * 1024**3)
    (folder / "facts.yaml").write_text(_bomb(), encoding="utf-8")
    out = []
    for label, key, target in [
        ("extends: /dev/zero", "extends", "/dev/zero"),
        ("extends: /dev/urandom", "extends", "/dev/urandom"),
        ("extends: FIFO", "extends", "pipe.yaml"),
        ("extends: 2 GB sparse", "extends", "huge.yaml"),
        ("extends: /etc/passwd", "extends", "/etc/passwd"),
        ("geometry: /dev/zero", "geometry", "/dev/zero"),
        ("geometry: FIFO", "geometry", "pipe.yaml"),
        ("geometry: 2 GB sparse", "geometry", "huge.yaml"),
    ]:
        child = folder / f"{key}-{len(out)}.yaml"
        head = f"extends: {S2016}\n" if key == "geometry" else ""
        child.write_text(f"{head}{key}: {target}\nname: x\n", encoding="utf-8")
        out.append((label, ["validate", str(child)]))
    out.append(
        (
            "run --geometry /dev/zero",
            [str(S2016), "--steps", "1", "--geometry", "/dev/zero", "--out", "o2"],
        )
    )
    facts = ["check", str(S2016), "--seeds", "1", "--out", str(folder / "o")]
    out.append(("check --facts alias bomb", [*facts, "--facts", "facts.yaml"]))
    out.append(("check --facts FIFO", [*facts, "--facts", "pipe.yaml"]))
    return out


def run(args: list[str], cwd: Path, cap: int, timeout: float) -> tuple:
    """(exit code or "timeout", seconds, peak MB, last stderr line) of one attack."""

    def limit() -> None:  # in the child
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, str(ROOT / "run.py"), *args]
    with tempfile.TemporaryFile("w+", encoding="utf-8") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            cmd,
            cwd=cwd,
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            preexec_fn=limit,
        )
        code = None
        while code is None:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                code = str(os.waitstatus_to_exitcode(status))
            elif time.perf_counter() - started > timeout:
                child.kill()
                _, _, usage = os.wait4(child.pid, 0)
                code = "timeout"
            else:
                time.sleep(0.05)
        child.returncode = 0  # reaped above; keep Popen from waiting again
        seconds = time.perf_counter() - started
        err.seek(0)
        lines = err.read().strip().splitlines() or [""]
    return code, seconds, usage.ru_maxrss / 1024, lines[-1]


def main() -> None:
    """Run every attack and print one line each."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cap-mb", type=int, default=2500, help="child memory cap")
    p.add_argument("--timeout", type=float, default=30, help="seconds per attack")
    opts = p.parse_args()
    print(f"{'attack':<26} {'exit':>7} {'seconds':>8} {'peak MB':>8}  message")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for label, args in attacks(folder):
            code, seconds, peak, message = run(
                args, folder, opts.cap_mb * 10**6, opts.timeout
            )
            message = message.replace(f"{folder}{os.sep}", "")
            print(f"{label:<26} {code:>7} {seconds:8.1f} {peak:8.0f}  {message[:90]}")


if __name__ == "__main__":
    main()
