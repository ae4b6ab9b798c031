"""Paths -> IR operations: params, body, unwrapped result, errors, pagination, and
where each one goes in the SDK (``client.calendars.events.list``; placement.py), as
words: the naming pass (``finalnames.place_calls``) spells them and resolves clashes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, cast

from .. import ir
from ..errors import SpecError
from ..naming import (
    python_member,
    snake,
    type_name,
    words,
)
from .encoding import form_encoding, unsent_media
from .examples import at_pointer, media_examples
from .loader import HTTP_METHODS, deref
from .placement import place_operations
from .schemas import NameHint, child, component_name, describe, freeze, unique
from .shapes import ShapeBuilder

_ENVELOPE_KEYS = frozenset({"success", "data"})
_PAGE_KEYS = frozenset({"cursor", "prev_cursor"})


@dataclass(frozen=True)
class _RawOperation:
    path: str
    method: str
    op: dict[str, Any]
    where: str
    path_params: list[Any]


def raw_operations(raw: dict[str, Any]) -> list[_RawOperation]:
    out: list[_RawOperation] = []
    paths = raw.get("paths") or {}
    if not isinstance(paths, dict):
        raise SpecError("paths must be an object", "#/paths")
    for path, item in paths.items():
        where = child("#", "paths", path)
        item = deref(raw, item, where)[0]
        if not isinstance(item, dict):
            raise SpecError("a path item must be an object", where)
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                out.append(
                    _RawOperation(
                        path,
                        method,
                        op,
                        child(where, method),
                        item.get("parameters") or [],
                    )
                )
    return out


def build_operations(
    raw: dict[str, Any], builder: ShapeBuilder, overrides: Mapping[str, str]
) -> list[ir.Operation]:
    found = raw_operations(raw)
    attempts = [
        builder.guarded(r.where, partial(_parse, builder, raw, r)) for r in found
    ]
    parsed = [p for p in attempts if p is not None]
    layout = place_operations(parsed, overrides)
    return [
        ir.Operation(
            operation_id=p.operation_id,
            resource=layout[i][0],
            method_name=layout[i][1],
            http_method=p.method.upper(),
            path=p.path,
            summary=p.summary,
            doc=p.doc,
            params=p.params,
            body=p.body,
            response=p.response,
            errors=p.errors,
            pagination=p.pagination,
            deprecated=p.deprecated,
        )
        for i, p in enumerate(parsed)
    ]


@dataclass(frozen=True)
class _Parsed:
    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    doc: str
    params: tuple[ir.Param, ...]
    body: ir.RequestBody | None
    response: ir.SuccessResponse | None
    errors: tuple[ir.ErrorResponse, ...]
    pagination: ir.Pagination | None
    deprecated: bool


def _parse(builder: ShapeBuilder, raw: dict[str, Any], r: _RawOperation) -> _Parsed:
    op = r.op
    operation_id = op.get("operationId") or snake(f"{r.method} {r.path}")
    params = _params(builder, raw, r)
    body = _body(builder, raw, op, r.where, operation_id)
    response, pagination = _success(builder, raw, op, r.where, operation_id, params)
    tags = op.get("tags") or []
    return _Parsed(
        operation_id=operation_id,
        method=r.method,
        path=r.path,
        tag=str(tags[0]) if tags else "",
        summary=str(op.get("summary") or "").strip(),
        doc=str(op.get("description") or "").strip(),
        params=params,
        body=body,
        response=response,
        errors=_errors(builder, raw, op, r.where),
        pagination=pagination,
        deprecated=op.get("deprecated") is True,
    )


def _params(
    builder: ShapeBuilder, raw: dict[str, Any], r: _RawOperation
) -> tuple[ir.Param, ...]:
    used: set[str] = set()
    out = [
        _param(builder, raw, location, name, item, where, used)
        for (location, name), (item, where) in _declared_params(raw, r).items()
    ]
    # Path params first, in path order, then the rest as declared.
    order = {n: i for i, n in enumerate(re.findall(r"{([^}]+)}", r.path))}
    out.sort(key=lambda p: (p.location != "path", order.get(p.wire_name, 0)))
    missing = set(order) - {p.wire_name for p in out if p.location == "path"}
    if missing:
        raise SpecError(f"path parameter(s) {sorted(missing)} not declared", r.where)
    return tuple(out)


def _declared_params(
    raw: dict[str, Any], r: _RawOperation
) -> dict[tuple[str, str], tuple[dict[str, Any], str]]:
    """(in, name) -> (parameter, pointer) of the path's and the operation's
    parameters; the operation's win."""
    merged: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    sources = [
        (r.path_params, child("#", "paths", r.path, "parameters")),
        (r.op.get("parameters") or [], child(r.where, "parameters")),
    ]
    for items, base in sources:
        for i, item in enumerate(items):
            item, where = deref(raw, item, child(base, i))
            if not isinstance(item, dict) or "name" not in item or "in" not in item:
                raise SpecError("a parameter needs 'name' and 'in'", where)
            merged[(item["in"], item["name"])] = (item, where)
    return merged


def _param(
    builder: ShapeBuilder,
    raw: dict[str, Any],
    location: str,
    name: str,
    item: dict[str, Any],
    where: str,
    used: set[str],
) -> ir.Param:
    """One parameter (its Python name unique among ``used``)."""
    if location not in ("path", "query", "header", "cookie"):
        raise SpecError(
            f"unsupported parameter location {location!r}", child(where, "in")
        )
    schema = item.get("schema", {})
    t = builder.type_of(schema, child(where, "schema"), NameHint(1, name))
    has_default, default = builder.default_of(
        schema, child(where, "schema", "default"), t
    )
    explode = item.get("explode")
    return ir.Param(
        wire_name=name,
        python_name=unique(python_member(name), used),
        location=cast(ir.ParamLocation, location),
        type=t,
        required=_param_required(builder, location, item, where, has_default),
        has_default=has_default,
        default=freeze(default) if has_default else None,
        doc=str(item.get("description") or describe(schema, raw)).strip(),
        deprecated=item.get("deprecated") is True,
        style=str(item.get("style") or ""),
        explode=explode if isinstance(explode, bool) else None,
        allow_reserved=item.get("allowReserved") is True,
    )


def _param_required(
    builder: ShapeBuilder,
    location: str,
    item: dict[str, Any],
    where: str,
    has_default: bool,
) -> bool:
    """A path parameter always is (warned about when not marked so); a
    required query param with a default is optional in practice: the SDK
    applies the default (the spec marks `limit` and `show_cancelled` so)."""
    if location == "path" and item.get("required") is not True:
        builder.warn(
            child(where, "required"),
            "a path parameter must be required: treated as required",
        )
    return location == "path" or (item.get("required") is True and not has_default)


def _content(
    raw: dict[str, Any], holder: Any, where: str
) -> tuple[dict[str, Any], Any, str] | None:
    """The ``content`` map of a requestBody/response after following its $refs,
    with the holder it belongs to and that holder's pointer; None without one."""
    holder, where = deref(raw, holder, where)
    content = holder.get("content") if isinstance(holder, dict) else None
    if not isinstance(content, dict):
        return None
    return content, holder, where


def _json_schema(
    raw: dict[str, Any], holder: Any, where: str
) -> tuple[Any, str] | None:
    """The JSON schema of a requestBody/response (following $refs), if it has one."""
    found = _content(raw, holder, where)
    if found is None:
        return None
    content, _, where = found
    for media, entry in content.items():
        is_json = media.split(";")[0].strip() in ("application/json", "*/*")
        if (
            (is_json or media.endswith("+json"))
            and isinstance(entry, dict)
            and "schema" in entry
        ):
            return entry["schema"], child(where, "content", media, "schema")
    return None


_TEXT = ir.Primitive("str")
_BINARY = ir.Primitive("str", "binary")


def _other_media(raw: dict[str, Any], response: Any) -> ir.TypeRef | None:
    """A response that is not JSON: text (``str``) or anything else (``bytes``)."""
    found = _content(raw, response, "")
    if found is None or not found[0]:
        return None
    media = sorted(str(m).split(";")[0].strip().lower() for m in found[0])
    if all(m.startswith("text/") or m.endswith(("+xml", "/xml")) for m in media):
        return _TEXT
    return _BINARY


def _hint_for(schema: Any, fallback: str) -> NameHint:
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    name = component_name(ref) if isinstance(ref, str) else None
    return NameHint(0, name or fallback)


def _body(
    builder: ShapeBuilder,
    raw: dict[str, Any],
    op: dict[str, Any],
    where: str,
    operation_id: str,
) -> ir.RequestBody | None:
    if "requestBody" not in op:
        return None
    content_type = "application/json"
    encoding: tuple[tuple[str, ir.Encoding], ...] = ()
    found = _json_schema(raw, op["requestBody"], child(where, "requestBody"))
    if found is None:
        form = _form_schema(raw, op["requestBody"], child(where, "requestBody"))
        if form is None:
            return _raw_body(raw, op["requestBody"])
        content_type, found, encoding = form[0], (form[1], form[2]), form[3]
    schema, schema_where = found
    content = _content(raw, op["requestBody"], "")
    for at, message in unsent_media(content and content[0], schema_where):
        builder.warn(at, message)
    # Body names are weak: a shape that is also a property value (the retry-callback
    # body is a callback_config) is named after that concept.
    hint = _hint_for(schema, type_name(operation_id) + "Request")
    t = builder.type_of(schema, schema_where, NameHint(1, hint.name))
    if t == ir.ANY:
        # Any value: no argument could be typed, so the method has none.
        builder.warn(schema_where, "request body accepts any value: no body argument")
        return None
    required = (
        isinstance(op["requestBody"], dict)
        and op["requestBody"].get("required") is True
    )
    return ir.RequestBody(
        t,
        required,
        content_type,
        send_defaults=_required_with_default(builder, schema, schema_where),
        encoding=encoding,
    )


_FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")


def _raw_body(raw: dict[str, Any], holder: Any) -> ir.RequestBody | None:
    """A body sent as it is (a file, bytes, text), in its first media type."""
    found = _content(raw, holder, "")
    if found is None or not found[0]:
        return None
    content, holder, _ = found
    media = str(next(iter(content))).split(";")[0].strip()
    t = _TEXT if media.startswith("text/") else _BINARY
    return ir.RequestBody(t, holder.get("required") is True, media)


def _form_schema(
    raw: dict[str, Any], holder: Any, where: str
) -> tuple[str, Any, str, tuple[tuple[str, ir.Encoding], ...]] | None:
    """(media type, schema, pointer, encoding) of a form body (multipart first)."""
    found = _content(raw, holder, where)
    if found is None:
        return None
    content, _, where = found
    for form in _FORMS:
        for media, entry in content.items():
            if media.split(";")[0].strip() == form and isinstance(entry, dict):
                schema = entry.get("schema", {"type": "object"})
                where = child(where, "content", media, "schema")
                return form, schema, where, form_encoding(entry.get("encoding"))
    return None


def _required_with_default(
    builder: ShapeBuilder, schema: Any, where: str
) -> tuple[str, ...]:
    """Top-level body fields both required and defaulted (zod's ``.default()`` on a
    request schema that still lists the field): the SDK must send them."""
    schema, where = builder.merged(schema, where)
    if not isinstance(schema, dict):
        return ()
    properties = schema.get("properties") or {}
    return tuple(
        sorted(
            name
            for name in schema.get("required") or []
            if isinstance(properties.get(name), dict) and "default" in properties[name]
        )
    )


_STATUS = re.compile(r"^(?:[1-5](?:\d\d|XX)|default)$")


def _statuses(builder: ShapeBuilder, responses: Any, where: str) -> dict[str, Any]:
    """The responses whose keys are HTTP statuses; others are warned about."""
    if not isinstance(responses, dict):
        return {}
    out: dict[str, Any] = {}
    for code, response in responses.items():
        if _STATUS.match(str(code)):
            out[str(code)] = response
        else:
            builder.warn(
                child(where, "responses", str(code)),
                f"{str(code)!r} is not an HTTP status: response ignored",
            )
    return out


def _success_status(responses: dict[str, Any]) -> str | None:
    codes = sorted(code for code in responses if str(code).startswith("2"))
    return codes[0] if codes else None


def result_name(component: str | None, operation_id: str, is_list: bool) -> str:
    """Name of an envelope's ``data``.

    ``GetScheduledBotResponse`` -> ``ScheduledBotDetails``; ``ListBotsResponse`` ->
    ``Bots`` (items: ``Bot``); ``CreateBotResponse`` -> ``CreateBotResult``.
    """
    base = _without_suffixes(component or type_name(operation_id))
    verb, *rest = words(base) or [base]
    noun = "".join(p[:1].upper() + p[1:] for p in rest)
    if not noun or verb.lower() not in ("list", "get"):
        return base + "Result"
    if verb.lower() == "list" or is_list or noun.endswith("Details"):
        return noun
    return noun + "Details"


def _without_suffixes(base: str) -> str:
    """``base`` without ``Input`` then ``Response`` at its end (never all of it)."""
    for suffix in ("Input", "Response"):
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
    return base


def _success(
    builder: ShapeBuilder,
    raw: dict[str, Any],
    op: dict[str, Any],
    where: str,
    operation_id: str,
    params: tuple[ir.Param, ...],
) -> tuple[ir.SuccessResponse | None, ir.Pagination | None]:
    responses = _statuses(builder, op.get("responses"), where)
    status = _success_status(responses)
    if status is None:
        return None, None
    status_code = int(status) if status.isdigit() else 200
    found = _json_schema(raw, responses[status], child(where, "responses", status))
    if found is None:
        return (
            ir.SuccessResponse(status_code, _other_media(raw, responses[status])),
            None,
        )
    schema, schema_where = found
    entry_where = schema_where.rpartition("/")[0]  # the media type's
    examples = media_examples(
        raw, at_pointer(raw, entry_where), entry_where, schema, schema_where
    )
    envelope = _envelope(builder, schema, schema_where)
    if envelope is None:
        hint = _hint_for(schema, type_name(operation_id) + "Response")
        t = builder.type_of(schema, schema_where, hint)
        return ir.SuccessResponse(status_code, t, examples=examples), None
    props, target_where = envelope
    data_schema = props["data"]
    is_list = isinstance(data_schema, dict) and data_schema.get("type") == "array"
    component = component_name(schema["$ref"]) if "$ref" in schema else None
    data_hint = NameHint(0, result_name(component, operation_id, is_list))
    data_type = builder.type_of(
        data_schema, child(target_where, "properties", "data"), data_hint
    )
    pagination = _pagination(props, data_type, params)
    success = ir.SuccessResponse(status_code, data_type, True, examples)
    return success, pagination


def _envelope(
    builder: ShapeBuilder, schema: Any, where: str
) -> tuple[dict[str, Any], str] | None:
    """(properties, pointer of the object) of a ``{success, data}`` envelope
    (a page's cursors allowed beside them), else None."""
    target, target_where = builder.merged(schema, where)
    props = target.get("properties") if isinstance(target, dict) else None
    if not isinstance(props, dict):
        return None
    if _ENVELOPE_KEYS <= set(props) <= _ENVELOPE_KEYS | _PAGE_KEYS:
        return props, target_where
    return None


def _pagination(
    props: dict[str, Any], data_type: ir.TypeRef, params: tuple[ir.Param, ...]
) -> ir.Pagination | None:
    """Cursor pagination: a list with a ``cursor`` beside it, for a call that
    takes a ``cursor`` query parameter."""
    has_cursor_param = any(
        p.wire_name == "cursor" and p.location == "query" for p in params
    )
    if "cursor" in props and isinstance(data_type, ir.ListType) and has_cursor_param:
        return ir.Pagination(item_type=data_type.item)
    return None


def _errors(
    builder: ShapeBuilder, raw: dict[str, Any], op: dict[str, Any], where: str
) -> tuple[ir.ErrorResponse, ...]:
    out: list[ir.ErrorResponse] = []
    responses = op.get("responses") or {}
    for status, response in responses.items():
        status = str(status)
        if not _STATUS.match(status):
            continue  # warned about by _statuses
        if status.startswith(("1", "2", "3")):
            continue
        response_where = child(where, "responses", status)
        found = _json_schema(raw, response, response_where)
        t = None
        if found is not None:
            schema, schema_where = found
            t = builder.type_of(
                schema, schema_where, _hint_for(schema, f"Error{status}")
            )
        out.append(ir.ErrorResponse(status, t))
    return tuple(sorted(out, key=lambda e: e.status))
