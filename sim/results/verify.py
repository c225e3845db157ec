"""A run directory checked before it is believed: checksums, columns, keys, ranges.

``plot`` and :func:`sim.results.rundata.load_run` draw from what the
tables say, so a table that was edited, truncated or sorted must never
give a wrong figure with a clean exit. Each table is read with its
columns, types and key columns checked; every key (step and province,
step and actor, step and ordered pair) must appear exactly once for
every step from 0 to the manifest's last; labels must be ones the run
knows and numbers finite and in range. Rows are then put in key order,
so a table whose rows were reordered reads the same.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.results.tables import TABLE_FILES, file_sha256
from sim.vocabulary import CONTESTED, SigarClass, Status


class RunDirectoryError(ValueError):
    """A run directory whose manifest or tables cannot be believed."""


@dataclass(frozen=True)
class Expected:
    """What a run directory's tables must hold, from its manifest."""

    directory: Path
    actors: list[str]
    provinces: list[str] | None
    last_step: int | None
    rerun: str = "python run.py SCENARIO --force"

    def fail(self, table: str, what: str) -> RunDirectoryError:
        """The error for a table that cannot be believed, with how to remake it."""
        return RunDirectoryError(
            f"'{self.directory / table}' cannot be trusted: {what}. Its figures "
            "would be wrong, so nothing was drawn; run the scenario again to "
            f"rebuild the directory ({self.rerun})"
        )


def rerun_command(directory: Path, manifest: dict) -> str:
    """The command that writes the run again: its seed, overrides and directory."""
    sets = manifest.get("overrides")
    sets = sets if isinstance(sets, list) else []
    parts = ["python run.py SCENARIO", f"--seed {manifest.get('seed')}"]
    parts += [f"--set {s}" for s in sets if isinstance(s, str)]
    return " ".join([*parts, f"--out {directory} --force"])


def _short(value: object) -> str:
    text = str(value)
    return repr(text if len(text) <= 30 else text[:27] + "...")


def check_checksums(directory: Path, manifest: dict) -> None:
    """Raise if a table's sha256 differs from the one the manifest recorded.

    Runs written before manifests held checksums are not checked.
    """
    sums = manifest.get("checksums")
    if not isinstance(sums, dict):
        return
    for name in TABLE_FILES:
        if name not in sums:
            continue
        path = Path(directory) / name
        if not path.is_file():
            raise RunDirectoryError(f"'{path}' is missing (the manifest lists it)")
        if file_sha256(path) != sums[name]:
            raise RunDirectoryError(
                f"'{path}' was changed after the run wrote it (its sha256 differs "
                "from the one in manifest.json), so its figures cannot be trusted. "
                "Run the scenario again to rebuild the directory "
                f"({rerun_command(directory, manifest)}), or pass --ignore-checksums "
                "to draw from the edited tables (they are still checked for "
                "completeness and ranges)"
            )


def read_table(exp: Expected, name: str, text: tuple, numbers: tuple) -> pd.DataFrame:
    """``name`` read with its ``text`` and ``numbers`` columns checked.

    Numbers must be numeric and finite (``step`` a whole number from 0 to
    the last step); a missing column or file is an error naming it.
    """
    path = exp.directory / name
    try:
        frame = pd.read_csv(path, keep_default_na=False, dtype={c: str for c in text})
    except FileNotFoundError:
        raise exp.fail(name, "the file is missing") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise exp.fail(name, f"it is not a readable CSV table ({err})") from None
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # the file's line numbers
    missing = [c for c in (*text, *numbers) if c not in frame.columns]
    if missing:
        raise exp.fail(name, f"it has no column {', '.join(missing)}")
    for col in numbers:
        _check_numbers(exp, name, frame, col)
    _check_steps(exp, name, frame)
    return frame


def _check_numbers(exp: Expected, name: str, frame: pd.DataFrame, col: str) -> None:
    """Raise unless every value of ``col`` is a finite number."""
    values = pd.to_numeric(frame[col], errors="coerce")
    bad = ~np.isfinite(values.to_numpy(dtype=float))
    if bad.any():
        i = int(bad.argmax())
        line = frame.index[i]
        raise exp.fail(
            name,
            f"line {line}, column '{col}': {_short(frame[col].iloc[i])} is not a "
            "finite number",
        )
    frame[col] = values


def _check_steps(exp: Expected, name: str, frame: pd.DataFrame) -> None:
    """Raise unless ``step`` holds whole numbers from 0 to the last step."""
    if "step" not in frame or frame.empty:
        return
    steps = frame["step"]
    whole = steps == steps.round()
    last = exp.last_step if exp.last_step is not None else steps.max()
    bad = ~whole | (steps < 0) | (steps > last)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        line = frame.index[i]
        raise exp.fail(
            name,
            f"line {line}: step {_short(steps.iloc[i])} is not a whole number "
            f"from 0 to {int(last)}",
        )
    frame["step"] = steps.astype("int64")


def check_labels(
    exp: Expected, name: str, frame: pd.DataFrame, col: str, known
) -> None:
    """Raise unless every value of ``col`` is one of ``known``."""
    known = list(known)
    bad = ~frame[col].isin(known)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        line = frame.index[i]
        raise exp.fail(
            name,
            f"line {line}, column '{col}': {_short(frame[col].iloc[i])} is not "
            f"one of {', '.join(map(str, known[:8]))}"
            + (" ..." if len(known) > 8 else ""),
        )


def check_range(
    exp: Expected, name: str, frame: pd.DataFrame, col: str, lo: float, hi=None
) -> None:
    """Raise unless every value of ``col`` lies in ``[lo, hi]``."""
    values = frame[col]
    bad = (values < lo) | (values > hi if hi is not None else False)
    if bad.any():
        i = int(bad.to_numpy().argmax())
        line = frame.index[i]
        span = f"from {lo:g} to {hi:g}" if hi is not None else f"{lo:g} or more"
        raise exp.fail(
            name,
            f"line {line}, column '{col}': {values.iloc[i]} is not {span}",
        )


def check_complete(
    exp: Expected, name: str, frame: pd.DataFrame, keys: list[str], per_step: int
) -> pd.DataFrame:
    """``frame`` sorted by ``keys``; raise unless each key is there exactly once.

    Every step from 0 to the last must have ``per_step`` rows, so a table
    with a step, a province or an actor dropped (or doubled) is refused.
    """
    dup = frame.duplicated(keys)
    if dup.any():
        i = int(dup.to_numpy().argmax())
        line = frame.index[i]
        where = ", ".join(f"{k} {frame[k].iloc[i]}" for k in keys)
        raise exp.fail(name, f"line {line}: {where} appears twice")
    last = exp.last_step if exp.last_step is not None else int(frame["step"].max())
    counts = frame["step"].value_counts()
    for t in range(last + 1):
        if counts.get(t, 0) != per_step:
            raise exp.fail(
                name, f"step {t} has {counts.get(t, 0)} rows, {per_step} expected"
            )
    return frame.sort_values(keys, kind="stable")


def province_order(exp: Expected, frame: pd.DataFrame) -> list[str]:
    """The provinces in the run's order (the manifest's, else as first read)."""
    found = list(dict.fromkeys(frame["province"]))
    if exp.provinces is None:
        return found
    unknown = ~frame["province"].isin(exp.provinces)
    if unknown.any():
        i = int(unknown.to_numpy().argmax())
        line = frame.index[i]
        raise exp.fail(
            "provinces.csv",
            f"line {line}: province {_short(frame['province'].iloc[i])} "
            "is not one of the run's provinces",
        )
    return list(exp.provinces)


def read_provinces(exp: Expected) -> tuple[pd.DataFrame, list[str]]:
    """provinces.csv checked and in (step, province) order; and the province order."""
    name = "provinces.csv"
    frame = read_table(
        exp,
        name,
        ("province", "controller", "sigar_class"),
        ("step", "government_share", *exp.actors),
    )
    order = province_order(exp, frame)
    check_labels(exp, name, frame, "controller", [*exp.actors, CONTESTED])
    check_labels(exp, name, frame, "sigar_class", [c.label for c in SigarClass])
    check_range(exp, name, frame, "government_share", 0.0, 1.0)
    for actor in exp.actors:
        check_range(exp, name, frame, actor, 0.0)
    rank = {p: i for i, p in enumerate(order)}
    frame["_rank"] = frame["province"].map(rank)
    frame = check_complete(exp, name, frame, ["step", "_rank"], len(order))
    return frame.drop(columns="_rank"), order


def read_actors(exp: Expected, columns: tuple[str, ...]) -> pd.DataFrame:
    """actors.csv checked and in (step, actor) order; ``columns`` non-negative."""
    name = "actors.csv"
    frame = read_table(exp, name, ("actor",), ("step",))
    present = tuple(c for c in columns if c in frame.columns)
    for col in present:
        _check_numbers(exp, name, frame, col)
    check_labels(exp, name, frame, "actor", exp.actors)
    for col in present:
        check_range(exp, name, frame, col, 0.0)
    rank = {a: i for i, a in enumerate(exp.actors)}
    frame["_rank"] = frame["actor"].map(rank)
    frame = check_complete(exp, name, frame, ["step", "_rank"], len(exp.actors))
    return frame.drop(columns="_rank")


def read_pairs(
    exp: Expected, name: str, pair: tuple[str, str], numbers: tuple, lo: float
) -> pd.DataFrame:
    """A table of ordered pairs of actors (relations, threat), checked."""
    frame = read_table(exp, name, pair, ("step", *numbers))
    for col in pair:
        check_labels(exp, name, frame, col, exp.actors)
    same = frame[pair[0]] == frame[pair[1]]
    if same.any():
        i = int(same.to_numpy().argmax())
        line = frame.index[i]
        raise exp.fail(name, f"line {line}: an actor paired with itself")
    for col in numbers:
        check_range(exp, name, frame, col, lo, 1.0 if lo < 0 else None)
    n = len(exp.actors)
    return check_complete(exp, name, frame, ["step", *pair], n * (n - 1))


def read_relations(exp: Expected) -> pd.DataFrame:
    """relations.csv checked: known actors and statuses, affinities in [-1, 1]."""
    frame = read_pairs(
        exp, "relations.csv", ("actor_a", "actor_b"), ("affinity",), -1.0
    )
    frame["status"] = frame["status"].astype(str)
    check_labels(exp, "relations.csv", frame, "status", [s.label for s in Status])
    return frame


def read_supply(exp: Expected) -> pd.DataFrame:
    """supply.csv checked: known patrons and clients, amounts 0 or more."""
    name = "supply.csv"
    frame = read_table(
        exp, name, ("patron", "client", "route", "sent", "delivered"), ("step",)
    )
    for col in ("patron", "client"):
        check_labels(exp, name, frame, col, exp.actors)
    for col in ("sent", "delivered"):
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = ~(values >= 0) | values.isin([math.inf])
        if bad.any():
            i = int(bad.to_numpy().argmax())
            line = frame.index[i]
            raise exp.fail(
                name,
                f"line {line}, column '{col}': {_short(frame[col].iloc[i])} is "
                "not an amount of 0 or more",
            )
    return frame


def read_events(exp: Expected) -> list[dict]:
    """events.jsonl checked: one JSON object a line with a step and a type."""
    name, events = "events.jsonl", []
    try:
        text = (exp.directory / name).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise exp.fail(name, "the file is missing") from None
    except UnicodeDecodeError:
        raise exp.fail(name, "it is not UTF-8 text") from None
    last = exp.last_step
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except ValueError:
            raise exp.fail(name, f"line {n} is not a JSON object") from None
        step = event.get("step") if isinstance(event, dict) else None
        if not isinstance(step, int) or isinstance(step, bool) or step < 0:
            raise exp.fail(name, f"line {n} has no step of 0 or more")
        if (last is not None and step > last) or not isinstance(event.get("type"), str):
            raise exp.fail(name, f"line {n}: step {step} or its type is out of place")
        events.append(event)
    return events
