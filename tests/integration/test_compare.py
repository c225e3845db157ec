"""``greatgame compare A B``: the paired report of two scenarios, same seeds."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sim.cli import main

ROOT = Path(__file__).resolve().parents[2]
S2016 = str(ROOT / "scenarios" / "2016.yaml")
WITHDRAWAL = str(ROOT / "scenarios" / "us_withdrawal_2016.yaml")
TABLES = {
    "compare_provinces.csv",
    "compare_fighters.csv",
    "compare_relations.csv",
    "compare_relation_changes.csv",
}
REPORT = {"compare.md", "compare.html", "manifest.json"}


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def withdrawal(tmp_path_factory) -> Path:
    """2016 against the US withdrawal of 6 July 2016, 30 weeks, no figures."""
    out = tmp_path_factory.mktemp("cmp") / "out"
    code = main(
        ["compare", S2016, WITHDRAWAL, "--set", "steps=30", "--out", str(out),
         "--no-figures", "--quiet"]
    )  # fmt: skip
    assert code == 0
    return out


def test_compare_writes_the_report_and_the_paired_tables(withdrawal):
    assert {p.name for p in withdrawal.iterdir()} == TABLES | REPORT
    fighters = rows(withdrawal / "compare_fighters.csv")
    assert len(fighters) == 31 * 7  # weeks 0..30, seven actors
    us_end = [r for r in fighters if r["actor"] == "us_nato" and r["step"] == "30"]
    assert us_end[0]["fighters_B"] == "0"  # B withdrew every soldier
    assert int(us_end[0]["difference"]) == -int(us_end[0]["fighters_A"]) < 0
    provinces = rows(withdrawal / "compare_provinces.csv")
    assert len(provinces) == 31 * 34
    assert {r["seed"] for r in provinces} == {"2016"}  # A's seed by default


def test_before_the_withdrawal_the_two_runs_are_the_same(withdrawal):
    """Common random numbers: until B's first event the runs cannot differ."""
    fighters = rows(withdrawal / "compare_fighters.csv")
    early = [
        r for r in fighters if int(r["step"]) <= 20
    ]  # 6 July 2016 falls in week 20; B acts from then
    assert early and all(r["difference"] == "0" for r in early)
    late = [r for r in fighters if int(r["step"]) >= 22]
    assert any(r["difference"] != "0" for r in late)


def test_report_says_what_a_and_b_are_and_that_it_is_no_forecast(withdrawal):
    text = (withdrawal / "compare.md").read_text(encoding="utf-8")
    assert "US withdrawal" in text and "(A)" in text and "(B)" in text
    assert "teaching model, not a forecast" in text
    assert "| US/NATO |" in text
    page = (withdrawal / "compare.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "http" not in page.split("<body>")[0]


def test_a_scenario_against_itself_differs_nowhere(tmp_path):
    out = tmp_path / "same"
    code = main(
        ["compare", "2016", S2016, "--set", "steps=8", "--seeds", "2",
         "--out", str(out), "--no-figures", "--quiet"]
    )  # fmt: skip
    assert code == 0
    provinces = rows(out / "compare_provinces.csv")
    assert {r["seed"] for r in provinces} == {"2016", "2017"}
    assert all(r["differs"] == "False" for r in provinces)
    assert all(r["differs"] == "False" for r in rows(out / "compare_relations.csv"))
    text = (out / "compare.md").read_text(encoding="utf-8")
    assert "| Afghan government |" in text and "| 0 / 2 / 0 |" in text
    assert "every province has the same holder at the end" in text
    assert rows(out / "compare_relation_changes.csv") == [] or all(
        r["weeks_later_in_B"] == "0" for r in rows(out / "compare_relation_changes.csv")
    )


def test_figures_are_drawn_and_embedded(tmp_path):
    out = tmp_path / "fig"
    code = main(
        ["compare", "2016", "no_isis", "--set", "steps=3", "--out", str(out),
         "--quiet"]
    )  # fmt: skip
    assert code == 0
    assert (out / "compare_map.png").stat().st_size > 10_000
    assert (out / "compare_alliances.png").stat().st_size > 10_000
    page = (out / "compare.html").read_text(encoding="utf-8")
    assert page.count('src="data:image/png;base64,') == 2


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["2061", S2016], ["2061", "did you mean", "2016"]),
        ([S2016, S2016, "--seeds", "0"], ["--seeds", "≥ 1"]),
        ([S2016, S2016, "--set", "stpes=3"], ["stpes", "steps"]),
        ([S2016, S2016, "--seeds", "5000"], ["5000", "sweep"]),
    ],
)
def test_bad_input_exits_2_with_one_paragraph(argv, words, tmp_path, capsys):
    code = main(["compare", *argv, "--out", str(tmp_path / "x"), "--no-figures"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("error: ") and "Traceback" not in err
    for word in words:
        assert word in err
    assert not (tmp_path / "x").exists()


def test_scenarios_of_other_lengths_are_refused(tmp_path, capsys):
    short = tmp_path / "short.yaml"
    short.write_text(f"extends: {S2016}\nsteps: 5\n", encoding="utf-8")
    code = main(["compare", S2016, str(short), "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert code == 2 and "same weeks" in err and "short.yaml" in err


def test_an_existing_report_is_kept_without_force(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep me", encoding="utf-8")
    argv = ["compare", "2016", "2016", "--set", "steps=2", "--out", str(out),
            "--no-figures", "--quiet"]  # fmt: skip
    assert main(argv) == 2
    assert "--force" in capsys.readouterr().err
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"
    assert main([*argv, "--force"]) == 2  # --force never removes others' files
    assert "mine.txt" in capsys.readouterr().err
    assert (out / "mine.txt").read_text(encoding="utf-8") == "keep me"


def test_force_replaces_a_report_of_ours(tmp_path):
    out = tmp_path / "out"
    argv = ["compare", "2016", "2016", "--set", "steps=2", "--out", str(out),
            "--no-figures", "--quiet"]  # fmt: skip
    assert main(argv) == 0
    (out / "compare.md").write_text("stale", encoding="utf-8")
    assert main([*argv, "--force"]) == 0
    assert (out / "compare.md").read_text(encoding="utf-8") != "stale"


def test_the_same_seed_gives_byte_identical_reports(tmp_path, capsys):
    made = []
    for k in range(2):
        out = tmp_path / f"r{k}"
        argv = ["compare", "2016", "no_isis", "--set", "steps=3", "--seeds", "2",
                "--out", str(out), "--no-figures"]  # fmt: skip
        assert main(argv) == 0
        made.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert made[0] == made[1]
    said = capsys.readouterr().out
    assert "Provinces of 34 with another holder at the end, seed 2016, 2017:" in said
