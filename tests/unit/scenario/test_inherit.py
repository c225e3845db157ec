"""sim.scenario.inherit: ``extends`` chains and the merge rules."""

from __future__ import annotations

import os

from sim.files import GEOJSON_MAX_BYTES, SCENARIO_MAX_BYTES
from sim.scenario.loader import (
    load_scenario,
)
from tests.unit.scenario.helpers import (
    BASE,
    check,
    fail,
    line_of,
    write,
)


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


def test_error_in_parent_names_parent_file(tmp_path, base):
    bad = write(tmp_path, "base.yaml", BASE.replace("resources: 2", "resources: -2"))
    child = write(tmp_path, "child.yaml", "extends: base.yaml\nsteps: 20\n")
    err = fail(child)
    assert err.file == str(bad) and err.line == line_of(BASE, "resources: 2")


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


def test_a_long_extends_chain_is_an_error_not_a_recursion_error(tmp_path, base):
    for i in range(1, 1201):
        parent = "base.yaml" if i == 1 else f"f{i - 1}.yaml"
        write(tmp_path, f"f{i}.yaml", f"extends: {parent}\n")
    assert load_scenario(tmp_path / "f100.yaml").name == "base"
    err = fail(tmp_path / "f1200.yaml")
    assert err.path == "extends" and "more than 100 files extend" in str(err)


# --- what extends: and geometry: may point at ------------------------------------


def test_extends_a_file_that_is_not_yaml_is_refused_unread(tmp_path):
    write(tmp_path, "notes.txt", "name: hunter2\n")
    child = write(tmp_path, "child.yaml", "name: c\nextends: notes.txt\n")
    err = fail(child)
    check(err, child, "extends", 2)
    assert "must end in .yaml or .yml" in str(err) and "hunter2" not in str(err)


def test_extends_a_directory_names_the_key(tmp_path):
    (tmp_path / "base.yaml").mkdir()
    child = write(tmp_path, "child.yaml", "name: c\nextends: base.yaml\n")
    err = fail(child)
    check(err, child, "extends", 2)
    assert "the parent scenario 'base.yaml' is a directory" in str(err)


def test_extends_a_device_names_the_key(tmp_path):
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    child = write(tmp_path, "child.yaml", "name: c\nextends: zero.yaml\n")
    err = fail(child)
    check(err, child, "extends", 2)
    assert "'zero.yaml' is a character device, not a regular file" in str(err)


def test_a_parent_over_the_size_cap_is_refused_by_its_size(tmp_path, base):
    with open(tmp_path / "big.yaml", "wb") as f:
        f.truncate(SCENARIO_MAX_BYTES + 1)
    child = write(tmp_path, "child.yaml", "name: c\nextends: big.yaml\n")
    err = fail(child)
    check(err, child, "extends", 2)
    assert "a scenario file may be at most 2,000,000 bytes" in str(err)


def test_geometry_that_is_a_fifo_or_too_large_names_the_key(tmp_path, base):
    os.mkfifo(tmp_path / "pipe.geojson")
    child = write(tmp_path, "c.yaml", "extends: base.yaml\ngeometry: pipe.geojson\n")
    err = fail(child)
    check(err, child, "geometry", 2)
    assert "the geometry file 'pipe.geojson' is a FIFO" in str(err)
    with open(tmp_path / "big.geojson", "wb") as f:
        f.truncate(GEOJSON_MAX_BYTES + 1)
    child = write(tmp_path, "c.yaml", "extends: base.yaml\ngeometry: big.geojson\n")
    check(fail(child), child, "geometry", 2)


def test_a_missing_geometry_is_left_to_the_map(tmp_path, base):
    child = write(tmp_path, "c.yaml", "extends: base.yaml\ngeometry: later.geojson\n")
    assert load_scenario(child).geometry == str(tmp_path / "later.geojson")


def test_a_nul_in_extends_or_geometry_is_an_error_not_a_crash(tmp_path, base):
    child = write(tmp_path, "c.yaml", 'name: c\nextends: "base\\0.yaml"\n')
    err = fail(child)
    check(err, child, "extends", 2)
    assert "holds a NUL character" in str(err)
    child = write(tmp_path, "c.yaml", 'extends: base.yaml\ngeometry: "a\\0b"\n')
    check(fail(child), child, "geometry", 2)
