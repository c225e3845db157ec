"""sim.results.metrics: the metric language and the series it computes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sim.core.model import GreatGame
from sim.results import metrics
from sim.results.metrics import METRICS, Metric, MetricError, parse_metric
from sim.vocabulary import SigarClass, Status
from tests.conftest import scenario, tiny

ACTORS = ["a", "b", "c"]


@pytest.fixture(scope="module")
def h():
    """The history of a short run of three actors around Kunduz."""
    model = GreatGame(scenario(tiny(steps=8)), seed=3)
    return model.run().history


# --- the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    "name, message",
    [
        ("provincez:a", "unknown metric 'provincez:a'; did you mean 'provinces'?"),
        ("frobnicate", "unknown metric 'frobnicate' (known kinds: provinces,"),
        ("provinces", "metric 'provinces' takes 1 argument(s): provinces:ACTOR"),
        ("provinces:x", "metric 'provinces:x': unknown actor 'x'"),
        ("allied:a:bb", "unknown actor 'bb'; did you mean 'b'?"),
        (
            "strength_in:a:Kunduzz",
            "province or region 'Kunduzz'; did you mean 'Kunduz'?",
        ),
        ("allied:a:a", "metric 'allied:a:a' needs two different actors"),
    ],
)
def test_bad_names_say_what_is_wrong(name, message):
    with pytest.raises(MetricError) as err:
        parse_metric(name, ACTORS)
    assert message in str(err.value)


def test_a_whole_run_metric_is_refused_where_a_series_is_needed():
    assert parse_metric("alliance_week:a:b", ACTORS).per_step is False
    with pytest.raises(MetricError, match="whole-run metric"):
        parse_metric("alliance_week:a:b", ACTORS, per_step=True)


def test_names_are_trimmed_and_any_actor_goes_when_none_are_given():
    m = parse_metric("  strength_in:zz:north+Kunduz ")
    assert m == Metric(
        "strength_in:zz:north+Kunduz", "strength_in", ("zz", "north+Kunduz")
    )


def test_places_can_come_from_another_map():
    assert parse_metric("presence_in:a:P1+P2", ACTORS, places=["P1", "P2"]).args
    with pytest.raises(MetricError, match="did you mean 'P2'"):
        parse_metric("presence_in:a:P22", ACTORS, places=["P1", "P2"])


def test_describe_lists_every_kind_once_with_its_usage():
    lines = metrics.describe_metrics().splitlines()
    assert len(lines) == len(METRICS)
    for line, kind in zip(lines, METRICS.values(), strict=True):
        assert line.startswith(kind.usage) and line.endswith(kind.help)


def test_default_metrics_name_each_actor_then_contested():
    names = metrics.default_metrics(["a", "b"])
    assert names == [
        "provinces:a",
        "provinces:b",
        "strength:a",
        "strength:b",
        "contested",
    ]
    assert all(parse_metric(n, ACTORS) for n in names)


# --- the series ---------------------------------------------------------------------


def test_every_kind_measures_a_run(h):
    for kind in METRICS.values():
        args = {"actor": "a", "provinces": "Kunduz+north"}
        names = [args[a] for a in kind.args]
        if kind.args == ("actor", "actor"):
            names = ["a", "c"]
        m = parse_metric(":".join([kind.name, *names]), ACTORS)
        value = m.value(h)
        assert isinstance(value, float)
        if m.per_step:
            series = m.series(h)
            assert series.shape == (h.n_rows,)
            assert value == series[-1] or (math.isnan(value) and np.isnan(series[-1]))


def test_counts_match_the_recorded_arrays(h):
    a, c = h.actor_keys.index("a"), h.actor_keys.index("c")
    rows = h.n_rows
    provinces = parse_metric("provinces:a").series(h)
    assert list(provinces) == [int((h.controller[t] == a).sum()) for t in range(rows)]
    enemies = parse_metric("enemies:a:c").series(h)
    assert list(enemies) == [
        float(h.status[t, a, c] == Status.ENEMY) for t in range(rows)
    ]
    gov = parse_metric("government_side_share").series(h)
    sigar = h.sigar[:rows]
    expected = (sigar >= SigarClass.GOVERNMENT_INFLUENCE).mean(axis=1)
    assert np.array_equal(gov, expected)


def test_summed_kinds_are_running_totals(h):
    losses = parse_metric("losses:c").series(h)
    per_step = h.losses[: h.n_rows, h.actor_keys.index("c")]
    assert np.allclose(losses, np.cumsum(per_step))
    assert losses[-1] > 0  # a and b fight c in Kunduz


def test_an_actor_the_run_lacks_reads_as_zero_or_unknown(h):
    assert not parse_metric("strength:ghost").series(h).any()
    assert np.isnan(parse_metric("affinity:a:ghost").value(h))
    assert np.isnan(parse_metric("share_in:ghost:all").value(h))
    assert math.isnan(parse_metric("alliance_week:a:ghost").value(h))


def test_whole_run_metrics_agree_with_the_direct_questions(h):
    first = metrics.first_alliance(h, "a", "b")
    week = parse_metric("alliance_week:a:b").value(h)
    assert (first is None and math.isnan(week)) or week == first
    assert parse_metric("share_allied:a:b").value(h) == metrics.share_allied(
        h, "a", "b"
    )
    ever = parse_metric("ever_allied:a:b").value(h)
    assert ever == float(first is not None)


def test_a_series_of_a_whole_run_metric_is_an_error(h):
    with pytest.raises(MetricError, match="whole-run metric, not a series"):
        parse_metric("ever_allied:a:b").series(h)


# --- the direct questions -------------------------------------------------------------


def test_strength_in_and_presence_read_the_last_step_by_default(h):
    a, kunduz = h.actor_keys.index("a"), h.province_names.index("Kunduz")
    last = h.n_rows - 1
    assert metrics.strength_in(h, "a", ["Kunduz"]) == h.strength[last, a, kunduz]
    assert metrics.strength_in(h, "a", ["Kunduz"], step=0) == 500
    assert metrics.provinces_present(h, "a", step=0) == 1
    assert metrics.strength_in(h, "ghost", ["Kunduz"]) == 0.0
    assert metrics.provinces_present(h, "ghost") == 0


def test_alliance_reasons_and_the_leading_shared_enemy(h):
    reasons = metrics.alliance_reasons(h, "a", "b")
    leader = metrics.leading_shared_enemy(h, "a", "b")
    if metrics.first_alliance(h, "a", "b") is None:
        assert reasons == [] and leader is None
    else:
        shared = [r for r in reasons if r[0].startswith("shared enemy ")]
        assert (leader is None) == (not shared)
