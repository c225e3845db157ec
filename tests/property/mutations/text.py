"""Mutations of a scenario file's text: YAML syntax, tags, bombs, cuts."""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from tests.property.mutations.base import Case, fmt

# --- text mutations -------------------------------------------------------------


def key_lines(text: str) -> dict[str, tuple[int, int, int]]:
    """Key path → (line, start column of the value, end column) of scalar values."""
    out: dict[str, tuple[int, int, int]] = {}

    def visit(node, segs):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if (
                    isinstance(v, yaml.ScalarNode)
                    and v.start_mark.line == v.end_mark.line
                ):
                    out[fmt((*segs, k.value))] = (
                        v.start_mark.line,
                        v.start_mark.column,
                        v.end_mark.column,
                    )
                visit(v, (*segs, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                visit(v, (*segs, i))

    visit(yaml.compose(text, Loader=yaml.SafeLoader), ())
    return out


def _replace_value(text: str, where: tuple[int, int, int], new: str) -> str:
    lines = text.split("\n")
    line, c0, c1 = where
    lines[line] = lines[line][:c0] + new + lines[line][c1:]
    return "\n".join(lines)


def _billion_laughs() -> str:
    levels = ['&l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"&l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, 10)]
    return "[" + ", ".join(levels) + "]"


def text_cases(text: str, sites: list[str], tag: str = "") -> Iterator[Case]:
    """Break the file's text at the scalar values of ``sites`` (key paths)."""
    lines_of = key_lines(text)
    for site in sites:
        if site not in lines_of:
            continue
        where = lines_of[site]
        line = where[0] + 1
        name = tag + site

        def case(
            kind,
            new_text,
            path=None,
            expect=(),
            prefix=False,
            at_line=line,
            raw=None,
            name=name,
        ):
            body = raw if raw is not None else new_text.encode("utf-8")
            return Case(
                kind,
                name,
                {"scenario.yaml": body},
                path=path,
                expect=expect,
                prefix=prefix,
                line=at_line,
            )

        yield case(
            "python_tag",
            _replace_value(text, where, '!!python/object/apply:os.system ["true"]'),
            site,
            ("is not allowed",),
        )
        yield case(
            "unknown_tag",
            _replace_value(text, where, "!fancy 5"),
            site,
            ("'!fancy' is not allowed",),
        )
        yield case(
            "undefined_alias",
            _replace_value(text, where, "*nowhere"),
            None,
            ("undefined alias",),
        )
        yield case(
            "alias_bomb",
            _replace_value(text, where, _billion_laughs()),
            site,
            ("expands to more than",),
            prefix=True,
        )
        yield case(
            "deep_flow",
            _replace_value(text, where, "[" * 5000 + "]" * 5000),
            site,
            ("nested more than",),
            prefix=True,
        )
        row = text.split("\n")[where[0]]
        block = "{" not in row[: where[1]] and "[" not in row[: where[1]]
        if block:
            yield case(
                "stray_colon",
                _replace_value(text, where, "a: b"),
                None,
                ("YAML syntax error",),
            )
        yield case(
            "unclosed_bracket",
            _replace_value(text, where, "[a, b"),
            None,
            ("YAML syntax error",),
            at_line=None,
        )
        yield case(
            "unclosed_quote",
            _replace_value(text, where, '"abc'),
            None,
            ("YAML syntax error",),
            at_line=None,
        )
        raw_lines = text.split("\n")
        row = raw_lines[where[0]]
        indent = len(row) - len(row.lstrip(" "))
        if indent:
            tabbed = [
                *raw_lines[: where[0]],
                "\t" + row.lstrip(" "),
                *raw_lines[where[0] + 1 :],
            ]
            yield case("tab_indent", "\n".join(tabbed), None, ("'\\t'",))
        dup = [*raw_lines[: where[0] + 1], row, *raw_lines[where[0] + 1 :]]
        if ":" in row and not row.lstrip().startswith("-") and "{" not in row:
            yield case(
                "duplicate_key",
                "\n".join(dup),
                site,
                ("duplicate key",),
                at_line=line + 1,
            )
        latin = _replace_value(text, where, '"Ürümqi"')
        yield case(
            "latin1_bytes",
            "",
            None,
            ("not UTF-8",),
            raw=latin.encode("utf-8").replace(
                "Ürümqi".encode(), "Ürümqi".encode("latin-1")
            ),
        )
        yield case(
            "nul_byte",
            _replace_value(text, where, '"a\x00b"'),
            None,
            ("not plain text",),
        )
        nested = "{a: " * 500 + "1" + "}" * 500
        yield case(
            "deep_flow_mapping",
            _replace_value(text, where, nested),
            site,
            ("nested more than",),
            prefix=True,
        )
        if re.fullmatch(r"-?\d+(\.\d*)?", row[where[1] : where[2]]):  # a number
            yield case(
                "huge_float_text",
                _replace_value(text, where, "1.0e+400"),
                site,
                ("finite",),
            )
            yield case("exponent_text", _replace_value(text, where, "1e400"), site)
        if indent >= 4 and block and row.lstrip(" ")[:1] not in "-{[":
            dedented = [*raw_lines[: where[0]], row[1:], *raw_lines[where[0] + 1 :]]
            yield case(
                "bad_indent",
                "\n".join(dedented),
                None,
                ("YAML syntax error",),
                at_line=None,
            )


def cut_cases(text: str, every: int, tag: str = "") -> Iterator[Case]:
    """The file cut off in the middle of a line, every ``every`` lines."""
    lines = text.split("\n")
    for n in range(every, len(lines), every):
        while ":" not in lines[n] and n + 1 < len(lines):
            n += 1
        row = lines[n]
        indent = len(row) - len(row.lstrip(" -"))
        head = (
            "\n".join(lines[:n])
            + "\n"
            + row[: indent + max(1, (row.index(":") - indent) // 2)]
        )
        yield Case("truncated", f"{tag}line {n + 1}", {"scenario.yaml": head.encode()})
