"""What to call each actor on a given date, in the chronicle and the report.

The tables keep an actor's scenario ``name``; the words a reader sees may
follow its leaders. An actor given a ``leader`` in the scenario is called
by its name and its leader ("Taliban (Mansour)"), and an event's ``leader``
names the successor from the event's date ("Taliban (Haibatullah)"). A
bracketed qualifier of the name is replaced, so the scenario name "Taliban
(main)" reads "Taliban (Mansour)". A span of the run that had several leaders
is told with all of them ("Taliban (Mansour, then Haibatullah)").

The actor's ``kind`` also decides the article: "the Afghan government"
mid-sentence, but "Russia" and "US/NATO" bare.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sim.core.history import History

__all__ = ["ActorNames", "with_leader"]

_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


def with_leader(name: str, leader: str) -> str:
    """``name`` called after ``leader``: a trailing ``(qualifier)`` is replaced."""
    return f"{_QUALIFIER.sub('', name)} ({leader})"


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _successions(
    scenario: dict, keys: list[str], dates: list[dt.date]
) -> dict[str, list[tuple[dt.date, str]]]:
    """Actor key → [(from date, leader)], the start's leader first, in date order."""
    out: dict[str, list[tuple[dt.date, str]]] = {}
    actors = scenario.get("actors") or {}
    for key in keys:
        leader = (actors.get(key) or {}).get("leader")
        if leader:
            out[key] = [(dt.date.min, leader)]
    for ev in scenario.get("events") or []:
        if not ev.get("leader") or ev.get("actor") not in keys:
            continue
        if ev.get("at") is not None:
            when = _date(ev["at"])
        else:
            when = dates[min(int(ev["step"]), len(dates) - 1)]
        out.setdefault(ev["actor"], []).append((when, ev["leader"]))
    return {k: sorted(v, key=lambda s: s[0]) for k, v in out.items()}


@dataclass
class ActorNames:
    """The actors' names as the reader sees them, by date.

    Build it with :meth:`of`; without a scenario every actor keeps its
    table name and no article.
    """

    keys: list[str]
    names: list[str]
    kinds: dict[str, str] = field(default_factory=dict)
    successions: dict[str, list[tuple[dt.date, str]]] = field(default_factory=dict)

    @classmethod
    def of(cls, h: History, scenario: dict | None = None) -> ActorNames:
        """The names of ``h``'s actors, following the leaders ``scenario`` names."""
        scenario = scenario or {}
        actors = scenario.get("actors") or {}
        kinds = {k: str((actors.get(k) or {}).get("kind", "")) for k in h.actor_keys}
        dates = list(h.dates[: h.n_rows]) or list(h.dates)
        return cls(
            list(h.actor_keys),
            list(h.actor_names),
            kinds,
            _successions(scenario, list(h.actor_keys), dates),
        )

    def _plain(self, key: str) -> str:
        return self.names[self.keys.index(key)] if key in self.keys else key

    def at(self, date, key: str) -> str:
        """The actor's name on ``date`` (its leader then, if the scenario names one)."""
        when = _date(date)
        name = self._plain(key)
        leaders = [
            lead for since, lead in self.successions.get(key, ()) if since <= when
        ]
        return with_leader(name, leaders[-1]) if leaders else name

    def over(self, start, end, key: str) -> str:
        """The actor's name for a span: every leader it had then, in order."""
        first, last = _date(start), _date(end)
        steps = self.successions.get(key, [])
        leaders = [lead for since, lead in steps if first < since <= last]
        before = [lead for since, lead in steps if since <= first]
        leaders = before[-1:] + leaders
        if not leaders:
            return self._plain(key)
        return with_leader(self._plain(key), ", then ".join(leaders))

    def all_at(self, date) -> dict[str, str]:
        """Key → name on ``date``, for every actor."""
        return {k: self.at(date, k) for k in self.keys}

    def all_over(self, start, end) -> dict[str, str]:
        """Key → name for the span ``start`` to ``end``, for every actor."""
        return {k: self.over(start, end, k) for k in self.keys}

    def is_foreign(self, key: str) -> bool:
        """Whether the actor is a foreign state (its troops support a side)."""
        return self.kinds.get(key) == "state"

    def needs_article(self, key: str) -> bool:
        """Whether the name takes "the" in a sentence ("the Afghan government")."""
        name = self._plain(key)
        return self.kinds.get(key) == "government" and not name.lower().startswith(
            "the "
        )
