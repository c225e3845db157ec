"""Many students on one dashboard server: memory and step latency per session.

    python bench/dashboard_load.py [--sessions 25] [--steps 10] [--port 0]

Starts ``python run.py serve`` on 127.0.0.1 (its own process), opens
``--sessions`` pages in one headless Chromium (Debian's /usr/bin/chromium,
driven by Playwright; each page is its own browser session with its own
model), then has every page press Step ``--steps`` times, all at once. A
step's latency is from the click until the page shows the new week. Prints
the median, 90th percentile and maximum step latency, the server's processor
time per step, its resident memory before and after (peak sampled every
0.2 s), and the load average. ``--think`` sets the pause between a page's
steps (default 0.3 s).
The browser runs on the same machine, so on 2 cores the figures include its
share of the processor. Targets: each step at most 1 s with 25 sessions,
the server at most 4 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system processor time ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` in MB (0 once it is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Peak(threading.Thread):
    """Samples a process's resident memory; ``peak`` is the largest seen."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        """Sample until ``done`` is set."""
        while not self.done.wait(0.2):
            self.peak = max(self.peak, rss_mb(self.pid))


def serve(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "run.py", "serve", "2016", "--port", str(port), "--no-open"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc
        except OSError:
            time.sleep(0.5)
    proc.kill()
    raise SystemExit("the dashboard server did not start within 120 s")


async def open_page(browser, url: str):
    page = await browser.new_page(viewport={"width": 1280, "height": 720})
    await page.goto(url)
    await page.get_by_role("button", name="Step", exact=True).wait_for(timeout=300_000)
    await page.locator(".greatgame-map path").first.wait_for(timeout=300_000)
    return page


WEEK_SHOWN = (
    "w => document.querySelector('.gg-week').innerText.startsWith(`Week ${w} of`)"
)


async def step_page(page, steps: int, think: float) -> list[float]:
    times = []
    button = page.get_by_role("button", name="Step", exact=True)
    for week in range(1, steps + 1):
        t0 = time.perf_counter()
        await button.click()
        await page.wait_for_function(WEEK_SHOWN, arg=week, timeout=120_000)
        times.append(time.perf_counter() - t0)
        await asyncio.sleep(think)  # a student reads the map before the next step
    return times


async def drive(url: str, sessions: int, steps: int, think: float, server: int):
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            t0 = time.perf_counter()
            pages = [await open_page(browser, url) for _ in range(sessions)]
            opened = time.perf_counter() - t0
            cpu0, t1 = cpu_seconds(server), time.perf_counter()
            runs = await asyncio.gather(*(step_page(pg, steps, think) for pg in pages))
            cpu = (cpu_seconds(server) - cpu0, time.perf_counter() - t1)
        finally:
            await browser.close()
    return [t for run in runs for t in run], opened, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=25)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument(
        "--think", type=float, default=0.3, help="seconds between a page's steps"
    )
    args = ap.parse_args()
    port = args.port or free_port()
    proc = serve(port)
    try:
        idle = rss_mb(proc.pid)
        peak = Peak(proc.pid)
        peak.start()
        url = f"http://127.0.0.1:{port}/"
        times, opened, (cpu, wall) = asyncio.run(
            drive(url, args.sessions, args.steps, args.think, proc.pid)
        )
        after = rss_mb(proc.pid)
        peak.done.set()
        peak.join()
        q = statistics.quantiles(times, n=10)
        print(
            f"{args.sessions} sessions x {args.steps} steps: step latency median "
            f"{statistics.median(times):.3f} s, p90 {q[-1]:.3f} s, max "
            f"{max(times):.3f} s; {args.sessions} pages opened in {opened:.1f} s"
        )
        print(
            f"server processor time while stepping: {cpu:.1f} s in {wall:.1f} s "
            f"({1000 * cpu / len(times):.0f} ms per step)"
        )
        print(
            f"server memory: {idle:.0f} MB idle, {after:.0f} MB with "
            f"{args.sessions} sessions, peak {max(peak.peak, after):.0f} MB; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
