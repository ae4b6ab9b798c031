"""Loaded spec -> IR: the published zod/orval shapes become one clean type per concept.

Order of work: operations (params, bodies, results, errors) and webhook/callback
payloads are walked first; every object and enum met becomes a deduplicated shape
(``shapes``); reachable shapes get final names (``typenames``); the IR is assembled
with names in place of shape ids; last, the calls get their final names
(``finalnames.place_calls``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from .. import ir, notices
from ..config import Config, title_of
from ..finalnames import place_calls, reserved_type_names
from .events import Event, events
from .examples import model_examples
from .loader import LoadedSpec
from .operations import build_operations, raw_operations
from .problems import Problems
from .schemas import component_names
from .shapes import SHAPE_PREFIX, Shape, ShapeBuilder
from .typenames import NameRules, input_twins, name_shapes, reachable
from .webhooksig import webhook_signature


def normalise(
    spec: LoadedSpec, config: Config | None = None, problems: Problems | None = None
) -> ir.Api:
    """``problems`` given: a broken operation or payload is skipped with a warning
    (see ``problems.py``); not given: it is an error."""
    config = config or Config()
    raw = spec.raw
    builder = ShapeBuilder(raw)
    builder.problems = problems
    operations = _with_security(raw, build_operations(raw, builder, config.operations))
    found = events(raw, builder, config)
    roots = [
        *(t for op in operations for t in (*_request_types(op), *_response_types(op))),
        *(e.type for e in found),
    ]
    naming = name_shapes(builder.shapes, roots, _name_rules(raw, config))
    names = naming.names
    expand = partial(
        _expand, _recursive_types(builder, names), builder, frozenset[str]()
    )
    # Calls are named last: a resource class must keep clear of the type names.
    api = place_calls(
        _assemble(spec, builder, operations, found, names, expand), config.client_name
    )
    notices.warn(*naming.warnings)
    return replace(
        api,
        warnings=naming.warnings,
        identities=tuple(sorted(naming.identities.items(), key=lambda kv: kv[0])),
    )


def _request_types(op: ir.Operation) -> list[ir.TypeRef | None]:
    """The types a call sends: its parameters' and its body's."""
    return [*(p.type for p in op.params), op.body.type if op.body else None]


def _response_types(op: ir.Operation) -> list[ir.TypeRef | None]:
    """The types a call reads: its result's and its errors'."""
    return [op.response.type if op.response else None, *(e.type for e in op.errors)]


def _name_rules(raw: dict[str, Any], config: Config) -> NameRules:
    return NameRules(
        config.type_names,
        config.pointer_names,
        config.locked_names,
        reserved_type_names(title_of(raw), config.client_name),
        input_twins(component_names(raw)) if config.input_twins else frozenset(),
    )


def _recursive_types(
    builder: ShapeBuilder, names: dict[str, str]
) -> dict[str, ir.TypeRef]:
    """Each recursive reference to a model or enum takes its name (in
    ``names``); the others (an array, map or union, or a skipped part) are
    returned: the type that stands in for each."""
    expansions: dict[str, ir.TypeRef] = {}
    for placeholder, ref in builder.recursive_refs.items():
        target = builder.ref_types.get(ref)
        if isinstance(target, ir.ModelRef | ir.EnumRef) and target.name in names:
            names[placeholder] = names[target.name]
        else:  # an array, map or union (or a skipped part): its type stands in
            expansions[placeholder] = target if target is not None else ir.ANY
    return expansions


def _expand(
    expansions: dict[str, ir.TypeRef],
    builder: ShapeBuilder,
    seen: frozenset[str],
    t: ir.TypeRef,
) -> ir.TypeRef:
    """``t`` with each recursive reference to a component that is not a model
    (a tree as an array of nodes) replaced by that component's type. A cycle
    of arrays and maps with no model in it has no finite type: any value."""

    def ref(r: ir.ModelRef | ir.EnumRef) -> ir.TypeRef:
        if r.name not in expansions:
            return r
        if r.name in seen:
            pointer = r.name.removeprefix(SHAPE_PREFIX)
            builder.warn(
                pointer,
                "recursive through arrays and maps only, with no object between: "
                "the inner reference is treated as any value",
            )
            return ir.ANY
        return _expand(expansions, builder, seen | {r.name}, expansions[r.name])

    return ir.substitute(t, ref)


def _final_operation(
    op: ir.Operation, r: Callable[[ir.TypeRef], ir.TypeRef]
) -> ir.Operation:
    """``op`` with every type in it passed through ``r`` (final names)."""
    response = op.response
    if response and response.type:
        response = replace(response, type=r(response.type))
    return replace(
        op,
        params=tuple(replace(p, type=r(p.type)) for p in op.params),
        body=replace(op.body, type=r(op.body.type)) if op.body else None,
        response=response,
        errors=tuple(replace(e, type=r(e.type) if e.type else None) for e in op.errors),
        pagination=(
            replace(op.pagination, item_type=r(op.pagination.item_type))
            if op.pagination
            else None
        ),
    )


def _auth_schemes(raw: dict[str, Any]) -> tuple[ir.AuthScheme, ...]:
    schemes = (raw.get("components") or {}).get("securitySchemes") or {}
    return tuple(
        ir.AuthScheme(
            name=name,
            kind=str(scheme["type"]),
            location=_text(scheme, "in"),
            param_name=_text(scheme, "name"),
            scheme=_text(scheme, "scheme"),
        )
        for name, scheme in sorted(schemes.items())
        if isinstance(scheme, dict) and "type" in scheme
    )


def _text(node: dict[str, Any], key: str) -> str:
    """A key's value as text; "" when absent or empty."""
    return str(node.get(key) or "")


def _assemble(
    spec: LoadedSpec,
    builder: ShapeBuilder,
    operations: list[ir.Operation],
    events: list[Event],
    names: dict[str, str],
    expand: Callable[[ir.TypeRef], ir.TypeRef],
) -> ir.Api:
    def r(t: ir.TypeRef) -> ir.TypeRef:
        return ir.rename(expand(t), names)

    models, enums = _named_types(
        spec.raw, builder, names, _usage(builder, operations, events), r
    )
    final_ops = tuple(_final_operation(op, r) for op in operations)
    final_events = tuple(
        ir.WebhookEvent(event, kind, ir.ModelRef(names[t.name]), spec_name, key, name)
        for event, kind, t, spec_name, key, name in events
    )
    # Read off the raw document like every schema: the openapi-pydantic model has
    # vouched for its shape (or is doing so concurrently: see diff/engine.py).
    raw = spec.raw
    info = raw.get("info") or {}
    servers = tuple(
        ir.Server(_server_url(s))
        for s in raw.get("servers") or []
        if isinstance(s, dict)
    )
    auth = _auth_schemes(raw)
    default_security = _security(raw.get("security"), {a.name for a in auth})
    stats = (
        ("raw_schemas", len(component_names(raw))),
        ("shapes", len(builder.shapes)),
        ("models", len(models)),
        ("enums", len(enums)),
        ("occurrences", builder.occurrences),
    )
    return ir.Api(
        title=title_of(raw),
        version=str(info.get("version", "")),
        servers=servers,
        auth=auth,
        security=default_security,
        operations=final_ops,
        models=tuple(sorted(models, key=lambda m: m.name)),
        enums=tuple(sorted(enums, key=lambda e: e.name)),
        events=final_events,
        webhook_signature=webhook_signature(raw),
        stats=stats,
    )


def _named_types(
    raw: dict[str, Any],
    builder: ShapeBuilder,
    names: dict[str, str],
    usage: dict[str, set[str]],
    r: Callable[[ir.TypeRef], ir.TypeRef],
) -> tuple[list[ir.Model], list[ir.Enum]]:
    """The models and enums of the named shapes (a shape merged into another
    is not one), their types passed through ``r``."""
    models: list[ir.Model] = []
    enums: list[ir.Enum] = []
    for sid, name in names.items():
        shape = builder.shapes.get(sid)
        if shape is None or shape.id != sid:
            continue
        uses = tuple(sorted(usage.get(sid, ())))
        if shape.kind == "enum":
            enums.append(ir.Enum(name, shape.values, shape.doc, uses, shape.source))  # type: ignore[arg-type]
        else:
            models.append(_model(raw, shape, name, uses, r))
    return models, enums


def _model(
    raw: dict[str, Any],
    shape: Shape,
    name: str,
    uses: tuple[str, ...],
    r: Callable[[ir.TypeRef], ir.TypeRef],
) -> ir.Model:
    examples, by_field = model_examples(raw, shape.source)
    fields = tuple(
        replace(f, type=r(f.type), examples=by_field.get(f.wire_name, ()))
        for f in shape.fields
    )
    return ir.Model(
        name,
        fields,
        shape.doc,
        uses,  # type: ignore[arg-type]
        shape.source,
        requires_any=shape.requires_any,
        examples=examples,
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
    events: list[Event],
) -> dict[str, set[str]]:
    """Shape id -> where it is used: "request", "response", "event"."""
    roots: dict[str, list[ir.TypeRef | None]] = {
        "request": [t for op in operations for t in _request_types(op)],
        "response": [t for op in operations for t in _response_types(op)],
        "event": [e.type for e in events],
    }
    usage: dict[str, set[str]] = {}
    for kind, types in roots.items():
        for sid in reachable(builder.shapes, types):
            usage.setdefault(sid, set()).add(kind)
    return usage


def _with_security(raw: dict[str, Any], ops: list[ir.Operation]) -> list[ir.Operation]:
    """Each operation's own ``security`` requirement, where it has one."""
    schemes = (raw.get("components") or {}).get("securitySchemes") or {}
    known = set(schemes) if isinstance(schemes, dict) else set()
    declared = {
        (r.path, r.method.upper()): r.op.get("security") for r in raw_operations(raw)
    }
    return [
        replace(op, security=_security(declared.get((op.path, op.http_method)), known))
        for op in ops
    ]


def _security(requirements: Any, known: set[str]) -> tuple[tuple[str, ...], ...] | None:
    """A ``security`` list as alternatives of scheme names; None when absent.
    An alternative naming an undeclared scheme cannot be met and is dropped."""
    if not isinstance(requirements, list):
        return None
    named = [
        tuple(sorted(str(name) for name in requirement))
        for requirement in requirements
        if isinstance(requirement, dict)
    ]
    alternatives = [names for names in dict.fromkeys(named) if set(names) <= known]
    if requirements and not alternatives:
        return None  # only undeclared schemes: not "anonymous"; the default
    return tuple(alternatives)
