from pathlib import Path

from sim.scenario import load_scenario
from sim.schema import Parameters


def test_a_partial_map_keeps_the_other_defaults():
    p = Parameters.model_validate(
        {"move_weights": {"enemy": 1.0}, "terrain": {"mixed": 2}}
    )
    defaults = Parameters()
    assert p.move_weights["enemy"] == 1.0
    assert p.move_weights["ethnic"] == defaults.move_weights["ethnic"]
    assert p.terrain["mountainous"] == defaults.terrain["mountainous"]
    assert p.terrain["mixed"] == 2


SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "2016.yaml"


def test_set_one_move_weight_from_the_command_line():
    sc = load_scenario(SCENARIO, ["parameters.move_weights.enemy=1"])
    assert sc.parameters.move_weights["enemy"] == 1.0
    assert (
        sc.parameters.move_weights["crowding"] == Parameters().move_weights["crowding"]
    )
