"""Priors of a scenario (sim.experiments.uncertainty.priors)."""

from __future__ import annotations

import dataclasses
import re

import pytest

from sim.experiments.uncertainty import Prior, priors_of
from sim.scenario.loader import load_scenario, resolved_dict
from tests.conftest import ROOT

S2016 = ROOT / "scenarios" / "2016.yaml"


def test_the_2016_priors_come_in_file_order_with_reasons():
    priors = priors_of(S2016)
    assert 12 <= len(priors) <= 35
    text = S2016.read_text(encoding="utf-8")
    block = text[text.index("\nuncertainty:") :]
    in_file = re.findall(r"^  ([\w.\[\]]+): \{range", block, flags=re.M)
    assert [p.path for p in priors] == in_file
    assert all(len(p.reason) > 30 for p in priors)
    assert all(p.low < p.high and p.scale in ("linear", "log") for p in priors)


def test_the_2016_priors_cover_the_headline_assumptions():
    paths = {p.path for p in priors_of(S2016)}
    assert {
        "parameters.lambda",
        "parameters.presence_scale",
        "parameters.belief_rate",
        "parameters.perceived_fight",
        "parameters.beta",
        "parameters.ally_threshold",
        "actors.government.effectiveness",
        "parameters.home_share",
        "parameters.move_share",
    } <= paths
    assert any(p.startswith("relations[") for p in paths)  # an initial affinity


def test_priors_of_takes_a_path_a_name_a_scenario_or_a_dict():
    sc = load_scenario(S2016)
    by_path = priors_of(str(S2016))
    assert priors_of("2016") == by_path
    assert priors_of(sc) == by_path
    assert priors_of(resolved_dict(sc)) == by_path
    data = resolved_dict(sc)
    data["uncertainty"] = {}
    assert priors_of(data) == []


def test_a_prior_is_a_frozen_record():
    prior = Prior("parameters.lambda", 0.005, 0.02, "why")
    assert prior.scale == "linear"
    with pytest.raises(dataclasses.FrozenInstanceError):
        prior.low = 0.0
