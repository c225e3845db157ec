"""report.html printed from Chromium: the handout is page 1, and only page 1.

The withdrawal scenario is the longest first page the shipped scenarios
make (five scripted events), so it is the one printed. Page counts are
read from the PDF Chromium writes (each page is one ``/Type /Page`` object).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.cli import main

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]  # fmt: skip
ONLY_HANDOUT = "body > *:not(header):not(#handout) { display: none !important; }"


def _offline(route) -> None:
    """Let the page load itself and its data: URIs, and nothing from a network."""
    url = route.request.url
    route.continue_() if url.startswith(("file:", "data:")) else route.abort()


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.slow
@pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's Chromium at /usr/bin/chromium (apt-get install chromium)",
)
def test_the_handout_prints_on_exactly_one_page(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright")
    out = tmp_path / "run"
    assert main(["us_withdrawal_2016", "--out", str(out), "--no-anim", "--quiet"]) == 0
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", _offline)
            page.goto((out / "report.html").as_uri())
            assert page.locator("#handout .caveat").count() == 1
            whole = pages(page.pdf(prefer_css_page_size=True))
            page.emulate_media(media="print")
            assert page.locator("nav").is_hidden()  # links are no use on paper
            page.add_style_tag(content=ONLY_HANDOUT)
            first = pages(page.pdf(prefer_css_page_size=True))
        finally:
            browser.close()
    assert first == 1, "the header and the handout need more than one A4 page"
    assert whole > 2  # the summary, figures and chronicle follow from page 2
