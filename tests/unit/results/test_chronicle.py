"""The chronicle: dates as prose writes them, the state at the start and end."""

from __future__ import annotations

import re

import pytest

from sim.core.model import GreatGame
from sim.results.chronicle import READING_GUIDE, chronicle
from sim.scenario.loader import load_scenario
from sim.text import long_date
from sim.vocabulary import SigarClass
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def told():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=8"])
    h = GreatGame(scenario, seed=2).run().history
    return h, chronicle(h, "Test run", "  A description.  ", 2)


def test_title_description_and_seed_line(told):
    h, text = told
    lines = text.splitlines()
    assert lines[:4] == ["# Chronicle: Test run", "", "A description.", ""]
    assert lines[4] == (
        f"Seed 2; {h.n_rows - 1} steps from {long_date(h.dates[0])} to "
        f"{long_date(h.dates[h.n_rows - 1])}."
    )
    assert f"## At the start ({long_date(h.dates[0])})" in lines


def test_every_event_line_carries_its_long_date(told):
    h, text = told
    dated = [ln for ln in text.splitlines() if ln.startswith("- ")]
    assert dated
    for line in dated:
        assert re.match(r"- \d{1,2} [A-Z][a-z]+ \d{4}: ", line), line
    assert {line.split(":")[0][2:] for line in dated} <= {
        long_date(e["date"]) for e in h.events
    }


def test_sigar_classes_are_counted_in_their_order(told):
    h, text = told
    line = next(ln for ln in text.splitlines() if "By SIGAR's classes" in ln)
    counts = re.findall(r"([a-z ]+) (\d+)(?:,|\.$)", line.split(": ", 1)[1])
    assert [c.strip() for c, _ in counts] == [c.label for c in SigarClass]
    assert sum(int(n) for _, n in counts) == len(h.province_names)


def test_ends_with_the_reading_guide(told):
    _, text = told
    assert text.endswith(f"## How to read this\n\n{READING_GUIDE}\n")


def test_the_chronicle_tells_incidents():
    from sim.results.chronicle import _event_line

    names = {"taliban": "Taliban", "government": "Afghan government"}
    base = {"step": 3, "date": "2016-05-21"}
    off = {"type": "offensive", "actor": "taliban", "province": "Kunduz"}
    off |= {"fighters": 1200, "local_share": 0.8, "cohesion": 0.85, "weeks": 4}
    lead = {"type": "leader_killed", "actor": "taliban", "air_exposure": 0.5}
    lead |= {"chance": 0.01, "cohesion_before": 0.85, "shock": 0.2}
    cmd = {"type": "commander_defects", "actor": "taliban", "to": "government"}
    cmd |= {"province": "Kunduz", "fighters": 90, "cohesion": 0.3, "affinity": -0.5}
    assert "Taliban launched an offensive in Kunduz (1,200 fighters, 80%" in (
        _event_line(base | off, names)
    )
    killed = _event_line(base | lead, names)
    assert "**Taliban lost a senior leader** to air strikes" in killed
    assert "chance event of the model" in killed and "50%" in killed
    assert "cohesion fell from 0.85 to 0.65" in killed
    told = _event_line(base | cmd, names)
    assert "took 90 fighters over to Afghan government" in told


def test_the_two_camps_section_tells_start_and_end_in_words(told):
    from sim.processes import balance

    h, text = told
    section = text.split("## Two camps? (structural balance)\n\n", 1)[1]
    section = section.split("\n## ", 1)[0]
    first = balance.describe(balance.measure(h.status[0]), h.actor_names)
    assert section.startswith(f"**{long_date(h.dates[0])}.** {first}")
    last = h.n_rows - 1
    end = balance.describe(balance.measure(h.status[last]), h.actor_names)
    assert f"**{long_date(h.dates[last])}" in section and end in section
    assert "triads balanced" in first


def test_balances_measure_each_distinct_status_once(told, monkeypatch):
    from sim.processes import balance
    from sim.results import chronicle as module

    h, _ = told
    expected = [balance.measure(h.status[t]) for t in range(h.n_rows)]
    calls = []
    measure = balance.measure

    def counted(status):
        calls.append(status)
        return measure(status)

    monkeypatch.setattr(balance, "measure", counted)
    assert module.balances(h) == expected
    changes = sum(
        not (h.status[t] == h.status[t - 1]).all() for t in range(1, h.n_rows)
    )
    assert len(calls) == 1 + changes
