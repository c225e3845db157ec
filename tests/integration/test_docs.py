"""The README and the docs pages link only to what exists.

They are read as plain Markdown on GitHub and in editors as much as on the
built site, so a relative link must name a file of the repository, and a
link to a heading of a Markdown page must name a heading that page has.
Links inside code (fenced blocks or inline) are examples, not links. The
dotted names of the package that the pages cite (``sim.results.metrics``,
``sim.experiments.sweep.read_results``) must exist too, so that a module
moved without its old name kept is caught here rather than by a reader.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _prose(text: str) -> str:
    """The text with code removed, where links are examples."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def relative_links(page: Path) -> list[str]:
    """Targets of the page's links that point inside the repository."""
    targets = LINK.findall(_prose(page.read_text(encoding="utf-8")))
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]


def slug(heading: str) -> str:
    """The anchor a heading gets (as the docs site and GitHub make it)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # keep a link's text
    text = re.sub(r"[`*_]", "", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\s-]", "", text).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def anchors(page: Path) -> set[str]:
    """The anchors of a Markdown page's headings."""
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    return {slug(h) for h in HEADING.findall(text)}


DOTTED = re.compile(r"\bsim(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


def resolve(dotted: str):
    """The object a dotted name such as ``sim.results.metrics.first_alliance`` names."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ModuleNotFoundError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ModuleNotFoundError(dotted)


def test_the_docs_pages_exist():
    names = {p.name for p in PAGES}
    for expected in ("index.md", "design.md", "model.md", "testing.md"):
        assert expected in names


def _nav_pages(node) -> list[str]:
    """The page files named anywhere in an mkdocs ``nav`` entry."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [p for v in node.values() for p in _nav_pages(v)]
    return [p for item in node for p in _nav_pages(item)]


def test_the_site_navigation_lists_every_page_once():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["strict"] is True
    listed = _nav_pages(config["nav"])
    assert len(listed) == len(set(listed))
    assert sorted(listed) == sorted(p.name for p in (ROOT / "docs").glob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_points_at_an_existing_file(page):
    broken = []
    for target in relative_links(page):
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(target)
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.name}: broken links {broken}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_dotted_name_of_the_package_exists(page):
    text = page.read_text(encoding="utf-8")
    names = sorted({n for n in DOTTED.findall(text) if not n.endswith((".py", ".md"))})
    missing = []
    for name in names:
        try:
            resolve(name)
        except (ImportError, AttributeError):
            missing.append(name)
    assert not missing, f"{page.name}: names that do not exist {missing}"


def test_resolve_fails_on_a_name_that_does_not_exist():
    assert resolve("sim.results.metrics") is not None
    with pytest.raises(AttributeError):
        resolve("sim.results.metrics.no_such_metric")


def test_the_link_finder_sees_links_and_skips_code(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "# Title here\n\nSee [a](a.md#x), [web](https://example.org) and\n"
        "`[not](code.md)`.\n\n```\n[no](fenced.md)\n```\n",
        encoding="utf-8",
    )
    assert relative_links(page) == ["a.md#x"]
    assert anchors(page) == {"title-here"}


def test_slugs_match_the_headings_used_in_links():
    assert slug("Inheritance: `extends`") == "inheritance-extends"
    assert slug("Layout and the direction of imports") == (
        "layout-and-the-direction-of-imports"
    )
