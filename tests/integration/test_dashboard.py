"""The classroom dashboard: sliders from the schema, a browserless
render with Solara's test renderer, lazy imports, and a real browser.

The browser test drives Debian's Chromium (/usr/bin/chromium) with Playwright
against ``python run.py serve`` on 127.0.0.1, blocks every request to another
host, and keeps a screenshot (``dashboard.png`` in the test's tmp_path, copied
to pytest's base temp directory).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pytest

from sim.dashboard.controls import (
    SLIDER_PATHS,
    DashboardGame,
    balance_line,
    slider_specs,
    why_lines,
)
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = "scenarios/2016.yaml"
CHROMIUM = Path("/usr/bin/chromium")


# --------------------------------------------------------------- no Solara needed
def test_sliders_come_from_the_schema():
    sc = load_scenario(ROOT / SCENARIO)
    specs = {s.path: s for s in slider_specs(sc)}
    assert set(specs) == set(SLIDER_PATHS)
    russia = specs["actors.russia.resources"]
    assert russia.label.startswith("Russia: aid budget per step")
    assert russia.min == 0.0 and russia.value == sc.actors["russia"].resources
    assert russia.max >= 2 * russia.value
    inter = specs["parameters.interdiction"]
    assert (inter.min, inter.max) == (0.0, 1.0)  # the field's ge/le
    assert specs["actors.us_nato.troops"].min == 0.0  # inside Optional[...]
    for s in specs.values():
        assert s.min <= s.value <= s.max and s.step > 0
        ratio = (s.value - s.min) / s.step
        assert abs(ratio - round(ratio)) < 1e-6, s  # the start lies on the grid


def test_moved_sliders_override_the_picked_scenario_and_others_do_not():
    path = str(ROOT / "scenarios/no_russian_aid.yaml")
    defaults = {"actors.russia.resources": 12.0, "parameters.interdiction": 0.5}
    m = DashboardGame(
        path,
        defaults=defaults,
        scenario=object(),  # what Mesa's Reset passes along; ignored
        **{"actors.russia.resources": 12.0, "parameters.interdiction": 0.8},
    )
    assert m.config.actors["russia"].resources == 0.0  # the file's, not moved
    assert m.config.parameters.interdiction == 0.8  # moved
    assert m.overrides == {"parameters.interdiction": 0.8}


def test_why_lines_put_the_latest_changes_in_words():
    m = DashboardGame(str(ROOT / SCENARIO))
    assert why_lines(m) == []
    for _ in range(12):
        m.step()
    lines = why_lines(m)
    assert lines, "no relation changed in 12 weeks of 2016.yaml"
    assert " → " in lines[0] and "because of" in " ".join(lines)


def test_the_balance_line_tells_this_weeks_two_camps():
    from sim.processes import balance

    m = DashboardGame(str(ROOT / SCENARIO))
    b = balance.measure(m.status)
    line = balance_line(m)
    assert line.startswith(f"Two camps? {b.balanced_triads} of {b.triads} triads")
    if b.frustration:
        i, j = b.frustrated[0]
        names = [a.name for a in m.actor_agents]
        assert f"{names[i]}–{names[j]}" in line


def test_a_slider_of_an_actor_the_scenario_lacks_is_dropped():
    # e.g. ISIS-K's slider on a scenario without ISIS-K: ignored, not an error
    m = DashboardGame(
        str(ROOT / SCENARIO),
        defaults={},
        **{"actors.nobody.resources": 3.0, "actors.russia.resources": 5.0},
    )
    assert m.overrides == {"actors.russia.resources": 5.0}
    assert m.config.actors["russia"].resources == 5.0


def test_each_seed_gives_its_own_run():
    # Mesa's Reset passes the seed box as ``rng`` (text), with its own scenario
    path = str(ROOT / SCENARIO)
    runs = {}
    for rng in (3, "3", " 4 ", 4, None):
        m = DashboardGame(path, rng=rng, scenario=object())
        for _ in range(3):
            m.step()
        runs[rng] = (m.seed_value, m.history.strength[:4].copy())
    assert runs[3][0] == runs["3"][0] == 3 and runs[4][0] == runs[" 4 "][0] == 4
    assert np.array_equal(runs[3][1], runs["3"][1])
    assert np.array_equal(runs[4][1], runs[" 4 "][1])
    assert not np.array_equal(runs[3][1], runs[4][1])
    assert runs[None][0] == load_scenario(ROOT / SCENARIO).seed  # blank: the file's


def test_a_seed_that_is_not_a_number_is_refused_in_words():
    with pytest.raises(ValueError, match="whole number"):
        DashboardGame(str(ROOT / SCENARIO), rng="forty")


def test_the_page_offers_a_seed_box():
    pytest.importorskip("solara", reason="the viz extra is not installed")
    from sim.dashboard.app import model_params

    params = model_params(str(ROOT / SCENARIO))
    box = params["rng"]
    assert box["type"] == "InputText"
    assert box["value"] == str(load_scenario(ROOT / SCENARIO).seed)


def test_a_plain_run_does_not_import_the_visualization_stack(tmp_path):
    code = (
        "import sys, contextlib, io\n"
        "import sim.cli\n"
        f"sim.cli.main(['{SCENARIO}', '--steps', '2', '--no-figures', '--quiet', "
        f"'--out', r'{tmp_path / 'run'}'])\n"
        "with contextlib.suppress(SystemExit), "
        "contextlib.redirect_stdout(io.StringIO()):\n"
        "    sim.cli.main(['--help'])\n"
        "with contextlib.suppress(SystemExit), "
        "contextlib.redirect_stdout(io.StringIO()):\n"
        "    sim.cli.main(['serve', '--help'])\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('solara', 'reacton', 'ipyvuetify', 'ipywidgets', 'altair') "
        "or m.startswith('mesa.visualization') or m.startswith('sim.dashboard'))\n"
        "print(bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]", out.stdout


# ------------------------------------------------------------- Solara, no browser
@pytest.mark.slow
def test_page_renders_and_step_changes_the_figures_and_the_why_panel():
    solara = pytest.importorskip("solara", reason="the viz extra is not installed")
    ipyvuetify = pytest.importorskip("ipyvuetify")
    ipywidgets = pytest.importorskip("ipywidgets")
    from sim.dashboard import app

    os.environ.setdefault("GREATGAME_SCENARIO", str(ROOT / SCENARIO))

    # the sidebar (controls, sliders) lives in an AppLayout
    page = solara.AppLayout(children=[app.Page()])
    _, rc = solara.render(page, handle_error=False)
    labels = [s.label for s in rc.find(ipyvuetify.Slider).widgets]
    assert "Russia: aid budget per step" in labels
    assert any(lbl.startswith("η") for lbl in labels)

    def images():
        return [bytes(w.value) for w in rc.find(ipywidgets.Image).widgets]

    def why_text():
        return " ".join(
            str(w.children)
            for w in rc.find(ipyvuetify.Html, tag="li").widgets
            + rc.find(ipyvuetify.Card).widgets
        )

    before, why_before = images(), why_text()
    assert len(before) >= 3  # map, alliances, control on the first page
    step = rc.find(ipyvuetify.Btn, children=["Step"]).widget
    for _ in range(12):
        step.click()
    after = images()
    assert after[0] != before[0], "the map did not change after 12 steps"
    assert why_text() != why_before
    assert rc.find(ipyvuetify.Html, tag="li").widgets, "no change listed in Why?"

    # a new seed in the box (typed, then Enter), then Reset: a run of that seed
    assert "seed 2016:" in why_text()
    seed_box = rc.find(ipyvuetify.TextField, label="Seed (applied on Reset)").widget
    seed_box.v_model = "7"
    seed_box.fire_event("keyup.enter", None)
    rc.find(ipyvuetify.Btn, children=["Reset"]).widget.click()
    assert "seed 7:" in why_text() and "Week 0 of" in why_text()


# -------------------------------------------------------------------- a browser
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    """``python run.py serve`` on 127.0.0.1 at a free port; yields its URL."""
    pytest.importorskip("solara", reason="the viz extra is not installed")
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        [sys.executable, "run.py", "serve", SCENARIO, "--port", str(port)]
        + ["--no-open"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own group: run.py and the solara server
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                out = proc.stdout.read().decode(errors="replace")
                pytest.fail(f"the server exited with {proc.returncode}:\n{out}")
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the dashboard server did not answer within 90 s")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
)
def test_dashboard_in_chromium_offline(server, tmp_path, tmp_path_factory):
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="needs playwright (pip install playwright)"
    )
    outside: list[str] = []
    console_errors: list[str] = []

    def only_localhost(route):
        url = route.request.url
        if urlparse(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.route("**/*", only_localhost)
            page.on(
                "console",
                lambda m: console_errors.append(m.text) if m.type == "error" else None,
            )
            page.on("pageerror", lambda e: console_errors.append(str(e)))
            page.goto(server)
            step = page.get_by_role("button", name="Step", exact=True)
            step.wait_for(timeout=60_000)
            why = page.locator(".greatgame-why")
            why.wait_for(timeout=60_000)
            the_map = page.locator(".vue-grid-item img").first
            the_map.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            assert "as in the file" in why.inner_text()

            # move Russia's aid slider to its minimum, then Reset to apply it
            slider = page.locator(".v-input__slider").filter(
                has_text="Russia: aid budget per step"
            )
            thumb = slider.locator(".v-slider__thumb-container")
            thumb.focus()
            page.keyboard.press("Home")
            page.get_by_role("button", name="Reset", exact=True).click()
            page.wait_for_function(
                "() => document.querySelector('.greatgame-why')"
                ".innerText.includes('actors.russia.resources = 0')",
                timeout=30_000,
            )

            map_before = the_map.screenshot()
            why_before = why.inner_text()
            for week in range(1, 7):
                step.click()
                page.wait_for_function(
                    "w => document.querySelector('.greatgame-why')"
                    ".innerText.includes(`Week ${w} of`)",
                    arg=week,
                    timeout=60_000,
                )
            page.wait_for_timeout(1500)  # the last figures reach the page
            assert the_map.screenshot() != map_before, "Step did not change the map"
            why_after = why.inner_text()
            assert why_after != why_before
            assert " → " in why_after, "no alliance change listed in Why?"

            shot = tmp_path / "dashboard.png"
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    kept = tmp_path_factory.getbasetemp() / "dashboard.png"
    shutil.copy(shot, kept)
    print(f"screenshot: {kept}")
    (tmp_path / "browser.json").write_text(
        json.dumps({"outside": outside, "console_errors": console_errors}, indent=1)
    )
    assert outside == [], f"requests left 127.0.0.1: {outside}"
    assert console_errors == [], f"errors in the browser console: {console_errors}"


def test_serve_runs_solara_on_localhost_with_the_scenario():
    from sim.cli.commands import _serve_parser, serve_command

    cmd, env = serve_command(_serve_parser().parse_args(["scenarios/no_isis.yaml"]))
    assert cmd[1:4] == ["-m", "solara", "run"]
    assert cmd[4].endswith("sim/dashboard/app.py")
    assert cmd[cmd.index("--host") + 1] == "127.0.0.1"
    assert "--production" in cmd
    assert env["GREATGAME_SCENARIO"] == "scenarios/no_isis.yaml"
    assert env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "False"


def test_serve_rejects_a_bad_scenario_in_one_line(capsys):
    from sim.cli.commands import main

    assert main(["serve", "scenarios/nonexistent.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "nonexistent.yaml" in err
