"""The sweep directory: the spec, rows appended as runs finish, resume, reading back.

``sweep.json`` (the spec) is written first; each finished run's row is
appended to ``results.csv`` at once; at the end ``results.csv`` is rewritten
sorted by ``run_id`` (and ``results.parquet`` written when pyarrow is
installed). A sweep run again into the same directory keeps its finished
runs. Floats are written exactly (``repr``) and read back exactly.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import io
import json
import math
import os
import uuid
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.experiments.sweep.design import plain_value
from sim.experiments.sweep.errors import SweepError
from sim.experiments.sweep.lock import LOCK_FILE, DirectoryLock
from sim.experiments.sweep.plan import Plan

SPEC_FILE, RESULTS_FILE, TIMESERIES_FILE = "sweep.json", "results.csv", "timeseries.csv"
RESULTS_PARQUET, TIMESERIES_PARQUET = "results.parquet", "timeseries.parquet"
TIMESERIES_COLUMNS = ["run_id", "step", "date", "metric", "value"]
OUR_FILES = (
    SPEC_FILE,
    RESULTS_FILE,
    TIMESERIES_FILE,
    RESULTS_PARQUET,
    TIMESERIES_PARQUET,
)


def _cell(v: Any) -> str:
    """A value as CSV text: exact floats (repr), YAML-like booleans, JSON lists.

    Plain floats, strings and whole numbers (nearly every cell of a sweep's
    tables) take a short way; every other type the general one.
    """
    kind = type(v)
    if kind is float:
        return repr(v) if v == v else ""  # NaN (no value): empty
    if kind is str:
        return v
    if kind is int:
        return str(v)
    v = plain_value(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "" if math.isnan(v) else repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | dict):
        return json.dumps(v, default=str)
    return str(v)


def _temp_beside(path: Path) -> Path:
    """A temporary file name next to ``path``, unique to this process."""
    return path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")


def _atomic_write(path: Path, text: str) -> None:
    """Write a file whole or not at all (a temporary file renamed into place)."""
    tmp = _temp_beside(path)
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _csv_text(header: list[str] | None, rows: Iterable[Sequence[Any]]) -> str:
    """CSV text of ``rows`` (and a header line if given), one line per row."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if header is not None:
        writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def _complete_rows(path: Path) -> tuple[list[list[str]], bool]:
    """CSV rows of a file that may end in a half-written line; (rows, clean?)."""
    if not path.exists():
        return [], True
    text = path.read_text(encoding="utf-8")
    cut = text.rfind("\n") + 1
    rows = list(csv.reader(io.StringIO(text[:cut])))
    return rows, cut == len(text)


def _normal(obj: Any) -> Any:
    """JSON round trip, so a spec compares equal to the one read back."""
    return json.loads(json.dumps(obj, default=str))


def _append(path: Path, header: list[str], rows: Iterable[Sequence[Any]]) -> None:
    """Append rows to a CSV file, with the header if the file is new."""
    new = not path.exists()
    with open(path, "a", encoding="utf-8", newline="") as f:
        f.write(_csv_text(header if new else None, rows))


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """A Parquet copy of ``frame``; a warning, not a failure, if it cannot be."""
    tmp = _temp_beside(path)
    try:
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except Exception as err:  # noqa: BLE001 - Parquet is a convenience copy
        tmp.unlink(missing_ok=True)
        warnings.warn(
            f"{path.name} not written ({err}); the CSV has it all", stacklevel=4
        )


class Store:
    """The sweep directory: spec, rows appended as runs finish, resume.

    Only one sweep writes a directory at a time (:mod:`~.lock`); call
    :meth:`close` (or use ``with``) to let go of it.

    Attributes:
        header: the columns of ``results.csv`` found there (None if new).
        rows: the metric values of the runs already finished, by run_id.
        series: the time-series rows of those runs.
    """

    def __init__(self, out: Path, spec: dict, force: bool, plan: Plan, series: bool):
        """Open ``out`` for ``plan``: lock it, check or write the spec, read runs."""
        self.dir, self.plan = Path(out), plan
        self.fixed = list(plan.frame().columns)
        if self.dir.exists() and not self.dir.is_dir():
            raise SweepError(f"output path '{self.dir}' exists and is not a directory")
        if self.dir.is_symlink() and not self.dir.exists():
            raise SweepError(
                f"output path '{self.dir}' is a symbolic link to "
                f"'{os.readlink(self.dir)}', which does not exist; give an existing "
                "directory or a new path as the output directory"
            )
        self.dir.mkdir(parents=True, exist_ok=True)
        self.lock = DirectoryLock(self.dir)
        try:
            self._prepare(_normal(spec), force)
            self.header, self.rows = self._read_results()
            self.series = self._read_series() if series else []
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Let go of the directory's lock (another sweep may then write it)."""
        self.lock.release()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _refuse_other(self, spec: dict, force: bool) -> bool:
        """True if ``out`` holds this very sweep; raise if it holds another."""
        d, spec_path = self.dir, self.dir / SPEC_FILE
        if d.exists() and not d.is_dir():
            raise SweepError(f"output path '{d}' exists and is not a directory")
        if spec_path.exists() and not force:
            try:
                old = json.loads(spec_path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if old == spec:
                return True
            keys = sorted(k for k in set(spec) | set(old) if spec.get(k) != old.get(k))
            raise SweepError(
                f"'{d}' holds a different sweep (it differs in: {', '.join(keys)}); "
                "choose another output directory (--out), or pass --force "
                "(force=True) to discard it and start over"
            )
        others = [p for p in d.iterdir() if p.name != LOCK_FILE] if d.exists() else []
        if not spec_path.exists() and others and not force:
            raise SweepError(
                f"'{d}' is not empty and holds no {SPEC_FILE}, so it is not a sweep "
                "to resume; choose another output directory (--out), or pass --force "
                "(force=True) to write the sweep there anyway"
            )
        return False

    def _prepare(self, spec: dict, force: bool) -> None:
        """Write the spec into a new (or forced) directory; keep a matching one."""
        if self._refuse_other(spec, force):
            return
        for name in OUR_FILES if force else ():
            (self.dir / name).unlink(missing_ok=True)
        self.dir.mkdir(parents=True, exist_ok=True)
        text = json.dumps(spec, indent=2, ensure_ascii=False) + "\n"
        _atomic_write(self.dir / SPEC_FILE, text)

    def _expected_ids(self) -> dict[str, list[set[str]]]:
        """Each run's id columns as CSV text, by run_id: what its row must say.

        Either form is accepted: the row as appended when the run finished,
        or as rewritten at the end from the results table.
        """
        frame = self.plan.frame()
        expected = {}
        for run, row in zip(self.plan.runs, frame.itertuples(index=False), strict=True):
            point = self.plan.points[run.point]
            params = [point.get(p) for p in self.plan.parameters]
            appended = [run.run_id, run.point, run.replicate, *params, run.seed]
            expected[run.run_id] = [
                {_cell(a), _cell(b)} for a, b in zip(appended, row, strict=True)
            ]
        return expected

    def _foreign(self, line: int, row: list[str], want: list[set[str]] | None) -> str:
        """Why a whole row is not this sweep's ("" if it is)."""
        if want is None:
            return f"line {line} is run {row[0]!r}, which this sweep does not have"
        for col, text, ok in zip(self.fixed, row, want, strict=False):
            if text not in ok:
                return (
                    f"line {line} (run {row[0]}) has {col} = {text}, where this "
                    f"sweep has {sorted(ok)[0]}"
                )
        return ""

    def _kept_rows(self, header: list[str], rows: list[list[str]]) -> dict:
        """Metric values of the sound rows; a row of another sweep is refused.

        A torn row (too few cells) or an exact duplicate is dropped and its
        run runs again; a whole row whose ids, parameters or seed differ
        from this sweep's plan means the directory mixes two sweeps.
        """
        nf, expected = len(self.fixed), self._expected_ids()
        kept: dict[str, dict[str, float]] = {}
        for line, row in enumerate(rows[1:], start=2):
            if len(row) != len(header):
                continue  # torn: that run runs again
            why = self._foreign(line, row, expected.get(row[0]))
            if why:
                raise SweepError(
                    f"'{self.dir / RESULTS_FILE}' mixes rows of another sweep: {why}. "
                    "Its results cannot be resumed; choose another output directory "
                    "(--out), or pass --force (force=True) to start over"
                )
            if row[0] in kept:
                continue
            try:
                kept[row[0]] = {
                    c: math.nan if v == "" else float(v)
                    for c, v in zip(header[nf:], row[nf:], strict=True)
                }
            except ValueError:
                continue
        return kept

    def _read_results(self) -> tuple[list[str] | None, dict[str, dict[str, float]]]:
        """The header and finished runs of ``results.csv``, rewritten if unsound."""
        path = self.dir / RESULTS_FILE
        rows, clean = _complete_rows(path)
        if not rows:
            path.unlink(missing_ok=True)
            return None, {}
        header, nf = rows[0], len(self.fixed)
        if header[:nf] != self.fixed:
            raise SweepError(
                f"'{path}' does not match {SPEC_FILE} (columns {header[:nf]}); "
                "pass --force (force=True) to start over"
            )
        kept = self._kept_rows(header, rows)
        if not clean or len(kept) != len(rows) - 1:
            raw: dict[str, list[str]] = {}
            for row in rows[1:]:
                if row and row[0] in kept:
                    raw.setdefault(row[0], row)
            _atomic_write(path, _csv_text(header, (raw[k] for k in kept)))
        return header, kept

    def _read_series(self) -> list[tuple]:
        """The time-series rows of the finished runs, rewritten if unsound."""
        path = self.dir / TIMESERIES_FILE
        rows, clean = _complete_rows(path)
        good = []
        for row in rows[1:]:
            if len(row) == 5 and row[0] in self.rows:
                try:
                    value = math.nan if row[4] == "" else float(row[4])
                    good.append((row[0], int(row[1]), row[2], row[3], value))
                except ValueError:
                    continue
        if rows and (not clean or len(good) != len(rows) - 1):
            _atomic_write(path, _csv_text(TIMESERIES_COLUMNS, good))
        return good

    def append(self, header: list[str], rows: list[list], series: list[tuple]) -> None:
        """Append finished runs: series first, then result rows (both flushed)."""
        if series:
            _append(self.dir / TIMESERIES_FILE, TIMESERIES_COLUMNS, series)
        _append(self.dir / RESULTS_FILE, header, rows)
        self.header = header

    def finish(self, results: pd.DataFrame, series: pd.DataFrame | None) -> None:
        """Rewrite the files sorted by run_id; Parquet copies if pyarrow is there."""
        _atomic_write(
            self.dir / RESULTS_FILE,
            _csv_text(list(results.columns), results.itertuples(index=False)),
        )
        if series is not None:
            _atomic_write(
                self.dir / TIMESERIES_FILE,
                _csv_text(TIMESERIES_COLUMNS, series.itertuples(index=False)),
            )
        if importlib.util.find_spec("pyarrow") is None:
            return
        for frame, name in ((results, RESULTS_PARQUET), (series, TIMESERIES_PARQUET)):
            if frame is not None:
                _write_parquet(frame, self.dir / name)


def _read_csv(path: Path) -> pd.DataFrame:
    """Read a CSV with floats exactly as written (pandas 3 does so by default)."""
    exact = (
        {}
        if int(pd.__version__.split(".")[0]) >= 3
        else {"float_precision": "round_trip"}
    )
    return pd.read_csv(path, **exact)


def _whole_rows(path: Path) -> io.StringIO:
    """The CSV text of ``path`` without a torn last row (with a warning if one).

    A sweep stopped while appending (a full disk, a killed process) may
    leave a half-written last line; read as is, it would be a row of
    wrong values.
    """
    text = path.read_text(encoding="utf-8")
    cut = text.rfind("\n") + 1
    if cut != len(text):
        warnings.warn(
            f"{path} ends in a half-written row (the sweep stopped while writing "
            "it); that row was left out. Rerun the sweep to resume it",
            stacklevel=3,
        )
    lines = text[:cut].splitlines(keepends=True)
    width = len(next(csv.reader(lines[:1]), []))
    whole = [ln for ln in lines if len(next(csv.reader([ln]), [])) == width]
    if len(whole) != len(lines):
        warnings.warn(
            f"{path} has {len(lines) - len(whole)} row(s) with a wrong number of "
            "cells (torn by a stop while writing); they were left out. Rerun the "
            "sweep to resume them",
            stacklevel=3,
        )
    return io.StringIO("".join(whole))


def read_results(out: str | os.PathLike[str]) -> pd.DataFrame:
    """The results of a sweep directory (as written by :func:`sweep`).

    Swept values are parsed by pandas from their CSV text; metrics are exact.
    ``attrs`` holds ``parameters`` and ``metrics`` from ``sweep.json``. A
    torn row (a stop while writing) is left out with a warning.
    """
    d = Path(out)
    spec = json.loads((d / SPEC_FILE).read_text(encoding="utf-8"))
    df = _read_csv(_whole_rows(d / RESULTS_FILE))
    params = spec.get("parameters", [])
    start = list(df.columns).index("seed") + 1
    df.attrs.update(parameters=params, metrics=list(df.columns[start:]), out=str(d))
    return df


def read_timeseries(out: str | os.PathLike[str]) -> pd.DataFrame:
    """The time series of a sweep directory: run_id, step, date, metric, value."""
    return _read_csv(Path(out) / TIMESERIES_FILE)
