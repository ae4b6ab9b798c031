"""Spec schemas as plain JSON Schema (draft 2020-12): cleaned, refs inlined, and
paired with the IR type the SDK gives them. Everything is read off the spec and
the generator's IR; nothing is listed by hand."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any, Literal

from generator import ir
from generator.parse.loader import resolve_pointer
from generator.parse.operations import _json_schema, raw_operations

# OpenAPI-only keys (not JSON Schema) and the published spec's `$id`/`$schema`,
# some of which are wrong and would send a validator resolving elsewhere.
_DROP = frozenset({"$id", "$schema", "example", "discriminator", "xml", "externalDocs"})

Side = Literal["request", "response", "event"]


def clean(node: Any) -> Any:
    """A deep copy without `$id`, `$schema` and OpenAPI-only keys."""
    if isinstance(node, dict):
        return {k: clean(v) for k, v in node.items() if k not in _DROP}
    if isinstance(node, list):
        return [clean(v) for v in node]
    return node


def inline(raw: dict[str, Any], schema: Any, stack: tuple[str, ...] = ()) -> Any:
    """``schema`` with every local ``$ref`` replaced by its (cleaned) target."""
    if isinstance(schema, list):
        return [inline(raw, v, stack) for v in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str):
        if ref in stack:
            raise ValueError(f"recursive schema at {ref}: cannot inline")
        target = inline(raw, clean(resolve_pointer(raw, ref, ref)), (*stack, ref))
        rest = {k: v for k, v in schema.items() if k != "$ref"}
        return {"allOf": [target, inline(raw, rest, stack)]} if rest else target
    return {k: inline(raw, v, stack) for k, v in clean(schema).items()}


@dataclass(frozen=True)
class SchemaCase:
    """One schema of the spec and the SDK type that stands for it."""

    label: str  # e.g. "createBot request body"
    side: Side
    schema: dict[str, Any]  # self-contained (refs inlined)
    type: ir.TypeRef

    @property
    def key(self) -> str:
        return json.dumps([self.side, self.schema, repr(self.type)], sort_keys=True)


def _data_of_envelope(raw: dict[str, Any], schema: Any) -> Any:
    target = schema
    while isinstance(target, dict) and "$ref" in target:
        target = resolve_pointer(raw, target["$ref"], target["$ref"])
    props = target.get("properties") if isinstance(target, dict) else None
    if not isinstance(props, dict) or "data" not in props:
        raise AssertionError(f"IR says unwrapped but no `data` in {schema}")
    return props["data"]


def _raw_ops(raw: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(r.path, r.method.upper()): r.op for r in raw_operations(raw)}


def _webhook_schema(raw: dict[str, Any], event: ir.WebhookEvent) -> Any:
    components = (raw.get("components") or {}).get("schemas") or {}
    if event.schema_name in components:
        return {"$ref": f"#/components/schemas/{event.schema_name}"}
    for name, item in (raw.get("webhooks") or {}).items():
        if name != event.schema_name:
            continue
        for op in item.values():
            found = _json_schema(raw, op.get("requestBody"), "#/webhooks")
            if found is not None:
                return found[0]
    raise AssertionError(f"no schema found for webhook {event.schema_name}")


def schema_cases(raw: dict[str, Any], api: ir.Api) -> list[SchemaCase]:
    """Every request body, response (success and error) and webhook/callback
    payload of the spec, deduplicated (the same error schema is on most paths)."""
    ops = _raw_ops(raw)
    found: dict[str, SchemaCase] = {}

    def add(label: str, side: Side, schema: Any, t: ir.TypeRef) -> None:
        case = SchemaCase(label, side, inline(raw, schema), t)
        found.setdefault(case.key, case)

    for op in api.operations:
        raw_op = ops[(op.path, op.http_method)]
        if op.body is not None:
            body = _json_schema(raw, raw_op["requestBody"], "#")
            assert body is not None, op.operation_id
            add(f"{op.operation_id} request body", "request", body[0], op.body.type)
        responses = raw_op.get("responses") or {}
        if op.response is not None and op.response.type is not None:
            got = _json_schema(raw, responses[str(op.response.status)], "#")
            assert got is not None, op.operation_id
            schema = _data_of_envelope(raw, got[0]) if op.response.unwrapped else got[0]
            add(f"{op.operation_id} response", "response", schema, op.response.type)
        for error in op.errors:
            got = _json_schema(raw, responses[error.status], "#")
            if error.type is not None and got is not None:
                label = f"{op.operation_id} {error.status} error"
                add(label, "response", got[0], error.type)
    for event in api.events:
        label = f"{event.kind} {event.event} ({event.schema_name})"
        add(label, "event", _webhook_schema(raw, event), event.type)
    return list(found.values())


def patterns(raw: dict[str, Any]) -> list[str]:
    """Every distinct `pattern` of the spec, in a stable order."""
    seen: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                seen.add(node["pattern"])
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(raw.get("paths"))
    walk(raw.get("components"))
    walk(raw.get("webhooks"))
    return sorted(seen)


def with_copy(schema: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(schema)
