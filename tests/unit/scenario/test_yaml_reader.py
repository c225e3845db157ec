"""sim.scenario.yaml_reader: safe YAML, lines of every key, limits on hostile files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim.files import SCENARIO_MAX_BYTES
from sim.scenario.loader import (
    ScenarioError,
    load_scenario,
)
from sim.scenario.yaml_reader import FACTS, read_yaml
from tests.unit.scenario.helpers import (
    BASE,
    BOMB,
    check,
    fail,
    line_of,
    variant,
    write,
)


def test_yaml_syntax_error_gives_its_line(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: 10: 11")
    err = fail(p)
    check(err, p, None, 3)
    assert "YAML syntax error: mapping values are not allowed here" in str(err)


def test_missing_scenario_file(tmp_path):
    err = fail(tmp_path / "absent.yaml")
    assert err.file == str(tmp_path / "absent.yaml") and err.line is None
    assert "absent.yaml" in str(err) and "No such file" in str(err)


def test_a_misspelt_file_name_is_pointed_at_the_closest_file_beside_it(tmp_path):
    for name in ("2016.yaml", "no_isis.yaml", "notes.txt"):
        (tmp_path / name).write_text("steps: 1\n", encoding="utf-8")
    err = fail(tmp_path / "2061.yaml")
    assert "No such file" in str(err)
    assert f"did you mean '{tmp_path / '2016.yaml'}'?" in str(err)


def test_a_missing_file_with_nothing_near_gets_no_hint(tmp_path):
    (tmp_path / "2016.yaml").write_text("steps: 1\n", encoding="utf-8")
    (tmp_path / "zz.txt").write_text("", encoding="utf-8")
    assert "did you mean" not in str(fail(tmp_path / "zz.yaml"))  # other suffix
    assert "did you mean" not in str(fail(tmp_path / "taliban_united.yaml"))


def test_directory_is_not_a_scenario(tmp_path):
    err = fail(tmp_path)
    assert err.file == str(tmp_path) and "directory" in str(err)


def test_python_tag_is_refused(tmp_path):
    p = write(tmp_path, "evil.yaml", "name: !!python/object/apply:os.system [ls]\n")
    err = fail(p)
    check(err, p, "name", 1)
    assert "'!!python/object/apply:os.system' is not allowed" in str(err)
    assert "safe loader" in str(err)


def test_unknown_scalar_tag_is_refused(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: !big 10")
    err = fail(p)
    check(err, p, "steps", 3)
    assert "'!big' is not allowed" in str(err)


def test_empty_file(tmp_path):
    p = write(tmp_path, "empty.yaml", "# only a comment\n")
    err = fail(p)
    assert err.file == str(p) and "empty" in str(err)


def test_top_level_list(tmp_path):
    p = write(tmp_path, "list.yaml", "- name: a\n- name: b\n")
    err = fail(p)
    check(err, p, None, 1)
    assert "top level must be a mapping" in str(err) and "got a list" in str(err)


def test_duplicate_key(tmp_path):
    p = variant(tmp_path, "    resources: 2\n", "    resources: 2\n    resources: 3\n")
    err = fail(p)
    check(err, p, "actors.russia.resources", line_of(BASE, "resources: 2") + 1)
    assert "duplicate key 'resources'" in str(err)
    assert f"line {line_of(BASE, 'resources: 2')}" in str(err)


def test_impossible_date(tmp_path):
    p = variant(tmp_path, "start: 2016-02-12", "start: 2016-13-45")
    err = fail(p)
    check(err, p, "start", 2)
    assert "2016-13-45" in str(err)


def test_non_utf8_bytes(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes(BASE.replace("name: Russia", "name: Rüssia").encode("latin-1"))
    err = fail(p)
    check(err, p, None, line_of(BASE, "name: Russia"))
    assert "UTF-8" in str(err)


def test_yaml_anchors_and_merge_keys(tmp_path):
    p = write(
        tmp_path,
        "anchors.yaml",
        """\
        name: anchors
        start: 2016-02-12
        steps: 1
        actors:
          taliban: &ins {name: Taliban, kind: insurgent, cohesion: 0.7}
          taliban_rasool:
            <<: *ins
            name: Rasool faction
        """,
    )
    sc = load_scenario(p)
    assert sc.actors["taliban_rasool"].cohesion == 0.7
    assert sc.actors["taliban_rasool"].name == "Rasool faction"


@pytest.mark.parametrize("open_, close", [("[", "]"), ("{a: ", "}")])
@pytest.mark.parametrize("depth", [500, 5000])
def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path, open_, close, depth):
    nested = open_ * depth + ("1" if "{" in open_ else "") + close * depth
    p = variant(tmp_path, "resources: 2", f"resources: {nested}")
    err = fail(p)
    assert err.line == line_of(BASE, "resources: 2")
    assert err.path.startswith("actors.russia.resources")
    assert "nested more than 32 levels deep" in str(err)


def test_deep_nesting_through_aliases_is_an_error(tmp_path):
    lines = ["a0: &a0 " + "[" * 30 + "]" * 30]
    lines += [
        f"a{i}: &a{i} " + "[" * 30 + f"*a{i - 1}" + "]" * 30 for i in range(1, 40)
    ]
    p = write(tmp_path, "deep.yaml", "\n".join(lines) + "\n")
    err = fail(p)
    assert "nested more than 32 levels deep" in str(err) and err.path.startswith("a")


def test_billion_laughs_fails_fast(tmp_path):
    p = write(tmp_path, "bomb.yaml", BOMB + "\nname: bomb\n")
    err = fail(p)  # used to build 10**9 strings: hung and ate the memory
    assert "expands to more than 100,000 values" in str(err) and err.file == str(p)


@pytest.mark.parametrize(
    "key, shown",
    [
        ("1", "1"),
        ("2016-01-01", "2016-01-01"),
        ("true", "true"),
        ("~", "null"),
        ("1.5", "1.5"),
    ],  # fmt: skip
)
def test_keys_must_be_text(tmp_path, key, shown):
    p = variant(tmp_path, "  russia:\n", f"  {key}:\n")
    err = fail(p)
    check(err, p, f"actors.{shown}", line_of(BASE, "  russia:"))
    assert f"the key {shown} must be text; put it in quotes" in str(err)


def test_quoted_number_key_is_text(tmp_path):
    p = variant(tmp_path, "  russia:\n", '  "1":\n')
    assert "actor id '1'" in str(fail(p))  # a text key, checked as an actor id


# --- bounded reading of the file itself ------------------------------------------


@pytest.mark.parametrize(
    "top, kind",
    [("'root:x:0:0:hunter2'", "text"), ("[hunter2, 2]", "a list"), ("42", "a number")],
)
def test_a_top_level_that_is_not_a_mapping_is_not_quoted(tmp_path, top, kind):
    p = write(tmp_path, "s.yaml", f"{top}\n")
    err = fail(p)
    check(err, p, None, 1)
    assert f"the top level must be a mapping (name: ...), got {kind}" in str(err)
    assert "hunter2" not in str(err) and "42" not in str(err)


def test_a_fifo_is_not_opened(tmp_path):
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    err = fail(fifo)
    assert err.file == str(fifo) and err.line is None
    assert str(err) == f"{fifo}: the file is a FIFO (named pipe), not a regular file"


def test_a_device_is_not_read(tmp_path):
    err = fail(Path("/dev/zero"))
    assert str(err) == "/dev/zero: the file is a character device, not a regular file"


def test_a_scenario_over_the_cap_is_refused_by_its_size(tmp_path):
    p = tmp_path / "big.yaml"
    p.write_text(BASE + "#" + "x" * (SCENARIO_MAX_BYTES + 500_000), encoding="utf-8")
    err = fail(p)
    assert "is 2.5 MB; a scenario file may be at most 2.0 MB" in str(err)
    assert err.line is None


def test_the_facts_kind_words_its_errors_for_facts(tmp_path):
    p = write(tmp_path, "facts.yaml", "")
    with pytest.raises(ScenarioError, match="empty; a facts file needs actors"):
        read_yaml(p, str(p), FACTS)
    p = write(tmp_path, "facts.yaml", "- a\n")
    with pytest.raises(ScenarioError, match=r"mapping \(facts: ...\), got a list"):
        read_yaml(p, str(p), FACTS)


def _as_data(value):
    """A tree as plain nested tuples, origins (file and line) included."""
    if isinstance(value, dict):
        lines = getattr(value, "lines", {})
        items = tuple((k, lines.get(k), _as_data(v)) for k, v in value.items())
        return ("map", getattr(value, "at", None), items)
    if isinstance(value, list):
        lines = getattr(value, "lines", {})
        items = tuple((lines.get(i), _as_data(v)) for i, v in enumerate(value))
        return ("seq", getattr(value, "at", None), items)
    return (type(value).__name__, value)


SHIPPED = sorted((Path(__file__).parents[3] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_libyaml_and_pure_python_read_shipped_scenarios_alike(path, monkeypatch):
    from sim.scenario import yaml_reader

    if yaml_reader._CLoader is None:
        pytest.skip("PyYAML without libyaml")
    text = path.read_text(encoding="utf-8-sig")
    fast = yaml_reader._read_fast(text, str(path))
    assert fast is not None  # a well-formed file takes the fast path
    monkeypatch.setattr(yaml_reader, "_CLoader", None)
    slow = read_yaml(path, str(path))
    assert _as_data(fast) == _as_data(slow)


def test_the_fast_path_does_not_compose_with_pure_python(tmp_path, monkeypatch):
    from sim.scenario import yaml_reader

    if yaml_reader._CLoader is None:
        pytest.skip("PyYAML without libyaml")

    def refuse(*args):
        raise AssertionError("the pure-Python loader was used")

    path = write(tmp_path, "base.yaml", BASE)
    monkeypatch.setattr(yaml_reader, "_Loader", refuse)
    assert read_yaml(path, str(path))["name"]


@pytest.mark.parametrize(
    "text",
    [
        "a: [1, 2\n",  # a syntax error
        "a: 1\na: 2\n",  # a duplicate key
        "a: !!python/name:os.system x\n",  # a tag
        "a: " + "[" * 31 + "]" * 31 + "\n",  # nesting near the limit
        "a: \x07\n",  # a non-printable character
        "a: 1  \t# note\n",  # a tab: libyaml takes it, PyYAML refuses it
        "off\tset: 1\n",  # a tab in a key: libyaml reads a key, PyYAML refuses
        "- 1\n",  # not a mapping
        "",  # empty
    ],
)
def test_unusual_files_are_left_to_the_pure_python_reader(text):
    from sim.scenario import yaml_reader

    assert yaml_reader._read_fast(text, "x.yaml") is None


def test_a_tab_the_pure_python_reader_refuses_is_still_refused(tmp_path):
    path = write(tmp_path, "tab.yaml", BASE.replace("steps: 10", "steps: 10 \t# x"))
    with pytest.raises(ScenarioError, match="cannot start any token"):
        read_yaml(path, str(path))
