"""Small IR types the shape builder makes of others (a union of item types, a
nullable, the literals of a non-string enum), and the type a schema without
``type`` implies by its keys."""

from __future__ import annotations

from typing import Any

from .. import ir
from ..errors import SpecError
from .schemas import child

__all__ = ["any_of", "implied_type", "literals", "or_null"]


def implied_type(schema: dict[str, Any]) -> str | None:
    """The ``type`` a schema without one has by its keys: "array" with
    ``items``, "object" with ``properties``; None for any value."""
    if "items" in schema or "prefixItems" in schema:
        return "array"
    return "object" if "properties" in schema else None


def any_of(options: list[ir.TypeRef]) -> ir.TypeRef:
    """One of the types: the type, a union of them, or any value (none, or
    any value among them)."""
    unique = list(dict.fromkeys(options))
    if ir.ANY in unique or not unique:
        return ir.ANY
    return unique[0] if len(unique) == 1 else ir.UnionType(tuple(unique))


def or_null(t: ir.TypeRef, nullable: bool) -> ir.TypeRef:
    """``t``, nullable when ``nullable`` (never nullable twice)."""
    return ir.Nullable(t) if nullable and not isinstance(t, ir.Nullable) else t


def literals(values: tuple[Any, ...], where: str) -> ir.TypeRef:
    """One allowed value is a constant; the SDK's enums are string enums, so
    integer, number and mixed enums are unions of literals."""
    for v in values:
        if isinstance(v, dict | list):
            raise SpecError(f"unsupported enum value {v!r}", child(where, "enum"))
    literals = tuple(ir.LiteralType(v) for v in values)
    return literals[0] if len(literals) == 1 else ir.UnionType(literals)
