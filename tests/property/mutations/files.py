"""Whole files, ``extends:`` chains and ``--set`` overrides that must fail."""

from __future__ import annotations

from collections.abc import Iterator

from tests.property.mutations.base import Case, misspell
from tests.property.mutations.text import _billion_laughs

# --- whole files, extends, overrides -------------------------------------------------


def file_cases(valid: bytes) -> Iterator[Case]:
    """Files that are not a scenario at all, and encodings that are not UTF-8."""
    for kind, body, expect in [
        ("empty_file", b"", "empty"),
        ("blank_file", b"   \n\n  \n", "empty"),
        ("comment_only", b"# nothing here\n", "empty"),
        ("document_marker_only", b"---\n", "top level must be a mapping"),
        ("null_document", b"null\n", "top level must be a mapping"),
        ("list_document", b"- name: a\n- name: b\n", "top level must be a mapping"),
        ("empty_list_document", b"[]\n", "top level must be a mapping"),
        ("scalar_document", b"42\n", "top level must be a mapping"),
        ("text_document", b"'just text'\n", "top level must be a mapping"),
        ("empty_mapping", b"{}\n", "missing required key"),
        ("two_documents", valid + b"\n---\nname: x\n", "another document"),
        ("utf16_file", valid.decode().encode("utf-16"), "not UTF-8"),
        ("utf32_file", valid.decode().encode("utf-32"), "not UTF-8"),
        (
            "latin1_file",
            valid.decode().replace("name:", "näme:", 1).encode("latin-1", "replace"),
            "not UTF-8",
        ),
        ("binary_junk", bytes(range(256)) * 4, "UTF-8"),
        ("control_chars", b"name: a\x07b\nsteps: 1\n", "not plain text"),
        ("complex_key", b"? [a, b]\n: 1\n", "a key must be a plain name"),
        ("self_alias", b"name: &a [*a]\n", "alias refers to itself"),
        ("yaml_directive", b"%YAML 2.0\n---\nname: x\n", "YAML syntax error"),
        ("python_tag_top", b"!!python/object/apply:os.system [ls]\n", "is not allowed"),
        ("merge_non_mapping", b"a: &a [1]\nb:\n  <<: *a\n", "YAML syntax error"),
    ]:
        yield Case(kind, "file", {"scenario.yaml": body}, expect=(expect,))


def extends_cases(valid: bytes) -> Iterator[Case]:
    """``extends:`` to nothing, to itself, in a cycle, to junk, to a bad parent."""

    def child(ref: str) -> bytes:
        return f"extends: {ref}\nname: child\n".encode()

    yield Case(
        "extends_missing",
        "extends",
        {"scenario.yaml": child("nowhere.yaml")},
        path="extends",
        expect=("does not exist",),
        line=1,
    )
    yield Case(
        "extends_self",
        "extends",
        {"scenario.yaml": child("scenario.yaml")},
        path="extends",
        expect=("extends cycle",),
        line=1,
    )
    yield Case(
        "extends_cycle_2",
        "extends",
        {"scenario.yaml": child("b.yaml"), "b.yaml": child("scenario.yaml")},
        path="extends",
        expect=("extends cycle",),
        blame="b.yaml",
    )
    yield Case(
        "extends_cycle_3",
        "extends",
        {
            "scenario.yaml": child("b.yaml"),
            "b.yaml": child("c.yaml"),
            "c.yaml": child("b.yaml"),
        },
        path="extends",
        expect=("extends cycle",),
        blame="c.yaml",
    )
    yield Case(
        "extends_directory",
        "extends",
        {"scenario.yaml": child(".")},
        path="extends",
        expect=("the parent scenario '.' is a directory",),
        line=1,
    )
    yield Case(
        "extends_subdir",
        "extends",
        {"scenario.yaml": child("sub"), "sub/x.yaml": b""},
        path="extends",
        expect=("the parent scenario 'sub' is a directory",),
        line=1,
    )
    yield Case(
        "extends_not_yaml",
        "extends",
        {"scenario.yaml": child("notes.txt"), "notes.txt": b"secret: 1\n"},
        path="extends",
        expect=("must end in .yaml or .yml",),
        line=1,
    )
    for kind, ref, expect in [
        ("extends_number", "5", "expected the path"),
        ("extends_list", "[a.yaml]", "expected the path"),
        ("extends_empty", "''", "expected the path"),
        ("extends_mapping", "{a: 1}", "expected the path"),
    ]:
        yield Case(
            kind,
            "extends",
            {"scenario.yaml": child(ref)},
            path="extends",
            expect=(expect,),
            line=1,
        )
    chain = {f"f{i}.yaml": child(f"f{i + 1}.yaml") for i in range(150)}
    yield Case(
        "extends_long_chain",
        "extends",
        {**chain, "scenario.yaml": child("f0.yaml"), "f150.yaml": valid},
        path="extends",
        expect=("more than 100 files extend",),
        blame="f99.yaml",
    )
    bad_parent = valid.replace(b"\nsteps: ", b"\nsteps: -", 1)
    yield Case(
        "extends_bad_parent",
        "parent.steps",
        {"scenario.yaml": child("parent.yaml"), "parent.yaml": bad_parent},
        path="steps",
        expect=("must be ≥ 1",),
        blame="parent.yaml",
    )
    yield Case(
        "extends_junk_parent",
        "parent",
        {"scenario.yaml": child("parent.yaml"), "parent.yaml": b"\xff\xfe junk"},
        expect=("not UTF-8",),
        blame="parent.yaml",
    )
    yield Case(
        "extends_child_error",
        "child.actors",
        {
            "scenario.yaml": child("parent.yaml") + b"actors: {nobody: {name: X}}\n",
            "parent.yaml": valid,
        },
        path="actors.nobody.kind",
        expect=("missing required key 'kind'",),
    )


def override_cases(
    valid: bytes, number_paths: list[str], actor: str, place: str
) -> Iterator[Case]:
    """``--set`` overrides: bad paths at every level, bad values, bad syntax."""
    files = {"scenario.yaml": valid}

    def case(kind, site, sets, path, *expect):
        return Case(kind, site, files, overrides=tuple(sets), path=path, expect=expect)

    for p in number_paths:
        yield case("set_text_for_number", p, [f"{p}=many"], p, "got 'many'")
        yield case("set_nan", p, [f"{p}=.nan"], p, "finite")
        parts = p.split(".")
        bad = ".".join([*parts[:-1], misspell(parts[-1])])
        if parts[-1] != actor:
            yield case(
                "set_misspelt_key", p, [f"{bad}=1"], bad, f"did you mean '{parts[-1]}'?"
            )
    yield case(
        "set_unknown_actor",
        "actors",
        [f"actors.{misspell(actor)}.resources=1"],
        f"actors.{misspell(actor)}",
        f"did you mean '{actor}'?",
    )
    yield case(
        "set_unknown_place",
        "forces",
        [f"actors.{actor}.forces.{misspell(place)}=1"],
        f"actors.{actor}.forces.{misspell(place)}",
        f"did you mean '{place}'?",
    )
    yield case(
        "set_misspelt_section",
        "parameters",
        ["paramters.eta=1"],
        "paramters",
        "did you mean 'parameters'?",
    )
    yield case("set_out_of_range", "steps", ["steps=0"], "steps", "must be ≥ 1")
    yield case("set_huge", "steps", [f"steps={10**400}"], "steps", "401 digits")
    yield case(
        "set_bool_for_number",
        "parameters.eta",
        ["parameters.eta=true"],
        "parameters.eta",
        "got true",
    )
    yield case(
        "set_index_out_of_range",
        "relations",
        ["relations[999].affinity=0.1"],
        "relations[999].affinity",
        "no item 999",
    )
    yield case(
        "set_list_without_index",
        "relations",
        ["relations.affinity=0.1"],
        "relations.affinity",
        "is a list",
    )
    yield case("set_into_scalar", "steps", ["steps.x=1"], "steps.x", "single value")
    yield case(
        "set_deep",
        "description",
        ["description=" + "[" * 3000 + "]" * 3000],
        "description",
        "nested more than",
    )
    yield case(
        "set_bomb",
        "description",
        ["description=" + _billion_laughs()],
        "description",
        "expands to more than",
    )
    yield case(
        "set_python_tag",
        "name",
        ["name=!!python/object/apply:os.system [ls]"],
        "name",
        "is not allowed",
    )
    yield case(
        "set_duplicate_key",
        "parameters",
        ["parameters={eta: 1, eta: 2}"],
        "parameters",
        "duplicate key",
    )
    for kind, text, expect in [
        ("set_no_equals", "steps", "PATH=VALUE"),
        ("set_bad_yaml", "name=[a", "as YAML"),
        ("set_bad_yaml_flow", "name={a: ", "as YAML"),
        ("set_empty_path", "=1", "dotted key path"),
        ("set_double_dot", "actors..x=1", "dotted key path"),
        ("set_bad_index", "relations[x].affinity=1", "dotted key path"),
    ]:
        yield Case(kind, text, files, overrides=(text,), expect=(expect,))
