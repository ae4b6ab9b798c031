"""What ``<package>/testing.py`` (the SDK's fake API) is made of: one typed
fake class per resource, and the facts of each operation as Python literals
(method, path, success status, default body, error bodies, request checks).

The values themselves are decided in ``examples.py``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import ir, notices
from .examples import NO_VALUE, Examples
from .view import MethodView, ResourceView, SdkView
from .view.auth import NO_KEY
from .wirerules import is_scalar

TESTING_DATA = "testing_data.json"  # beside testing.py in the package
# The fake's own attributes: a resource of the same name gets a trailing "_".
FAKE_ATTRIBUTES = frozenset(
    {
        "calls",
        "check_requests",
        "handle_async_request",
        "handle_request",
        "reset",
        "close",
        "aclose",
    }
)
# The names testing.py imports from the runtime, by module.
FAKE_RUNTIME = {
    "FakeListOperation": "._fake",
    "FakeOperation": "._fake",
    "FakeTransportBase": "._fake",
    "operation_facts": "._fake",
    "fake_base_url": "._fake",
    "load_data": "._fake",
    "RecordedCall": "._fake",
    "callback_headers": "._fake_events",
    "event_body": "._fake_events",
    "sign": "._fake_events",
}


@dataclass(frozen=True)
class FakeOp:
    attr: str  # the method's name, e.g. "create"
    annotation: str  # FakeOperation[CreatedBot] or FakeListOperation[Bot]
    make: str  # the expression that makes it


@dataclass(frozen=True)
class FakeResource:
    attr: str  # its attribute on the fake (or on its parent)
    class_name: str  # "FakeBots"
    doc_path: str  # "bots.screenshots"
    ops: list[FakeOp] = field(default_factory=list)
    children: list[FakeResource] = field(default_factory=list)


@dataclass(frozen=True)
class TestingView:
    resources: list[FakeResource]
    data: str  # testing_data.json: every operation's facts, every event's payload


def testing_imports(
    sdk: SdkView, groups: dict[str, str], top: str = "."
) -> dict[str, str]:
    """Where testing.py's names come from (``groups``: each type's module;
    ``top``: the runtime, from the API's folder)."""
    local = {e.name: ".types.enums" for e in sdk.enums}
    local.update({n: f".types.{g}" for n, g in groups.items()})
    local.update({n: top + m.lstrip(".") for n, m in FAKE_RUNTIME.items()})
    local["API"] = "._constants"  # each API's own
    local[sdk.client_name] = local["Async" + sdk.client_name] = "._client"
    return local


def fake_credentials(sdk: SdkView) -> str:
    """The client's credential arguments, with placeholder values, each
    followed by ", " (none for an API that describes no credential)."""
    if not sdk.auth_schemes:
        return "" if sdk.api_key_in == NO_KEY else 'api_key="test-key", '
    pair, key = '("user", "password")', '"test-key"'
    return "".join(f"{a.arg}={pair if a.pair else key}, " for a in sdk.auth_schemes)


def testing_view(api: ir.Api, sdk: SdkView, header: str) -> TestingView:
    """The fake's classes, and the JSON data file beside it (``header``: the
    line saying who made it)."""
    examples = Examples(api)
    ops = {op.python_call: op for op in api.operations}
    data: dict[str, Any] = {}
    prefix = sdk.module + "." if sdk.module else ""
    resources = [
        _resource(r, ops, examples, data, top=True, prefix=prefix)
        for r in sdk.resources
    ]
    events: dict[str, dict[str, Any]] = {"webhook": {}, "callback": {}}
    for e in api.events:
        if e.key:
            events[e.kind][e.event] = examples.value(e.type)
    _check_all(api, examples)
    notices.warn(
        *(
            f"{where}: the example does not fit its schema ({why}); the fake"
            " answers with generated values"
            for where, why in sorted(examples.invalid.items())
        )
    )
    document = {
        "generated": header,
        "operations": data,
        "webhooks": events["webhook"],
        "callbacks": events["callback"],
    }
    return TestingView(resources, json.dumps(document, indent=1) + "\n")


def _resource(
    r: ResourceView,
    ops: dict[str, ir.Operation],
    examples: Examples,
    data: dict[str, Any],
    top: bool = False,
    prefix: str = "",
) -> FakeResource:
    attr = r.name + "_" if top and r.name in FAKE_ATTRIBUTES else r.name
    out = FakeResource(attr, "Fake" + r.class_name, ".".join(r.path))
    for m in r.methods:
        op = ops[m.python_call]
        key = m.python_call.removeprefix("client.")
        data[key] = _facts(op, m, examples)
        if m.params_model is not None:
            where = f"{prefix}resources.{r.module}"  # prefix: a subpackage's
            data[key]["params_model"] = f"{where}.{op.params_model}"
        out.ops.append(_fake_op(m, key))
    out.children.extend(
        _resource(c, ops, examples, data, prefix=prefix) for c in r.children
    )
    return out


def _fake_op(m: MethodView, key: str) -> FakeOp:
    """The fake of one method: it answers from the facts stored under ``key``."""
    kind = "FakeListOperation" if m.paginated else "FakeOperation"
    args = [json.dumps(key)]
    if m.body_model or m.body_items_model:
        args.append(m.body_model or m.body_items_model)
    if m.body_items_model:
        args.append("items=True")
    facts = f"operation_facts(_OPERATIONS, {', '.join(args)})"
    # The result's type, to check what ``returns`` is given.
    call = f"{kind}({facts}, ops, {m.result_type})"
    return FakeOp(m.name, f"{kind}[{m.result_type}]", call)


def _facts(op: ir.Operation, m: MethodView, examples: Examples) -> dict[str, Any]:
    """An operation's facts as JSON (OperationFacts' fields, its body's model
    aside)."""
    media, body = _success_body(op, examples)
    errors = {e.status: examples.value(e.type) for e in op.errors if e.type}
    return {
        "method": op.http_method,
        "path": op.path,
        "status": op.response.status if op.response else 200,
        "media": media,
        "example": body,
        "unwrap": m.unwrap,
        "paged": m.paginated,
        "errors": dict(sorted(errors.items())),
        "body_required": op.body is not None and op.body.required,
        "params": [
            _param_facts(p, name, examples.enums)
            for p, name in zip(op.params, m.param_args, strict=True)
        ],
    }


def _param_facts(p: ir.Param, name: str, enums: Mapping[str, ir.Enum]) -> list[Any]:
    """[wire name, argument, location, shape, style, explode, nullable, json]
    of a parameter: how the fake reads its value back off the request (shape
    "scalar", "list", or "" for what it does not check: objects, label and
    matrix); ``nullable``: absent means None (the SDK sends no null);
    ``json``: its text is a JSON number or boolean (a literal or an enum of
    those)."""
    style = p.style or ("form" if p.location in ("query", "cookie") else "simple")
    explode = p.explode if p.explode is not None else style == "form"
    inner = ir.unwrap_nullable(p.type)
    shape = "list" if isinstance(inner, ir.ListType) else "scalar"
    if style in ("label", "matrix", "deepObject") or not (
        is_scalar(p.type) or isinstance(inner, ir.ListType)
    ):
        shape = ""
    item = inner.item if isinstance(inner, ir.ListType) else inner
    return [
        p.wire_name,
        name,
        p.location,
        shape,
        style,
        explode,
        _accepts_null(p.type),
        _json_text(item, enums),
    ]


def _accepts_null(t: ir.TypeRef) -> bool:
    match t:
        case ir.Nullable() | ir.Primitive(kind="any") | ir.LiteralType(value=None):
            return True
        case ir.UnionType():
            return any(_accepts_null(o) for o in t.options)
    return False


def _json_text(t: ir.TypeRef, enums: Mapping[str, ir.Enum]) -> bool:
    """Whether the value's text stands for a JSON number or boolean that no
    string may replace (an integer enum, a literal ``1`` or ``true``)."""
    match ir.unwrap_nullable(t):
        case ir.LiteralType(value=value):
            return value is not None and not isinstance(value, str)
        case ir.EnumRef(name=enum):
            found = enums.get(enum)
            return found is not None and not any(
                isinstance(v, str) for v in found.values
            )
        case ir.UnionType(options=options):
            return any(_json_text(o, enums) for o in options)
    return False


def _check_all(api: ir.Api, examples: Examples) -> None:
    """Every example of a response model and field checked, so that each
    one that does not fit is warned about, used or not."""
    for model in api.models:
        if "response" in model.usage or "event" in model.usage:
            examples.chosen(model.examples, ir.ModelRef(model.name))
            for f in model.fields:
                examples.chosen(f.examples, f.type)


def _success_body(op: ir.Operation, examples: Examples) -> tuple[str, Any]:
    """(media, default body) of the operation's success response."""
    response = op.response
    if response is None or response.type is None:
        return "", ""
    t = response.type
    if isinstance(t, ir.Primitive) and t.kind == "str" and t.format == "binary":
        return "bytes", "example file content"
    found = _body_example(op, response, examples)
    if found is not NO_VALUE:
        return "json", found
    value = examples.value(t)
    if response.unwrapped:
        value = {"success": True, "data": value}
        if op.pagination is not None:
            value.update({"cursor": None, "prev_cursor": None})
    return "json", value


def _body_example(
    op: ir.Operation, response: ir.SuccessResponse, examples: Examples
) -> Any:
    """The first of the spec's examples of the whole body that fits (an
    envelope's ``data`` checked against the type), or NO_VALUE."""
    assert response.type is not None
    for example in response.examples:
        value = json.loads(example.json)
        if not response.unwrapped:
            problem = examples.checker.problem(value, response.type)
        elif not isinstance(value, dict) or "data" not in value:
            problem = "/data: is required"
        elif value.get("success", True) is not True:
            problem = "/success: is not True"
        else:
            problem = examples.checker.problem(value["data"], response.type, "/data")
        if problem is not None:
            examples.invalid[example.pointer] = problem
            continue
        if op.pagination is not None:  # one page: no cursor to follow
            value.update({"cursor": None, "prev_cursor": None})
        return value
    return NO_VALUE
