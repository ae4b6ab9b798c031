"""Discriminated unions: which tag value selects which option, old against new.

Two unions can offer the same options and still read the same data differently: when
the spec's ``mapping`` sends a tag value to another option, a payload that parsed as
one class now parses as another. The type relation (``typecompat``) sees the same set
of options, so this is checked on its own.
"""

from __future__ import annotations

from typing import Any

from .. import ir
from ..describe import type_str
from .typecompat import Relation


def _union(t: ir.TypeRef) -> ir.UnionType | None:
    """The union a value holds, through None, lists and maps."""
    match t:
        case ir.UnionType():
            return t
        case ir.Nullable():
            return _union(t.inner)
        case ir.ListType():
            return _union(t.item)
        case ir.DictType():
            return _union(t.value)
        case _:
            return None


def _as_new(option: ir.TypeRef, renames: dict[str, str]) -> str:
    """An old option spelled with the new version's class names."""
    if isinstance(option, ir.ModelRef | ir.EnumRef):
        return renames.get(option.name, option.name)
    return type_str(option)


def _spelled(option: ir.TypeRef) -> str:
    if isinstance(option, ir.ModelRef | ir.EnumRef):
        return option.name
    return type_str(option)


def mapping_changes(old_t: ir.TypeRef, new_t: ir.TypeRef, relation: Relation) -> str:
    """What tags select now that they did not before ("" when nothing)."""
    old, new = _union(old_t), _union(new_t)
    if old is None or new is None or not (old.discriminator or new.discriminator):
        return ""
    if old.discriminator and new.discriminator != old.discriminator:
        return f"options told apart by {new.discriminator!r}, not {old.discriminator!r}"
    return "; ".join(_tag_changes(old, new, relation))


def _tag_changes(old: ir.UnionType, new: ir.UnionType, relation: Relation) -> list[str]:
    """Each old tag value that selects another option now."""
    renames = dict(relation.pairs.models) | dict(relation.pairs.enums)
    now = {value: option for value, option in new.mapping}
    found: list[str] = []
    for value, option in old.mapping:
        change = _tag_change(value, _as_new(option, renames), now)
        if change:
            found.append(change)
    return found


def _tag_change(value: Any, was: str, now: dict[Any, ir.TypeRef]) -> str:
    """What tag ``value`` (which selected ``was``) selects now ("" the same)."""
    if value not in now:
        return f"{value!r} no longer selects {was}"
    if _spelled(now[value]) != was:
        return f"{value!r} selects {_spelled(now[value])}, not {was}"
    return ""
