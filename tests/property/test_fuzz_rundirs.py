"""Fuzzed run directories: reordered rows read the same, a bad cell is caught.

A short 2016 run is written once. Hypothesis then shuffles the rows of its
tables (the history read back must be identical) or writes one drawn value
into one drawn cell: loading must raise :class:`RunDirectoryError` naming
the table, or give a history whose every array is finite and in range;
never another exception. Checksums are dropped from the manifest first, so
the content checks themselves are exercised (a plausible edited value is
the checksum's to catch).

Runs derandomized with a bounded number of examples, like the scenario
fuzzing (``GREATGAME_FUZZ_EXAMPLES`` draws more).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.cli import main as cli_main
from sim.results.rundata import load_run
from sim.results.verify import RunDirectoryError

ROOT = Path(__file__).resolve().parents[2]
S2016 = ROOT / "scenarios" / "2016.yaml"
TABLES = ("provinces.csv", "actors.csv", "relations.csv", "threat.csv", "supply.csv")
ARRAYS = (
    "strength",
    "controller",
    "government_share",
    "sigar",
    "affinity",
    "status",
    "aid_received",
    "aid_sent",
    "losses",
    "threat",
    "real_threat",
)
FUZZ = settings(
    max_examples=max(5, int(os.environ.get("GREATGAME_FUZZ_EXAMPLES", "30")) // 2),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
ODD_VALUES = st.one_of(
    st.sampled_from(["", "nan", "inf", "-inf", "-1", "1e308", "0.5", "x", "contested"]),
    st.sampled_from(["government", "taliban", "ally", "enemy", "Kabul", "-0.0", "7"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-5, 500).map(str),
)


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    """A 3-step 2016 run directory whose manifest holds no checksums."""
    out = tmp_path_factory.mktemp("fuzzrun") / "run"
    code = cli_main([str(S2016), "--out", str(out), "--steps", "3", "--no-figures",
                     "--quiet"])  # fmt: skip
    assert code == 0
    meta = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    meta.pop("checksums")
    (out / "manifest.json").write_text(json.dumps(meta), encoding="utf-8")
    return out


def _history(directory: Path):
    return load_run(directory).history


def _same(a, b) -> bool:
    if a.province_names != b.province_names or a.n_rows != b.n_rows:
        return False
    if [(f.step, f.patron, f.client, f.sent) for f in a.flows] != [
        (f.step, f.patron, f.client, f.sent) for f in b.flows
    ]:
        return False
    return all(np.array_equal(getattr(a, n), getattr(b, n)) for n in ARRAYS)


@FUZZ
@given(table=st.sampled_from(TABLES[:4]), seed=st.integers(0, 2**32 - 1))
def test_reordered_rows_read_the_same(original, table, seed):
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "run"
        shutil.copytree(original, copy)
        frame = pd.read_csv(copy / table, keep_default_na=False, dtype=str)
        order = np.random.default_rng(seed).permutation(len(frame))
        frame.iloc[order].to_csv(copy / table, index=False, lineterminator="\n")
        assert _same(_history(original), _history(copy))


@FUZZ
@given(
    table=st.sampled_from(TABLES),
    row=st.integers(0, 10**6),
    column=st.integers(0, 100),
    value=ODD_VALUES,
)
def test_a_changed_cell_is_refused_or_reads_as_a_sound_history(
    original, table, row, column, value
):
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "run"
        shutil.copytree(original, copy)
        frame = pd.read_csv(copy / table, keep_default_na=False, dtype=str)
        if frame.empty:
            return
        col = frame.columns[column % len(frame.columns)]
        frame.loc[row % len(frame), col] = value
        frame.to_csv(copy / table, index=False, lineterminator="\n")
        try:
            h = _history(copy)
        except RunDirectoryError as err:
            assert table in str(err)
            return
        assert _sound(h), (table, col, value)


def _sound(h) -> bool:
    """Every array a figure draws from is finite and within its range."""
    n = len(h.actor_keys)
    nonneg = (h.strength, h.aid_received, h.aid_sent, h.losses, h.threat)
    return (
        all(np.isfinite(a).all() and (a >= 0).all() for a in nonneg)
        and ((h.government_share >= 0) & (h.government_share <= 1)).all()
        and ((h.affinity >= -1) & (h.affinity <= 1)).all()
        and ((h.controller >= -1) & (h.controller < n)).all()
        and all(f.sent >= 0 and f.delivered >= 0 for f in h.flows)
    )
