"""Cases and the small tools every mutation uses: paths, copies, dumps, names."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

MB = 1_000_000


@dataclass(frozen=True)
class Case:
    """One invalid input and what the error must say.

    Attributes:
        kind: the mutation, e.g. ``out_of_range_high``.
        site: where it was applied (a key path or a line), for deduplication.
        files: file name → bytes (or a maker of them); ``main`` is loaded.
        main: the file given to the loader.
        overrides: ``--set`` strings.
        path: the key path the error must name (None: no key path applies,
            e.g. a YAML syntax error; then ``line`` is checked).
        prefix: ``path`` need only start the error's path (deep nesting).
        expect: words the message must contain.
        line: the line the error must name, when known.
        blame: the file the error must name (default ``main``).
    """

    kind: str
    site: str
    files: dict[str, bytes | Callable[[], bytes]] = field(default_factory=dict)
    main: str = "scenario.yaml"
    overrides: tuple[str, ...] = ()
    path: str | None = None
    prefix: bool = False
    expect: tuple[str, ...] = ()
    line: int | None = None
    blame: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What makes the case distinct: the mutation and its site."""
        return (self.kind, self.site)


def fmt(segs) -> str:
    """A key path as the loader prints it: ``relations[0].pair``."""
    text = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in segs)
    return text.removeprefix(".")


def dump(data: Any) -> bytes:
    """Scenario data as a YAML file."""
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster
    text = yaml.dump(
        data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=1000
    )
    return text.encode()


def misspell(word: str) -> str:
    """A near miss of ``word`` that difflib matches to it: its last letter twice.

    A name ending in a digit (``P12``) gets an ``x`` instead, so that it does
    not become another name (``P122``) or as close to one as to ``word``.
    """
    return word + ("x" if word[-1:].isdigit() else word[-1:])


# --- data mutations ------------------------------------------------------------


def walk(node: Any, segs: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every (key path, value) below ``node``, parents before children."""
    items = node.items() if isinstance(node, dict) else enumerate(node)
    for k, v in items:
        yield (*segs, k), v
        if isinstance(v, dict | list):
            yield from walk(v, (*segs, k))


def get(data: Any, segs: tuple) -> Any:
    """The value at ``segs``."""
    for s in segs:
        data = data[s]
    return data


def with_value(
    data: dict, segs: tuple, value: Any, delete: bool = False
) -> Callable[[], dict]:
    """A maker of a copy of ``data`` with ``segs`` set to ``value`` (or deleted).

    Lazy, so that listing every mutation of a file costs no copies.
    """
    return lambda: _with_value(data, segs, value, delete)


def _with_value(data: dict, segs: tuple, value: Any, delete: bool = False) -> dict:
    if not segs:
        return _deepcopy(value)
    out = _deepcopy(data)
    parent = get(out, segs[:-1])
    if delete:
        del parent[segs[-1]]
    else:
        parent[segs[-1]] = value
    return out


def _deepcopy(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _deepcopy(v) for k, v in x.items()}
    return [_deepcopy(v) for v in x] if isinstance(x, list) else x


def rename_key(data: dict, segs: tuple, new: Any) -> Callable[[], dict]:
    """A maker of a copy of ``data`` with the key at ``segs`` renamed in place."""
    return lambda: _rename_key(data, segs, new)


def _rename_key(data: dict, segs: tuple, new: Any) -> dict:
    out = _deepcopy(data)
    parent = get(out, segs[:-1])
    items = [(new if k == segs[-1] else k, v) for k, v in parent.items()]
    parent.clear()
    parent.update(items)
    return out


@dataclass(frozen=True)
class Names:
    """The valid names of one scenario, for "did you mean" checks."""

    actors: tuple[str, ...]
    places: tuple[str, ...]
    provinces: tuple[str, ...]
    staging: tuple[str, ...]


class Mutation(NamedTuple):
    """One change to a valid scenario and the error it must give."""

    kind: str
    segs: tuple  # where the change is made
    make: Callable[[], dict]  # builds the changed scenario (lazily: no copies)
    path: str | None  # the key path the error must name
    expect: tuple[str, ...]  # words the message must hold
    prefix: bool = False  # ``path`` need only start the error's path


def _m(kind, segs, make, path, *expect, prefix=False) -> Mutation:
    return Mutation(kind, segs, make, path, expect, prefix)


def limit_per_kind(cases: list[Case], n: int) -> list[Case]:
    """At most ``n`` cases of each kind, spread evenly over the sites."""
    by_kind: dict[str, list[Case]] = {}
    for c in cases:
        by_kind.setdefault(c.kind, []).append(c)
    out = []
    for group in by_kind.values():
        step = max(1, len(group) // n)
        out += group[::step][:n]
    return out
