from pathlib import Path

from sim.scenario.loader import load_scenario
from sim.scenario.schema import Parameters


def test_a_partial_map_keeps_the_other_defaults():
    p = Parameters.model_validate(
        {"move_weights": {"enemy": 1.0}, "terrain": {"mixed": 2}}
    )
    defaults = Parameters()
    assert p.move_weights["enemy"] == 1.0
    assert p.move_weights["ethnic"] == defaults.move_weights["ethnic"]
    assert p.terrain["mountainous"] == defaults.terrain["mountainous"]
    assert p.terrain["mixed"] == 2


SCENARIO = Path(__file__).resolve().parents[3] / "scenarios" / "2016.yaml"


def test_set_one_move_weight_from_the_command_line():
    sc = load_scenario(SCENARIO, ["parameters.move_weights.enemy=1"])
    assert sc.parameters.move_weights["enemy"] == 1.0
    assert (
        sc.parameters.move_weights["crowding"] == Parameters().move_weights["crowding"]
    )


def test_a_set_event_is_checked_as_if_it_stood_in_the_file(tmp_path):
    import pytest

    from sim.scenario.loader import ScenarioError

    f = tmp_path / "x.yaml"
    f.write_text(
        f"extends: {SCENARIO}\n"
        "events:\n"
        "  - {step: 3, do: set, path: parameters.ally_threshold, value: -0.5}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(f)
    assert err.value.path.endswith(".value")
    assert "enemy_threshold must be below ally_threshold" in str(err.value)


def test_a_set_event_on_one_map_keeps_the_other_keys(tmp_path):
    from sim.core.model import GreatGame

    f = tmp_path / "x.yaml"
    f.write_text(
        f"extends: {SCENARIO}\nsteps: 3\n"
        "events:\n"
        "  - {step: 1, do: set, path: parameters.move_weights, value: {enemy: 0.1}}\n",
        encoding="utf-8",
    )
    m = GreatGame(load_scenario(f)).run()
    weights = m.config.parameters.move_weights
    assert weights["enemy"] == 0.1
    assert weights["crowding"] == Parameters().move_weights["crowding"]


def test_leaders_are_words_for_an_actor_and_a_set_event_cannot_name_one(tmp_path):
    import pytest

    from sim.scenario.loader import ScenarioError

    sc = load_scenario(SCENARIO)
    assert sc.actors["taliban"].leader == "Mansour"
    assert [e.leader for e in sc.events if e.leader] == ["Haibatullah"]
    f = tmp_path / "x.yaml"
    f.write_text(
        f"extends: {SCENARIO}\n"
        "events:\n"
        "  - {step: 3, do: set, path: actors.us_nato.troops, value: 1,"
        " leader: Nobody}\n",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="a 'set' event has no actor"):
        load_scenario(f)
