import numpy as np

from sim.processes import control
from sim.vocabulary import SigarClass


def test_sigar_labels_and_codes_come_from_the_vocabulary():
    assert control.SIGAR_CLASSES[SigarClass.CONTESTED] == "contested"
    assert len(control.SIGAR_CLASSES) == len(SigarClass)
    codes = control.sigar_class(np.array([0.0, 0.5, 1.0]), (0.2, 0.4, 0.6, 0.8))
    assert list(codes) == [
        SigarClass.INSURGENT_CONTROL,
        SigarClass.CONTESTED,
        SigarClass.GOVERNMENT_CONTROL,
    ]


def test_controller_needs_the_control_share():
    armed = np.array([[60.0, 50.0, 0.0], [40.0, 50.0, 0.0]])
    assert list(control.controller(armed, 0.6)) == [0, control.CONTESTED, -1]


def _front(weeks_of_losses, departed, n=2, p=1):
    front = control.Front.start(np.array([0] * p), n)
    for lost, left in zip(weeks_of_losses, departed, strict=True):
        front = front.update(np.array(lost, float), np.array(left, float))
    return front


def test_the_front_counts_weeks_of_fighting_and_resets_in_quiet_weeks():
    quiet = [[0.0], [0.0]]
    fight = [[30.0], [10.0]]
    none = [[0.0], [0.0]]
    front = _front([fight, quiet, fight, fight], [none] * 4)
    assert front.weeks.tolist() == [2]
    assert front.battle[:, 0].tolist() == [60.0, 20.0]  # the current battle only
    told = front.account(0, 0, 1)
    assert told["losses"] == 90 and told["attacker_losses"] == 30  # 4 weeks
    assert told["cause"] == "fighting" and told["weeks"] == 2


def test_a_province_left_by_its_holder_is_a_withdrawal():
    none = [[0.0], [0.0]]
    front = _front([[[5.0], [0.0]], none], [[[400.0], [0.0]], none])
    told = front.account(0, 0, 1)
    assert told["cause"] == "withdrawal" and told["left"] == 400
    arrivals_only = _front([none], [[[-50.0], [0.0]]])  # the holder came in
    assert arrivals_only.account(0, 0, 1)["cause"] == "buildup"


def test_the_window_forgets_what_is_older_than_four_weeks():
    none = [[0.0], [0.0]]
    front = _front([[[100.0], [0.0]]] + [none] * control.FRONT_WINDOW, [none] * 5)
    assert front.account(0, 0, 1)["losses"] == 0


def test_the_front_remembers_the_last_holder_through_contested_weeks():
    front = control.Front.start(np.array([0, -1]), 2)
    front = front.held(np.array([-1, 1]))
    assert front.holder.tolist() == [0, 1]


def test_ground_taken_by_fighting_is_logged_and_told_with_its_losses():
    from sim.core.model import GreatGame
    from sim.results.chronicle import chronicle
    from tests.conftest import scenario, tiny

    # c (400, E = 1) holds Kunduz against a (800, E = 0.3): a holds 240 of 640
    # armed strength, but wins the square law (0.3 x 800² > 400²)
    data = tiny(steps=60, parameters={"combat_law": "square", "beta": 0.05})
    data["actors"]["a"].update(forces={"Kunduz": 800}, effectiveness=0.3)
    data["actors"]["b"].update(forces={"Balkh": 100})
    data["actors"]["c"].update(forces={"Kunduz": 400})
    m = GreatGame(scenario(data)).run()
    took = [e for e in m.history.events if e["type"] == "capture"]
    assert [(e["province"], e["actor"], e["holder"]) for e in took] == [
        ("Kunduz", "a", "c")
    ]
    e = took[0]
    assert e["cause"] == "fighting" and e["left"] == 0
    assert e["weeks"] > 10 and e["battle_losses"] > 200
    assert e["attacker_losses"] > 0
    text = chronicle(m.history, "t", "", 1)
    assert (
        f"A took control of Kunduz province from C, after {e['weeks']} weeks "
        "of fighting "
        f"(C lost ~{e['battle_losses']:,} fighters there)"
    ) in text


def test_sigar_class_takes_the_bands_as_a_list_or_a_tuple():
    shares = np.array([0.0, 0.2, 0.39, 0.41, 0.9])
    as_tuple = control.sigar_class(shares, (0.2, 0.4, 0.6, 0.8))
    assert list(as_tuple) == [0, 1, 1, 2, 4]
    assert np.array_equal(control.sigar_class(shares, [0.2, 0.4, 0.6, 0.8]), as_tuple)
    assert list(control.sigar_class(shares, (0.1, 0.3, 0.5, 0.7))) == [0, 1, 2, 2, 4]


def test_the_controller_is_the_first_of_equal_top_forces():
    armed = np.array([[0.0, 40.0, 10.0], [0.0, 40.0, 90.0], [0.0, 20.0, 0.0]])
    assert list(control.controller(armed, 0.3)) == [control.CONTESTED, 0, 1]
    assert list(control.controller(armed, 0.95)) == [control.CONTESTED] * 3


def test_a_province_neither_side_holds_counts_half_and_the_halves_stay_half():
    armed = np.array([[10.0, 0.0, 0.0], [0.0, 0.0, 5.0], [30.0, 0.0, 5.0]])
    allied = np.zeros((3, 3), dtype=bool)
    hostile = ~np.eye(3, dtype=bool)
    hostile[1, 2] = hostile[2, 1] = False  # 1 and 2 fight the government only
    share = control.government_share(armed, 0, allied, hostile)
    assert np.allclose(share, [0.25, 0.5, 0.0])
    share[1] = 0.9  # a caller's change does not reach the next answer
    again = control.government_share(armed, 0, allied, hostile)
    assert np.allclose(again, [0.25, 0.5, 0.0])


def test_control_and_sigar_classes():
    armed = np.array([[80.0, 50.0, 10.0], [20.0, 50.0, 90.0]])
    assert list(control.controller(armed, 0.6)) == [0, -1, 1]
    allied = np.zeros((2, 2), dtype=bool)
    hostile = ~np.eye(2, dtype=bool)
    share = control.government_share(armed, 0, allied, hostile)
    assert np.allclose(share, [0.8, 0.5, 0.1])
    classes = control.sigar_class(share, (0.2, 0.4, 0.6, 0.8))
    assert [control.SIGAR_CLASSES[c] for c in classes] == [
        "government control",
        "contested",
        "insurgent control",
    ]
