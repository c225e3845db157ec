"""A section of a scenario with a few fields changed, checked field by field.

Validating a whole section (the ``parameters``, an actor) again for one new
value costs pydantic tens of microseconds; checking the new value against
its field's type and bounds, then the section's cross-field rules, costs a
few, and says the same wherever the section has no rule of another kind.
Sweeps (:mod:`sim.scenario.variations`) and the checks of ``set`` events
(:mod:`sim.scenario.references`) use it to check thousands of points.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError


@functools.cache
def field_adapter(model: type, name: str) -> TypeAdapter:
    """A validator of one field's values alone (built once: pydantic builds slowly)."""
    f = model.model_fields[name]
    return TypeAdapter(
        Annotated[f.annotation, *f.metadata] if f.metadata else f.annotation
    )


def copied(
    old: BaseModel, update: dict[str, Any], given: set[str] | None = None
) -> BaseModel:
    """A shallow copy of ``old`` with the fields ``update`` replaced.

    Its record of the fields given (``given``; default: those of ``old`` and
    ``update``) is built in the model's field order, as validation builds
    it, so that the copy pickles to the same bytes as the model validated
    afresh (a copied set may iterate in another order).
    """
    new = old.model_copy(update=update)
    given = old.model_fields_set | update.keys() if given is None else given
    fields = {name for name in type(old).model_fields if name in given}
    object.__setattr__(new, "__pydantic_fields_set__", fields)
    return new


def fields_changed(old: BaseModel, data: dict, keys: set) -> BaseModel | None:
    """``old`` with the fields ``keys`` of ``data`` validated alone, or None.

    What validating the whole section gives when only those fields changed
    and all is well: each field's value checked against its type and bounds
    (the field's own validator), then the section's cross-field rules. None
    where that cannot be said field by field (a field with a validator of
    its own, a field removed) or something is wrong (a bad value, a rule
    that fails): the caller validates the whole section, which words the
    error as loading does.
    """
    model = type(old)
    kept, rules, by_key, keyed = _shape(model)
    if rules is None:
        return None
    names = {}
    for key in keys:
        name = by_key.get(key)
        if name is None or name in kept or key not in data:
            return None
        names[name] = key
    values = {}
    for name, key in names.items():
        try:
            values[name] = field_adapter(model, name).validate_python(data[key])
        except ValidationError:
            return None
    given = {n for n, alias in keyed if n in data or alias in data}
    new = copied(old, values, given)
    try:
        for rule in rules:
            new = rule.func(new)
    except Exception:
        return None
    return new


@functools.cache
def _shape(model: type[BaseModel]) -> tuple:
    """What :func:`fields_changed` needs of a model, worked out once.

    (fields with validators of their own, the model's "after" rules or None
    if it has rules of another kind, field by file key or name, and
    ``(name, file key)`` of every field in order).
    """
    decorators = model.__pydantic_decorators__
    kept = {f for d in decorators.field_validators.values() for f in d.info.fields}
    rules = list(decorators.model_validators.values())
    after = None if any(d.info.mode != "after" for d in rules) else tuple(rules)
    fields = model.model_fields
    by_key = {k: n for n, f in fields.items() for k in (n, f.alias) if k}
    keyed = tuple((n, f.alias or n) for n, f in fields.items())
    return frozenset(kept), after, by_key, keyed


def field_name(model: type[BaseModel], key: Any) -> str | None:
    """The field of ``model`` that the file key ``key`` names (alias or name)."""
    for name, f in model.model_fields.items():
        if key in (name, f.alias):
            return name
    return None
