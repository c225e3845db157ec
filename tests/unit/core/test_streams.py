import numpy as np

from sim.core.streams import STREAMS, seed_streams


def test_streams_are_reproducible_and_independent():
    one, two = seed_streams(3), seed_streams(3)
    assert set(one) == set(STREAMS)
    draws = {name: one[name].random(4) for name in STREAMS}
    assert all(np.array_equal(draws[n], two[n].random(4)) for n in STREAMS)
    assert not np.array_equal(draws["combat"], draws["movement"])


def test_drawing_on_one_stream_leaves_the_others_alone():
    a, b = seed_streams(9), seed_streams(9)
    a["combat"].random(1000)
    assert np.array_equal(a["movement"].random(3), b["movement"].random(3))
