"""sim.experiments.calibration.targets: which facts, and how implausible."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from sim.experiments.calibration import fact_class, implausibility, split_facts
from sim.experiments.calibration.targets import estimate
from sim.experiments.scorecard import Fact, load_facts


@dataclass(frozen=True)
class ClassedFact(Fact):
    """A fact carrying its class, as a classed facts file gives it."""

    fact_class: str = "validation"


def _fact(**kw) -> Fact:
    base = {"id": "f", "kind": "outcome", "statement": "s", "source": "s"}
    return Fact(**{**base, "observed": "o", "why": "w", "lo": 10.0, "hi": 20.0, **kw})


def test_the_cutoff_of_three_is_the_accepted_range_for_a_deterministic_value():
    fact = _fact()
    assert implausibility(fact, 15.0, 0.0) == 0.0
    assert implausibility(fact, 20.0, 0.0) == pytest.approx(3.0)
    assert implausibility(fact, 10.0, 0.0) == pytest.approx(3.0)
    assert implausibility(fact, 21.0, 0.0) > 3.0
    # seed noise widens what cannot be told apart
    assert implausibility(fact, 21.0, 4.0) < 3.0
    assert implausibility(fact, float("nan"), 0.0) == float("inf")


def test_a_share_from_few_seeds_never_claims_certainty():
    fact = _fact(lo=0.6, hi=1.0, holds_if=(">=", 1.0))
    f, var = estimate(fact, np.array([0.0]))
    assert f == 0.0 and var > 0
    f, var = estimate(fact, np.array([1.0, 1.0, 0.0, 1.0]))
    assert f == 0.75
    assert estimate(_fact(), np.array([12.0, 14.0, 16.0]))[0] == 14.0


def test_only_calibration_facts_are_fitted_and_only_validation_facts_checked():
    facts = load_facts(None)
    split = split_facts(facts)
    assert split.classed
    fitted = {f.id for f in split.calibration}
    assert fitted and all(facts[i].fact_class == "calibration" for i in fitted)
    assert all(facts[i].kind == "outcome" for i in fitted)  # baseline runs only
    assert {f.id for f in split.validation} == {
        f.id for f in facts if f.fact_class == "validation"
    }


def test_with_classes_calibration_and_validation_are_kept_apart():
    facts = load_facts(None)
    first, second, *rest = [f for f in facts if f.kind == "outcome"]
    classed = [
        ClassedFact(**{**first.__dict__, "fact_class": "calibration"}),
        ClassedFact(**{**second.__dict__, "fact_class": "validation"}),
    ]
    from dataclasses import replace

    split = split_facts(replace(facts, facts=tuple(classed)))
    assert split.classed
    assert [f.id for f in split.calibration] == [first.id]
    assert [f.id for f in split.validation] == [second.id]
    assert fact_class(classed[0]) == "calibration"


def test_no_fact_to_fit_is_refused():
    from dataclasses import replace

    facts = load_facts(None)
    only = ClassedFact(**{**next(iter(facts)).__dict__, "fact_class": "input"})
    with pytest.raises(ValueError, match="no calibration fact"):
        split_facts(replace(facts, facts=(only,)))


def test_a_value_on_a_closed_bound_is_not_ruled_out():
    import pandas as pd

    from sim.experiments.calibration.matching import plausible

    fact = _fact(lo=0.5, hi=1.0)
    on_bound = implausibility(fact, 1.0, 0.0)
    beyond = implausibility(fact, 1.01, 0.0)
    kept = plausible(pd.Series([on_bound, beyond]), 3.0)
    assert list(kept) == [True, False]
