"""Inheritance between scenario files: ``extends`` and the merge rules.

``extends: base.yaml`` (relative to the extending file's folder; chains
allowed, cycles refused) merges the child onto its parent:

- mappings merge key by key, recursively; a scalar in the child replaces;
- a ``null`` in the child removes the key, so ``actors: {isis_k: null}``
  removes an actor. Relations whose pair names a removed actor, events whose
  ``actor``/``into``/``toward``/``to`` or ``set`` path names it, and other
  actors' ``intent`` and ``credit`` entries toward it are then dropped
  silently, so a counterfactual "without ISIS" is one line;
- ``events`` in the child are appended after the parent's;
- ``relations`` in the child replace the parent's relation with the same
  unordered pair, and are appended otherwise;
- every other list (``staging``, ``provinces``, ``sigar_bands``...) replaces.

The parent must be a regular ``.yaml`` or ``.yml`` file of at most
:data:`sim.files.SCENARIO_MAX_BYTES`, and a ``geometry`` file a regular file
of at most :data:`sim.files.GEOJSON_MAX_BYTES`; both are checked (with
``os.stat``, nothing opened) where the key is read, so the error names the key
that pointed at a FIFO, a device or a file that is no scenario, and never
quotes that file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sim.files import GEOJSON_MAX_BYTES, SCENARIO_MAX_BYTES, FileRefused, check_file
from sim.scenario import tree
from sim.scenario.errors import ScenarioError, show
from sim.scenario.schema_paths import EVENT_ACTOR_KEYS
from sim.scenario.yaml_reader import read_yaml
from sim.text import clip

#: Longest chain of files extending one another (each adds to the call stack).
MAX_EXTENDS = 100
#: Endings a parent scenario's name may have: YAML files, nothing else.
PARENT_SUFFIXES = (".yaml", ".yml")


def load_tree(path: Path, shown: str, chain: tuple[tuple[Path, str], ...]) -> tree.Map:
    """A scenario file with every file it ``extends`` merged under it.

    Args:
        path: the file to read.
        shown: its name as errors give it.
        chain: the files already on the way here (resolved path, shown name),
            this one included, to refuse cycles.

    Raises:
        ScenarioError: a problem in any file of the chain, or in the chain.
    """
    data = read_yaml(path, shown)
    geometry = data.get("geometry")
    if isinstance(geometry, str) and geometry.strip():
        _refuse_nul(geometry, shown, data.lines["geometry"].line, "geometry")
        # a file named in a scenario is found beside that scenario
        data["geometry"] = str((path.parent / geometry).resolve())
        _check_geometry(data["geometry"], geometry, shown, data.lines["geometry"])
    ref, origin = data.pop("extends", None), data.lines.pop("extends", None)
    if ref is None:
        return data
    line = origin.line
    if not isinstance(ref, str) or not ref.strip():
        msg = f"expected the path of a parent scenario, got {show(ref)}"
        raise ScenarioError(msg, shown, line, "extends")
    _refuse_nul(ref, shown, line, "extends")
    parent = (path.parent / ref).resolve()
    parent_shown = os.path.normpath(os.path.join(os.path.dirname(shown), ref))
    if len(chain) > MAX_EXTENDS:
        msg = f"more than {MAX_EXTENDS} files extend one another; is that intended?"
        raise ScenarioError(msg, shown, line, "extends")
    if parent in [p for p, _ in chain]:
        loop = " → ".join([s for _, s in chain] + [parent_shown])
        raise ScenarioError(f"extends cycle: {loop}", shown, line, "extends")
    _check_parent(parent, ref, parent_shown, shown, line)
    base = load_tree(parent, parent_shown, (*chain, (parent, parent_shown)))
    return merge(base, data)


def _refuse_nul(name: str, shown: str, line, key: str) -> None:
    """A file name with a NUL character names no file on any system."""
    if "\0" in name:
        msg = f"the file name '{clip(name)}' holds a NUL character; "
        msg += "no file can be named so"
        raise ScenarioError(msg, shown, line, key)


def _check_parent(parent: Path, ref: str, parent_shown: str, shown: str, line) -> None:
    """Refuse a parent that is missing, not a regular YAML file, or too large."""
    try:
        check_file(parent, SCENARIO_MAX_BYTES, "a scenario file")
    except FileRefused as e:
        if e.missing:
            msg = f"the parent scenario '{clip(ref)}' does not exist "
            msg += f"(looked for {clip(parent_shown, 200)})"
        else:
            msg = f"the parent scenario '{clip(ref)}' {e.reason}"
        raise ScenarioError(msg, shown, line, "extends") from None
    if parent.suffix.lower() not in PARENT_SUFFIXES:
        msg = f"the parent scenario '{clip(ref)}' is not a scenario file: its name "
        msg += "must end in .yaml or .yml"
        raise ScenarioError(msg, shown, line, "extends")


def _check_geometry(resolved: str, given: str, shown: str, origin) -> None:
    """Refuse a ``geometry`` that exists but is no regular file, or is too large.

    A missing file is left to the map drawing, which says so when it needs
    the file; a FIFO or a device would hang or fill the memory there.
    """
    try:
        check_file(resolved, GEOJSON_MAX_BYTES, "a GeoJSON file")
    except FileRefused as e:
        if not e.missing:
            msg = f"the geometry file '{clip(given)}' {e.reason}"
            raise ScenarioError(msg, shown, origin.line, "geometry") from None


def merge(base: dict, child: dict, path: tuple = ()) -> dict:
    """Merge ``child`` onto ``base`` by the rules of the module docstring."""
    out = tree.copy(base)
    out.at = getattr(child, "at", None)
    for key, value in child.items():
        old = out.get(key)
        if value is None:
            out.pop(key, None)
            out.lines.pop(key, None)
            continue
        if path == () and key in ("events", "relations") and isinstance(old, list):
            if isinstance(value, list):
                value = _merge_list(old, value, by_pair=key == "relations")
        elif isinstance(old, dict) and isinstance(value, dict):
            value = merge(old, value, (*path, key))
        out[key], out.lines[key] = value, child.lines[key]
    if path == () and isinstance(child.get("actors"), dict):
        kept = out.get("actors") if isinstance(out.get("actors"), dict) else {}
        drop_refs(out, {a for a, v in child["actors"].items() if v is None} - {*kept})
    return out


def _pair_key(rel: Any) -> frozenset | None:
    pair = rel.get("pair") if isinstance(rel, dict) else None
    return frozenset(map(str, pair)) if isinstance(pair, list) else None


def _merge_list(old: list, new: list, by_pair: bool) -> list:
    out = tree.copy(old)
    for i, item in enumerate(new):
        key = _pair_key(item) if by_pair else None
        j = next((j for j, r in enumerate(out) if key and _pair_key(r) == key), None)
        if j is None:
            j = len(out)
            out.append(item)
        out[j], out.lines[j] = item, new.lines[i]
    return out


def _names_gone(item: Any, gone: set) -> bool:
    if not isinstance(item, dict):
        return False
    names = [item.get(k) for k in EVENT_ACTOR_KEYS]
    names += item["pair"] if isinstance(item.get("pair"), list | tuple) else []
    parts = str(item.get("path", "")).split(".")
    names += parts[1:2] if item.get("do") == "set" and parts[0] == "actors" else []
    return any(isinstance(n, str) and n in gone for n in names)


def drop_refs(data: dict, gone: set) -> None:
    """Drop relations, events, intent entries and priors naming removed actors.

    Works in place, so removing an actor with ``null`` leaves no dangling
    reference for the loader to refuse.
    """
    for key in ("relations", "events") if gone else ():
        seq = data.get(key)
        if isinstance(seq, list):
            keep = [i for i, x in enumerate(seq) if not _names_gone(x, gone)]
            data[key] = new = tree.copy(seq)
            new[:] = [seq[i] for i in keep]
            if hasattr(seq, "lines"):
                new.lines = {n: seq.lines[i] for n, i in enumerate(keep)}
    priors = data.get("uncertainty") if gone else None
    if isinstance(priors, dict):  # priors on a removed actor's values go with it
        data["uncertainty"] = kept = tree.copy(priors)
        for path in [p for p in priors if set(str(p).split(".")) & gone]:
            del kept[path]
    actors = data.get("actors") if gone else None
    if isinstance(actors, dict):
        data["actors"] = actors = tree.copy(actors)
        for aid, actor in actors.items():
            for field in ("intent", "credit", "beliefs"):
                table = actor.get(field) if isinstance(actor, dict) else None
                if isinstance(table, dict) and gone & table.keys():
                    actors[aid] = actor = tree.copy(actor)
                    actor[field] = {k: v for k, v in table.items() if k not in gone}
