"""Turn valid scenarios into invalid ones, each with the error it must give.

A :class:`Case` is one invalid input (a file, its parent files, ``--set``
overrides) with the key path the loader must name (as
:func:`sim.scenario.paths.format_path` prints it: ``actors.russia.forces.Kunduz``,
``relations[0].pair``) and words the message must hold (``did you mean
'russia'?``). Cases are distinct by ``(kind, site)``: the mutation and where
it was applied.

- :func:`data_cases` mutates a scenario dict at every site the schema allows
  (wrong types, missing keys, out-of-range values, unknown keys and names,
  NaN and infinities, huge numbers, long strings, cross-field rules); the
  schema is read from :mod:`sim.scenario.schema`, so new keys are fuzzed too.
- :func:`text_cases` breaks a scenario file's text (YAML syntax, tabs,
  duplicate keys, tags, alias bombs, deep nesting, non-UTF-8 bytes, cuts).
- :func:`file_cases`, :func:`extends_cases` and :func:`override_cases` cover
  whole files, ``extends:`` and ``--set``.

One module a family: :mod:`.base` (cases, paths, copies), :mod:`.slots` (what
the schema allows where), :mod:`.data` and :mod:`.cross` (scenario data),
:mod:`.text` (file text) and :mod:`.files` (files, extends, overrides).
"""

from __future__ import annotations

from tests.property.mutations.base import (
    MB,
    Case,
    Mutation,
    Names,
    _deepcopy,
    dump,
    fmt,
    get,
    limit_per_kind,
    misspell,
    rename_key,
    walk,
    with_value,
)
from tests.property.mutations.data import data_cases, data_mutations
from tests.property.mutations.files import extends_cases, file_cases, override_cases
from tests.property.mutations.slots import Slot, slot_at
from tests.property.mutations.text import cut_cases, key_lines, text_cases

__all__ = [
    "Case",
    "MB",
    "Mutation",
    "Names",
    "Slot",
    "_deepcopy",
    "cut_cases",
    "data_cases",
    "data_mutations",
    "dump",
    "extends_cases",
    "file_cases",
    "fmt",
    "get",
    "key_lines",
    "limit_per_kind",
    "misspell",
    "override_cases",
    "rename_key",
    "slot_at",
    "text_cases",
    "walk",
    "with_value",
]
