"""CPU time of drawing map.gif, in a fresh process each time.

    python bench/gif_bench.py RUN_DIR [--repeats 5] [--tree PATH ...] [--parts]

Loads a finished run directory and times :func:`sim.plots.mapping.animate`
with ``time.process_time`` (CPU of that one process, so a busy machine
slows it less than the wall clock), once per fresh process, as a run draws
it. With several ``--tree`` checkouts of the project the runs are
interleaved, tree by tree, and each tree's median is printed with the
SHA-256 of its GIF, so a change can be timed against another checkout and
shown to write the same bytes. ``--parts`` also prints, for this checkout,
the CPU of each stage (layout, rasters and first drawings, frames,
palette and quantising, GIF writing), median over the repeats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = """
import hashlib, sys, time
from sim.plots.mapping import animate
from sim.results.rundata import as_run
run = as_run(sys.argv[1])
start = time.process_time()
animate(run, sys.argv[2])
spent = time.process_time() - start
digest = hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()[:16]
print(f"{spent:.4f} {digest}")
"""

PARTS = """
import sys, time
from pathlib import Path
import matplotlib
from sim.plots.mapping import animation as a
from sim.plots.mapping.gif import Quantizer, film_palette, write_gif
from sim.plots.style import RC, fmt_date
from sim.results.rundata import as_run
run = as_run(sys.argv[1])
clock, spent = time.process_time(), {}
def lap(name):
    global clock
    now = time.process_time()
    spent[name] = now - clock
    clock = now
with matplotlib.rc_context(RC):
    rows = a._frames(run.history.last, 2)
    texts = [f"{run.name}: {fmt_date(run.history.dates[t])} (week {t} of "
             f"{run.history.last})" for t in rows]
    fig, view, title = a.laid_out(run, None)
    lap("layout")
    film = a.Film(fig, view, title, texts)
    lap("rasters")
    ends = (0, len(rows) // 2, -1)
    picks = [film.frame(rows[n], texts[n])[0].tobytes() for n in ends]
    palette = film_palette(picks, film.raster.size, a.all_colors(run))
    quantizer, images = Quantizer(palette, film.raster.size), []
    lap("palette")
    spent["frames"] = spent["quantise"] = 0.0
    for t, text in zip(rows, texts):
        frame, moved = film.frame(t, text)
        lap("frame")
        spent["frames"] += spent.pop("frame")
        images.append(quantizer.add(frame, moved))
        lap("one")
        spent["quantise"] += spent.pop("one")
    write_gif(Path(sys.argv[2]), images, 5)
    lap("write")
print(" ".join(f"{k}={v:.4f}" for k, v in spent.items()))
"""


def _parts(run_dir: str, gif: str) -> dict[str, float]:
    """CPU seconds of each stage of the animation in this checkout, in one process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", PARTS, run_dir, gif],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return {k: float(v) for k, v in (item.split("=") for item in out)}


def _once(tree: Path, run_dir: str, gif: str) -> tuple[float, str]:
    """(CPU seconds, GIF digest) of one animation drawn by the code in ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(
        [sys.executable, "-c", CHILD, run_dir, gif],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), out[1]


def main() -> None:
    """Time the GIF of ``RUN_DIR`` per tree, interleaved, and print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--tree", action="append", type=Path, default=[])
    parser.add_argument("--parts", action="store_true")
    args = parser.parse_args()
    trees = args.tree or [ROOT]
    spent: dict[Path, list[float]] = {tree: [] for tree in trees}
    digests: dict[Path, set[str]] = {tree: set() for tree in trees}
    with tempfile.TemporaryDirectory() as scratch:
        for n in range(args.repeats):
            for k, tree in enumerate(trees):
                gif = str(Path(scratch) / f"{k}-{n}.gif")
                cpu, digest = _once(tree.resolve(), args.run_dir, gif)
                spent[tree].append(cpu)
                digests[tree].add(digest)
    for tree in trees:
        times = ", ".join(f"{t:.2f}" for t in spent[tree])
        print(
            f"{tree}: median {statistics.median(spent[tree]):.3f} s CPU "
            f"({times}); GIF sha256 {', '.join(sorted(digests[tree]))}"
        )
    if args.parts:
        with tempfile.TemporaryDirectory() as scratch:
            gif = str(Path(scratch) / "parts.gif")
            runs = [_parts(args.run_dir, gif) for _ in range(args.repeats)]
        stages = ", ".join(
            f"{k} {statistics.median(r[k] for r in runs):.3f}" for k in runs[0]
        )
        print(f"{ROOT} stages, median s CPU: {stages}")


if __name__ == "__main__":
    main()
