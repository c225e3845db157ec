import base64
import dataclasses
import html
import re

import pytest
from PIL import Image

from sim import cli
from sim.core.model import GreatGame
from sim.plots import charts
from sim.plots.style import save
from sim.results.chronicle import chronicle
from sim.results.report import write_report
from sim.results.rundata import as_run
from sim.scenario.loader import load_scenario
from tests.conftest import ROOT

SCENARIO = ROOT / "scenarios" / "2016.yaml"
EXTERNAL = re.compile(
    r"https?:|ftp:|//[\w.-]|(?:src|href|action|poster)\s*=\s*(?![\"']?(?:data:|#))",
    re.IGNORECASE,
)
PAYLOAD = re.compile(r"(data:[\w/+.-]+;base64,)[A-Za-z0-9+/=]+")


def external_refs(page: str) -> list[str]:
    """What in the page could point outside it (base64 payloads aside)."""
    return EXTERNAL.findall(PAYLOAD.sub(r"\1", page))


@pytest.fixture(scope="module")
def run():
    return as_run(GreatGame(load_scenario(SCENARIO, ["steps=12"])).run())


@pytest.fixture(scope="module")
def figures(run, tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    files = {}
    for name in ("control", "alliances", "relations", "supply"):
        path = out / f"{name}.png"
        save(getattr(charts, name)(run), path)
        files[path.name] = path
    frames = [Image.new("RGB", (8, 8), c) for c in ("red", "blue")]
    gif = out / "map.gif"
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=100)
    files[gif.name] = gif
    return files


@pytest.fixture(scope="module")
def page(run, figures, tmp_path_factory):
    path = write_report(run, tmp_path_factory.mktemp("report"), figures)
    assert path.name == "report.html"
    return path.read_text(encoding="utf-8")


def test_every_figure_is_embedded_as_a_data_uri(page, figures):
    for path in figures.values():
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = "image/gif" if path.suffix == ".gif" else "image/png"
        assert f'src="data:{mime};base64,{data}"' in page, path.name
    assert page.count("<figure") == len(figures)


def test_every_figure_has_a_caption(page):
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page, re.S)
    assert len(captions) == 5
    assert all(len(re.sub(r"<[^>]+>", "", c)) > 40 for c in captions)


def test_the_page_references_nothing_outside_itself(page):
    found = external_refs(page)
    assert not found, found
    assert page.count("data:image/") == 5
    assert "<script" not in page.lower() and "<link" not in page.lower()
    assert "@import" not in page and "url(" not in page


def test_name_description_seed_and_dates(page, run):
    assert f"<h1>{html.escape(run.name)}</h1>" in page
    assert html.escape(run.description.strip()) in page
    assert f"seed {run.seed}" in page
    assert "12 February 2016" in page


def test_summary_table_has_every_actor(page, run):
    from sim.results.naming import ActorNames

    h = run.history
    names = ActorNames.of(h, run.scenario).all_over(h.dates[0], h.dates[h.last])
    table = page.split('id="summary"')[1].split("</table>")[0]
    for key in run.history.actor_keys:
        assert html.escape(names[key]) in table
    assert table.count("<tr>") == len(run.history.actor_keys) + 1
    assert "312,000 →" in table  # the Afghan army's fighters at the start


def test_the_chronicle_is_rendered_with_its_headings(page, run):
    h = run.history
    text = chronicle(h, run.name, run.description, run.seed)
    headings = [ln.lstrip("#").strip() for ln in text.splitlines() if ln[:3] == "## "]
    assert headings
    for heading in headings:
        assert f"<h3>{html.escape(heading)}</h3>" in page
    assert "**" not in page.split('id="chronicle"')[1]


def test_html_in_a_description_is_escaped(run, figures, tmp_path):
    evil = dataclasses.replace(
        run,
        name="<b>name</b>",
        description="<script>alert('x')</script> & <img src=x onerror=y>",
    )
    page = write_report(evil, tmp_path, figures).read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp;" in page
    assert "&lt;b&gt;name&lt;/b&gt;" in page


def test_a_missing_figure_is_a_clear_error(run, tmp_path):
    with pytest.raises(FileNotFoundError, match="figure 'map.png'"):
        write_report(run, tmp_path, {"map.png": tmp_path / "nowhere.png"})


def test_relative_figure_paths_are_taken_from_the_output_dir(run, figures, tmp_path):
    (tmp_path / "control.png").write_bytes(figures["control.png"].read_bytes())
    page = write_report(run, tmp_path, {"control": "control.png"}).read_text()
    assert "data:image/png;base64," in page
    assert "Control over time" in page


def test_the_report_works_from_a_run_directory(tmp_path):
    out = tmp_path / "r"
    argv = [str(SCENARIO), "--out", str(out), "--quiet", "--steps", "6"]
    assert cli.main([*argv, "--no-figures"]) == 0
    page = write_report(str(out), out, {}).read_text(encoding="utf-8")
    assert "<h2>Summary</h2>" in page and "<h2>Chronicle</h2>" in page
    assert not external_refs(page)


# -------------------------------------------------------------------- markdown
@pytest.mark.parametrize(
    "bad",
    [
        '<img src="https://cdn.example/a.png">',
        "<link href='http://x/y.css'>",
        '<a href="//cdn.example">',
        "<img src=a.png>",
        "body { font-family: x; } @font-face { src: url(//fonts.example/f) }",
    ],
)
def test_the_external_reference_check_catches_what_it_should(bad):
    assert external_refs(bad)


def test_the_first_section_is_a_printable_handout_with_a_caveat(page):
    body = page.split("<body>", 1)[1]
    handout = body.split('<section id="handout" class="handout">', 1)[1]
    handout = handout.split("</section>", 1)[0]
    assert body.index('id="handout"') < body.index('id="summary"')
    assert "A teaching model, not a forecast." in handout
    assert "What is assumed:" in handout and "What varies with the seed:" in handout
    assert "At a glance" in handout and "provinces held (of 34)" in handout
    assert "Alliances and enmities" in handout and "Allied at the end:" in handout
    style = page.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "@media print" in style and ".handout { break-after: page; }" in style


def test_the_main_map_is_on_the_first_page_once(run, figures, tmp_path):
    from sim.plots.mapping import map as draw_map

    path = tmp_path / "map.png"
    save(draw_map(run), path)
    page = write_report(run, tmp_path / "r", {**figures, "map": path})
    text = page.read_text(encoding="utf-8")
    handout = text.split('id="handout"', 1)[1].split("</section>", 1)[0]
    assert 'id="fig-map"' in handout and "Map at the end." in handout
    assert text.count('id="fig-map"') == 1


def test_a_scripted_change_shows_in_plain_words_not_as_a_path(tmp_path):
    variant = tmp_path / "drawdown.yaml"
    variant.write_text(
        f"extends: {SCENARIO}\nsteps: 4\nevents:\n"
        "  - {at: 2016-02-20, do: set, path: actors.us_nato.troops, value: 7700,"
        " label: A drawdown}\n",
        encoding="utf-8",
    )
    out = tmp_path / "run"
    assert cli.main([str(variant), "--out", str(out), "--no-anim", "--quiet"]) == 0
    prose = PAYLOAD.sub("", (out / "report.html").read_text(encoding="utf-8"))
    assert "A drawdown (in the model, US/NATO troops from 9,800 to 7,700)." in prose
    assert not re.search(r"\bactors\.[a-z_]+\.[a-z_]+\b", prose)
    told = (out / "chronicle.md").read_text(encoding="utf-8")
    assert "US/NATO troops from 9,800 to 7,700" in told
