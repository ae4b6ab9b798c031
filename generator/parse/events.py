"""Webhook and callback payloads of a loaded spec, as events keyed by the
const that tells them apart (the published Meeting BaaS spec's conventions
included: see ``events``)."""

from __future__ import annotations

from functools import partial
from typing import Any, Literal, NamedTuple

from .. import ir
from ..config import Config
from ..errors import SpecError
from .loader import HTTP_METHODS, deref, inner_nodes, resolve_pointer
from .operations import raw_operations
from .schemas import NameHint, child, component_names, ref_component
from .shapes import ShapeBuilder

EventKind = Literal["webhook", "callback"]


class Event(NamedTuple):
    value: str  # the discriminator value, or the webhook's name
    kind: EventKind
    type: ir.ModelRef
    spec_name: str
    key: str  # the const property that holds ``value``; "" for none
    name: str  # the webhook/callback name of a payload without a key


def events(raw: dict[str, Any], builder: ShapeBuilder, config: Config) -> list[Event]:
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
            # The published spec's convention; it holds for the payload's
            # later members too.
            kind = _kind_of(spec_name, config, kind)
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
    spec_name = ref_component(member)
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
    for spec_name, ref in _unused_components(raw, config):
        key, value = _const_key(raw, {"$ref": ref}, builder, ("event",))
        if value is None:
            continue
        kind = _kind_of(spec_name, config, "webhook")
        if _is_declared(found, value, spec_name) or (value, spec_name) in bare:
            continue
        t = _payload_type(builder, {"$ref": ref}, ref, spec_name)
        if t is not None:
            bare[(value, spec_name)] = Event(value, kind, t, spec_name, key, "")
            pointers.setdefault((value, spec_name), ref)
    return bare


def _unused_components(raw: dict[str, Any], config: Config) -> list[tuple[str, str]]:
    """(name, $ref) of the component schemas no path uses (but zod's
    ``...Input`` twins): the candidates for bare events."""
    used_by_paths = _refs_used_by_paths(raw)
    refs = [
        (name, f"#/components/schemas/{name}")
        for name in (component_names(raw) if config.event_components else ())
    ]
    return [
        (name, ref)
        for name, ref in refs
        if ref not in used_by_paths and not name.endswith("Input")
    ]


def _is_declared(
    found: dict[tuple[str, str, str, str], Event], value: str, spec_name: str
) -> bool:
    """Declared in ``webhooks`` (or as a callback) too."""
    return any(e.value == value and e.spec_name == spec_name for e in found.values())


def _kind_of(spec_name: str, config: Config, kind: EventKind) -> EventKind:
    """A payload named ``callback...`` is a callback (the published spec's
    convention, unless turned off), any other keeps ``kind``."""
    if config.callback_names and spec_name.lower().startswith("callback"):
        return "callback"
    return kind


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
    items: list[tuple[str, EventKind, Any, str]] = [
        (str(name), "webhook", item, child("#", "webhooks", name))
        for name, item in (raw.get("webhooks") or {}).items()
    ]
    return items + _callback_path_items(raw)


def _callback_path_items(raw: dict[str, Any]) -> list[tuple[str, EventKind, Any, str]]:
    """(name, "callback", path item, pointer) of every callback expression of
    every operation."""
    items: list[tuple[str, EventKind, Any, str]] = []
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
        value = _string_const(deref(raw, prop, "#")[0])
        if value is not None:
            found[str(key)] = value
    return found


def _string_const(prop: Any) -> str | None:
    """A property's string const, or its one enum value when that is a string."""
    if not isinstance(prop, dict):
        return None
    value = prop.get("const")
    if value is None and len(prop.get("enum") or []) == 1:
        value = prop["enum"][0]
    return value if isinstance(value, str) else None


def _telling_key(consts: list[dict[str, str]]) -> tuple[str, ...]:
    """The property whose const values differ across most payloads (``event``
    first on a tie, then by name): ``object: "event"`` in every payload tells
    none apart, ``type: "batch.completed"`` does."""
    keys = sorted({k for c in consts for k in c}, key=lambda k: (k != "event", k))
    if not keys:
        return ()
    return (max(keys, key=lambda k: len({c[k] for c in consts if k in c})),)


def _refs_used_by_paths(raw: dict[str, Any]) -> set[str]:
    """Every ``$ref`` an operation (or its path-level parameters) leads to."""
    stack: list[Any] = []
    for r in raw_operations(raw):  # an operation and its path-level parameters
        stack.append(r.op)
        stack.extend(r.path_params)
    seen: set[str] = set()
    while stack:
        node = stack.pop()
        ref = node.get("$ref") if isinstance(node, dict) else None
        if isinstance(ref, str) and ref not in seen:
            seen.add(ref)
            stack.append(resolve_pointer(raw, ref, ref))
        stack.extend(v for _, v in inner_nodes(node))
    return seen
