"""Options shared by the subcommands: scenario names, output folders, counts."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from sim.cli.errors import UsageError
from sim.cli.options import check_whole_numbers, default_out, scenario_file, slug
from sim.scenario.catalog import shipped_dir
from sim.scenario.loader import ScenarioError


def test_a_path_is_kept_as_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mine.yaml").write_text("name: x\n", encoding="utf-8")
    assert scenario_file("./mine.yaml") == "./mine.yaml"
    assert scenario_file("missing/other.yaml") == "missing/other.yaml"


def test_a_local_file_wins_over_a_shipped_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2016").write_text("name: local\n", encoding="utf-8")
    assert scenario_file("2016") == "2016"


def test_a_bare_name_is_the_shipped_scenario(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert Path(scenario_file("2016")) == shipped_dir() / "2016.yaml"


def test_an_unknown_bare_name_is_a_scenario_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as exc:
        scenario_file("taliban_unitd")
    assert "did you mean 'taliban_united'" in str(exc.value)
    assert str(exc.value).startswith("taliban_unitd")


def test_default_out_is_under_runs():
    assert default_out("afghanistan-2016", "seed-3") == Path(
        "runs/afghanistan-2016/seed-3"
    )
    escaped = default_out("../x", "check")
    assert len(escaped.parts) == 3 and escaped.parts[0] == "runs"
    assert escaped.parts[1] not in (".", "..")


@pytest.mark.parametrize("text", ["", ".", "..", "///"])
def test_slug_never_points_at_runs_itself(text):
    assert slug(text) == "scenario"


@pytest.mark.parametrize(
    ("values", "flag"),
    [
        ({"workers": 0, "seed": 0}, "--workers"),
        ({"workers": 2, "seed": -1}, "--seed"),
    ],
)
def test_counts_below_one_and_negative_seeds_are_refused(values, flag):
    with pytest.raises(UsageError, match=flag):
        check_whole_numbers(argparse.Namespace(**values), ("workers",))


def test_absent_counts_are_allowed():
    check_whole_numbers(argparse.Namespace(samples=None, seed=0), ("samples",))


def test_a_count_is_named_by_its_flag_not_its_destination():
    args = argparse.Namespace(seeds_per_sample=0, seed=0)
    with pytest.raises(UsageError, match="^--seeds-per-sample must be a whole"):
        check_whole_numbers(args, ("seeds_per_sample",))
