"""Load a scenario: read YAML, inherit, override, validate → a :class:`Scenario`.

:func:`load_scenario` reads a file and the files it ``extends``, merges them,
applies the ``--set`` overrides, validates the result against :mod:`sim.scenario.schema`
and checks the cross-references a schema cannot (actor ids, provinces, regions,
staging nodes, ethnic groups, terrain classes, ``set`` paths). Every problem is
a :class:`ScenarioError` naming the file, the line, the key path and, for a
misspelt name, the closest valid one. :func:`scenario_from_dict` does the same
for scenarios built in code.

Inheritance: ``extends: base.yaml`` (relative to the extending file's folder;
chains allowed, cycles refused) merges the child onto its parent:

- mappings merge key by key, recursively; a scalar in the child replaces;
- a ``null`` in the child removes the key, so ``actors: {isis_k: null}``
  removes an actor. Relations whose pair names a removed actor, events whose
  ``actor``/``into``/``toward``/``to`` or ``set`` path names it, and other
  actors' ``intent`` entries toward it are then dropped silently, so a
  counterfactual "without ISIS" is one line;
- ``events`` in the child are appended after the parent's;
- ``relations`` in the child replace the parent's relation with the same
  unordered pair, and are appended otherwise;
- every other list (``staging``, ``provinces``, ``sigar_bands``...) replaces.

Overrides (``--set PATH=VALUE`` strings, or a ``{path: value}`` dict) come
after inheritance. PATH must exist in the schema (:func:`validate_path`), VALUE
is read as YAML, and ``null`` removes the key as in a child file.

Files are read with YAML's safe loader only: tags such as ``!!python/object``
are refused, and a key given twice in one mapping is an error (plain
``yaml.safe_load`` would silently keep the last). Keys must be text, nesting
deeper than :data:`MAX_DEPTH` and files that expand (through YAML aliases) to
more than :data:`MAX_VALUES` values are refused, so a hostile file fails at
once instead of exhausting the stack, the memory or the user's patience.
"""

from __future__ import annotations

import difflib
import math
import os
import re
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, NamedTuple, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from sim.scenario.schema import Actor, MapSpec, Parameters, Scenario, SetEvent
from sim.world.geography import ETHNIC_GROUPS, TERRAIN_CLASSES, Geography, geography_for

#: Actor fields that a ``set`` event may change during a run.
SETTABLE_ACTOR_FIELDS = tuple(
    "resources self_funding hedging troops air_support mobility effectiveness "
    "recruitment_rate cohesion deploys equipment".split()
)
#: Keys of ``parameters.move_weights``.
MOVE_WEIGHTS = (
    "population",
    "ethnic",
    "interest",
    "supply",
    "enemy",
    "friends",
    "crowding",
)
_EVENT_ACTOR_KEYS = ("actor", "into", "toward", "to")
#: Deepest nesting of mappings and lists a file may have (the schema needs ~6).
MAX_DEPTH = 32
#: Most values a file may expand to; YAML aliases can repeat one a billion times.
MAX_VALUES = 100_000
#: Longest chain of files extending one another (each adds to the call stack).
MAX_EXTENDS = 100
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep; no scenario key needs that"
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")


class ScenarioError(Exception):
    """A scenario that cannot be used: where and why, in one paragraph.

    Attributes:
        file: the scenario file at fault (None for an override).
        line: 1-based line in ``file``, when YAML gives one.
        path: dotted key path such as ``actors.russia.resources``.
        message: what was expected, with "did you mean" when a name is close.
        where: the override at fault instead of a file, e.g. ``--set steps=x``.
    """

    def __init__(
        self,
        message: str,
        file: str | None = None,
        line: int | None = None,
        path: str | None = None,
        where: str | None = None,
    ) -> None:
        self.message, self.file, self.line = message, file, line
        self.path, self.where = path, where
        super().__init__(message, file, line, path, where)  # args: picklable

    def __str__(self) -> str:
        """Render as ``file, line N, at path: message``."""
        head = [self.where or self.file, self.line and f"line {self.line}"]
        path = self.path and f"at {_printable(self.path)}"
        head = ", ".join(filter(None, [*head, path]))
        return f"{head}: {self.message}" if head else self.message


class _Origin(NamedTuple):
    file: str | None = None
    line: int | None = None
    where: str | None = None


class _Map(dict):
    """A YAML mapping that remembers its origin (``at``) and each key's."""


class _Seq(list):
    """A YAML list that remembers its origin (``at``) and each item's."""


def _new(cls: type, at: _Origin) -> Any:
    obj = cls()
    obj.at, obj.lines = at, {}
    return obj


def _copy(obj: Any) -> Any:
    new = type(obj)(obj)
    if hasattr(obj, "lines"):
        new.at, new.lines = obj.at, dict(obj.lines)
    return new


def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _plain(v) for k, v in obj.items()}
    return [_plain(v) for v in obj] if isinstance(obj, list) else obj


def _suggest(word: Any, choices: Iterable[Any]) -> str:
    """``"; did you mean 'X'?"`` for the closest choice (any case), or ``""``."""
    lower = {str(c).lower(): str(c) for c in choices}
    key = str(word).lower()
    hits = [key] if key in lower else difflib.get_close_matches(key, lower, n=1)
    return f"; did you mean '{lower[hits[0]]}'?" if hits else ""


def _unknown(noun: str, name: Any, valid: Iterable[Any]) -> str:
    return f"unknown {noun} '{_clip(str(name))}'" + _suggest(name, valid)


def _fmt(segs: Sequence[Any]) -> str:
    text = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segs)
    return text.removeprefix(".")


def _printable(text: str) -> str:
    """``text`` on one line: line breaks and other control characters escaped."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _clip(text: str, limit: int = 80) -> str:
    """``text``, printable, or its start and its length when longer than ``limit``."""
    text = _printable(text)
    return text if len(text) <= limit else f"{text[:60]}… ({len(text):,} characters)"


def _show(v: Any) -> str:
    if isinstance(v, float) and not math.isfinite(v):
        return ".nan" if math.isnan(v) else ("-.inf" if v < 0 else ".inf")
    if v is None or isinstance(v, bool):
        return {None: "null", True: "true", False: "false"}[v]
    if isinstance(v, dict | list | tuple):
        return "a mapping" if isinstance(v, dict) else "a list"
    if isinstance(v, int) and abs(v) >= 10**80:
        return f"a number of {len(str(abs(v))):,} digits"
    return repr(_clip(v)) if isinstance(v, str) else _clip(str(v))


# --- reading YAML --------------------------------------------------------------


class _TooDeep(Exception):
    """Raised by :class:`_Loader` before the composer's recursion goes too deep."""

    def __init__(self, line: int, segs: list) -> None:
        super().__init__(line, segs)
        self.line, self.segs = line, segs


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, counting nesting as it composes (see MAX_DEPTH)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.segs: list = []  # key path of the node being composed (None: a key)
        self.values = 0  # nodes built by _construct, aliases counted each time

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Compose one node, refusing to nest deeper than :data:`MAX_DEPTH`."""
        seg = index.value if isinstance(index, yaml.ScalarNode) else index
        self.segs.append(seg if isinstance(seg, str | int) and parent else None)
        try:
            if len(self.segs) > MAX_DEPTH + 1:
                line = self.peek_event().start_mark.line + 1
                raise _TooDeep(line, [s for s in self.segs if s is not None])
            return super().compose_node(parent, index)
        finally:
            self.segs.pop()


def _read_yaml(path: Path, shown: str) -> _Map:
    if path.is_dir():
        raise ScenarioError("is a directory, not a scenario file", shown)
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise ScenarioError(f"cannot read the file: {e.strerror}", shown) from None
    try:
        text = raw.decode("utf-8-sig")
        loader = _Loader(text)
    except UnicodeDecodeError as e:
        msg = f"not UTF-8 text (byte 0x{raw[e.start]:02x}); save the file as UTF-8"
        raise ScenarioError(msg, shown, raw.count(b"\n", 0, e.start) + 1) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        raise ScenarioError(f"not plain text: {e.reason}", shown, line) from None
    try:
        node = loader.get_single_node()
        if node is None:
            msg = "the file is empty; a scenario needs name, start, steps and actors"
            raise ScenarioError(msg, shown)
        data = _construct(node, loader, shown, (), frozenset())
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = f"YAML syntax error: {e.problem}"
        raise ScenarioError(msg, shown, mark.line + 1 if mark else None) from None
    except _TooDeep as e:
        raise ScenarioError(_TOO_DEEP, shown, e.line, _fmt(e.segs)) from None
    finally:
        loader.dispose()
    if not isinstance(data, _Map):
        msg = f"the top level must be a mapping (name: ...), got {_show(data)}"
        raise ScenarioError(msg, shown, node.start_mark.line + 1)
    return data


def _tag_problem(tag: str) -> str:
    return (
        f"the tag '{tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed: "
        "scenarios are read with YAML's safe loader, which builds only plain data "
        "(mappings, lists, text, numbers, dates)"
    )


def _scalar(node: Any, loader: Any, file: str, path: tuple) -> Any:
    line = node.start_mark.line + 1
    if node.tag not in loader.yaml_constructors:
        raise ScenarioError(_tag_problem(node.tag), file, line, _fmt(path))
    try:
        return loader.construct_object(node, deep=True)
    except ValueError as e:  # e.g. the date 2016-13-45
        raise ScenarioError(
            f"cannot read {_clip(node.value)!r}: {_clip(str(e))}",
            file,
            line,
            _fmt(path),
        ) from None


def _construct(node: Any, loader: Any, file: str, path: tuple, seen: frozenset) -> Any:
    """Build data from a YAML node, recording lines and refusing duplicate keys."""
    line = node.start_mark.line + 1
    loader.values += 1
    if loader.values > MAX_VALUES:
        msg = f"the file expands to more than {MAX_VALUES:,} values; are YAML "
        msg += "aliases (*name) repeating a large value?"
        raise ScenarioError(msg, file, line, _fmt(path))
    if len(path) > MAX_DEPTH:  # reached through aliases: the composer saw less
        raise ScenarioError(_TOO_DEEP, file, line, _fmt(path))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, loader, file, path)
    if node.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
        raise ScenarioError(_tag_problem(node.tag), file, line, _fmt(path))
    if id(node) in seen:
        raise ScenarioError("a YAML alias refers to itself", file, line, _fmt(path))
    seen = seen | {id(node)}
    if isinstance(node, yaml.SequenceNode):
        seq = _new(_Seq, _Origin(file, line))
        for i, item in enumerate(node.value):
            seq.lines[i] = _Origin(file, item.start_mark.line + 1)
            seq.append(_construct(item, loader, file, (*path, i), seen))
        return seq
    first: dict[Any, int] = {}
    for k, _ in node.value:
        kline = k.start_mark.line + 1
        if not isinstance(k, yaml.ScalarNode):
            raise ScenarioError("a key must be a plain name", file, kline, _fmt(path))
        if k.tag == "tag:yaml.org,2002:merge":
            continue
        key = _scalar(k, loader, file, path)
        if not isinstance(key, str):  # 1:, 2016-01-01:, true: and ~: are not names
            msg = f"the key {_show(key)} must be text; put it in quotes"
            raise ScenarioError(msg, file, kline, _fmt((*path, _show(key))))
        if key in first:
            msg = f"duplicate key '{_clip(key)}' (first on line {first[key]}); "
            msg += "YAML would silently keep only the last one"
            raise ScenarioError(msg, file, kline, _fmt((*path, key)))
        first[key] = kline
    loader.flatten_mapping(node)  # resolve "<<: *anchor" merge keys
    out = _new(_Map, _Origin(file, line))
    for k, v in node.value:
        key = _scalar(k, loader, file, path)
        out.lines[key] = _Origin(file, k.start_mark.line + 1)
        out[key] = _construct(v, loader, file, (*path, key), seen)
    return out


# --- inheritance -------------------------------------------------------------------


def _load_tree(path: Path, shown: str, chain: tuple[tuple[Path, str], ...]) -> _Map:
    data = _read_yaml(path, shown)
    geometry = data.get("geometry")
    if isinstance(geometry, str) and geometry.strip():
        # a file named in a scenario is found beside that scenario
        data["geometry"] = str((path.parent / geometry).resolve())
    ref, origin = data.pop("extends", None), data.lines.pop("extends", None)
    if ref is None:
        return data
    line = origin.line
    if not isinstance(ref, str) or not ref.strip():
        msg = f"expected the path of a parent scenario, got {_show(ref)}"
        raise ScenarioError(msg, shown, line, "extends")
    parent = (path.parent / ref).resolve()
    parent_shown = os.path.normpath(os.path.join(os.path.dirname(shown), ref))
    if len(chain) > MAX_EXTENDS:
        msg = f"more than {MAX_EXTENDS} files extend one another; is that intended?"
        raise ScenarioError(msg, shown, line, "extends")
    if parent in [p for p, _ in chain]:
        loop = " → ".join([s for _, s in chain] + [parent_shown])
        raise ScenarioError(f"extends cycle: {loop}", shown, line, "extends")
    if not parent.exists():
        msg = f"the parent scenario '{ref}' does not exist (looked for {parent_shown})"
        raise ScenarioError(msg, shown, line, "extends")
    base = _load_tree(parent, parent_shown, (*chain, (parent, parent_shown)))
    return _merge(base, data)


def _merge(base: dict, child: dict, path: tuple = ()) -> dict:
    """Merge ``child`` onto ``base`` by the rules of the module docstring."""
    out = _copy(base)
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
            value = _merge(old, value, (*path, key))
        out[key], out.lines[key] = value, child.lines[key]
    if path == () and isinstance(child.get("actors"), dict):
        kept = out.get("actors") if isinstance(out.get("actors"), dict) else {}
        _drop_refs(out, {a for a, v in child["actors"].items() if v is None} - {*kept})
    return out


def _pair_key(rel: Any) -> frozenset | None:
    pair = rel.get("pair") if isinstance(rel, dict) else None
    return frozenset(map(str, pair)) if isinstance(pair, list) else None


def _merge_list(old: list, new: list, by_pair: bool) -> list:
    out = _copy(old)
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
    names = [item.get(k) for k in _EVENT_ACTOR_KEYS]
    names += item["pair"] if isinstance(item.get("pair"), list | tuple) else []
    parts = str(item.get("path", "")).split(".")
    names += parts[1:2] if item.get("do") == "set" and parts[0] == "actors" else []
    return any(isinstance(n, str) and n in gone for n in names)


def _drop_refs(data: dict, gone: set) -> None:
    """Drop relations, events and intent entries naming removed actors (in place)."""
    for key in ("relations", "events") if gone else ():
        seq = data.get(key)
        if isinstance(seq, list):
            keep = [i for i, x in enumerate(seq) if not _names_gone(x, gone)]
            data[key] = new = _copy(seq)
            new[:] = [seq[i] for i in keep]
            if hasattr(seq, "lines"):
                new.lines = {n: seq.lines[i] for n, i in enumerate(keep)}
    actors = data.get("actors") if gone else None
    if isinstance(actors, dict):
        data["actors"] = actors = _copy(actors)
        for aid, actor in actors.items():
            for field in ("intent", "credit"):
                table = actor.get(field) if isinstance(actor, dict) else None
                if isinstance(table, dict) and gone & table.keys():
                    actors[aid] = actor = _copy(actor)
                    actor[field] = {k: v for k, v in table.items() if k not in gone}


# --- paths and overrides -------------------------------------------------------------


def _split_path(path: str, where: str | None = None) -> list[str | int]:
    segs: list[str | int] = []
    for part in str(path).split("."):
        m = re.fullmatch(r"([^\[\]]*)((?:\[\d+\])*)", part.strip())
        if not m or not (m[1] or m[2]):
            msg = f"'{path}' is not a dotted key path like 'actors.russia.resources'"
            raise ScenarioError(msg, where=where)
        segs += [int(m[1]) if m[1].isdigit() else m[1]] if m[1] else []
        segs += [int(i) for i in re.findall(r"\d+", m[2])]
    return segs


def _members(tp: Any) -> list[Any]:
    """The concrete types behind Annotated / Optional / Union wrappers."""
    if get_origin(tp) is Annotated:
        return _members(get_args(tp)[0])
    if get_origin(tp) in (Union, types.UnionType):
        return [m for a in get_args(tp) if a is not type(None) for m in _members(a)]
    return [tp]


def _key_domain(
    field: Any, actors: Iterable[str] | None, geo: Geography | None = None
) -> tuple[str, Any]:
    """What the keys of a dict field name, and the valid ones (None: any)."""
    geo = geo or geography_for(None)
    return {
        "actors": ("actor", actors),
        "intent": ("actor", actors),
        "credit": ("actor", actors),
        "forces": ("province or region", geo.places),
        "recruits": ("ethnic group", ETHNIC_GROUPS),
        "interests": ("province or region", geo.places),
        "terrain": ("terrain class", TERRAIN_CLASSES),
        "move_weights": ("move weight", MOVE_WEIGHTS),
    }.get(field, ("key", None))


#: For :func:`_descend`: the names in the path were checked already (any map).
_ANY_MAP: Any = object()


def _descend(
    types_: list, seg: Any, field: Any, last: bool, actors: Any, geo: Geography | None
) -> tuple:
    """One step down the schema: (next types, canonical key, valid names, noun)."""
    nxt, names, canon, noun = [], [], seg, "key"
    for tp in (m for t in types_ for m in _members(t)):
        origin, args = get_origin(tp), get_args(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            for name, f in tp.model_fields.items():
                names += [name, f.alias] if f.alias else [name]
                if seg in (name, f.alias):
                    nxt, canon = [*nxt, f.annotation], f.alias or name
        elif origin is dict:
            any_name = geo is _ANY_MAP
            noun, valid = _key_domain(field, actors, None if any_name else geo)
            names += list(valid or ())
            new_actor = field == "actors" and last  # --set may add a whole actor
            known = any_name or valid is None or new_actor or seg in valid
            if isinstance(seg, str) and known:
                nxt.append(args[1])
        elif origin in (list, tuple):
            noun = "list"
            if isinstance(seg, int) and (origin is list or args[1:] == (...,)):
                nxt.append(args[0])
            elif isinstance(seg, int) and seg < len(args):
                nxt.append(args[seg])
    return nxt, canon, names, noun


def _walk(
    path: str,
    actors: Iterable[str] | None = None,
    where: str | None = None,
    geo: Geography | None = None,
):
    segs, types_, out = _split_path(path, where), [Scenario], []
    for i, seg in enumerate(segs):
        field, last = (out[-1] if out else None), i == len(segs) - 1
        types_, canon, names, noun = _descend(types_, seg, field, last, actors, geo)
        if not types_:
            if noun == "list":
                msg = f"'{_fmt(out)}' is a list: give an item number, e.g. [0]"
            elif not names:
                msg = f"'{_fmt(out)}' holds a single value; it has no key '{seg}'"
            else:
                msg = _unknown(noun, seg, names)
            raise ScenarioError(msg, path=_fmt([*out, seg]), where=where)
        out.append(canon)
    return out


def validate_path(
    path: str, actors: Iterable[str] | None = None, geo: Geography | None = None
) -> None:
    """Check that a dotted path names a value of the scenario schema.

    Used for ``--set`` and by sweeps, so that a typo fails before any run. A
    path may name a value the file leaves at its default
    (``parameters.interdiction``); list items read ``relations[0].affinity``.

    Args:
        path: e.g. ``actors.russia.resources``, ``parameters.lambda``, ``steps``.
        actors: the scenario's actor ids; when given, actor ids in the path are
            checked too (province, region and other names always are).
        geo: the scenario's map, for province and region names (default:
            Afghanistan).

    Raises:
        ScenarioError: an unknown segment, with "did you mean" when one is close.
    """
    _walk(path, actors, geo=geo)


def _set_in(obj: Any, segs: list, value: Any, origin: _Origin, path: str) -> Any:
    seg, rest = segs[0], segs[1:]
    out = _copy(obj) if isinstance(obj, dict | list) else [] if seg == 0 else {}
    if isinstance(out, list) != isinstance(seg, int) or (
        isinstance(out, list) and seg >= len(out)
    ):
        msg = f"there is no item {seg} in this list of {len(out)}"
        raise ScenarioError(msg, path=path, where=origin.where)
    if value is None and not rest and isinstance(out, dict):
        out.pop(seg, None)
        return out
    child = out[seg] if isinstance(out, list) else out.get(seg)
    out[seg] = _set_in(child, rest, value, origin, path) if rest else value
    if hasattr(out, "lines"):
        out.lines[seg] = origin
    return out


def read_value(raw: str) -> Any:
    """A ``--set`` (or ``--grid``) VALUE as plain data, read as strictly as a file.

    Raises:
        yaml.YAMLError: the text is not YAML.
        ScenarioError: nested too deeply, too many values (an alias bomb), a
            tag, or a duplicate key; without a file, path or override named.
    """
    loader = _Loader(raw)
    try:
        node = loader.get_single_node()
        value = node and _construct(node, loader, "", (), frozenset())
    except _TooDeep:
        raise ScenarioError(_TOO_DEEP) from None
    finally:
        loader.dispose()
    return _plain(value)


def apply_overrides(data: dict, overrides: Sequence[str] | Mapping[str, Any]) -> dict:
    """Return a copy of ``data`` with overrides applied (``data`` is unchanged).

    Args:
        data: scenario data after inheritance (a loaded tree or plain dicts).
        overrides: ``"dotted.path=value"`` strings as given to ``--set``, with
            VALUE read as YAML (``5``, ``0.5``, ``true``, ``[a, b]``,
            ``2016-05-01``), or a ``{path: value}`` dict of typed values. A
            ``null`` value removes the key (an actor, with its references).

    Raises:
        ScenarioError: a malformed override or a path not in the schema.
    """
    items = []
    if isinstance(overrides, Mapping):
        items = [(p, v, f"override {p}={v!r}") for p, v in overrides.items()]
    for text in () if isinstance(overrides, Mapping) else overrides:
        path, sep, raw = str(text).partition("=")
        where = f"--set {_clip(str(text), 120)}"
        if not sep:
            msg = "expected PATH=VALUE, e.g. --set actors.russia.resources=5"
            raise ScenarioError(msg, where=where)
        try:
            items.append((path.strip(), read_value(raw), where))
        except (yaml.YAMLError, ValueError) as e:
            problem = getattr(e, "problem", e)
            msg = f"cannot read {_clip(raw.strip())!r} as YAML: {problem}"
            raise ScenarioError(msg, where=where) from None
        except ScenarioError as e:  # a tag, a duplicate key, too many values
            raise ScenarioError(e.message, path=path.strip(), where=where) from None
    for path, value, where in items:
        actors = data.get("actors") if isinstance(data.get("actors"), dict) else {}
        segs = _walk(path, list(actors), where, geography_of(data))
        data = _set_in(data, segs, value, _Origin(where=where), path)
        if value is None and segs[0] == "actors" and len(segs) == 2:
            _drop_refs(data, {segs[1]})
    return data


def geography_of(data: Any) -> Geography:
    """The map a scenario's data asks for with its ``map`` key.

    Afghanistan when it names none, or names one wrongly (that is reported
    when the whole scenario is validated).
    """
    spec = data.get("map") if isinstance(data, Mapping) else None
    try:
        return geography_for(MapSpec.model_validate(_plain(spec)) if spec else None)
    except ValidationError:
        return geography_for(None)


# --- validation -----------------------------------------------------------------

_MESSAGES = {
    "missing": "missing required key '{last}'",
    "extra_forbidden": "unknown key '{last}'",
    "float_parsing float_type": "expected a number, got {got}",
    "finite_number": "expected a finite number, got {got}",
    "int_parsing int_type int_from_float": "expected a whole number, got {got}",
    "bool_parsing bool_type": "expected true or false, got {got}",
    "string_type": "expected text, got {got}",
    "greater_than_equal": "must be ≥ {ge:g}, got {got}",
    "greater_than": "must be > {gt:g}, got {got}",
    "less_than_equal": "must be ≤ {le:g}, got {got}",
    "less_than": "must be < {lt:g}, got {got}",
    "dict_type model_type": "expected a mapping (key: value), got {got}",
    "list_type tuple_type": "expected a list, got {got}",
    "too_short": "expected at least {min_length} item(s), got {actual_length}",
    "too_long": "expected at most {max_length} item(s), got {actual_length}",
    "string_too_short": "must not be empty",
    "string_too_long": "must be at most {max_length} characters long",
    "string_pattern_mismatch": "must match the pattern {pattern}, got {got}",
    "literal_error": "expected one of {expected}, got {got}",
    "union_tag_invalid": "unknown event kind {got}; expected one of {expected_tags}",
    "union_tag_not_found": "missing key 'do', the kind of event (set, splinter, "
    "shock or aid)",
}
_MESSAGES = {k: v for keys, v in _MESSAGES.items() for k in keys.split()}


def _clean_loc(loc: tuple, data: Any) -> tuple[list, bool, bool]:
    """Pydantic's loc → a data path without union tags; (path, via union, key?)."""
    segs, cur, via_union, is_key = [], data, False, False
    for seg in loc:
        if seg == "[key]":
            is_key = True
        elif (isinstance(cur, dict) and seg in cur) or (
            isinstance(cur, list) and isinstance(seg, int) and seg < len(cur)
        ):
            segs, cur = [*segs, seg], cur[seg]
        elif isinstance(cur, dict) and seg == cur.get("do"):
            pass  # the discriminator tag of an event
        elif isinstance(cur, dict) and _FIELD_NAME.fullmatch(str(seg)):
            segs, cur = [*segs, seg], None  # a missing key
        else:
            via_union = True  # a union member's label, e.g. 'ForceSpec'
    return segs, via_union, is_key


def _explain(err: Mapping[str, Any], segs: list, is_key: bool) -> str:
    """A plain-language "expected ..." for one pydantic error."""
    kind, ctx, inp = err["type"], dict(err.get("ctx") or {}), err.get("input")
    got = _show(segs[-1] if is_key else ctx.get("tag", inp))
    if isinstance(inp, float) and not math.isfinite(inp):
        return f"expected a finite number, got {got}"
    if is_key and kind == "string_pattern_mismatch":
        return f"actor id {got} must start with a-z and hold only a-z, 0-9 and '_'"
    if kind == "string_pattern_mismatch" and ctx["pattern"].startswith("^#"):
        return f"expected a colour like '#1f77b4', got {got}"
    if kind.startswith("date"):
        return f"expected a date like 2016-02-12, got {got}"
    if kind == "missing" and isinstance(err["loc"][-1], int):  # a tuple too short
        return f"too few items: item [{err['loc'][-1]}] is missing"
    if kind not in _MESSAGES:
        return err["msg"].removeprefix("Value error, ")
    last = _clip(str(segs[-1])) if segs else ""
    msg = _MESSAGES[kind].format(last=last, got=got, **ctx)
    if kind in ("literal_error", "union_tag_invalid"):
        options = re.findall(
            r"'([^']*)'", ctx.get("expected", "") + ctx.get("expected_tags", "")
        )
        return msg + _suggest(ctx.get("tag", inp), options)
    if kind == "extra_forbidden":  # suggest a field of the enclosing model
        types_, fields = [Scenario], [None, *segs]
        for i, seg in enumerate(segs):
            types_, _, names, _ = _descend(
                types_, seg, fields[i], False, None, _ANY_MAP
            )
        msg += _suggest(segs[-1], names)
    return msg


def _pydantic_problems(exc: ValidationError, data: Any, prefix: list) -> list:
    """(rank, path, message) per error; rank 1 = missing key, 2 = union mismatch."""
    out = []
    for err in exc.errors(include_url=False):
        segs, via_union, is_key = _clean_loc(err["loc"], data)
        segs = [*prefix, *segs] + ["do"] * err["type"].startswith("union_tag")
        rank = 2 if via_union and err["type"].endswith("_type") else 0
        rank = rank or int(err["type"] == "missing")
        out.append((rank, segs, _explain(err, segs, is_key)))
    return out


def _locate(tree: Any, segs: Sequence[Any], root: _Origin) -> _Origin:
    """Origin of the deepest node along ``segs`` that exists in ``tree``."""
    best, cur = getattr(tree, "at", root), tree
    for seg in segs:
        if not (isinstance(cur, dict) and seg in cur) and not (
            isinstance(cur, list) and isinstance(seg, int) and seg < len(cur)
        ):
            break
        best, cur = getattr(cur, "lines", {}).get(seg, best), cur[seg]
    return best


def _first_error(problems: list, tree: Any, root: _Origin) -> ScenarioError:
    """The first problem (by rank, line, path) as an error that counts the rest."""
    if any(rank < 2 for rank, _, _ in problems):
        problems = [p for p in problems if p[0] < 2]
    problems = list(
        {_fmt(segs): (r, segs, m) for r, segs, m in problems[::-1]}.values()
    )
    located = [
        (rank, _locate(tree, segs, root), segs, msg) for rank, segs, msg in problems
    ]
    # among union mismatches (rank 2), the deepest is the member the user meant
    located.sort(
        key=lambda p: (
            p[0],
            -len(p[2]) if p[0] == 2 else 0,
            p[1].line or 0,
            _fmt(p[2]),
            p[1].file or "",
        )
    )
    _, origin, segs, msg = located[0]
    if (n := len(located) - 1) > 0:
        msg += f" (and {n} more problem{'s' * (n > 1)})"
    return ScenarioError(
        msg, origin.file, origin.line, _fmt(segs) or None, origin.where
    )


def _set_event_problems(
    ev: SetEvent, base: list, ids: list, sc: Scenario
) -> Iterator[tuple]:
    """A ``set`` event must name a settable field and give it a valid value."""
    segs, at = ev.path.split("."), [*base, "path"]
    model, fields = Parameters, list(Parameters.model_fields) + ["lambda"]
    if segs[0] == "actors" and len(segs) == 3:
        model, fields = Actor, SETTABLE_ACTOR_FIELDS
        if segs[1] not in ids:
            yield at, _unknown("actor", segs[1], ids)
    elif segs[0] != "parameters" or len(segs) != 2:
        yield at, f"expected 'parameters.<name>' or 'actors.<id>.<name>', not {ev.path}"
        return
    if segs[-1] not in fields:
        yield at, _unknown("settable key", segs[-1], fields)
        return
    f = next(f for n, f in model.model_fields.items() if segs[-1] in (n, f.alias))
    tp = Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation
    try:
        TypeAdapter(tp).validate_python(ev.value)
    except ValidationError as exc:
        for _, path, msg in _pydantic_problems(exc, ev.value, [*base, "value"]):
            yield path, msg
        return
    noun, valid = _key_domain(segs[-1], ids, geography_for(sc.map))
    if valid is not None and isinstance(ev.value, dict):
        for key in sorted(set(ev.value) - set(valid), key=str):
            yield [*base, "value", key], _unknown(noun, key, valid)
    try:  # the whole section again, as it will be when the event fires
        sc.model_copy(deep=True).set_value(ev.path, ev.value)
    except KeyError:
        return  # an unknown actor, reported above
    except ValidationError as exc:
        first = exc.errors()[0]
        yield (
            [*base, "value"],
            f"this value would make the scenario invalid: {first['msg']}",
        )


def _reference_problems(sc: Scenario) -> Iterator[tuple[list, str]]:
    """Names that the schema cannot check: actors, provinces, nodes, groups..."""
    geo, ids = geography_for(sc.map), list(sc.actors)
    try:
        sc.date_of(sc.steps)  # every step needs a calendar date
    except OverflowError:
        yield (
            ["steps"],
            (
                f"{sc.steps} steps of {sc.step_days} days from {sc.start} would end "
                "after the year 9999"
            ),
        )
    govs = [a for a, x in sc.actors.items() if x.kind == "government"]
    for aid in govs[1:]:
        msg = f"more than one actor of kind 'government' ({', '.join(govs)})"
        yield ["actors", aid, "kind"], msg + "; at most one may be"
    for aid, actor in sc.actors.items():
        for field in ("forces", "recruits", "interests", "intent", "credit"):
            noun, valid = _key_domain(field, ids, geo)
            for key in getattr(actor, field).keys() - set(valid):
                yield ["actors", aid, field, key], _unknown(noun, key, valid)
        for i, node in enumerate(actor.staging):
            if node not in geo.staging_keys:
                msg = _unknown("staging node", node, geo.staging_keys)
                yield ["actors", aid, "staging", i], msg
    for field in ("terrain", "move_weights"):
        noun, valid = _key_domain(field, ids)
        for key in getattr(sc.parameters, field).keys() - set(valid):
            yield ["parameters", field, key], _unknown(noun, key, valid)
    first: dict[frozenset, int] = {}
    for i, rel in enumerate(sc.relations):
        for name in set(rel.pair) - set(ids):
            yield ["relations", i, "pair"], _unknown("actor", name, ids)
        if (j := first.setdefault(frozenset(rel.pair), i)) != i:
            msg = f"a second relation for {' and '.join(rel.pair)} (see relations[{j}])"
            yield ["relations", i, "pair"], msg
    set_alone_ok = True
    for i, ev in enumerate(sc.events):
        if ev.at is not None and ev.at < sc.start:
            yield ["events", i, "at"], f"{ev.at} is before the start, {sc.start}"
        for key in _EVENT_ACTOR_KEYS:
            if (name := getattr(ev, key, None)) is not None and name not in ids:
                yield ["events", i, key], _unknown("actor", name, ids)
        for k, p in enumerate(getattr(ev, "provinces", None) or ()):
            if p not in geo.names:
                yield ["events", i, "provinces", k], _unknown("province", p, geo.names)
        if isinstance(ev, SetEvent):
            alone = list(_set_event_problems(ev, ["events", i], ids, sc))
            set_alone_ok = set_alone_ok and not alone
            yield from alone
    if set_alone_ok:
        yield from _set_sequence_problems(sc)


def _set_sequence_problems(sc: Scenario) -> Iterator[tuple[list, str]]:
    """``set`` events applied one after another, in the order they will fire.

    Each may be valid alone and still clash with an earlier one (an
    ``enemy_threshold`` raised above an ``ally_threshold`` lowered before it).
    """
    fired = sorted(
        (ev.step if ev.step is not None else sc.step_of(ev.at), i)
        for i, ev in enumerate(sc.events)
        if isinstance(ev, SetEvent)
    )
    state = sc.model_copy(deep=True)
    for _, i in fired:
        ev = sc.events[i]
        try:
            state.set_value(ev.path, ev.value)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"].removeprefix("Value error, ")
            yield (
                ["events", i, "value"],
                "after the set events that fire before it, this value would make "
                f"the scenario invalid: {msg}",
            )
            return


def _validate(tree: Any, root: _Origin) -> Scenario:
    try:
        scenario = Scenario.model_validate(_plain(tree))
    except ValidationError as exc:
        raise _first_error(_pydantic_problems(exc, tree, []), tree, root) from None
    problems = [(0, segs, msg) for segs, msg in _reference_problems(scenario)]
    if problems:
        raise _first_error(problems, tree, root)
    return scenario


# --- public entry points ----------------------------------------------------------


def load_scenario(
    path: str | os.PathLike[str], overrides: Sequence[str] | Mapping[str, Any] = ()
) -> Scenario:
    """Read a scenario file, resolve ``extends``, apply overrides and validate.

    Args:
        path: the YAML file.
        overrides: ``--set`` strings or a ``{path: value}`` dict, applied after
            inheritance (see :func:`apply_overrides`).

    Returns:
        The validated scenario, every cross-reference checked.

    Raises:
        ScenarioError: any problem, located by file, line and key path.
    """
    shown = str(path)
    tree = _load_tree(Path(path), shown, ((Path(path).resolve(), shown),))
    return _validate(apply_overrides(tree, overrides), _Origin(shown))


def scenario_from_dict(data: dict, source: str = "<dict>") -> Scenario:
    """Validate a scenario built in code (notebooks) as strictly as a file.

    Args:
        data: the scenario as nested dicts and lists (no ``extends``).
        source: the name that errors give in place of a file name.

    Raises:
        ScenarioError: any problem, located by key path.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(f"expected a mapping, got {_show(data)}", source)
    if "extends" in data:
        raise ScenarioError("'extends' works only in files", source, None, "extends")
    return _validate(dict(data), _Origin(source))


def resolved_dict(scenario: Scenario) -> dict:
    """The scenario as JSON-ready data with every default filled in (manifest.json).

    Keys use the file spelling (``lambda``, not ``lam``), so the result can be
    written as YAML and loaded again.
    """
    return scenario.model_dump(mode="json", by_alias=True)
