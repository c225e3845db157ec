"""The run's tables, and a run directory that appears whole or not at all."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from sim.core.model import GreatGame
from sim.results import tables
from sim.results.chronicle import chronicle
from sim.results.rundir import NotOurDirectory, atomic_directory
from sim.scenario.loader import load_scenario, resolved_dict
from sim.vocabulary import CONTESTED, SigarClass, Status
from tests.conftest import ROOT, RUN_FILES

NOW = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def run():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=3"])
    h = GreatGame(scenario, seed=4).run().history
    meta = tables.manifest(resolved_dict(scenario), 4, 3, NOW, NOW, [])
    return h, meta, chronicle(h, "t", "", 4)


def test_tables_use_the_shared_words(run):
    h, _, _ = run
    provinces = tables.provinces_table(h)
    assert set(provinces.sigar_class) <= {c.label for c in SigarClass}
    assert set(provinces.controller) <= {*h.actor_keys, CONTESTED}
    relations = tables.relations_table(h)
    assert set(relations.status) <= {s.label for s in Status}
    assert len(relations) == h.n_rows * len(h.actor_keys) * (len(h.actor_keys) - 1)


def test_the_balance_table_has_a_row_per_step_with_consistent_counts(run):
    h, _, _ = run
    table = tables.balance_table(h)
    assert list(table.columns) == [
        "step",
        "date",
        "signed_edges",
        "triads",
        "balanced_triads",
        "balanced_share",
        "frustration",
        "camps",
    ]
    assert list(table.step) == list(range(h.n_rows))
    assert (table.balanced_triads <= table.triads).all()
    assert (table.frustration <= table.signed_edges).all()
    expect = (table.balanced_triads / table.triads).round(3)
    has = table.triads > 0
    assert (table.balanced_share[has] == expect[has]).all()
    assert table.camps.str.count(r"\|").eq(1).all()
    for camp in table.camps.iloc[0].replace("|", " ").split():
        assert camp in h.actor_keys


def test_the_tabled_history_holds_what_its_tables_hold_and_leaves_the_run_alone(
    run, tmp_path
):
    from sim.results.rundata import load_run

    h, meta, text = run
    before = h.affinity.copy(), h.strength.copy(), h.government_share.copy()
    tabled = tables.as_tabled(h)
    back = load_run(tables.write_run(tmp_path / "r", h, meta, text)).history
    n = h.n_rows
    for name in ("affinity", "strength", "government_share"):
        assert getattr(tabled, name)[:n].tobytes() == getattr(back, name)[:n].tobytes()
    assert tables.relations_table(tabled).equals(tables.relations_table(h))
    assert tables.provinces_table(tabled).equals(tables.provinces_table(h))
    after = h.affinity, h.strength, h.government_share
    assert all(x.tobytes() == y.tobytes() for x, y in zip(before, after, strict=True))


def test_write_run_writes_the_contract_files(run, tmp_path):
    h, meta, text = run
    out = tables.write_run(tmp_path / "r", h, meta, text)
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert (out / "chronicle.md").read_text(encoding="utf-8") == text
    csv = tables.actors_table(h).to_csv(index=False, lineterminator="\n")
    assert (out / "actors.csv").read_text(encoding="utf-8") == csv
    assert [p.name for p in tmp_path.iterdir()] == ["r"]  # nothing left beside it


def test_an_existing_run_is_replaced_only_with_force(run, tmp_path):
    h, meta, text = run
    out = tmp_path / "r"
    out.mkdir()
    (out / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        tables.write_run(out, h, meta, text)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    with pytest.raises(NotOurDirectory, match="keep.txt"):  # not a run: kept
        tables.write_run(out, h, meta, text, force=True)
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    (out / "keep.txt").unlink()
    tables.write_run(out, h, meta, text)
    tables.write_run(out, h, meta, "again", force=True)  # a run of ours: replaced
    assert {p.name for p in out.iterdir()} == RUN_FILES
    assert (out / "chronicle.md").read_text(encoding="utf-8") == "again"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_a_failing_extra_leaves_the_old_run_untouched(run, tmp_path):
    h, meta, text = run
    out = tables.write_run(tmp_path / "r", h, meta, text)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(tmp):
        (tmp / "half.png").write_bytes(b"x")
        raise RuntimeError("drawing failed")

    with pytest.raises(RuntimeError):
        tables.write_run(out, h, meta, "other", force=True, extras=boom)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]


def test_the_tables_written_are_looked_up_when_writing(run, tmp_path, monkeypatch):
    h, meta, text = run

    def broken(_):
        raise OSError("disk full")

    monkeypatch.setattr(tables, "supply_table", broken)
    with pytest.raises(OSError, match="disk full"):
        tables.write_run(tmp_path / "r", h, meta, text)
    assert not any(tmp_path.iterdir())


def test_an_atomic_directory_is_shared_like_any_new_folder(tmp_path):
    mask = os.umask(0o022)
    try:
        with atomic_directory(tmp_path / "d") as tmp:
            (tmp / "f").write_text("x", encoding="utf-8")
    finally:
        os.umask(mask)
    assert (tmp_path / "d" / "f").read_text(encoding="utf-8") == "x"
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755


def test_an_atomic_directory_never_replaces_a_file(tmp_path):
    target = tmp_path / "d"
    target.write_text("a file", encoding="utf-8")
    with pytest.raises(FileExistsError), atomic_directory(target, force=True):
        pass
    assert target.read_text(encoding="utf-8") == "a file"
    assert [p.name for p in tmp_path.iterdir()] == ["d"]


def test_defections_table_tells_who_went_where_and_home():
    scenario = load_scenario(ROOT / "scenarios" / "2016.yaml", ["steps=20"])
    h = GreatGame(scenario, seed=1).run().history
    table = tables.defections_table(h)
    assert list(table.columns) == ["step", "date", "from", "to", "fighters"]
    assert (table["fighters"] > 0).all()
    home = table[table["to"] == "home"]
    joined = table[table["to"] != "home"]
    assert len(home) and len(joined)
    for i, key in enumerate(h.actor_keys):
        gone = joined.loc[joined["from"] == key, "fighters"].sum()
        assert gone == pytest.approx(
            h.defections_out[:, i].sum(), abs=0.1 * len(h.dates)
        )
        went = home.loc[home["from"] == key, "fighters"].sum()
        assert went == pytest.approx(h.went_home[:, i].sum(), abs=0.1 * len(h.dates))


def test_table_values_are_rounded_as_python_rounds_not_as_numpy():
    import numpy as np

    from sim.results.tables import _rounded

    values = np.array([[0.0025, 0.0055], [0.0075, 1.25]])
    assert np.round(values, 3).ravel().tolist() != [0.003, 0.005, 0.007, 1.25]
    assert _rounded(values, 3) == [0.003, 0.005, 0.007, 1.25]
