"""Loaded spec -> IR: the published zod/orval shapes become one clean type per concept.

Order of work: operations (params, bodies, results, errors) and webhook/callback
payloads are walked first; every object and enum met becomes a deduplicated shape
(``shapes``); reachable shapes get final names (``typenames``); the IR is assembled
with names in place of shape ids.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

from . import ir, notices
from .config import Config
from .errors import SpecError
from .loader import LoadedSpec
from .operations import build_operations, raw_operations
from .problems import Problems
from .shapes import NameHint, ShapeBuilder, child, component_name
from .typenames import NameRules, name_shapes, rename


def normalise(
    spec: LoadedSpec, config: Config | None = None, problems: Problems | None = None
) -> ir.Api:
    """``problems`` given: a broken operation or payload is skipped with a warning
    (see ``problems.py``); not given: it is an error."""
    config = config or Config()
    raw = spec.raw
    builder = ShapeBuilder(raw)
    builder.problems = problems
    operations = build_operations(raw, builder, config.operations)
    events = _events(raw, builder)
    roots: list[ir.TypeRef | None] = []
    for op in operations:
        roots.extend(p.type for p in op.params)
        roots.append(op.body.type if op.body else None)
        roots.append(op.response.type if op.response else None)
        roots.extend(e.type for e in op.errors)
    roots.extend(t for _, _, t, _ in events)
    naming = name_shapes(
        builder.shapes,
        roots,
        NameRules(config.type_names, config.pointer_names, config.locked_names),
    )
    names = naming.names
    for placeholder, ref in builder.recursive_refs.items():
        target = builder._ref_types.get(ref)
        if isinstance(target, ir.ModelRef | ir.EnumRef) and target.name in names:
            names[placeholder] = names[target.name]
    api = _assemble(spec, builder, operations, events, names)
    notices.warn(*naming.warnings)
    return replace(
        api,
        warnings=naming.warnings,
        identities=tuple(sorted(naming.identities.items(), key=lambda kv: kv[0])),
    )


def _events(
    raw: dict[str, Any], builder: ShapeBuilder
) -> list[tuple[str, str, ir.TypeRef, str]]:
    """Webhook and callback payloads: (event, kind, type, spec name).

    Found in the 3.1 ``webhooks`` section, and (as the published spec does it) as
    component schemas that no path uses and whose ``event`` property is a const.
    """
    found: dict[tuple[str, str], tuple[str, str, ir.TypeRef, str]] = {}
    used_by_paths = _refs_used_by_paths(raw)
    candidates: list[tuple[str, Any, str]] = []
    for name, item in (raw.get("webhooks") or {}).items():
        for method, op in (item or {}).items():
            body = (op or {}).get("requestBody", {}) if isinstance(op, dict) else {}
            while isinstance(body, dict) and "$ref" in body:
                body = builder_resolve(raw, body["$ref"])
            schema = (
                (body or {}).get("content", {}).get("application/json", {}) or {}
            ).get("schema")
            if schema is not None:
                ref = schema.get("$ref") if isinstance(schema, dict) else None
                spec_name = component_name(ref) if isinstance(ref, str) else str(name)
                candidates.append(
                    (
                        spec_name or str(name),
                        schema,
                        child("#", "webhooks", name, method),
                    )
                )
    for name in (raw.get("components") or {}).get("schemas") or {}:
        ref = f"#/components/schemas/{name}"
        if ref not in used_by_paths and not name.endswith("Input"):
            candidates.append((name, {"$ref": ref}, ref))
    for spec_name, schema, where in candidates:
        event = _event_const(raw, schema, builder)
        if event is None:
            continue
        kind = "callback" if spec_name.lower().startswith("callback") else "webhook"
        if (event, spec_name) in found:
            continue
        hint = NameHint(0, spec_name)
        t = builder.guarded(where, partial(builder.type_of, schema, where, hint))
        if t is None:
            continue
        if not isinstance(t, ir.ModelRef):
            if builder.problems is None:
                raise SpecError("a webhook payload must be an object", where)
            builder.problems.skip(
                where, "webhook skipped: its payload is not an object"
            )
            continue
        found[(event, spec_name)] = (event, kind, t, spec_name)
    return sorted(found.values(), key=lambda e: (e[1], e[0], e[3]))


def builder_resolve(raw: dict[str, Any], ref: str) -> Any:
    from .loader import resolve_pointer

    return resolve_pointer(raw, ref, ref)


def _event_const(raw: dict[str, Any], schema: Any, builder: ShapeBuilder) -> str | None:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = builder_resolve(raw, schema["$ref"])
    if isinstance(schema, dict) and "allOf" in schema:
        schema = builder.merge_all_of(schema, "#")
    if not isinstance(schema, dict):
        return None
    event = (schema.get("properties") or {}).get("event")
    value = event.get("const") if isinstance(event, dict) else None
    if value is None and isinstance(event, dict) and len(event.get("enum") or []) == 1:
        value = event["enum"][0]
    return value if isinstance(value, str) else None


def _refs_used_by_paths(raw: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    stack: list[Any] = [r.op for r in raw_operations(raw)]
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                used.add(ref)
                stack.append(builder_resolve(raw, ref))
            stack.extend(
                v
                for k, v in node.items()
                if isinstance(v, dict | list) and not str(k).startswith("x-")
            )  # $refs inside x- extensions are opaque
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    for r in raw_operations(raw):
        stack.extend(r.path_params)
    return used


def _assemble(
    spec: LoadedSpec,
    builder: ShapeBuilder,
    operations: list[ir.Operation],
    events: list[tuple[str, str, ir.TypeRef, str]],
    names: dict[str, str],
) -> ir.Api:
    def r(t: ir.TypeRef) -> ir.TypeRef:
        return rename(t, names)

    models: list[ir.Model] = []
    enums: list[ir.Enum] = []
    usage = _usage(builder, operations, events)
    for sid, name in names.items():
        shape = builder.shapes.get(sid)
        if shape is None or shape.id != sid:
            continue
        uses = tuple(sorted(usage.get(sid, ())))
        if shape.kind == "enum":
            enums.append(ir.Enum(name, shape.values, shape.doc, uses, shape.source))  # type: ignore[arg-type]
        else:
            fields = tuple(replace(f, type=r(f.type)) for f in shape.fields)
            models.append(ir.Model(name, fields, shape.doc, uses, shape.source))  # type: ignore[arg-type]
    final_ops = tuple(
        replace(
            op,
            params=tuple(replace(p, type=r(p.type)) for p in op.params),
            body=replace(op.body, type=r(op.body.type)) if op.body else None,
            response=(
                replace(op.response, type=r(op.response.type))
                if op.response and op.response.type
                else op.response
            ),
            errors=tuple(
                replace(e, type=r(e.type) if e.type else None) for e in op.errors
            ),
            pagination=(
                replace(op.pagination, item_type=r(op.pagination.item_type))
                if op.pagination
                else None
            ),
        )
        for op in operations
    )
    final_events = tuple(
        ir.WebhookEvent(event, kind, ir.ModelRef(names[t.name]), spec_name)  # type: ignore[arg-type,union-attr]
        for event, kind, t, spec_name in events
    )
    # Read off the raw document like every schema: the openapi-pydantic model has
    # vouched for its shape (or is doing so concurrently: see diff/engine.py).
    raw = spec.raw
    info = raw.get("info") or {}
    servers = tuple(
        ir.Server(_server_url(s), str(s.get("description") or "").strip())
        for s in raw.get("servers") or []
        if isinstance(s, dict)
    )
    schemes = (raw.get("components") or {}).get("securitySchemes") or {}
    auth = tuple(
        ir.AuthScheme(
            name=name,
            kind=str(scheme["type"]),
            location=str(scheme.get("in") or ""),
            param_name=str(scheme.get("name") or ""),
            scheme=str(scheme.get("scheme") or ""),
        )
        for name, scheme in sorted(schemes.items())
        if isinstance(scheme, dict) and "type" in scheme
    )
    stats = (
        ("raw_schemas", len((spec.raw.get("components") or {}).get("schemas") or {})),
        ("shapes", len(builder.shapes)),
        ("models", len(models)),
        ("enums", len(enums)),
        ("occurrences", builder.occurrences),
    )
    return ir.Api(
        title=str(info.get("title", "")),
        version=str(info.get("version", "")),
        description=str(info.get("description") or "").strip(),
        servers=servers,
        auth=auth,
        operations=final_ops,
        models=tuple(sorted(models, key=lambda m: m.name)),
        enums=tuple(sorted(enums, key=lambda e: e.name)),
        events=final_events,
        stats=stats,
    )


def _server_url(server: dict[str, Any]) -> str:
    """The server URL with its variables at their defaults."""
    url = str(server.get("url", ""))
    variables = server.get("variables")
    if isinstance(variables, dict):
        for name, var in variables.items():
            if isinstance(var, dict) and "default" in var:
                url = url.replace("{" + str(name) + "}", str(var["default"]))
    return url


def _usage(
    builder: ShapeBuilder,
    operations: list[ir.Operation],
    events: list[tuple[str, str, ir.TypeRef, str]],
) -> dict[str, set[str]]:
    from .typenames import reachable

    roots: dict[str, list[ir.TypeRef | None]] = {
        "request": [],
        "response": [],
        "event": [],
    }
    for op in operations:
        roots["request"].extend(p.type for p in op.params)
        roots["request"].append(op.body.type if op.body else None)
        roots["response"].append(op.response.type if op.response else None)
        roots["response"].extend(e.type for e in op.errors)
    roots["event"].extend(t for _, _, t, _ in events)
    usage: dict[str, set[str]] = {}
    for kind, types in roots.items():
        for sid in reachable(builder.shapes, types):
            usage.setdefault(sid, set()).add(kind)
    return usage
