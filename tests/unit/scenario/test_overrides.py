"""sim.scenario.overrides: ``--set`` strings and override dicts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
)
from tests.unit.scenario.helpers import (
    BOMB,
    fail,
)


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


def test_deeply_nested_set_value_is_an_error(base):
    err = fail(base, ["name=" + "[" * 2000 + "]" * 2000])
    assert err.path == "name" and "nested more than 32 levels" in str(err)
    assert len(str(err)) < 300  # the override is shown clipped


def test_billion_laughs_in_a_set_value_fails_fast(base):
    flow = "[" + ", ".join(line.split(": ", 1)[1] for line in BOMB.splitlines()) + "]"
    err = fail(base, [f"description={flow}"])
    assert err.path == "description" and "expands to more than" in str(err)


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
    from sim.scenario.loader import load_scenario

    path = tmp_path / "huge.yaml"
    root = Path(__file__).resolve().parents[3]
    path.write_text((root / "scenarios" / "2016.yaml").read_text(encoding="utf-8"))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, ["actors.russia.resources=1e30"])
    assert "actors.russia.resources" in str(err.value)
    assert "must be ≤ 1e+09" in str(err.value)
    with pytest.raises(ScenarioError, match="recruitment_rate"):
        load_scenario(path, ["actors.taliban.recruitment_rate=200000"])
