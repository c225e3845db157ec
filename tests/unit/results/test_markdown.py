"""The chronicle's Markdown subset rendered as safe HTML."""

from __future__ import annotations

from sim.results import report
from sim.results.markdown import markdown_to_html


def test_the_report_module_still_offers_the_renderer():
    assert report.markdown_to_html is markdown_to_html


def test_markdown_headings_lists_and_inline_marks():
    out = markdown_to_html("# Top\n\n## Part\n\n- **a** and *b*\n- c\n\nSome\ntext.")
    assert "<h1>Top</h1>" in out and "<h2>Part</h2>" in out
    assert "<ul>\n<li><strong>a</strong> and <em>b</em></li>\n<li>c</li>\n</ul>" in out
    assert "<p>Some text.</p>" in out
    assert "<h2>Top</h2>" in markdown_to_html("# Top", shift=1)


def test_markdown_tables_keep_their_alignment():
    md = "| a | b | c |\n|---|---:|:---:|\n| x | 1 | y |\n| z | 2 | w |"
    out = markdown_to_html(md)
    assert "<th>a</th>" in out and "<th class='r'>b</th>" in out
    assert "<td class='r'>2</td>" in out and "<td class='c'>w</td>" in out
    assert out.count("<tr>") == 3


def test_markdown_escapes_html_and_leaves_lone_stars():
    out = markdown_to_html("- <script>x</script> 2 * 3 * 4 & **b<i>**")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "2 * 3 * 4 &amp;" in out
    assert "<strong>b&lt;i&gt;</strong>" in out


def test_a_table_ends_where_its_rows_end():
    out = markdown_to_html("| a |\n|---|\n| 1 |\nafter")
    assert out.endswith("</table>\n<p>after</p>")


def test_a_pipe_line_without_an_alignment_row_is_text():
    assert markdown_to_html("| not | a table |") == "<p>| not | a table |</p>"
