"""Scenario texts and assertions shared by the scenario unit tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sim.scenario.loader import ScenarioError, load_scenario

BASE = """\
name: base
start: 2016-02-12
steps: 10
parameters:
  interdiction: 0.4
actors:
  government:
    name: Afghan government
    kind: government
    forces: {Kabul: 5000, Kunduz: {strength: 800, equipment: 1.2}}
  taliban:
    name: Taliban
    kind: insurgent
    recruits: {pashtun: 1.0}
    interests: {south: 1.0, Kunduz: 0.5}
    intent: {government: 0.8, isis_k: 0.5}
    forces: {Helmand: 3000, Kunduz: 600}
  isis_k:
    name: ISIS-K
    kind: insurgent
    forces: {Nangarhar: 1500}
  russia:
    name: Russia
    kind: state
    resources: 2
    staging: [tajikistan]
relations:
  - {pair: [government, taliban], affinity: -0.8}
  - {pair: [taliban, isis_k], affinity: -0.6}
events:
  - {at: 2016-05-21, do: shock, actor: taliban, cohesion: -0.2}
  - {step: 3, do: set, path: actors.isis_k.resources, value: 1}
"""


BOMB = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line of ``text`` containing ``needle``."""
    return next(i for i, t in enumerate(text.splitlines(), 1) if needle in t)


def variant(tmp_path: Path, old: str, new: str, name: str = "x.yaml") -> Path:
    """The base scenario with one snippet replaced, as a new file."""
    assert old in BASE
    return write(tmp_path, name, BASE.replace(old, new, 1))


def fail(path: Path, overrides=()) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, overrides)
    return info.value


def check(err: ScenarioError, path: Path, key: str | None, line: int | None):
    """The error names the file, the key path and the line, in its text too."""
    assert err.file == str(path)
    assert err.path == key
    assert err.line == line
    text = str(err)
    assert text.startswith(str(path))
    if line:
        assert f"line {line}" in text
    if key:
        assert f"at {key}:" in text
    assert "\n" not in text
