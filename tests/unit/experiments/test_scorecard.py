"""The scorecard machinery (sim.experiments.scorecard) on synthetic data.

Also checks the shipped facts.yaml.

No model runs here except a few 2016 runs cut to a handful of steps: the
pass/fail logic is checked on hand-made per-seed values whose medians,
percentiles and paired differences are known.
"""

from __future__ import annotations

import datetime as dt
import math
import pickle
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.core.history import Flow, History
from sim.experiments.scorecard import (
    BASELINE,
    FactProbe,
    FactsError,
    Measure,
    default_facts_path,
    format_scorecard,
    history_until,
    load_facts,
    plan_check,
    plot_scorecard,
    score,
    score_line,
    wilson,
)
from sim.processes.relations import ALLY, ENEMY
from sim.results import metrics as sim_metrics
from sim.scenario.loader import load_scenario
from sim.world.geography import load_geography

ROOT = Path(__file__).resolve().parents[3]
S2016 = ROOT / "scenarios" / "2016.yaml"
NO_ISIS = ROOT / "scenarios" / "no_isis.yaml"

SYNTHETIC = """\
actors: [a, b, c]
variants:
  cut:
    label: without c's budget
    set: {actors.c.resources: 0}
facts:
  - id: value_pass
    kind: outcome
    statement: a value inside its range
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016-01-01
    metric: strength:a
    at: 2016-01-15
    range: [4, 8]
    why: synthetic
  - id: value_fail
    kind: outcome
    statement: a value above its range
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016-01-01
    metric: strength:b
    at: end
    range: [0, 5]
    why: synthetic
  - id: share_fact
    kind: outcome
    statement: most seeds see an alliance
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    metric: ever_allied:a:b
    at: end
    holds_if: ">= 1"
    range: [0.6, 1]
    why: synthetic
  - id: an_input
    kind: input
    statement: set by the scenario
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    metric: strength:c
    at: start
    range: [0, 1]
    why: synthetic
  - id: cf_lower
    kind: counterfactual
    statement: the variant is lower
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: strength:c
    at: end
    compare: variant - baseline
    statistic: median
    range: [-100, 0]
    open: hi
    min_share: 0.7
    why: synthetic
  - id: cf_rarer
    kind: counterfactual
    statement: the alliance is rarer in the variant
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: ever_allied:a:b
    at: end
    compare: baseline - variant
    statistic: mean
    range: [0.3, 1]
    why: synthetic
  - id: cf_relative
    kind: counterfactual
    statement: the variant is lower, relatively
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    variant: cut
    metric: strength:a
    at: end
    compare: relative
    range: [-1, 0]
    open: hi
    why: synthetic
  - id: unmeasured
    kind: outcome
    statement: something the model cannot see
    source: Test Gazette, A. Author, 1 Jan 2016
    observed: 2016
    not_measurable: no such quantity
    why: synthetic
"""


@pytest.fixture
def synthetic(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(SYNTHETIC, encoding="utf-8")
    return load_facts(path)


def runs_frame(**columns) -> pd.DataFrame:
    """Per-seed values: ``name=(baseline values, variant values)``, 10 seeds."""
    n = 10
    frames = []
    for variant, k in ((BASELINE, 0), ("cut", 1)):
        data = {"variant": variant, "replicate": np.arange(n)}
        for name, pair in columns.items():
            data[name] = np.asarray(pair[k], dtype=float)
        frames.append(pd.DataFrame(data))
    return pd.concat(frames, ignore_index=True)


@pytest.fixture
def scored(synthetic):
    seeds = np.arange(10)
    base_c = np.full(10, 50.0)
    runs = runs_frame(
        value_pass=(seeds, seeds),  # median 4.5, p10 0.9, p90 8.1
        value_fail=(seeds + 10, seeds),  # median 14.5 > 5
        share_fact=([1] * 7 + [0] * 3, [0] * 10),  # 7 of 10 hold
        an_input=(np.zeros(10), np.zeros(10)),
        # variant - baseline: 6 seeds lower by 1..6, 4 seeds higher by 1
        cf_lower=(base_c, base_c + np.array([-1, -2, -3, -4, -5, -6, 1, 1, 1, 1])),
        cf_rarer=([1] * 8 + [0] * 2, [0] * 4 + [1] * 6),  # 0.8 - 0.6 = 0.2
        cf_relative=(np.full(10, 200.0), np.full(10, 150.0)),  # -0.25
    )
    return score(synthetic, runs).set_index("id")


def test_a_value_fact_passes_when_its_median_lies_in_range(scored):
    row = scored.loc["value_pass"]
    assert row["model"] == pytest.approx(4.5)
    assert row["p10"] == pytest.approx(0.9)
    assert row["p90"] == pytest.approx(8.1)
    assert (row["lo"], row["hi"]) == (4.0, 8.0)
    assert row["status"] == "pass" and bool(row["pass"]) and bool(row["counted"])
    assert row["share_in_range"] == pytest.approx(0.5)  # 4, 5, 6, 7, 8
    assert row["seeds"] == 10


def test_a_value_fact_fails_when_its_median_lies_outside(scored):
    row = scored.loc["value_fail"]
    assert row["model"] == pytest.approx(14.5)
    assert row["status"] == "fail" and not bool(row["pass"])


def test_a_probability_fact_scores_the_share_of_seeds(scored):
    row = scored.loc["share_fact"]
    assert row["model"] == pytest.approx(0.7)
    lo, hi = wilson(7, 10)
    assert (row["p10"], row["p90"]) == (pytest.approx(lo), pytest.approx(hi))
    assert lo < 0.7 < hi
    assert row["status"] == "pass"
    assert row["statistic"] == "share of seeds with value >= 1"


def test_inputs_are_scored_but_not_counted(scored):
    row = scored.loc["an_input"]
    assert row["status"] == "pass" and not bool(row["counted"])


def test_a_counterfactual_needs_its_median_and_its_share_of_seeds(scored):
    row = scored.loc["cf_lower"]
    # paired differences -6..-1 and four +1: median (-2 - 1) / 2, in range
    assert row["model"] == pytest.approx(-1.5)
    assert row["share_in_range"] == pytest.approx(0.6)
    # but only 60% of the seeds are lower, and min_share asks for 70%
    assert row["status"] == "fail"
    assert "60% of seeds" in row["note"]


def test_a_mean_counterfactual_is_the_difference_of_shares(scored):
    row = scored.loc["cf_rarer"]
    assert row["model"] == pytest.approx(0.2)  # 0.8 with, 0.6 without
    assert row["status"] == "fail"  # needs 0.3 or more


def test_a_relative_counterfactual(scored):
    row = scored.loc["cf_relative"]
    assert row["model"] == pytest.approx(-0.25)
    assert row["status"] == "pass"


def test_pairs_are_matched_by_replicate_not_by_row_order(synthetic):
    runs = runs_frame(
        cf_relative=(np.arange(1.0, 11.0), np.arange(1.0, 11.0) * 0.5),
    )
    shuffled = runs.sample(frac=1.0, random_state=3)
    row = score(synthetic, shuffled).set_index("id").loc["cf_relative"]
    assert row["model"] == pytest.approx(-0.5)
    assert row["p10"] == pytest.approx(-0.5) and row["p90"] == pytest.approx(-0.5)


def test_unmeasurable_and_unavailable_facts_are_na(synthetic, scored):
    assert scored.loc["unmeasured", "status"] == "n/a"
    assert "no such quantity" in scored.loc["unmeasured", "note"]
    assert pd.isna(scored.loc["unmeasured", "pass"])
    runs = runs_frame(value_pass=(np.arange(10), np.arange(10)))
    df = score(synthetic, runs, {"value_pass": "actor a not in scenario"})
    row = df.set_index("id").loc["value_pass"]
    assert row["status"] == "n/a" and row["note"] == "actor a not in scenario"


def test_the_score_line_counts_outcomes_and_counterfactuals_only(scored):
    line = score_line(scored.reset_index())
    # pass: value_pass, share_fact, cf_relative; fail: value_fail, cf_lower,
    # cf_rarer; the input is apart; 'unmeasured' is n/a
    assert line.startswith("3 of 6 facts pass")
    assert "inputs as set: 1 of 1" in line and "1 n/a" in line


def test_open_and_closed_bounds(synthetic):
    fact = synthetic["cf_lower"]  # [-100, 0)
    assert fact.accepted == "[-100, 0)"
    assert fact.in_range(-100) and fact.in_range(-1e-9) and not fact.in_range(0)
    assert not fact.in_range(math.nan)
    closed = synthetic["value_pass"]
    assert closed.in_range(4) and closed.in_range(8) and not closed.in_range(8.01)


def test_wilson_interval():
    assert wilson(0, 20)[0] == 0.0 and wilson(20, 20)[1] == 1.0
    lo, hi = wilson(10, 20)
    assert lo == pytest.approx(1 - hi) and 0.3 < lo < 0.5
    assert all(math.isnan(v) for v in wilson(0, 0))


def test_table_and_figure(scored):
    df = scored.reset_index()
    text = format_scorecard(df, width=100)
    assert all(len(line) <= 100 for line in text.splitlines())
    assert text.splitlines()[-1] == score_line(df)
    assert "FAIL" in text and "pass" in text and "no such quantity" in text
    fig = plot_scorecard(df)
    assert isinstance(fig, Figure)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert len(labels) == len(df) and "an_input (input)" in labels


# --- the facts file --------------------------------------------------------------


def test_the_shipped_facts_validate_against_the_2016_scenario():
    sc = load_scenario(S2016)
    facts = load_facts(scenario=sc)
    assert default_facts_path().name == "facts.yaml"
    ids = [f.id for f in facts]
    assert len(ids) == len(set(ids)) >= 20
    kinds = {f.kind for f in facts}
    assert kinds == {"outcome", "input", "counterfactual"}
    for f in facts:
        assert len(f.source) > 10, f"fact {f.id} names no source"
        assert f.statement and f.why and f.observed, f.id
        if f.measurable:
            assert f.lo <= f.hi, f.id
    assert {f.variant for f in facts if f.kind == "counterfactual"} == {
        "no_isis",
        "no_russian_aid",
        "us_exit",
    }


def test_the_shipped_facts_name_sources_for_every_fact():
    raw = default_facts_path().read_text(encoding="utf-8")
    facts = load_facts()
    assert raw.count("source:") == len(facts)


def fact_yaml(**changes) -> str:
    fact = {
        "id": "x",
        "kind": "outcome",
        "statement": "s",
        "source": "Test Gazette, 2016",
        "observed": "2016",
        "metric": "strength:taliban",
        "at": "2016-04-29",
        "range": "[1, 2]",
        "why": "w",
    }
    fact.update(changes)
    body = "\n".join(f"    {k}: {v}" for k, v in fact.items() if v is not None)
    return (
        "actors: [taliban, isis_k, russia]\n"
        "variants:\n  v: {set: {actors.russia.resources: 0}}\n"
        "facts:\n  - " + body.lstrip()
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"metric": "strenght:taliban"}, "did you mean 'strength'"),
        ({"metric": "strength:talban"}, "unknown actor 'talban'"),
        ({"range": "[3, 1]"}, "lo > hi"),
        ({"range": "[1, .inf]"}, "must be finite"),
        ({"range": "[1]"}, "'range' must be [lo, hi]"),
        ({"source": None}, "'source' is missing"),
        ({"kind": "outcomes"}, "'kind' must be one of"),
        ({"at": "2016-13-01"}, "month must be in 1..12"),
        ({"at": "soon"}, "must be a date"),
        ({"at": None}, "give either 'at'"),
        ({"over": "[start, end]"}, "give either 'at'"),
        (
            {
                "metric": "ever_allied:russia:taliban",
                "at": None,
                "over": "[start, end]",
                "reduce": "max",
            },
            "whole-run metric",
        ),
        ({"at": None, "over": "[start, end]", "reduce": "sum"}, "needs 'reduce'"),
        ({"holds_if": "'about 1'"}, "'holds_if' must be a comparison"),
        ({"holds_if": "'> 0'"}, "range is a share of seeds"),
        (
            {
                "kind": "counterfactual",
                "variant": "w",
                "compare": "'variant - baseline'",
            },
            "'variant' must name a variant",
        ),
        (
            {"kind": "counterfactual", "variant": "v", "compare": "difference"},
            "'compare' must be one of",
        ),
        ({"variant": "v"}, "counterfactual facts only"),
        ({"colour": "red"}, "unknown key(s) colour"),
        ({"id": "Bad-Id"}, "'id' must be a short name"),
    ],
)
def test_bad_facts_are_refused_with_the_fact_named(tmp_path, changes, message):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(**changes), encoding="utf-8")
    with pytest.raises(FactsError) as err:
        load_facts(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_dates_outside_the_scenario_are_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    path.write_text(fact_yaml(at="2019-01-01"), encoding="utf-8")
    load_facts(path)  # valid on its own
    with pytest.raises(FactsError, match="fact 'x': 2019-01-01 is outside the run"):
        load_facts(path, load_scenario(S2016))
    path.write_text(fact_yaml(at="2015-01-01"), encoding="utf-8")
    with pytest.raises(FactsError, match="outside the run"):
        load_facts(path, load_scenario(S2016))


def test_duplicate_ids_and_bad_variants_are_refused(tmp_path):
    path = tmp_path / "facts.yaml"
    one = fact_yaml()
    path.write_text(one + "\n  - " + one.split("facts:\n  - ")[1], encoding="utf-8")
    with pytest.raises(FactsError, match="fact 'x' is given twice"):
        load_facts(path)
    path.write_text(
        fact_yaml().replace("actors.russia.resources", "actors.russia.resorces"),
        encoding="utf-8",
    )
    with pytest.raises(FactsError, match="did you mean 'resources'"):
        load_facts(path)
    path.write_text("facts: [", encoding="utf-8")
    with pytest.raises(FactsError, match="YAML syntax error"):
        load_facts(path)
    with pytest.raises(FactsError, match="cannot read the facts file"):
        load_facts(tmp_path / "missing.yaml")


# --- measuring a history ---------------------------------------------------------


@pytest.fixture
def history():
    """3 actors, 11 rows: a and b allied from step 5, enemies before step 2."""
    geo = load_geography()
    dates = [dt.date(2016, 1, 1) + dt.timedelta(days=7 * t) for t in range(11)]
    h = History.empty(["a", "b", "c"], ["A", "B", "C"], list(geo.names), dates)
    h.last = 10
    kunduz, nangarhar = geo.index["Kunduz"], geo.index["Nangarhar"]
    for t in range(11):
        h.strength[t, 0, kunduz] = 10.0 * t
        h.strength[t, 0, nangarhar] = 100.0
        h.strength[t, 2, nangarhar] = 5.0
        st = ALLY if t >= 5 else ENEMY if t < 2 else 0
        h.status[t, 0, 1] = h.status[t, 1, 0] = st
        h.sigar[t] = 4
        h.sigar[t, kunduz] = 4 if t < 3 else 2
    h.flows = [
        Flow(3, "a", "b", "x", 2_000_000, 1_500_000),
        Flow(7, "a", "b", "x", 1_000_000, 1_000_000),
        Flow(7, "a", "c", "x", 4_000_000, 4_000_000),
    ]
    return h


def metric(name: str):
    return sim_metrics.parse_metric(name)


def test_history_until_is_the_history_by_then(history):
    cut = history_until(history, 3)
    assert cut.n_rows == 4 and history.n_rows == 11
    assert cut.strength is history.strength  # a view, no copy
    assert metric("ever_allied:a:b").value(cut) == 0.0
    assert metric("ever_allied:a:b").value(history_until(history, 5)) == 1.0
    assert metric("strength:a").value(cut) == pytest.approx(130.0)
    assert metric("aid_delivered_to:a:b").value(cut) == pytest.approx(1.5)
    assert metric("aid_delivered_to:a:b").value(history) == pytest.approx(2.5)
    assert history_until(history, 99).n_rows == 11


def test_a_measure_reads_at_a_step_or_reduces_a_window(history):
    at = Measure("x", (metric("strength:a"),), step=4)
    assert at.value(history) == pytest.approx(140.0)
    both = Measure("x", (metric("strength:a"), metric("strength:c")), step=4)
    assert both.value(history) == pytest.approx(145.0)
    kunduz = metric("government_side_in:Kunduz")
    assert Measure("x", (kunduz,), window=(0, 2), reduce="min").value(history) == 1
    assert Measure("x", (kunduz,), window=(0, 10), reduce="min").value(history) == 0
    change = Measure("x", (metric("strength:a"),), window=(2, 6), reduce="change")
    assert change.value(history) == pytest.approx(40.0)
    mean = Measure("x", (metric("enemies:a:b"),), window=(0, 9), reduce="mean")
    assert mean.value(history) == pytest.approx(0.2)


def test_the_new_metric_kinds(history):
    assert metric("enemies:a:b").series(history)[:3].tolist() == [1, 1, 0]
    assert metric("presence_in:a:Kunduz+Nangarhar").series(history)[:2].tolist() == [
        1,
        2,
    ]
    assert metric("presence_in:c:east").value(history) == 1
    share = metric("share_in:a:Nangarhar").series(history)
    assert share[0] == 1.0 and share[10] == pytest.approx(0.5)
    assert math.isnan(metric("share_in:b:Nangarhar").value(history))
    assert metric("government_side_in:northeast").series(history)[3] == 0.75
    assert metric("aid_delivered_to:a:c").value(history) == pytest.approx(4.0)
    assert metric("enemies:a:zz").value(history) == 0.0
    assert metric("presence_in:zz:all").value(history) == 0.0


def test_the_probe_pickles_and_reads_a_model(history):
    probe = FactProbe((Measure("s", (metric("strength:a"),), step=1),))
    again = pickle.loads(pickle.dumps(probe))

    class Fake:
        pass

    model = Fake()
    model.history = history
    assert again(model) == {"s": pytest.approx(110.0)}


# --- planning a check ----------------------------------------------------------


def test_one_sweep_runs_the_baseline_and_the_variants_on_shared_paths():
    plan = plan_check(S2016)
    assert plan.variants == [BASELINE, "no_isis", "no_russian_aid", "us_exit"]
    assert len({frozenset(p) for p in plan.points}) == 1  # same paths everywhere
    base, no_isis, no_aid, us_exit = plan.points
    assert base["actors.isis_k"]["name"] == "ISIS-Khorasan"
    assert no_isis["actors.isis_k"] is None
    assert no_aid["actors.russia.resources"] == 0 and base["actors.russia.resources"]
    assert us_exit["actors.us_nato.troops"] == 0
    # the drawdown events would bring the US back: dropped in us_exit only
    troop_events = [
        e for e in us_exit["events"] if e.get("path") == "actors.us_nato.troops"
    ]
    assert troop_events == [] and len(base["events"]) == len(us_exit["events"]) + 2
    assert set(plan.unavailable) == {
        "isis_k_recruits_taliban",
        "civilian_casualties_2016",
    }


def test_facts_naming_absent_actors_or_idle_variants_are_na():
    plan = plan_check(NO_ISIS)
    assert "no_isis" not in plan.variants
    assert "changes nothing" in plan.unavailable["cf_no_isis_russia_taliban"]
    assert "isis_k not in scenario" in plan.unavailable["isis_k_fighters_apr2016"]
    measured = {m.key for m in plan.probe.measures}
    assert "isis_k_fighters_apr2016" not in measured
    assert "taliban_fighters_2016" in measured


def test_a_facts_file_with_dates_beyond_a_short_scenario_is_refused():
    short = load_scenario(S2016, {"steps": 10})
    with pytest.raises(FactsError, match="outside the run"):
        plan_check(short)


def test_a_short_check_end_to_end(tmp_path):
    facts = tmp_path / "facts.yaml"
    facts.write_text(
        textwrap.dedent(
            """\
            actors: [russia, taliban, isis_k]
            variants:
              no_aid: {set: {actors.russia.resources: 0}}
            facts:
              - id: isis_early
                kind: outcome
                statement: s
                source: Test Gazette, 2016
                observed: 2016
                metric: strength:isis_k
                at: 2016-03-11
                range: [1000, 3000]
                why: w
              - id: cf_aid
                kind: counterfactual
                statement: s
                source: Test Gazette, 2016
                observed: 2016
                variant: no_aid
                metric: aid_delivered:russia
                at: end
                compare: variant - baseline
                range: [-1000, 0]
                open: hi
                why: w
            """
        ),
        encoding="utf-8",
    )
    from sim.experiments.scorecard import scorecard

    short = load_scenario(S2016, {"steps": 6})
    df = scorecard(short, seeds=2, workers=1, facts=facts).set_index("id")
    assert df.attrs["runs"] == 4 and df.attrs["variants"] == [BASELINE, "no_aid"]
    assert df.loc["isis_early", "status"] == "pass"
    assert df.loc["cf_aid", "model"] < 0 and df.loc["cf_aid", "status"] == "pass"
