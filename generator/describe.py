"""IR -> plain data and text, for ``sdkgen inspect`` (stable, sorted, diffable)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any, assert_never

from . import ir


def type_str(t: ir.TypeRef | None) -> str:
    """A short Python-like spelling of a type, e.g. ``list[Bot] | None``."""
    if t is None:
        return "None"
    match t:
        case ir.Primitive():
            return t.kind if not t.format else f"{t.kind}<{t.format}>"
        case ir.ModelRef() | ir.EnumRef():
            return t.name
        case ir.LiteralType():
            return f"Literal[{json.dumps(t.value)}]"
        case ir.ListType():
            return f"list[{type_str(t.item)}]"
        case ir.DictType():
            return f"dict[str, {type_str(t.value)}]"
        case ir.UnionType():
            return " | ".join(type_str(o) for o in t.options)
        case ir.Nullable():
            return f"{type_str(t.inner)} | None"
        case _:
            assert_never(t)


def _constraints(c: ir.Constraints) -> dict[str, Any]:
    return {k: v for k, v in dataclasses.asdict(c).items() if v is not None}


def json_value(value: ir.JsonValue) -> Any:
    """A frozen IR value back as plain JSON data."""
    pairs = ir.object_items(value)
    if pairs is not None:
        return {k: json_value(v) for k, v in pairs}
    if isinstance(value, tuple):
        return [json_value(v) for v in value]
    return value


def _field(f: ir.Field | ir.Param) -> dict[str, Any]:
    out: dict[str, Any] = {
        "name": f.wire_name,
        "python_name": f.python_name,
        "type": type_str(f.type),
        "required": f.required,
    }
    if isinstance(f, ir.Param):
        out["in"] = f.location
    if f.has_default:
        out["default"] = json_value(f.default)
    constraints = _rules(ir.unwrap_nullable(f.type))
    if constraints:
        out["constraints"] = constraints
    return out


def _rules(t: ir.TypeRef) -> dict[str, Any]:
    """The validation rules a value of type ``t`` carries itself."""
    match t:
        case ir.Primitive():
            return {} if t.constraints.is_empty() else _constraints(t.constraints)
        case ir.ListType():
            bounds = (("min_items", t.min_items), ("max_items", t.max_items))
            return {k: v for k, v in bounds if v is not None}
        case (
            ir.ModelRef()
            | ir.EnumRef()
            | ir.LiteralType()
            | ir.DictType()
            | ir.UnionType()
            | ir.Nullable()
        ):
            return {}
        case _:
            assert_never(t)


def api_to_data(api: ir.Api) -> dict[str, Any]:
    return {
        "title": api.title,
        "version": api.version,
        "servers": [s.url for s in api.servers],
        "auth": [dataclasses.asdict(a) for a in api.auth],
        "operations": [
            _operation_data(op)
            for op in sorted(api.operations, key=lambda o: (o.path, o.http_method))
        ],
        "models": [
            {
                "name": m.name,
                "usage": list(m.usage),
                "fields": [_field(f) for f in m.fields],
            }
            for m in api.models
        ],
        "enums": [{"name": e.name, "values": list(e.values)} for e in api.enums],
        "events": [
            {
                "event": e.event,
                "kind": e.kind,
                "type": e.type.name,
                "schema": e.schema_name,
            }
            for e in api.events
        ],
        "stats": dict(api.stats),
    }


def _operation_data(op: ir.Operation) -> dict[str, Any]:
    return {
        "operation_id": op.operation_id,
        "method": op.http_method,
        "path": op.path,
        "python": op.python_call,
        "params": [_field(p) for p in op.params],
        "body": type_str(op.body.type) if op.body else None,
        "response": type_str(op.response.type) if op.response else None,
        "paginated": op.pagination is not None,
        "errors": {e.status: type_str(e.type) for e in op.errors},
    }


def api_to_json(api: ir.Api) -> str:
    return (
        json.dumps(api_to_data(api), indent=2, sort_keys=True, ensure_ascii=False)
        + "\n"
    )


def api_to_text(api: ir.Api) -> str:
    lines = [f"{api.title} {api.version}", ""]
    lines.append(f"Operations ({len(api.operations)}):")
    for op in sorted(api.operations, key=lambda o: o.python_call):
        lines += _operation_lines(op)
    lines.append("")
    lines.append(f"Models ({len(api.models)}):")
    for m in api.models:
        lines.append(f"  {m.name}")
        lines += [f"      {_field_line(f)}" for f in m.fields]
    lines.append("")
    lines.append(f"Enums ({len(api.enums)}):")
    for e in api.enums:
        lines.append(f"  {e.name}: {', '.join(map(str, e.values))}")
    lines.append("")
    lines.append(f"Webhook events ({len(api.events)}):")
    for ev in api.events:
        lines.append(f"  {ev.event} [{ev.kind}] -> {ev.type.name}")
    return "\n".join(lines) + "\n"


def _operation_lines(op: ir.Operation) -> list[str]:
    args = ", ".join(p.python_name + ("" if p.required else "?") for p in op.params)
    body = f" body={type_str(op.body.type)}" if op.body else ""
    paged = " [paginated]" if op.pagination else ""
    result = type_str(op.response.type) if op.response else "None"
    return [
        f"  {op.python_call}({args}){body} -> {result}{paged}",
        f"      {op.http_method} {op.path}  ({op.operation_id})",
    ]


def _field_line(f: ir.Field) -> str:
    d = _field(f)
    extra = "" if f.required else " (optional)"
    if f.has_default:
        extra += f" = {json.dumps(json_value(f.default))}"
    if "constraints" in d:
        extra += " " + json.dumps(d["constraints"], sort_keys=True)
    return f"{f.python_name}: {type_str(f.type)}{extra}"


def apis_to_json(apis: dict[str, ir.Api]) -> str:
    """The package's API (key ``""``) as ``api_to_json`` shows it, with its
    other APIs under ``"apis"`` by module (only when it has some)."""
    data = api_to_data(apis[""])
    others = {module: api_to_data(api) for module, api in apis.items() if module}
    if others:
        data["apis"] = others
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def apis_to_text(apis: dict[str, ir.Api], package: str) -> str:
    """``api_to_text`` of the package's API, then of each of its other APIs."""
    parts = [api_to_text(apis[""])]
    for module, api in sorted(apis.items()):
        if module:
            parts.append(f"== {package}.{module} ==\n\n{api_to_text(api)}")
    return "\n".join(parts)
