"""Scenarios that differ from one scenario in a few values, checked in microseconds.

A sweep builds thousands of scenarios from one base, each with a few values
changed (``parameters.eta``, ``actors.russia.resources``). Validating each
one whole, as :func:`sim.scenario.loader.scenario_from_dict` of the base with
the overrides applied does, costs milliseconds a point. :class:`Variations`
validates the base once; then, for each set of overrides, it validates only
the sections they change (the ``parameters``, or one actor, with pydantic,
so every type, range and cross-field rule of the section applies) and runs
only the cross-reference checks those sections take part in
(:func:`sim.scenario.references.section_problems`). The result is the
scenario, or the error with its message, that validating the whole gives.

Overrides of anything else (a whole section or actor, the map, the dates,
the relations, the events, the priors) and a base that is not plain valid
data are validated whole, as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.scenario import tree
from sim.scenario.errors import Origin, ScenarioError
from sim.scenario.field_check import copied, fields_changed
from sim.scenario.loader import apply_overrides, scenario_from_dict
from sim.scenario.overrides import overlaps
from sim.scenario.paths import format_path, set_in
from sim.scenario.problems import first_error, pydantic_problems
from sim.scenario.references import section_problems
from sim.scenario.schema import Scenario
from sim.scenario.schema_paths import geography_of, walk

#: A section of a scenario a variation may change: ``("parameters",)`` or
#: ``("actors", id)``.
Section = tuple[str, ...]


def _is_plain(obj: Any) -> bool:
    """True for data of plain dicts and lists (no recorded YAML lines)."""
    if isinstance(obj, dict):
        return type(obj) is dict and all(map(_is_plain, obj.values()))
    if isinstance(obj, list):
        return type(obj) is list and all(map(_is_plain, obj))
    return True


class Variations:
    """The scenarios of one base with a few values changed, each checked fast.

    ``Variations(base).scenario(overrides, source)`` equals
    ``scenario_from_dict(apply_overrides(base, overrides), source)``: the
    same scenario, or the same :class:`ScenarioError` with the same message.

    Args:
        base: the scenario as plain data, as
            :func:`sim.scenario.loader.resolved_dict` gives it. It must not
            be changed while this object is in use.
    """

    def __init__(self, base: dict) -> None:
        """Keep ``base``; it is validated at the first variation asked for."""
        self.base = base
        self._scenario: Scenario | None = None
        self._checked = False
        self._steps: dict[str, tuple[list, Section, frozenset[str]] | None] = {}
        self._priors: dict[str, str] = {}  # a prior's path as the schema spells it
        self._rechecks: dict[tuple[str, ...], list[str]] = {}

    def scenario(self, overrides: Mapping[str, Any], source: str) -> Scenario:
        """The validated scenario of ``base`` with ``overrides`` applied.

        Raises:
            ScenarioError: a bad path or value, worded as validating the whole
                scenario words it, ``source`` in place of a file name.
        """
        changes = self._changes(overrides)
        if changes is None:
            data = apply_overrides(self.base, dict(overrides))
            return scenario_from_dict(data, source)
        try:
            sections = self._sections(changes)
        except ScenarioError:  # a list item that does not exist, say
            data = apply_overrides(self.base, dict(overrides))
            return scenario_from_dict(data, source)
        return self._checked_variation(changes, sections, Origin(source))

    def checks_alone(self, overrides: Mapping[str, Any]) -> bool:
        """True if :meth:`scenario` checks these overrides by what they change.

        Such a point costs a fraction of a millisecond to build again; any
        other is validated whole, which costs milliseconds.
        """
        return self._changes(overrides) is not None

    def _base_scenario(self) -> Scenario | None:
        """The base validated (None if it is not plain valid data)."""
        if not self._checked:
            self._checked = True
            if isinstance(self.base, dict) and _is_plain(self.base):
                try:
                    self._scenario = scenario_from_dict(self.base)
                except ScenarioError:
                    self._scenario = None
        return self._scenario

    def _step(self, path: str) -> tuple[list, Section, frozenset[str]] | None:
        """(segments, section, priors it drops) of an override path, or None.

        None for a path outside the sections a variation may change alone (or
        not in the schema): such overrides are validated whole.
        """
        if path in self._steps:
            return self._steps[path]
        base, step = self._scenario, None
        try:
            segs = walk(path, list(self.base["actors"]), None, geography_of(self.base))
        except (ScenarioError, TypeError, KeyError):
            segs = None
        if base is not None and segs:
            section: Section | None = None
            if segs[0] == "parameters" and len(segs) >= 2:
                section = ("parameters",)
            elif segs[0] == "actors" and len(segs) >= 3 and segs[1] in base.actors:
                section = ("actors", segs[1])
            if section is not None:
                text = format_path(segs)
                drops = frozenset(p for p in base.uncertainty if overlaps(p, text))
                step = (segs, section, drops)
        if len(self._steps) < 4096:
            self._steps[path] = step
        return step

    def _changes(self, overrides: Mapping[str, Any]) -> list[tuple] | None:
        """``(segments, section, drops, value)`` per override, or None: whole."""
        if not isinstance(overrides, Mapping) or self._base_scenario() is None:
            return None
        changes = []
        for path, value in overrides.items():
            step = self._step(path) if isinstance(path, str) else None
            if step is None:
                return None
            changes.append((*step, tree.plain(value)))
        return changes

    def _sections(self, changes: list[tuple]) -> dict[Section, Any]:
        """Each changed section's data, the overrides applied in order."""
        sections: dict[Section, Any] = {}
        for segs, section, _, value in changes:
            if section not in sections:
                at = self.base[section[0]]
                sections[section] = at if len(section) == 1 else at[section[1]]
            depth = len(section)
            path = format_path(segs)
            sections[section] = set_in(
                sections[section], segs[depth:], value, Origin(), path
            )
        return sections

    def _checked_variation(
        self, changes: list[tuple], sections: dict[Section, Any], root: Origin
    ) -> Scenario:
        """Validate the changed sections, then their cross-references."""
        base = self._scenario
        assert base is not None
        built: dict[Section, BaseModel] = {}
        problems: list = []
        for section, data in sections.items():
            keys = {segs[len(section)] for segs, at, _, _ in changes if at == section}
            old = _section(base, section)
            try:  # the base is plain, the values made plain: as loading sees it
                built[section] = fields_changed(old, data, keys) or type(
                    old
                ).model_validate(data)
            except ValidationError as exc:
                problems += pydantic_problems(exc, data, list(section))
        if problems:
            raise first_error(problems, self.base, root)
        sc = copied(base, _update(base, built, changes))
        changed: dict[Section, set[str]] = {}
        for segs, section, _, _ in changes:
            changed.setdefault(section, set()).add(segs[len(section)])
        priors = self._rechecked(sc, changes)
        checked = [(0, segs, m) for segs, m in section_problems(sc, changed, priors)]
        if checked:
            raise first_error(checked, self.base, root)
        return sc

    def _rechecked(self, sc: Scenario, changes: list[tuple]) -> list[str]:
        """The priors kept whose value a change may have changed.

        A prior names its value as it pleases (``parameters.lam`` for
        ``parameters.lambda``): compared by the path the schema spells.
        """
        changed = tuple(format_path(segs) for segs, _, _, _ in changes)
        if changed not in self._rechecks:
            ids, geo = list(sc.actors), geography_of(self.base)
            out = []
            for prior in sc.uncertainty:
                if prior not in self._priors:
                    self._priors[prior] = format_path(walk(prior, ids, None, geo))
                if any(overlaps(self._priors[prior], c) for c in changed):
                    out.append(prior)
            if len(self._rechecks) > 4096:
                self._rechecks.clear()
            self._rechecks[changed] = out
        return self._rechecks[changed]


def _section(sc: Scenario, section: Section) -> BaseModel:
    """The validated section of ``sc``: its parameters or one actor."""
    return sc.parameters if section[0] == "parameters" else sc.actors[section[1]]


def _update(base: Scenario, built: dict[Section, BaseModel], changes: list) -> dict:
    """The fields of ``base`` to replace: changed sections, priors dropped."""
    update: dict[str, Any] = {}
    if ("parameters",) in built:
        update["parameters"] = built[("parameters",)]
    actors = {s[1]: m for s, m in built.items() if s[0] == "actors"}
    if actors:
        update["actors"] = {a: actors.get(a, x) for a, x in base.actors.items()}
    drops = frozenset().union(*(d for _, _, d, _ in changes))
    if drops:
        update["uncertainty"] = {
            p: v for p, v in base.uncertainty.items() if p not in drops
        }
    return update
