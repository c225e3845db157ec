"""Running a check (sim.experiments.scorecard.check): plan, sweep and score.

A short 2016 run with a two-fact file checks the whole pipeline end to end;
the full 2016 scorecard is an integration test.
"""

from __future__ import annotations

import textwrap

from sim.experiments.scorecard import BASELINE, scorecard
from sim.scenario.catalog import find_scenario
from sim.scenario.loader import load_scenario

S2016 = find_scenario("2016")


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
                class: validation
                statement: s
                source: Test Gazette, 2016
                observed: 2016
                metric: strength:isis_k
                at: 2016-03-11
                range: [1000, 3000]
                why: w
              - id: cf_aid
                kind: counterfactual
                class: validation
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
    short = load_scenario(S2016, {"steps": 6})
    df = scorecard(short, seeds=2, workers=1, facts=facts).set_index("id")
    assert df.attrs["runs"] == 4 and df.attrs["variants"] == [BASELINE, "no_aid"]
    assert df.loc["isis_early", "status"] == "pass"
    assert df.loc["cf_aid", "model"] < 0 and df.loc["cf_aid", "status"] == "pass"
