"""Validation changes of one value: which got stricter and which looser.

Only request values are checked (a stricter rule refuses what users sent before).
zod's "safe integer" bounds (+/- 2**53 - 1) say nothing and count as no bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from .. import ir

MAX_SAFE_INTEGER = 2**53 - 1

# (attribute, which way is stricter): "up" = a larger value is stricter.
_BOUNDS: tuple[tuple[str, str, str], ...] = (
    ("min_length", "up", "minLength"),
    ("max_length", "down", "maxLength"),
    ("minimum", "up", "minimum"),
    ("maximum", "down", "maximum"),
    ("exclusive_minimum", "up", "exclusiveMinimum"),
    ("exclusive_maximum", "down", "exclusiveMaximum"),
)


@dataclass(frozen=True)
class ConstraintChange:
    tightened: bool
    text: str  # e.g. "maxLength 100 -> 50"
    pattern: bool = False  # a pattern added, removed or changed
    pattern_changed: bool = False  # one pattern replaced by another


@dataclass(frozen=True)
class FormatChange:
    text: str  # e.g. "format 'uuid' -> 'uri'"
    old_type: str  # the Python types it is read and written as
    new_type: str

    @property
    def python_type(self) -> bool:
        return self.old_type != self.new_type


def _bound(value: int | float | None) -> int | float | None:
    if value is not None and abs(value) == MAX_SAFE_INTEGER:
        return None
    return value


def _show(value: object) -> str:
    return "none" if value is None else repr(value)


def _compare_bound(
    old: int | float | None, new: int | float | None, way: str, label: str
) -> ConstraintChange | None:
    old, new = _bound(old), _bound(new)
    if old == new:
        return None
    if old is None:
        tightened = True
    elif new is None:
        tightened = False
    else:
        tightened = new > old if way == "up" else new < old
    return ConstraintChange(tightened, f"{label} {_show(old)} -> {_show(new)}")


def _compare_exact(old: object, new: object, label: str) -> ConstraintChange | None:
    """Pattern, multipleOf, format: adding or changing one is stricter."""
    if old == new:
        return None
    return ConstraintChange(new is not None, f"{label} {_show(old)} -> {_show(new)}")


def compare(old: ir.TypeRef, new: ir.TypeRef) -> list[ConstraintChange]:
    old, new = ir.unwrap_nullable(old), ir.unwrap_nullable(new)
    match old:
        case ir.ListType() if isinstance(new, ir.ListType):
            found: list[ConstraintChange] = []
            for attr, way, label in (
                ("min_items", "up", "minItems"),
                ("max_items", "down", "maxItems"),
            ):
                bound = _compare_bound(
                    getattr(old, attr), getattr(new, attr), way, label
                )
                if bound:
                    found.append(bound)
            return found + compare(old.item, new.item)
        case ir.Primitive() if isinstance(new, ir.Primitive) and old.kind == new.kind:
            return _value_rules(old.constraints, new.constraints)
        case (
            ir.Primitive()  # another kind: a type change, reported as such
            | ir.ListType()
            | ir.ModelRef()
            | ir.EnumRef()
            | ir.LiteralType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return []
        case _:
            assert_never(old)


def _value_rules(oc: ir.Constraints, nc: ir.Constraints) -> list[ConstraintChange]:
    found: list[ConstraintChange] = []
    for attr, way, label in _BOUNDS:
        change = _compare_bound(getattr(oc, attr), getattr(nc, attr), way, label)
        if change:
            found.append(change)
    pattern = _compare_exact(oc.pattern, nc.pattern, "pattern")
    if pattern:
        both = oc.pattern is not None and nc.pattern is not None
        found.append(
            ConstraintChange(
                pattern.tightened, pattern.text, True, pattern_changed=both
            )
        )
    multiple = _compare_exact(oc.multiple_of, nc.multiple_of, "multipleOf")
    if multiple:
        found.append(multiple)
    return found


def format_change(old: ir.TypeRef, new: ir.TypeRef) -> FormatChange | None:
    """A changed ``format`` of a value that stays a string (or number)."""
    old, new = ir.unwrap_nullable(old), ir.unwrap_nullable(new)
    match old:
        case ir.ListType() if isinstance(new, ir.ListType):
            return format_change(old.item, new.item)
        case ir.Primitive() if (
            isinstance(new, ir.Primitive)
            and old.kind == new.kind
            and old.format != new.format
        ):
            return FormatChange(
                f"format {_show(old.format)} -> {_show(new.format)}",
                ir.python_class(old),
                ir.python_class(new),
            )
        case (
            ir.Primitive()
            | ir.ListType()
            | ir.ModelRef()
            | ir.EnumRef()
            | ir.LiteralType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return None
        case _:
            assert_never(old)
