"""``allOf``: merged into one object, or, when its other parts only annotate
one ``$ref``, that ``$ref`` itself (so a described reference may recurse)."""

from __future__ import annotations

from typing import Any

from ..errors import SpecError
from .loader import deref
from .schemas import child


def merge_all_of(raw: Any, schema: dict[str, Any], where: str) -> dict[str, Any]:
    """allOf -> one object: properties of every part, required = union."""
    merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
    properties: dict[str, Any] = dict(merged.pop("properties", {}) or {})
    required: list[str] = list(merged.pop("required", []) or [])
    for i, part in enumerate(schema["allOf"]):
        resolved = _part(raw, part, child(where, "allOf", i))
        if resolved is not None:
            _merge_part(resolved, merged, properties, required)
    if properties:
        merged["properties"] = properties
        merged.setdefault("type", "object")
    if required:
        merged["required"] = required
    return merged


def _part(raw: Any, part: Any, where: str) -> dict[str, Any] | None:
    """One ``allOf`` part, its ``$ref``s followed and its own ``allOf``
    merged; None for a boolean one (``true`` adds nothing; ``false`` can
    never be met)."""
    node, part_where = deref(raw, part, where)
    if isinstance(node, bool):
        return None
    if not isinstance(node, dict):
        raise SpecError("allOf items must be schemas", part_where)
    return merge_all_of(raw, node, part_where) if "allOf" in node else node


def _merge_part(
    part: dict[str, Any],
    merged: dict[str, Any],
    properties: dict[str, Any],
    required: list[str],
) -> None:
    """Add one ``allOf`` part: its properties and required names to theirs,
    its other keys where the merged schema has none."""
    for key, value in part.items():
        if key == "properties":
            properties.update(value)
        elif key == "required":
            required.extend(r for r in value if r not in required)
        elif key not in merged and key not in ("$id", "$schema"):
            merged[key] = value


# Keys that say nothing about a value's shape.
_ANNOTATIONS = {
    "description",
    "title",
    "$comment",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "examples",
    "externalDocs",
    "nullable",
}


def single_part(schema: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
    """The one ``$ref`` of an ``allOf`` whose other parts and keys only add
    annotations (``allOf: [{$ref: X}, {description: ...}]``), else None."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not set(schema) - {"allOf"} <= _ANNOTATIONS:
        return None
    refs = [(i, p) for i, p in enumerate(parts) if _is_ref(p)]
    rest = [p for p in parts if not _is_ref(p)]
    if len(refs) == 1 and all(_annotation_only(p) for p in rest):
        return refs[0]
    return None


def _is_ref(part: Any) -> bool:
    return isinstance(part, dict) and "$ref" in part


def _annotation_only(part: Any) -> bool:
    return isinstance(part, dict) and set(part) <= _ANNOTATIONS
