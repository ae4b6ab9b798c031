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


def _raw_op(spec: Spec, op: ir.Operation) -> dict[str, Any]:
    ops = {(r.path, r.method.upper()): r.op for r in raw_operations(spec.raw)}
    return ops[(op.path, op.http_method)]


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


def body_calls(spec: Spec, call: Call) -> list[Call]:
    """The call as the IR builds it, then with bodies drawn from the spec."""
    op = call.operation
    if not (call.view.body_model or call.view.body_items_model):
        return [call]
    bodies = draw(instances(body_schema(spec, op), spec.raw, request=True))
    # A null body (the spec allows one for some) is what the call without body
    # arguments sends.
    drawn = [with_body(spec, call, shift_year_zero(b)) for b in bodies if b is not None]
    return [call, *drawn]


def method_of(client: Any, op: ir.Operation) -> Any:
    target = client
    for part in op.resource:
        target = getattr(target, part)
    return getattr(target, op.method_name)


def capture(client_cls: Any, sdk: Any, call: Call) -> httpx.Request:
    """The request the SDK sends for ``call`` (answered with a 418, not parsed)."""
    sent: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(418, json={"error": "captured"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    with client_cls(
        api_key="k", base_url="http://127.0.0.1:9", max_retries=0, http_client=http
    ) as client:
        try:
            method_of(client, call.operation)(*call.args, **call.kwargs)
        except sdk.APIStatusError:
            pass
    assert len(sent) == 1, call.operation.operation_id
    return sent[0]


@dataclass(frozen=True)
class Sent:
    """A captured request cut into what the reference's zod schemas judge."""

    path: dict[str, str]
    query: dict[str, list[str]]
    body: Any  # None: no body


def split(op: ir.Operation, request: httpx.Request) -> Sent:
    names: list[str] = []

    def group(m: re.Match[str]) -> str:
        names.append(m.group(1))
        return "([^/]+)"

    template = re.sub(r"\{([^}]*)\}", group, re.escape(op.path).replace(r"\{", "{").replace(r"\}", "}"))
    found = re.fullmatch(template, request.url.path)
    assert found is not None, (op.path, request.url.path)
    path = {n: unquote(v) for n, v in zip(names, found.groups(), strict=True)}
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
        except Exception as exc:  # noqa: BLE001 - reported, with its type
            return exc
    return None


# The reference types many date-times and ids as free text, so zod-mock fills
# them with words; where our spec says `format: date-time` or a pattern, such a
# word is replaced by a value of ours and counted (a stated difference).
def repair(schema: Any, value: Any, fixes: list[str], where: str = "") -> Any:
    if not isinstance(schema, dict):
        return value
    if isinstance(value, str) and ("pattern" in schema or "format" in schema):
        if not validator(schema).is_valid(value):
            fixes.append(f"{where or '/'}: {value!r}")
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
        return {
            k: repair(props[k], v, fixes, f"{where}/{k}") if k in props else v
            for k, v in value.items()
        }
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [repair(schema["items"], v, fixes, f"{where}/{i}") for i, v in enumerate(value)]
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
