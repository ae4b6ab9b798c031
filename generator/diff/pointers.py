"""JSON pointers into the raw spec, for the details the IR does not keep."""

from __future__ import annotations

from typing import Any

from ..errors import SpecError, pointer
from ..parse.loader import resolve_pointer
from ..parse.schemas import child

_MAX_HOPS = 64


def operation(path: str, method: str) -> str:
    return pointer("paths", path, method.lower())


def parameter(
    raw: dict[str, Any], path: str, method: str, location: str, name: str
) -> str:
    """The parameter's entry (operation level first, as it wins), or the operation."""
    item = (raw.get("paths") or {}).get(path) or {}
    op = item.get(method.lower()) or {}
    for where, params in (
        (operation(path, method), op.get("parameters")),
        (pointer("paths", path), item.get("parameters")),
    ):
        found = _param_index(raw, params, location, name)
        if found is not None:
            return child(where, "parameters", found)
    return operation(path, method)


def _param_index(
    raw: dict[str, Any], params: Any, location: str, name: str
) -> int | None:
    """The index of the parameter ``name`` in ``location`` in a parameters list."""
    for i, entry in enumerate(params or []):
        if _is_param(raw, entry, location, name):
            return i
    return None


def _is_param(raw: dict[str, Any], entry: Any, location: str, name: str) -> bool:
    """``entry`` (maybe a ``$ref``) is the parameter ``name`` in ``location``."""
    target = entry
    if isinstance(entry, dict) and isinstance(entry.get("$ref"), str):
        target = _resolve(raw, entry["$ref"])
    return (
        isinstance(target, dict)
        and target.get("name") == name
        and target.get("in") == location
    )


def property_of(raw: dict[str, Any], source: str, wire_name: str) -> str:
    """Where ``wire_name`` is declared in the schema at ``source`` (through $ref,
    allOf, anyOf, oneOf); ``source`` itself when it cannot be found."""
    queue: list[tuple[str, Any]] = [(source, _resolve(raw, source))]
    hops = 0
    while queue and hops < _MAX_HOPS:
        where, node = queue.pop(0)
        hops += 1
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("$ref"), str):
            queue.append((node["$ref"], _resolve(raw, node["$ref"])))
            continue
        props = node.get("properties")
        if isinstance(props, dict) and wire_name in props:
            return child(where, "properties", wire_name)
        queue.extend(_composed_parts(where, node))
    return source


def _composed_parts(where: str, node: dict[str, Any]) -> list[tuple[str, Any]]:
    """The allOf, anyOf and oneOf parts of a schema, each with its pointer."""
    return [
        (child(where, key, i), part)
        for key in ("allOf", "anyOf", "oneOf")
        for i, part in enumerate(node.get(key) or [])
    ]


def _resolve(raw: dict[str, Any], ref: str) -> Any:
    try:
        return resolve_pointer(raw, ref, ref)
    except SpecError:  # a pointer is only a hint: never fail the diff for it
        return None
