"""The scorecard as text: the terminal table, grouped by class, with its score line.

The figure (:mod:`.plot`) uses the same order and the same wording of a
fact's model value, so table and figure read alike.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd

from .facts import short_number
from .score import score_line

GROUPS = (
    ("validation", "Validation (never used to tune: the evidence)"),
    ("calibration", "Calibration (used to tune the scenario's assumptions)"),
    ("input", "Inputs (met by the starting state the scenario sets; scored apart)"),
)


def model_text(row: Mapping[str, Any], spread: bool = True) -> str:
    """``'share 0.85 [0.74 – 0.92]'``: the statistic, tagged, and its spread.

    The tag says what kind of number it is (a share of seeds, a paired
    difference, a mean difference), so a reader never confuses them.
    """
    if row["status"] == "n/a":
        return "n/a"
    stat = str(row["statistic"])
    tag = "share " if stat.startswith("share") else "Δ " if "paired" in stat else ""
    if "paired" in stat and stat.startswith("mean"):
        tag = "mean Δ "
    text = f"{tag}{short_number(row['model'])}"
    if spread:
        text += f" [{short_number(row['p10'])} – {short_number(row['p90'])}]"
    return text


def group_of(cls: str, status: str) -> str:
    """The group a fact is shown in: its class, or ``n/a`` when not measured."""
    return "n/a" if status == "n/a" else cls


def ordered(df: pd.DataFrame) -> pd.DataFrame:
    """Validation, calibration, input facts, then the n/a ones; file order within."""
    rank = {k: i for i, (k, _) in enumerate(GROUPS)}
    key = [
        (3 if s == "n/a" else rank.get(k, 3), i)
        for i, (k, s) in enumerate(zip(df["class"], df["status"], strict=True))
    ]
    order = sorted(range(len(df)), key=lambda i: key[i])
    return df.iloc[order]


def _clipped(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _na_lines(fid: str, row: Mapping[str, Any], id_w: int, width: int) -> list[str]:
    """A not-measured fact: its id and the reason, wrapped under it."""
    note = str(row["note"]).removeprefix("not measurable: ")
    wrapped = textwrap.wrap(note, width - id_w - 1) or [""]
    return [f"{fid:<{id_w}} {wrapped[0]}"] + [
        f"{'':<{id_w}} {more}" for more in wrapped[1:]
    ]


def format_scorecard(df: pd.DataFrame, width: int = 100) -> str:
    """The scorecard as a terminal table, grouped by class, and the score line."""
    width = max(72, width)
    id_w = min(32, max(len("fact"), *(len(str(i)) for i in df["id"])))
    acc_w = max(len("accepted"), *(len(str(a)) for a in df["accepted"]))
    res_w = 6
    model_w = max(24, min(40, width - id_w - acc_w - res_w - 3))
    head = (
        f"{'fact':<{id_w}} {'model [p10 – p90]':<{model_w}} "
        f"{'accepted':<{acc_w}} {'result':<{res_w}}"
    )
    lines = [head, "-" * len(head)]
    current = None
    for _, row in ordered(df).iterrows():
        group = group_of(row["class"], row["status"])
        if group != current:
            current = group
            lines.append(dict(GROUPS).get(group, "Not measured (n/a)"))
        fid = _clipped(str(row["id"]), id_w)
        if row["status"] == "n/a":
            lines.extend(_na_lines(fid, row, id_w, width))
            continue
        result = {"pass": "pass", "fail": "FAIL"}[row["status"]]
        model = _clipped(model_text(row), model_w)
        lines.append(
            f"{fid:<{id_w}} {model:<{model_w}} {row['accepted']:<{acc_w}} {result}"
        )
    lines.append("")
    lines.append(score_line(df))
    return "\n".join(lines)
