"""The small Markdown the chronicle is written in, rendered as safe HTML.

:mod:`sim.results.chronicle` writes headings, paragraphs, bullet lists,
pipe tables, ``**bold**``, ``*italic*`` and inline code; the report shows
that text as HTML. Everything else in the text, HTML included, comes out
escaped, so a scenario's description can never inject markup into a page.
"""

from __future__ import annotations

import html
import re

__all__ = ["markdown_to_html"]

_TABLE_SEP = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(.*)$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_CODE = re.compile(r"`([^`]+)`")


def _inline(text: str) -> str:
    """Escape, then **bold**, *italic* and `code`."""
    out = html.escape(text, quote=True)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _ITALIC.sub(r"<em>\1</em>", out)


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def _align(sep: str) -> str:
    sep = sep.strip()
    if sep.startswith(":") and sep.endswith(":"):
        return " class='c'"
    return " class='r'" if sep.endswith(":") else ""


def markdown_to_html(text: str, shift: int = 0) -> str:
    """Render the Markdown subset of the chronicle as HTML.

    Headings (``#`` to ``######``), paragraphs, bullet lists, pipe tables
    with alignment rows, ``**bold**``, ``*italic*`` and inline code; any other
    markup, and all HTML in the text, comes out escaped as plain text.

    Args:
        text: Markdown source.
        shift: levels to demote headings by (``1``: ``#`` becomes ``<h2>``).
    """
    lines = text.splitlines()
    out: list[str] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            out.append(f"<p>{_inline(' '.join(para))}</p>")
            para.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        m = _HEADING.match(stripped)
        if not stripped:
            flush()
            i += 1
        elif m:
            flush()
            level = min(len(m.group(1)) + shift, 6)
            out.append(f"<h{level}>{_inline(m.group(2))}</h{level}>")
            i += 1
        elif _starts_table(lines, i):
            flush()
            block, i = _table(lines, i)
            out.append(block)
        elif _BULLET.match(line):
            flush()
            block, i = _bullets(lines, i)
            out.append(block)
        else:
            para.append(stripped)
            i += 1
    flush()
    return "\n".join(out)


def _starts_table(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is a table's header row (an alignment row follows it)."""
    return (
        lines[i].strip().startswith("|")
        and i + 1 < len(lines)
        and bool(_TABLE_SEP.match(lines[i + 1].strip()))
    )


def _table(lines: list[str], i: int) -> tuple[str, int]:
    """The pipe table starting at line ``i`` as HTML, and the line after it."""
    head = _cells(lines[i].strip())
    aligns = [_align(c) for c in _cells(lines[i + 1])]
    aligns += [""] * (len(head) - len(aligns))
    rows = ["<table>", "<thead><tr>"]
    rows += [f"<th{a}>{_inline(c)}</th>" for c, a in zip(head, aligns, strict=False)]
    rows += ["</tr></thead>", "<tbody>"]
    i += 2
    while i < len(lines) and lines[i].strip().startswith("|"):
        cells = _cells(lines[i])
        rows.append(
            "<tr>"
            + "".join(
                f"<td{a}>{_inline(c)}</td>"
                for c, a in zip(cells, aligns + [""] * len(cells), strict=False)
            )
            + "</tr>"
        )
        i += 1
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows), i


def _bullets(lines: list[str], i: int) -> tuple[str, int]:
    """The bullet list starting at line ``i`` as HTML, and the line after it."""
    items = []
    while i < len(lines) and _BULLET.match(lines[i]):
        items.append(f"<li>{_inline(_BULLET.match(lines[i]).group(1))}</li>")
        i += 1
    return "<ul>\n" + "\n".join(items) + "\n</ul>", i
