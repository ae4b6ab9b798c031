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
from typing import Any, Literal, NamedTuple

from .. import ir, notices
from ..config import Config, title_of
from ..errors import SpecError
from ..finalnames import place_calls, reserved_type_names
from .examples import model_examples
from .loader import HTTP_METHODS, LoadedSpec, deref, resolve_pointer
from .operations import build_operations, raw_operations
from .problems import Problems
from .schemas import NameHint, child, component_name
from .shapes import SHAPE_PREFIX, ShapeBuilder
from .typenames import NameRules, input_twins, name_shapes
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
    events = _events(raw, builder, config)
    roots: list[ir.TypeRef | None] = []
    for op in operations:
        roots.extend(p.type for p in op.params)
        roots.append(op.body.type if op.body else None)
        roots.append(op.response.type if op.response else None)
        roots.extend(e.type for e in op.errors)
    roots.extend(e.type for e in events)
    naming = name_shapes(
        builder.shapes,
        roots,
        NameRules(
            config.type_names,
            config.pointer_names,
            config.locked_names,
            reserved_type_names(title_of(raw), config.client_name),
            input_twins(_components(raw)) if config.input_twins else frozenset(),
        ),
    )
    names = naming.names
    expansions: dict[str, ir.TypeRef] = {}
    for placeholder, ref in builder.recursive_refs.items():
        target = builder._ref_types.get(ref)
        if isinstance(target, ir.ModelRef | ir.EnumRef) and target.name in names:
            names[placeholder] = names[target.name]
        else:  # an array, map or union (or a skipped part): its type stands in
            expansions[placeholder] = target if target is not None else ir.ANY
    expand = partial(_expand, expansions, builder, frozenset[str]())
    # Calls are named last: a resource class must keep clear of the type names.
    api = place_calls(
        _assemble(spec, builder, operations, events, names, expand), config.client_name
    )
    notices.warn(*naming.warnings)
    return replace(
        api,
        warnings=naming.warnings,
        identities=tuple(sorted(naming.identities.items(), key=lambda kv: kv[0])),
    )


EventKind = Literal["webhook", "callback"]


class Event(NamedTuple):
    value: str  # the discriminator value, or the webhook's name
    kind: EventKind
    type: ir.ModelRef
    spec_name: str
    key: str  # the const property that holds ``value``; "" for none
    name: str  # the webhook/callback name of a payload without a key


def _events(raw: dict[str, Any], builder: ShapeBuilder, config: Config) -> list[Event]:
    """Webhook and callback payloads.

    Declared ones come from the 3.1 ``webhooks`` section and the operations'
    ``callbacks``: each payload (or each member of a ``oneOf``/``anyOf`` payload)
    is keyed by a string const property if it has one (``event`` first), and
    else by its webhook/callback name. As the published Meeting BaaS spec
    does it, component schemas no path uses whose ``event`` property is a
    const are webhooks too, and a payload named ``callback...`` is a callback
    (``[conventions]`` in sdkgen.toml turns either off).
    """
    pointers: dict[tuple[str, str], str] = {}  # (value, spec name) -> pointer
    declared = [
        (name, kind, _union_members(raw, schema, where))
        for name, kind, schema, where in _declared_payloads(raw)
    ]
    # The property that tells events apart: the one whose consts differ most.
    telling = _telling_key(
        [
            _string_consts(raw, m, builder)
            for _, _, members in declared
            for m, _ in members
        ]
    )
    found = _declared_events(raw, builder, config, declared, telling, pointers)
    bare = _bare_events(raw, builder, config, found, pointers)
    keyed = _one_model_per_value(
        [e for e in found.values() if e.key] + list(bare.values()), pointers, builder
    )
    # Keyless payloads keep spec order: parse tries them in that order.
    return sorted(keyed, key=lambda e: (e.kind, e.value, e.spec_name, e.name)) + [
        e for e in found.values() if not e.key
    ]


_Declared = list[tuple[str, EventKind, list[tuple[Any, str]]]]


def _declared_events(
    raw: dict[str, Any],
    builder: ShapeBuilder,
    config: Config,
    declared: _Declared,
    telling: tuple[str, ...],
    pointers: dict[tuple[str, str], str],
) -> dict[tuple[str, str, str, str], Event]:
    """The events of the ``webhooks`` section and the ``callbacks``, one per
    payload (or union member), keyed by (value, kind, spec name, name)."""
    found: dict[tuple[str, str, str, str], Event] = {}
    for name, kind, members in declared:
        for member, member_where in members:
            key, value = _const_key(
                raw, member, builder, (*telling, "event"), any_key=True
            )
            spec_name = _member_spec_name(member, name, len(members), len(found))
            t = _payload_type(builder, member, member_where, spec_name)
            if t is None:
                continue
            if _callback_named(spec_name, config):
                # The published spec's convention; it holds for the payload's
                # later members too.
                kind = "callback"
            # A const picks the model; only payloads without one need their
            # name (which keeps the IR of a spec without ``webhooks`` equal).
            named = "" if key else name
            value = value or name
            entry = Event(value, kind, t, spec_name, key, named)
            found.setdefault((value, kind, spec_name, named), entry)
            pointers.setdefault((value, spec_name), member_where)
    return found


def _member_spec_name(member: Any, name: str, members: int, found: int) -> str:
    """The component a payload refers to, else the webhook/callback name (with
    a running number when the payload is one of several union members)."""
    ref = member.get("$ref") if isinstance(member, dict) else None
    spec_name = component_name(ref) if isinstance(ref, str) else None
    if spec_name is None:
        spec_name = name if members == 1 else f"{name}_{found}"
    return spec_name


def _bare_events(
    raw: dict[str, Any],
    builder: ShapeBuilder,
    config: Config,
    found: dict[tuple[str, str, str, str], Event],
    pointers: dict[tuple[str, str], str],
) -> dict[tuple[str, str], Event]:
    """Component schemas no path uses whose ``event`` property is a const (the
    published spec's convention), unless declared as a webhook already."""
    bare: dict[tuple[str, str], Event] = {}
    used_by_paths = _refs_used_by_paths(raw)
    for spec_name in _components(raw) if config.event_components else ():
        ref = f"#/components/schemas/{spec_name}"
        if ref in used_by_paths or spec_name.endswith("Input"):
            continue
        key, value = _const_key(raw, {"$ref": ref}, builder, ("event",))
        if value is None:
            continue
        kind: EventKind = (
            "callback" if _callback_named(spec_name, config) else "webhook"
        )
        if _is_declared(found, value, spec_name) or (value, spec_name) in bare:
            continue
        t = _payload_type(builder, {"$ref": ref}, ref, spec_name)
        if t is not None:
            bare[(value, spec_name)] = Event(value, kind, t, spec_name, key, "")
            pointers.setdefault((value, spec_name), ref)
    return bare


def _is_declared(
    found: dict[tuple[str, str, str, str], Event], value: str, spec_name: str
) -> bool:
    """Declared in ``webhooks`` (or as a callback) too."""
    return any(e.value == value and e.spec_name == spec_name for e in found.values())


def _callback_named(spec_name: str, config: Config) -> bool:
    return config.callback_names and spec_name.lower().startswith("callback")


def _one_model_per_value(
    events: list[Event], pointers: dict[tuple[str, str], str], builder: ShapeBuilder
) -> list[Event]:
    """A const value picks one model: a later payload with a value an earlier
    one has (declared before bare, then spec order) is skipped."""
    first: dict[tuple[str, str], str] = {}
    kept: list[Event] = []
    for e in events:
        owner = first.setdefault((e.kind, e.value), e.spec_name)
        if owner == e.spec_name:
            kept.append(e)
        elif builder.problems is not None:
            builder.problems.skip(
                pointers[(e.value, e.spec_name)],
                f"{e.kind} skipped: its {e.key} {e.value!r} already picks {owner}",
            )
    return kept


def _declared_payloads(raw: dict[str, Any]) -> list[tuple[str, EventKind, Any, str]]:
    """(name, kind, body schema, pointer) of every webhook and callback request."""
    return [
        (name, kind, schema, child(where, method))
        for name, kind, item, where in _declared_path_items(raw)
        for method, schema in _request_schemas(raw, item)
    ]


def _declared_path_items(raw: dict[str, Any]) -> list[tuple[str, EventKind, Any, str]]:
    """(name, kind, path item, pointer) of every webhook, then every callback
    expression of every operation."""
    items: list[tuple[str, EventKind, Any, str]] = []
    for name, item in (raw.get("webhooks") or {}).items():
        items.append((str(name), "webhook", item, child("#", "webhooks", name)))
    for r in raw_operations(raw):
        callbacks = r.op.get("callbacks") if isinstance(r.op, dict) else None
        for name, callback in deref(raw, callbacks or {}, "#")[0].items():
            for expr, item in (deref(raw, callback, "#")[0] or {}).items():
                where = child(r.where, "callbacks", name, expr)
                items.append((str(name), "callback", item, where))
    return items


def _request_schemas(raw: dict[str, Any], item: Any) -> list[tuple[str, Any]]:
    """(method, JSON request body schema) of each operation of a path item that
    has one."""
    item = deref(raw, item, "#")[0]
    found: list[tuple[str, Any]] = []
    for method, op in (item or {}).items() if isinstance(item, dict) else ():
        if not isinstance(op, dict) or method not in HTTP_METHODS:
            continue
        schema = _json_body_schema(raw, op)
        if schema is not None:
            found.append((method, schema))
    return found


def _json_body_schema(raw: dict[str, Any], op: dict[str, Any]) -> Any:
    """The schema of the first JSON media type (by name) of the request body."""
    body = deref(raw, op.get("requestBody") or {}, "#")[0]
    content = (body or {}).get("content") or {}
    return next(
        (
            v.get("schema")
            for k, v in sorted(content.items())
            if "json" in k and isinstance(v, dict) and "schema" in v
        ),
        None,
    )


def _union_members(
    raw: dict[str, Any], schema: Any, where: str
) -> list[tuple[Any, str]]:
    """A ``oneOf``/``anyOf`` payload is several payloads, tried in spec order."""
    resolved = deref(raw, schema, "#")[0]
    for word in ("oneOf", "anyOf"):
        options = resolved.get(word) if isinstance(resolved, dict) else None
        if (
            isinstance(options, list)
            and options
            and set(resolved) <= {word, "discriminator", "description", "title"}
        ):
            at = child(where, "requestBody", "schema", word)
            return [(o, child(at, i)) for i, o in enumerate(options)]
    return [(schema, where)]  # the operation's pointer, as the lock records it


def _payload_type(
    builder: ShapeBuilder, schema: Any, where: str, spec_name: str
) -> ir.ModelRef | None:
    hint = NameHint(0, spec_name)
    t = builder.guarded(where, partial(builder.type_of, schema, where, hint))
    if t is None or isinstance(t, ir.ModelRef):
        return t
    if builder.problems is None:
        raise SpecError("a webhook payload must be an object", where)
    builder.problems.skip(where, "webhook skipped: its payload is not an object")
    return None


def _const_key(
    raw: dict[str, Any],
    schema: Any,
    builder: ShapeBuilder,
    preferred: tuple[str, ...],
    any_key: bool = False,
) -> tuple[str, str | None]:
    """The property whose string const tells this payload apart, and the const:
    one of ``preferred`` first, then (``any_key``) the first other by name."""
    consts = _string_consts(raw, schema, builder)
    order = [k for k in preferred if k in consts]
    if any_key:
        order += sorted(k for k in consts if k not in preferred)
    return (order[0], consts[order[0]]) if order else ("", None)


def _string_consts(
    raw: dict[str, Any], schema: Any, builder: ShapeBuilder
) -> dict[str, str]:
    """Property -> its string const (or one-value enum) in a payload schema."""
    schema = deref(raw, schema, "#")[0]
    if isinstance(schema, dict) and "allOf" in schema:
        schema = builder.merge_all_of(schema, "#")
    props = schema.get("properties") if isinstance(schema, dict) else None
    found: dict[str, str] = {}
    for key, prop in (props if isinstance(props, dict) else {}).items():
        prop = deref(raw, prop, "#")[0]
        value = prop.get("const") if isinstance(prop, dict) else None
        if (
            value is None
            and isinstance(prop, dict)
            and len(prop.get("enum") or []) == 1
        ):
            value = prop["enum"][0]
        if isinstance(value, str):
            found[str(key)] = value
    return found


def _telling_key(consts: list[dict[str, str]]) -> tuple[str, ...]:
    """The property whose const values differ across most payloads (``event``
    first on a tie, then by name): ``object: "event"`` in every payload tells
    none apart, ``type: "batch.completed"`` does."""
    keys = sorted({k for c in consts for k in c}, key=lambda k: (k != "event", k))
    if not keys:
        return ()
    return (max(keys, key=lambda k: len({c[k] for c in consts if k in c})),)


def _refs_used_by_paths(raw: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    stack: list[Any] = []
    for r in raw_operations(raw):  # an operation and its path-level parameters
        stack.append(r.op)
        stack.extend(r.path_params)
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref not in seen:
                seen.add(ref)
                used.add(ref)
                stack.append(resolve_pointer(raw, ref, ref))
            stack.extend(
                v
                for k, v in node.items()
                if isinstance(v, dict | list) and not str(k).startswith("x-")
            )  # $refs inside x- extensions are opaque
        elif isinstance(node, list):
            stack.extend(v for v in node if isinstance(v, dict | list))
    return used


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
            location=str(scheme.get("in") or ""),
            param_name=str(scheme.get("name") or ""),
            scheme=str(scheme.get("scheme") or ""),
        )
        for name, scheme in sorted(schemes.items())
        if isinstance(scheme, dict) and "type" in scheme
    )


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
            examples, by_field = model_examples(spec.raw, shape.source)
            fields = tuple(
                replace(f, type=r(f.type), examples=by_field.get(f.wire_name, ()))
                for f in shape.fields
            )
            models.append(
                ir.Model(
                    name,
                    fields,
                    shape.doc,
                    uses,  # type: ignore[arg-type]
                    shape.source,
                    requires_any=shape.requires_any,
                    examples=examples,
                )
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
        ("raw_schemas", len(_components(raw))),
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
    roots["event"].extend(e.type for e in events)
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
    alternatives: list[tuple[str, ...]] = []
    for requirement in requirements:
        if not isinstance(requirement, dict):
            continue
        names = tuple(sorted(str(name) for name in requirement))
        if set(names) <= known and names not in alternatives:
            alternatives.append(names)
    if requirements and not alternatives:
        return None  # only undeclared schemes: not "anonymous"; the default
    return tuple(alternatives)


def _components(raw: dict[str, Any]) -> list[str]:
    """The names of the spec's component schemas."""
    components = raw.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    return [str(n) for n in schemas] if isinstance(schemas, dict) else []
