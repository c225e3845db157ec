"""sim.experiments.sweep.lock and the store's trust: one writer, no mixed rows."""

from __future__ import annotations

import warnings

import pytest

from sim.experiments.sweep import SweepError, read_results, sweep
from tests.unit.experiments.sweep.common import GRID, METRICS, csv_rows


def test_a_second_sweep_into_the_same_directory_is_refused_while_one_runs(
    short, tmp_path
):
    out = tmp_path / "s"
    inner: list[BaseException | None] = []

    def start_another(model) -> float:
        """A metric that, on the first run, starts a different sweep into ``out``."""
        if not inner:
            try:
                sweep(short, {"actors.russia.resources": [5]}, metrics=METRICS, out=out)
                inner.append(None)
            except SweepError as err:
                inner.append(err)
        return 1.0

    sweep(short, GRID, replicates=1, metrics=[start_another], out=out)
    assert inner and isinstance(inner[0], SweepError)
    assert "another sweep" in str(inner[0]) and str(out) in str(inner[0])
    # the first sweep's files are whole and its own
    df = read_results(out)
    assert len(df) == 2 and list(df.columns[-1:]) == ["start_another"]
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # lock let go


def test_the_lock_is_let_go_when_a_sweep_fails(short, tmp_path):
    out = tmp_path / "s"

    def boom(model) -> float:
        raise ValueError("metric broke")

    with pytest.raises(Exception, match="metric broke"):
        sweep(short, GRID, metrics=[boom], out=out)
    df = sweep(short, GRID, metrics=METRICS, out=out, force=True)  # not locked out
    assert len(df) == 2


def _mixed(out, short, column: str, value: str) -> None:
    """Rewrite one cell of the second row of ``out``'s results.csv."""
    rows = csv_rows(out / "results.csv")
    rows[2][rows[0].index(column)] = value
    text = "".join(",".join(r) + "\n" for r in rows)
    (out / "results.csv").write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("column", "value"),
    [("actors.russia.resources", "12"), ("point", "0"), ("replicate", "3")],
)
def test_resume_refuses_a_row_of_another_sweep(short, tmp_path, column, value):
    out = tmp_path / "s"
    sweep(short, GRID, metrics=METRICS, out=out)
    _mixed(out, short, column, value)
    with pytest.raises(SweepError, match=f"mixes rows of another sweep.*{column}"):
        sweep(short, GRID, metrics=METRICS, out=out)


def test_resume_still_accepts_its_own_rows_as_appended_and_as_rewritten(
    short, tmp_path
):
    out = tmp_path / "s"
    grid = {"parameters.interdiction": [0.25, 0.5]}  # floats: "0.25" either way
    first = sweep(short, grid, metrics=METRICS, out=out)
    again = sweep(short, grid, metrics=METRICS, out=out)
    assert again.attrs["resumed"] == len(first)


def test_read_results_drops_and_reports_a_torn_last_row(short, tmp_path):
    out = tmp_path / "s"
    full = sweep(short, GRID, metrics=METRICS, out=out)
    text = (out / "results.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    torn = "".join(lines[:-1]) + lines[-1][: len(lines[-1]) // 2]  # a stop mid-row
    (out / "results.csv").write_text(torn, encoding="utf-8")
    with pytest.warns(UserWarning, match="half-written row"):
        back = read_results(out)
    assert back["run_id"].tolist() == full["run_id"].tolist()[:-1]
    assert not back.isna().any().any()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (out / "results.csv").write_text(text, encoding="utf-8")
        assert len(read_results(out)) == len(full)  # a whole file: no warning


def test_a_dangling_symlink_as_out_is_refused_before_any_run(short, tmp_path, no_runs):
    link = tmp_path / "s"
    link.symlink_to(tmp_path / "nowhere")
    with pytest.raises(SweepError, match="symbolic link.*does not exist"):
        sweep(short, GRID, metrics=METRICS, out=link)
    assert link.is_symlink() and not (tmp_path / "nowhere").exists()


def test_a_symlink_to_a_directory_is_followed_and_kept(short, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "s"
    link.symlink_to(real, target_is_directory=True)
    sweep(short, GRID, metrics=METRICS, out=link)
    sweep(short, GRID, metrics=METRICS, out=link, force=True)
    assert link.is_symlink() and (real / "results.csv").is_file()
