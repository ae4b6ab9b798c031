"""What our SDK sends and parses, for the zod cross-checks: hypothesis-drawn
calls captured at the transport, and documents passed through the SDK's
response parsing. The operations and their arguments come from the IR."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, unquote

import httpx
from hypothesis import given
from hypothesis import strategies as st

from generator import ir
from generator.parse.operations import _json_schema, raw_operations

from .calls import Call, _from_pattern
from .schemas import inline
from .strategies import SETTINGS, instances, shift_year_zero, validator
from .targets import Spec


def draw(strategy: st.SearchStrategy[Any]) -> list[Any]:
    """SDKGEN_EXAMPLES documents from ``strategy`` (derandomized under `ci`)."""
    found: list[Any] = []

    @SETTINGS
    @given(strategy)
    def grab(value: Any) -> None:
        found.append(value)

    grab()
    return found


def _raw(spec: Spec, op: ir.Operation) -> Any:
    found = [
        r
        for r in raw_operations(spec.raw)
        if (r.path, r.method.upper()) == (op.path, op.http_method)
    ]
    assert len(found) == 1, op.operation_id
    return found[0]


def _raw_op(spec: Spec, op: ir.Operation) -> dict[str, Any]:
    op_raw: dict[str, Any] = _raw(spec, op).op
    return op_raw


def param_schemas(spec: Spec, op: ir.Operation) -> dict[str, Any]:
    """Wire name -> schema of each path and query parameter (the operation's
    own over its path item's)."""
    found = _raw(spec, op)
    out: dict[str, Any] = {}
    for param in [*found.path_params, *(found.op.get("parameters") or [])]:
        param = inline(spec.raw, param)
        if param.get("in") in ("path", "query") and "schema" in param:
            out[param["name"]] = param["schema"]
    return out


def param_calls(spec: Spec, call: Call) -> list[Call]:
    """The call with path and query arguments drawn from their schemas (the
    optional ones present or not)."""
    op, view = call.operation, call.view
    schemas = param_schemas(spec, op)
    params = [p for p in op.params if p.wire_name in schemas]
    if not params:
        return []
    arg = dict(zip((p.wire_name for p in op.params), view.param_args, strict=True))
    # Path arguments are never empty: the SDK would send "/bots/" for "" (another
    # endpoint), a runtime matter this test does not judge.
    strategies = {
        p.wire_name: instances(schemas[p.wire_name], spec.raw).filter(
            lambda v, loc=p.location: loc != "path" or v != ""
        )
        for p in params
    }
    required = {p.wire_name: strategies[p.wire_name] for p in params if p.required}
    optional = {k: v for k, v in strategies.items() if k not in required}
    # calls() puts the positional parameters first, in this order.
    positional = [a.name for a in view.positional if a.name in arg.values()]
    out = []
    for drawn in draw(st.fixed_dictionaries(required, optional=optional)):
        values = {arg[k]: shift_year_zero(v) for k, v in drawn.items()}
        args = list(call.args)
        for i, name in enumerate(positional):
            args[i] = values.pop(name)
        kwargs = {k: v for k, v in call.kwargs.items() if k not in arg.values()}
        out.append(Call(op, view, tuple(args), kwargs | values))
    return out


def body_schema(spec: Spec, op: ir.Operation) -> Any:
    found = _json_schema(spec.raw, _raw_op(spec, op)["requestBody"], "#")
    assert found is not None, op.operation_id
    return inline(spec.raw, found[0])


def response_schema(spec: Spec, op: ir.Operation) -> Any:
    """The whole success document (envelope included), or None without one."""
    if op.response is None or op.response.type is None:
        return None
    responses = _raw_op(spec, op).get("responses") or {}
    found = _json_schema(spec.raw, responses[str(op.response.status)], "#")
    return None if found is None else inline(spec.raw, found[0])


def with_body(spec: Spec, call: Call, body: Any) -> Call:
    """``call`` sending ``body`` (a document of the spec) instead of its own."""
    view = call.view
    if view.body_items_model:
        return Call(call.operation, view, (*call.args[:-1], body), call.kwargs)
    model = spec.api.model(view.body_model)
    python = {f.wire_name: f.python_name for f in model.fields}
    arg = dict(view.body_args)
    kwargs = {k: v for k, v in call.kwargs.items() if k not in arg.values()}
    kwargs.update({arg[python[k]]: v for k, v in body.items()})
    return Call(call.operation, view, call.args, kwargs)


def drawn_calls(spec: Spec, call: Call) -> list[Call]:
    """The call as the IR builds it, then with parameters drawn from the spec,
    then with bodies drawn from it."""
    return [call, *param_calls(spec, call), *body_calls(spec, call)]


def body_calls(spec: Spec, call: Call) -> list[Call]:
    op = call.operation
    if not (call.view.body_model or call.view.body_items_model):
        return []
    bodies = draw(instances(body_schema(spec, op), spec.raw, request=True))
    # A null body (the spec allows one for some) is what the call without body
    # arguments sends.
    return [with_body(spec, call, shift_year_zero(b)) for b in bodies if b is not None]


def method_of(client: Any, op: ir.Operation) -> Any:
    target = client
    for part in op.resource:
        target = getattr(target, part)
    return getattr(target, op.method_name)


def capture(client_cls: Any, sdk: Any, call: Call) -> httpx.Request | Exception:
    """The request the SDK sends for ``call`` (answered with a 418, not
    parsed), or the SDK's error when it refuses the arguments."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(418, json={"error": "captured"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    refused = getattr(sdk, "RequestValidationError", ())
    with client_cls(
        api_key="k", base_url="http://127.0.0.1:9", max_retries=0, http_client=http
    ) as client:
        try:
            method_of(client, call.operation)(*call.args, **call.kwargs)
        except sdk.APIStatusError:
            pass
        except refused as exc:
            return exc
    assert len(sent) == 1, call.operation.operation_id
    return sent[0]


@dataclass(frozen=True)
class Sent:
    """A captured request cut into what the reference's zod schemas judge."""

    path: dict[str, str]
    query: dict[str, list[str]]
    body: Any  # None: no body


def split(op: ir.Operation, request: httpx.Request) -> Sent:
    # re.split keeps the names: literal, name, literal, name, ..., literal.
    parts = re.split(r"\{([^}]*)\}", op.path)
    template = "".join(
        re.escape(p) if i % 2 == 0 else "([^/]+)" for i, p in enumerate(parts)
    )
    found = re.fullmatch(template, request.url.path)
    assert found is not None, (op.path, request.url.path)
    path = {n: unquote(v) for n, v in zip(parts[1::2], found.groups(), strict=True)}
    query = parse_qs(request.url.query.decode(), keep_blank_values=True)
    body = json.loads(request.content) if request.content else None
    return Sent(path, query, body)


def parse_with_sdk(
    client_cls: Any, call: Call, status: int, document: Any
) -> BaseException | None:
    """Sends ``call`` to a transport answering ``document``; the SDK's error
    (strict response validation) or None when it parsed."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=document)

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with client_cls(
        api_key="k",
        base_url="http://127.0.0.1:9",
        max_retries=0,
        http_client=http,
        strict_response_validation=True,
    ) as client:
        try:
            method_of(client, call.operation)(*call.args, **call.kwargs)
        except Exception as exc:  # reported, with its type
            return exc
    return None


# Where zod-mock's documents hold values our spec refuses, each is replaced by
# a value of ours and counted by kind (a stated difference, reported by
# test_zod_reference):
# - "text": a string our spec's `format` (date-time, uuid) or pattern refuses:
#   the reference types some date-times as free text (storage), and zod-mock
#   draws the others from their regex alone, which allows minutes without
#   seconds that the reference's own `.datetime()` refuses;
# - "const": another value where our spec has a `const` (the reference types
#   the envelope's `success` of bots and calendars as any boolean; our SDK
#   treats `success: false` in a 200 answer as an error, by design).
# Keys our spec does not declare are kept, and counted as "extra".
def repair(schema: Any, value: Any, fixes: list[str], where: str = "") -> Any:
    if not isinstance(schema, dict):
        return value
    if "const" in schema and value != schema["const"]:
        fixes.append(f"const {where or '/'}: {value!r}")
        return schema["const"]
    if isinstance(value, str) and ("pattern" in schema or "format" in schema):
        if not validator(schema).is_valid(value):
            fixes.append(f"text {where or '/'}: {value!r}")
            return _sample(schema)
        return value
    for option in schema.get("allOf") or []:
        value = repair(option, value, fixes, where)
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key) or []:
            trial: list[str] = []
            candidate = repair(option, value, trial, where)
            if validator(option).is_valid(candidate):
                fixes.extend(trial)
                return candidate
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        if props and not schema.get("additionalProperties"):
            # Not replaced: counted, as fields of the reference ours lacks.
            fixes.extend(f"extra {where}/{k}" for k in value if k not in props)
        return {
            k: repair(props[k], v, fixes, f"{where}/{k}") if k in props else v
            for k, v in value.items()
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        items = schema["items"]
        return [repair(items, v, fixes, f"{where}/{i}") for i, v in enumerate(value)]
    return value


def _sample(schema: dict[str, Any]) -> str:
    if schema.get("format") == "date-time":
        stamp = "2030-01-02T03:04:05Z"
        if validator(schema).is_valid(stamp):
            return stamp
    if "pattern" in schema:
        low, high = schema.get("minLength", 0), schema.get("maxLength", 10**6)
        return _from_pattern(schema["pattern"], low, high)
    if schema.get("format") == "uuid":
        return "4f9c1c2e-8a3b-4c5d-9e6f-0a1b2c3d4e5f"
    return "https://example.com/a" if schema.get("format") in ("uri", "url") else "x"
