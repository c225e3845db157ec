"""A run's tables as typed pandas DataFrames, for analysis in memory.

The tables are those of :mod:`sim.results.tables` (the same rows, columns
and rounding as the CSV files of a run directory) with the types a pandas
user expects: numbers as int64 or float64, dates as ``datetime64``, and
actors, provinces, statuses, controllers, SIGAR classes and routes as
categories in the run's own order. Aid amounts, written to ``supply.csv``
as exact six-decimal text, are float64 here, so ``.sum()`` adds them.
"""

from __future__ import annotations

import pandas as pd

from sim.core.history import History
from sim.results import tables
from sim.vocabulary import CONTESTED, SigarClass, Status

AMOUNTS = ("sent", "delivered", "interdicted")


def _category(values, categories, ordered: bool = False) -> pd.Categorical:
    return pd.Categorical(values, categories=list(categories), ordered=ordered)


def _dates(frame: pd.DataFrame) -> pd.DataFrame:
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"], format="ISO8601")
    return frame


def actors_frame(h: History) -> pd.DataFrame:
    """One row per step and actor: strength, provinces held, aid, losses."""
    frame = tables.actors_table(h)
    frame["actor"] = _category(frame["actor"], h.actor_keys)
    return _dates(frame)


def provinces_frame(h: History) -> pd.DataFrame:
    """One row per step and province: controller, SIGAR class, strength by actor."""
    frame = tables.provinces_table(h)
    frame["province"] = _category(frame["province"], h.province_names)
    frame["controller"] = _category(frame["controller"], [*h.actor_keys, CONTESTED])
    sigar = [c.label for c in SigarClass]
    frame["sigar_class"] = _category(frame["sigar_class"], sigar, ordered=True)
    return _dates(frame)


def relations_frame(h: History) -> pd.DataFrame:
    """One row per step and ordered pair: affinity and status."""
    frame = tables.relations_table(h)
    for col in ("actor_a", "actor_b"):
        frame[col] = _category(frame[col], h.actor_keys)
    statuses = [s.label for s in sorted(Status)]
    frame["status"] = _category(frame["status"], statuses, ordered=True)
    return _dates(frame)


def supply_frame(h: History) -> pd.DataFrame:
    """One row per aid flow, amounts as float64 (sent = delivered + interdicted)."""
    frame = tables.supply_table(h)
    for col in AMOUNTS:
        frame[col] = pd.to_numeric(frame[col]).astype("float64")
    frame["step"] = frame["step"].astype("int64")
    for col in ("patron", "client"):
        frame[col] = _category(frame[col], h.actor_keys)
    frame["route"] = frame["route"].astype("category")
    return _dates(frame)


def events_frame(h: History) -> pd.DataFrame:
    """The event log, one row per event; fields an event lacks are missing."""
    frame = pd.DataFrame(
        h.events, columns=None if h.events else ["step", "date", "type"]
    )
    frame["step"] = frame["step"].astype("int64")
    frame["type"] = frame["type"].astype("category")
    return _dates(frame)


def threat_frame(h: History) -> pd.DataFrame:
    """One row per step and ordered pair: believed and armed presence, both threats."""
    frame = tables.threat_table(h)
    for col in ("observer", "actor"):
        frame[col] = _category(frame[col], h.actor_keys)
    return _dates(frame)
