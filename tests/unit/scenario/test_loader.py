"""sim.scenario.loader: loading, inheritance, overrides and every error path."""

from __future__ import annotations

import datetime as dt
import pickle
import textwrap
from pathlib import Path

import pytest

from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    resolved_dict,
    scenario_from_dict,
    validate_path,
)

BASE = """\
name: base
start: 2016-02-12
steps: 10
parameters:
  interdiction: 0.4
actors:
  government:
    name: Afghan government
    kind: government
    forces: {Kabul: 5000, Kunduz: {strength: 800, equipment: 1.2}}
  taliban:
    name: Taliban
    kind: insurgent
    recruits: {pashtun: 1.0}
    interests: {south: 1.0, Kunduz: 0.5}
    intent: {government: 0.8, isis_k: 0.5}
    forces: {Helmand: 3000, Kunduz: 600}
  isis_k:
    name: ISIS-K
    kind: insurgent
    forces: {Nangarhar: 1500}
  russia:
    name: Russia
    kind: state
    resources: 2
    staging: [tajikistan]
relations:
  - {pair: [government, taliban], affinity: -0.8}
  - {pair: [taliban, isis_k], affinity: -0.6}
events:
  - {at: 2016-05-21, do: shock, actor: taliban, cohesion: -0.2}
  - {step: 3, do: set, path: actors.isis_k.resources, value: 1}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write(tmp_path, "base.yaml", BASE)


def variant(tmp_path: Path, old: str, new: str, name: str = "x.yaml") -> Path:
    """The base scenario with one snippet replaced, as a new file."""
    assert old in BASE
    return write(tmp_path, name, BASE.replace(old, new, 1))


def fail(path: Path, overrides=()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return info.value


def check(err: ScenarioError, path: Path, key: str | None, line: int | None):
    """The error names the file, the key path and the line, in its text too."""
    assert err.file == str(path)
    assert err.path == key
    assert err.line == line
    text = str(err)
    assert text.startswith(str(path))
    if line:
        assert f"line {line}" in text
    if key:
        assert f"at {key}:" in text
    assert "\n" not in text


# --- bad inputs ---------------------------------------------------------------


def test_yaml_syntax_error_gives_its_line(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: 10: 11")
    err = fail(p)
    check(err, p, None, 3)
    assert "YAML syntax error: mapping values are not allowed here" in str(err)


def test_unknown_top_level_key_suggests(tmp_path):
    p = variant(tmp_path, "parameters:", "paramters:")
    err = fail(p)
    check(err, p, "paramters", line_of(BASE, "parameters:"))
    assert "unknown key 'paramters'" in str(err)
    assert "did you mean 'parameters'?" in str(err)


def test_unknown_actor_key_suggests(tmp_path):
    p = variant(tmp_path, "resources: 2", "resorces: 2")
    err = fail(p)
    check(err, p, "actors.russia.resorces", line_of(BASE, "resources: 2"))
    assert str(err) == (
        f"{p}, line {err.line}, at actors.russia.resorces: unknown key 'resorces'; "
        "did you mean 'resources'?"
    )


def test_wrong_type_for_steps(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: many")
    err = fail(p)
    check(err, p, "steps", 3)
    assert "expected a whole number, got 'many'" in str(err)


def test_negative_strength(tmp_path):
    p = variant(tmp_path, "{strength: 800,", "{strength: -5,")
    err = fail(p)
    check(err, p, "actors.government.forces.Kunduz.strength", line_of(BASE, "Kabul"))
    assert "must be ≥ 0, got -5" in str(err)


def test_negative_plain_force(tmp_path):
    p = variant(tmp_path, "Helmand: 3000", "Helmand: -300")
    err = fail(p)
    check(err, p, "actors.taliban.forces.Helmand", line_of(BASE, "Helmand: 3000"))
    assert "must be ≥ 0, got -300" in str(err)
    assert "more problem" not in str(err)  # the ForceSpec reading is not reported


def test_misspelt_key_in_force_spec(tmp_path):
    p = variant(tmp_path, "{strength: 800,", "{strenght: 800,")
    err = fail(p)
    assert err.path == "actors.government.forces.Kunduz.strenght"
    assert "did you mean 'strength'?" in str(err)


def test_unknown_province_in_forces(tmp_path):
    p = variant(tmp_path, "Helmand: 3000, Kunduz: 600", "Helmand: 3000, Kundus: 600")
    err = fail(p)
    check(err, p, "actors.taliban.forces.Kundus", line_of(BASE, "Helmand: 3000"))
    assert "unknown province or region 'Kundus'; did you mean 'Kunduz'?" in str(err)


def test_unknown_actor_in_relations(tmp_path):
    p = variant(tmp_path, "[taliban, isis_k]", "[taliban, isis_j]")
    err = fail(p)
    check(err, p, "relations[1].pair", line_of(BASE, "[taliban, isis_k]"))
    assert "unknown actor 'isis_j'; did you mean 'isis_k'?" in str(err)


def test_unknown_actor_in_events(tmp_path):
    p = variant(tmp_path, "do: shock, actor: taliban", "do: shock, actor: talibn")
    err = fail(p)
    check(err, p, "events[0].actor", line_of(BASE, "do: shock"))
    assert "did you mean 'taliban'?" in str(err)


def test_affinity_out_of_range(tmp_path):
    p = variant(tmp_path, "affinity: -0.8", "affinity: -1.5")
    err = fail(p)
    check(err, p, "relations[0].affinity", line_of(BASE, "affinity: -0.8"))
    assert "must be ≥ -1, got -1.5" in str(err)


def test_extends_cycle(tmp_path):
    a = write(tmp_path, "a.yaml", "extends: b.yaml\nsteps: 3\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\nsteps: 4\n")
    err = fail(a)
    assert err.path == "extends" and err.line == 1
    assert "cycle" in str(err) and "a.yaml → " in str(err) and "b.yaml" in str(err)


def test_missing_extends_file(tmp_path):
    child = write(tmp_path, "child.yaml", "name: c\nextends: nowhere.yaml\n")
    err = fail(child)
    check(err, child, "extends", 2)
    assert "nowhere.yaml" in str(err) and "does not exist" in str(err)


def test_missing_scenario_file(tmp_path):
    err = fail(tmp_path / "absent.yaml")
    assert err.file == str(tmp_path / "absent.yaml") and err.line is None
    assert "absent.yaml" in str(err) and "No such file" in str(err)


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


def test_date_that_is_not_a_date(tmp_path):
    p = variant(tmp_path, "start: 2016-02-12", "start: next spring")
    err = fail(p)
    check(err, p, "start", 2)
    assert "expected a date like 2016-02-12, got 'next spring'" in str(err)


def test_event_with_both_at_and_step(tmp_path):
    p = variant(
        tmp_path, "{at: 2016-05-21, do: shock", "{at: 2016-05-21, step: 4, do: shock"
    )
    err = fail(p)
    check(err, p, "events[0]", line_of(BASE, "do: shock"))
    assert "exactly one of 'at'" in str(err)


def test_unknown_event_kind(tmp_path):
    p = variant(tmp_path, "do: shock", "do: shok")
    err = fail(p)
    check(err, p, "events[0].do", line_of(BASE, "do: shock"))
    assert "did you mean 'shock'?" in str(err)


def test_event_before_start(tmp_path):
    p = variant(tmp_path, "at: 2016-05-21", "at: 2015-12-31")
    err = fail(p)
    check(err, p, "events[0].at", line_of(BASE, "do: shock"))
    assert "before the start" in str(err)


def test_set_event_with_bad_path(tmp_path):
    p = variant(
        tmp_path, "path: actors.isis_k.resources", "path: actors.isis_k.resorces"
    )
    err = fail(p)
    check(err, p, "events[1].path", line_of(BASE, "do: set"))
    assert "did you mean 'resources'?" in str(err)


def test_set_event_with_unknown_actor(tmp_path):
    p = variant(
        tmp_path, "path: actors.isis_k.resources", "path: actors.isis.resources"
    )
    err = fail(p)
    assert err.path == "events[1].path" and "did you mean 'isis_k'?" in str(err)


def test_set_event_outside_actors_and_parameters(tmp_path):
    p = variant(tmp_path, "path: actors.isis_k.resources", "path: steps")
    err = fail(p)
    assert err.path == "events[1].path"
    assert "'parameters.<name>' or 'actors.<id>.<name>'" in str(err)


def test_set_event_with_bad_value_type(tmp_path):
    p = variant(tmp_path, "resources, value: 1}", "resources, value: lots}")
    err = fail(p)
    check(err, p, "events[1].value", line_of(BASE, "do: set"))
    assert "expected a number, got 'lots'" in str(err)


def test_set_event_on_parameter_checks_range(tmp_path):
    p = variant(
        tmp_path,
        "path: actors.isis_k.resources, value: 1",
        "path: parameters.interdiction, value: 2",
    )
    err = fail(p)
    assert err.path == "events[1].value" and "must be ≤ 1, got 2" in str(err)


def test_unknown_staging_node(tmp_path):
    p = variant(tmp_path, "staging: [tajikistan]", "staging: [tajikstan]")
    err = fail(p)
    check(err, p, "actors.russia.staging[0]", line_of(BASE, "staging:"))
    assert "unknown staging node 'tajikstan'; did you mean 'tajikistan'?" in str(err)


def test_unknown_ethnic_group_in_recruits(tmp_path):
    p = variant(tmp_path, "recruits: {pashtun: 1.0}", "recruits: {pashtoon: 1.0}")
    err = fail(p)
    check(err, p, "actors.taliban.recruits.pashtoon", line_of(BASE, "recruits:"))
    assert "did you mean 'pashtun'?" in str(err)


def test_unknown_region_in_interests(tmp_path):
    p = variant(tmp_path, "interests: {south: 1.0", "interests: {sooth: 1.0")
    err = fail(p)
    check(err, p, "actors.taliban.interests.sooth", line_of(BASE, "interests:"))
    assert "unknown province or region 'sooth'; did you mean 'south'?" in str(err)


def test_unknown_actor_in_intent(tmp_path):
    p = variant(tmp_path, "intent: {government: 0.8", "intent: {goverment: 0.8")
    err = fail(p)
    assert err.path == "actors.taliban.intent.goverment"
    assert "did you mean 'government'?" in str(err)


def test_two_governments(tmp_path):
    p = variant(tmp_path, "kind: state", "kind: government")
    err = fail(p)
    check(err, p, "actors.russia.kind", line_of(BASE, "kind: state"))
    assert "more than one actor of kind 'government'" in str(err)


def test_duplicate_relation_pair(tmp_path):
    p = variant(tmp_path, "[taliban, isis_k]", "[taliban, government]")
    err = fail(p)
    check(err, p, "relations[1].pair", line_of(BASE, "[taliban, isis_k]"))
    assert "second relation" in str(err) and "relations[0]" in str(err)


def test_nan_value(tmp_path):
    p = variant(tmp_path, "resources: 2", "resources: .nan")
    err = fail(p)
    check(err, p, "actors.russia.resources", line_of(BASE, "resources: 2"))
    assert "expected a finite number, got .nan" in str(err)


def test_non_utf8_bytes(tmp_path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes(BASE.replace("name: Russia", "name: Rüssia").encode("latin-1"))
    err = fail(p)
    check(err, p, None, line_of(BASE, "name: Russia"))
    assert "UTF-8" in str(err)


def test_bad_actor_id(tmp_path):
    p = variant(tmp_path, "  russia:\n", "  Russia:\n")
    err = fail(p)
    check(err, p, "actors.Russia", line_of(BASE, "  russia:"))
    assert "actor id 'Russia'" in str(err)


def test_bad_literal_suggests(tmp_path):
    p = variant(tmp_path, "kind: state", "kind: stat")
    err = fail(p)
    assert err.path == "actors.russia.kind" and "did you mean 'state'?" in str(err)


def test_more_problems_are_counted(tmp_path):
    p = variant(tmp_path, "steps: 10", "steps: 0\nseed: -1")
    err = fail(p)
    check(err, p, "steps", 3)
    assert str(err).endswith("(and 1 more problem)")


def test_error_in_parent_names_parent_file(tmp_path, base):
    bad = write(tmp_path, "base.yaml", BASE.replace("resources: 2", "resources: -2"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nsteps: 20\n")
    err = fail(child)
    assert err.file == str(bad) and err.line == line_of(BASE, "resources: 2")


def test_set_unknown_path(base):
    err = fail(base, ["actors.russia.resorces=3"])
    assert err.file is None and err.line is None
    assert err.path == "actors.russia.resorces"
    assert str(err).startswith("--set actors.russia.resorces=3, at ")
    assert "did you mean 'resources'?" in str(err)


def test_set_unknown_actor(base):
    err = fail(base, ["actors.rusia.resources=3"])
    assert err.path == "actors.rusia" and "did you mean 'russia'?" in str(err)


def test_set_wrong_typed_value(base):
    err = fail(base, ["parameters.interdiction=high"])
    assert err.where == "--set parameters.interdiction=high"
    assert err.path == "parameters.interdiction"
    assert "expected a number, got 'high'" in str(err)


def test_set_without_equals(base):
    err = fail(base, ["steps"])
    assert "PATH=VALUE" in str(err) and str(err).startswith("--set steps")


def test_set_value_that_is_not_yaml(base):
    err = fail(base, ["actors.russia.staging=[iran"])
    assert err.where == "--set actors.russia.staging=[iran"
    assert "cannot read '[iran' as YAML" in str(err) and "\n" not in str(err)


def test_set_missing_list_item(base):
    err = fail(base, ["relations[5].affinity=0.1"])
    assert err.path == "relations[5].affinity" and "list of 2" in str(err)


def test_unknown_province_in_splinter(tmp_path):
    event = "  - {step: 2, do: splinter, actor: taliban, into: isis_k, share: 0.1, "
    p = write(
        tmp_path, "s.yaml", BASE + event + "provinces: [Nangarhar, Kunar, Nimroz]}\n"
    )
    err = fail(p)
    check(err, p, "events[2].provinces[2]", BASE.count("\n") + 1)
    assert "unknown province 'Nimroz'; did you mean 'Nimruz'?" in str(err)


def test_error_survives_pickling(base):
    err = fail(base, ["steps=abc"])
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.path == "steps"


def test_dict_scenario_errors_name_the_source():
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict({"name": "x", "start": "2016-02-12", "steps": 1}, "nb")
    assert info.value.file == "nb" and info.value.path == "actors"
    assert "missing required key 'actors'" in str(info.value)


# --- good paths ---------------------------------------------------------------


def test_minimal_scenario_loads(tmp_path):
    p = write(
        tmp_path,
        "min.yaml",
        """\
        name: minimal
        start: 2016-02-12
        steps: 1
        actors:
          taliban: {name: Taliban, kind: insurgent, forces: {Kunduz: 100}}
        """,
    )
    sc = load_scenario(p)
    assert sc.name == "minimal" and sc.start == dt.date(2016, 2, 12)
    assert sc.actors["taliban"].forces == {"Kunduz": 100.0}


def test_base_scenario_loads(base):
    sc = load_scenario(base)
    assert list(sc.actors) == ["government", "taliban", "isis_k", "russia"]
    assert sc.actors["government"].forces["Kunduz"].equipment == 1.2
    assert len(sc.relations) == 2 and len(sc.events) == 2


def test_events_after_the_last_step_are_allowed(tmp_path):
    p = variant(tmp_path, "{step: 3, do: set", "{step: 999, do: set")
    assert load_scenario(p).events[1].step == 999


def test_extends_merges(tmp_path, base):
    (tmp_path / "sub").mkdir()
    text = "extends: ../base.yaml\nsteps: 20\nactors:\n  russia: {resources: 5}\n"
    child = write(tmp_path, "sub/child.yaml", text)
    sc = load_scenario(child)
    assert sc.steps == 20 and sc.name == "base"
    assert sc.actors["russia"].resources == 5
    assert sc.actors["russia"].staging == ["tajikistan"]  # inherited
    assert sc.parameters.interdiction == 0.4


def test_null_removes_actor_and_its_references(tmp_path, base):
    child = write(tmp_path, "c.yaml", "extends: base.yaml\nactors: {isis_k: null}\n")
    sc = load_scenario(child)
    assert "isis_k" not in sc.actors
    assert [r.pair for r in sc.relations] == [("government", "taliban")]
    assert [e.do for e in sc.events] == ["shock"]  # the set event named isis_k
    assert sc.actors["taliban"].intent == {"government": 0.8}


def test_events_append_and_relations_replace_by_pair(tmp_path, base):
    child = write(
        tmp_path,
        "c.yaml",
        """\
        extends: base.yaml
        relations:
          - {pair: [taliban, government], affinity: -0.3}
          - {pair: [russia, taliban], affinity: 0.2}
        events:
          - {step: 5, do: aid, actor: russia, to: taliban, amount: 3}
        """,
    )
    sc = load_scenario(child)
    assert [e.do for e in sc.events] == ["shock", "set", "aid"]
    pairs = {frozenset(r.pair): r.affinity for r in sc.relations}
    assert len(sc.relations) == 3
    assert pairs[frozenset({"government", "taliban"})] == -0.3


def test_error_in_appended_event_names_child_line(tmp_path, base):
    event = "{step: 5, do: aid, actor: rusia, to: taliban, amount: 3}"
    child = write(tmp_path, "c.yaml", f"extends: base.yaml\nevents:\n  - {event}\n")
    err = fail(child)
    check(err, child, "events[2].actor", 3)


def test_set_values_are_typed(base):
    sc = load_scenario(
        base,
        [
            "steps=12",
            "parameters.lambda=0.1",
            "actors.russia.deploys=true",
            "actors.russia.staging=[iran, air]",
            "events[0].at=2016-06-01",
        ],
    )
    assert sc.steps == 12 and sc.parameters.lam == 0.1
    assert sc.actors["russia"].deploys is True
    assert sc.actors["russia"].staging == ["iran", "air"]
    assert sc.events[0].at == dt.date(2016, 6, 1)


def test_set_null_removes_an_actor(base):
    sc = load_scenario(base, ["actors.isis_k=null"])
    assert "isis_k" not in sc.actors and len(sc.relations) == 1


def test_overrides_as_dict_do_not_touch_input(base):
    data = {"name": "d", "start": dt.date(2016, 2, 12), "steps": 2, "actors": {}}
    new = apply_overrides(data, {"parameters.interdiction": 0.9, "steps": 3})
    assert data == {
        "name": "d",
        "start": dt.date(2016, 2, 12),
        "steps": 2,
        "actors": {},
    }
    assert new["parameters"] == {"interdiction": 0.9} and new["steps"] == 3
    sc = load_scenario(base, {"actors.russia.resources": 7.5})
    assert sc.actors["russia"].resources == 7.5


def test_validate_path():
    for path in ("parameters.lambda", "steps", "parameters.interdiction",
                 "actors.russia.resources", "actors.x.forces.Kunduz.strength",
                 "relations[0].affinity", "parameters.sigar_bands[3]"):  # fmt: skip
        validate_path(path)
    with pytest.raises(ScenarioError, match="did you mean 'russia'"):
        validate_path("actors.rusia.resources", actors=["russia", "taliban"])
    with pytest.raises(ScenarioError, match="did you mean 'Kunduz'"):
        validate_path("actors.russia.forces.Kundus")


def test_resolved_dict_round_trips(base):
    sc = load_scenario(base)
    data = resolved_dict(sc)
    assert data["parameters"]["lambda"] == 0.02 and data["start"] == "2016-02-12"
    assert scenario_from_dict(data) == sc


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


# --- regressions found by the fuzz suite (tests/property) -------------------------


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


def test_deeply_nested_set_value_is_an_error(base):
    err = fail(base, ["name=" + "[" * 2000 + "]" * 2000])
    assert err.path == "name" and "nested more than 32 levels" in str(err)
    assert len(str(err)) < 300  # the override is shown clipped


BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def test_billion_laughs_fails_fast(tmp_path):
    p = write(tmp_path, "bomb.yaml", BOMB + "\nname: bomb\n")
    err = fail(p)  # used to build 10**9 strings: hung and ate the memory
    assert "expands to more than 100,000 values" in str(err) and err.file == str(p)


def test_billion_laughs_in_a_set_value_fails_fast(base):
    flow = "[" + ", ".join(line.split(": ", 1)[1] for line in BOMB.splitlines()) + "]"
    err = fail(base, [f"description={flow}"])
    assert err.path == "description" and "expands to more than" in str(err)


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


@pytest.mark.parametrize(
    "old, new, key, expected",
    [
        ("resources: 2", "resources: true", "actors.russia.resources", "a number"),
        ("steps: 10", "steps: yes", "steps", "a whole number"),
        ("Kabul: 5000", "Kabul: false", "actors.government.forces.Kabul", "a number"),
        ("affinity: -0.8", "affinity: [true, 0.1]", "relations[0].affinity[0]",
         "a number"),
        ("value: 1}", "value: on}", "events[1].value", "a number"),
    ],
)  # fmt: skip
def test_a_bool_is_not_a_number(tmp_path, old, new, key, expected):
    p = variant(tmp_path, old, new)
    err = fail(p)
    assert err.path == key, str(err)
    assert f"expected {expected}, got true" in str(err) or "got false" in str(err)


def test_bool_fields_still_take_bools(tmp_path):
    p = variant(
        tmp_path, "staging: [tajikistan]", "staging: [tajikistan]\n    deploys: yes"
    )
    assert load_scenario(p).actors["russia"].deploys is True


def test_long_names_are_clipped_in_messages(tmp_path):
    long = "x" * 1_000_000
    p = variant(tmp_path, "staging: [tajikistan]", f"staging: [{long}]")
    err = fail(p)
    assert err.path == "actors.russia.staging[0]"
    assert "(1,000,000 characters)" in str(err) and len(str(err)) < 400


def test_huge_integer_is_shown_by_its_size(tmp_path):
    p = variant(tmp_path, "steps: 10", f"steps: {10**400}")
    err = fail(p)
    assert err.path == "steps" and "a number of 401 digits" in str(err)
    assert len(str(err)) < 200


def test_exponent_without_dot_reads_as_text_then_must_be_finite(tmp_path):
    p = variant(tmp_path, "resources: 2", "resources: 1e400")  # YAML 1.1: a string
    err = fail(p)
    assert err.path == "actors.russia.resources"
    assert "must be ≤ 1e+09, got '1e400'" in str(err)  # read as inf, over the cap


@pytest.mark.parametrize(
    "old, new",
    [
        ("start: 2016-02-12", "start: 9999-12-01"),
        ("steps: 10", "steps: 100000\nstep_days: 366"),
    ],  # fmt: skip
)
def test_a_run_that_would_end_after_9999_is_refused(tmp_path, old, new):
    p = variant(tmp_path, old, new)
    err = fail(p)  # the model raised OverflowError: validate passed, run exited 1
    assert err.path == "steps" and "after the year 9999" in str(err)


@pytest.mark.parametrize(
    "old, new, key, item",
    [("[taliban, isis_k]", "[taliban]", "relations[1].pair", 1),
     ("interdiction: 0.4", "interdiction: 0.4\n  sigar_bands: [0.1, 0.2, 0.3]",
      "parameters.sigar_bands", 3)],
)  # fmt: skip
def test_too_short_tuple_says_so(tmp_path, old, new, key, item):
    p = variant(tmp_path, old, new)
    err = fail(p)  # used to say "missing required key 'pair'" of a pair it was given
    assert err.path == key and f"too few items: item [{item}] is missing" in str(err)


@pytest.mark.parametrize(
    "old, new, key",
    [("{strength: 800, equipment: 1.2}", "{strength: 800, equipment: [1, 2]}",
      "actors.government.forces.Kunduz.equipment"),
     ("affinity: -0.8", "affinity: [[0.1], 0.2]", "relations[0].affinity[0]")],
)  # fmt: skip
def test_a_wrong_type_inside_a_union_names_the_inner_key(tmp_path, old, new, key):
    p = variant(tmp_path, old, new)
    err = fail(p)  # used to blame the force as a whole: "expected a number"
    assert err.path == key and "got a list" in str(err)


def test_a_long_extends_chain_is_an_error_not_a_recursion_error(tmp_path, base):
    for i in range(1, 1201):
        parent = "base.yaml" if i == 1 else f"f{i - 1}.yaml"
        write(tmp_path, f"f{i}.yaml", f"extends: {parent}\n")
    assert load_scenario(tmp_path / "f100.yaml").name == "base"
    err = fail(tmp_path / "f1200.yaml")
    assert err.path == "extends" and "more than 100 files extend" in str(err)


@pytest.mark.parametrize(
    "old, new, key",
    [
        ("resources: 2", '"reso\\nurces": 2', "actors.russia.reso\nurces"),
        ("staging: [tajikistan]", 'staging: ["ta\\njik"]', "actors.russia.staging[0]"),
    ],
)
def test_line_breaks_in_names_are_escaped_in_the_message(tmp_path, old, new, key):
    p = variant(tmp_path, old, new)
    err = fail(p)
    assert err.path == key and "\n" not in str(err) and "\\n" in str(err)


def test_misspelt_key_in_a_force_on_a_synthetic_map_suggests(tmp_path):
    p = write(
        tmp_path,
        "grid.yaml",
        """\
        name: grid
        start: 2016-02-12
        steps: 1
        map: {kind: grid, provinces: 20}
        actors:
          a: {name: A, kind: insurgent, forces: {P2: {strenght: 100}}}
        """,
    )
    err = fail(p)  # P2 is not an Afghan province: the suggestion was lost
    assert err.path == "actors.a.forces.P2.strenght"
    assert "did you mean 'strength'?" in str(err)


@pytest.mark.parametrize(
    "values, said",
    [("[" * 600 + "]" * 600, "nested more than 32 levels"),
     ("[&a [x, x, x, x, x, x, x, x, x, x], " + ", ".join(
         f"&b{i} [" + ", ".join([f"*{'a' if i == 0 else f'b{i - 1}'}"] * 10) + "]"
         for i in range(8)) + "]", "expands to more than")],
    ids=["deep", "bomb"],
)  # fmt: skip
def test_sweep_grid_values_are_read_as_strictly_as_set(
    base, tmp_path, capsys, values, said
):
    from sim.cli import main as cli_main

    code = cli_main(["sweep", str(base), "--grid", f"steps={values}",
                     "--out", str(tmp_path / "sweep"), "--quiet"])  # fmt: skip
    err = capsys.readouterr().err  # was exit 1: RecursionError, or a hang
    assert code == 2 and said in err and "Traceback" not in err
    assert not (tmp_path / "sweep").exists()


def test_a_typo_sized_number_is_refused_where_it_stands(tmp_path):
    from sim.scenario.loader import ScenarioError, load_scenario

    path = tmp_path / "huge.yaml"
    root = Path(__file__).resolve().parents[3]
    path.write_text((root / "scenarios" / "2016.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, ["actors.russia.resources=1e30"])
    assert "actors.russia.resources" in str(err.value)
    assert "must be ≤ 1e+09" in str(err.value)
    with pytest.raises(ScenarioError, match="recruitment_rate"):
        load_scenario(path, ["actors.taliban.recruitment_rate=200000"])


def test_set_events_are_checked_in_the_order_they_fire():
    from sim.scenario.loader import ScenarioError, scenario_from_dict
    from tests.conftest import tiny

    data = tiny()
    data["events"] = [
        {"step": 3, "do": "set", "path": "parameters.enemy_threshold", "value": 0.0},
        {"step": 1, "do": "set", "path": "parameters.ally_threshold", "value": -0.2},
    ]  # each is valid alone; after the second, the first breaks the thresholds
    with pytest.raises(ScenarioError) as err:
        scenario_from_dict(data)
    assert err.value.path == "events[0].value"
    assert "after the set events that fire before it" in str(err.value)
    assert "enemy_threshold must be below ally_threshold" in str(err.value)
    data["events"][0]["step"] = 0  # fired first, it is fine: 0.0 < 0.3, then...
    with pytest.raises(ScenarioError, match=r"events\[1\]\.value"):
        scenario_from_dict(data)  # ... -0.2 is not above 0.0
    data["events"][1]["value"] = 0.5
    scenario_from_dict(data)
