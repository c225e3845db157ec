"""sim.processes.threats: presence, threat, the fight against it, befriending, help."""

import numpy as np

from sim.processes import threats


def test_presence_is_breadth_not_size():
    s = np.array([[2000.0, 0, 0, 0], [50, 50, 50, 50]])
    pres = threats.presence(s, 50.0)
    zone = threats.zone_presence(np.full((1, 4), 0.25), pres)
    assert zone[0, 1] > zone[0, 0]


def test_threat_and_befriending_zero_only_the_diagonal():
    rng = np.random.default_rng(3)
    a = rng.uniform(-1, 1, (5, 5))
    t = threats.threat(a, np.ones((5, 5)), np.full((5, 5), 0.1), np.ones((5, 5)), 0.5)
    f = threats.befriending(a, rng.uniform(0, 1, (5, 5)), 0.5)
    for m in (t, f):
        assert (np.diag(m) == 0).all()
        assert (m[~np.eye(5, dtype=bool)] != 0).any()


def test_threat_with_its_drive_given_is_the_threat_bit_for_bit():
    rng = np.random.default_rng(11)
    a, intent = rng.uniform(-1, 1, (5, 5)), rng.uniform(0, 1, (5, 5))
    comp, zone = rng.uniform(0, 0.3, (5, 5)), rng.uniform(0, 1, (5, 5))
    drive = threats.threat_drive(a, intent, comp, 0.7)
    plain = threats.threat(a, intent, comp, zone, 0.7)
    given = threats.threat(a, intent, comp, zone, 0.7, drive)
    assert given.tobytes() == plain.tobytes()
    assert np.allclose(
        plain, (np.maximum(0, -a) * intent + 0.7 * comp) * zone * ~np.eye(5, dtype=bool)
    )
