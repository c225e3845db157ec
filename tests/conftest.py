"""Shared fixtures: tiny hand-made scenarios for mechanism tests."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import numpy as np
import pytest

from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
WORLD_DATA = ROOT / "sim" / "world" / "data"


def tiny(**changes) -> dict:
    """Three insurgent-free actors on the real map: a and b both hate c."""
    base = {
        "name": "tiny",
        "start": "2016-01-01",
        "steps": 10,
        "seed": 1,
        "parameters": {"sigma": 0.0},
        "actors": {
            "a": {
                "name": "A",
                "kind": "state",
                "deploys": True,
                "interests": {"Kunduz": 1.0},
                "intent": {"c": 1.0},
                "forces": {"Kunduz": 500},
                "mobility": 0.0,
            },
            "b": {
                "name": "B",
                "kind": "state",
                "deploys": True,
                "interests": {"Kunduz": 1.0},
                "intent": {"c": 1.0},
                "forces": {"Kunduz": 500},
                "mobility": 0.0,
            },
            "c": {
                "name": "C",
                "kind": "insurgent",
                "deploys": True,
                "interests": {"Kunduz": 1.0},
                "forces": {"Kunduz": 300},
                "mobility": 0.0,
            },
        },
        "relations": [
            {"pair": ["a", "c"], "affinity": -0.8},
            {"pair": ["b", "c"], "affinity": -0.8},
            {"pair": ["a", "b"], "affinity": 0.0},
        ],
    }
    out = copy.deepcopy(base)
    for path, value in changes.items():
        node = out
        keys = path.split("__")
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = value
    return out


#: The files of a run directory without figures: the output contract.
RUN_FILES = frozenset(
    {
        "manifest.json",
        "actors.csv",
        "provinces.csv",
        "relations.csv",
        "supply.csv",
        "defections.csv",
        "balance.csv",
        "threat.csv",
        "events.jsonl",
        "chronicle.md",
    }
)


def scenario(data: dict) -> Scenario:
    return Scenario.model_validate(data)


@pytest.fixture
def world_data() -> Path:
    """The province data shipped with the package (sim/world/data)."""
    if not (WORLD_DATA / "provinces.geojson").is_file():
        pytest.skip("sim/world/data/provinces.geojson is not in this tree")
    return WORLD_DATA


@pytest.fixture
def threads_of_this_test_only(monkeypatch):
    """Hide the threads the test runner itself keeps (pytest-xdist's channel).

    A forked helper is refused while other threads run; the threads started
    by a test are still seen, so the guard itself stays tested.
    """
    import threading

    real, before = threading.enumerate, set(threading.enumerate())
    current = threading.current_thread()
    monkeypatch.setattr(
        threading,
        "enumerate",
        lambda: [t for t in real() if t not in before or t is current],
    )


def counting_forks(monkeypatch) -> list[int]:
    """Count this process's forks (the list grows by one per fork)."""
    forks, real_fork = [], os.fork

    def fork():
        pid = real_fork()
        if pid:
            forks.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    return forks


def reaped(pid: int) -> bool:
    """Whether the process ``pid`` is gone (a zombie still answers signal 0)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def scattered_forces(
    rng: np.random.Generator, n: int, provinces: int
) -> tuple[np.ndarray, np.ndarray]:
    """``(strength, hostile)``: forces in about 40 % of the cells, random enmities.

    For tests that compare the sparse engagements and kill memory with their
    dense definitions on a map where most forces meet nobody.
    """
    strength = rng.uniform(1, 500, (n, provinces)) * (rng.random((n, provinces)) < 0.4)
    hostile = rng.random((n, n)) < 0.5
    np.fill_diagonal(hostile, False)
    return strength, hostile
