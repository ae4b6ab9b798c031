"""The machinery of ``<package>.testing``: a fake API as an httpx transport.

Each operation of the spec answers with a response its schema accepts (built
at generation time, the same every run) until a test tells it otherwise; each
request is checked as the SDK checks its arguments, and recorded.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Generic, NamedTuple, TypeVar

import httpx
import pydantic

from ._exceptions import RequestValidationError
from ._fake_params import param_problem
from ._formats import build, build_items
from ._validation import describe_errors, type_adapter

__all__ = [
    "FakeListOperation",
    "FakeOperation",
    "FakeTransportBase",
    "OperationFacts",
    "RecordedCall",
    "deep_merge",
    "dump_json",
    "fake_base_url",
    "load_data",
    "operation_facts",
]

T = TypeVar("T")
_PAGE_CURSOR = "fake-page-"  # the cursor of page n is "fake-page-<n>"


class OperationFacts(NamedTuple):
    """What the spec says of one operation (the generated module lists them)."""

    key: str  # its call below the client, e.g. "bots.create"
    method: str
    path: str  # the spec's path template, e.g. "/v2/bots/{bot_id}"
    status: int  # the success status
    media: str  # the success body: "json", "text", "bytes" or "" (none)
    example: Any  # the default success body (JSON; a string for text and bytes)
    unwrap: bool  # the SDK reads ``data`` of a ``{success, data}`` envelope
    paged: bool
    errors: Mapping[str, Any]  # status ("422", "4XX", "default") -> example body
    body: Any = None  # the request body's model, checked as the SDK checks it
    items: bool = False  # the body is a list of ``body`` models
    body_required: bool = False
    # How to read each parameter back off a request (see _fake_params.py)
    params: Sequence[Sequence[Any]] = ()
    params_model: str | None = None  # "resources.<module>.<class>", checks them


@dataclass(frozen=True)
class RecordedCall:
    """One request the fake received."""

    operation: str  # e.g. "bots.create"
    method: str
    path: str
    path_params: dict[str, str]
    query: dict[str, str]  # the last value of each query parameter
    headers: httpx.Headers
    body: Any  # the JSON body parsed, the raw bytes if not JSON, None if empty
    request: httpx.Request


class _Reply(NamedTuple):
    status: int
    content: bytes
    content_type: str


def _json_reply(status: int, body: object) -> _Reply:
    return _Reply(status, json.dumps(body).encode(), "application/json")


class _FakeBase:
    def __init__(
        self, facts: OperationFacts, registry: list[Any], result: Any = None
    ) -> None:
        self.facts = facts
        self.result = result  # the SDK's type of the result (of one item of a list)
        registry.append(self)  # the transport routes to every operation made
        self.calls: list[RecordedCall] = []
        self._replies: list[_Reply] = []  # one per page for a list

    def raises(
        self,
        status: int = 422,
        *,
        code: str | None = None,
        message: str | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> None:
        """Answer every later call with this error: ``body`` as given, else the
        spec's error body for ``status`` with ``code`` and ``message`` set."""
        if status < 400:
            raise ValueError(f"raises(status={status}): an error status is >= 400")
        found = dict(body) if body is not None else self._error_body(status)
        if body is None:
            _set_error_fields(found, status, code, message)
        self._replies = [_json_reply(status, found)]

    def reset(self) -> None:
        """Back to the default response; the recorded calls are forgotten."""
        self._replies = []
        self.calls.clear()

    def _error_body(self, status: int) -> dict[str, Any]:
        errors = self.facts.errors
        text = str(status)
        for key in (text, text[0] + "XX", text[0] + "xx", "default"):
            if key in errors:
                found = errors[key]
                if isinstance(found, dict):
                    return dict(found)
        return {}

    def _reply(self, call: RecordedCall) -> _Reply:
        if not self._replies:
            return self._default()
        if not self.facts.paged:
            return self._replies[0]
        cursor = call.query.get("cursor", "")
        index = 0
        if cursor.startswith(_PAGE_CURSOR) and cursor[len(_PAGE_CURSOR) :].isdigit():
            index = int(cursor[len(_PAGE_CURSOR) :]) - 1
        return self._replies[min(max(index, 0), len(self._replies) - 1)]

    def _default(self) -> _Reply:
        facts = self.facts
        if facts.media == "json":
            return _json_reply(facts.status, facts.example)
        if facts.media == "text":
            return _Reply(facts.status, str(facts.example).encode(), "text/plain")
        if facts.media == "bytes":
            content = str(facts.example).encode()
            return _Reply(facts.status, content, "application/octet-stream")
        return _Reply(facts.status, b"", "")

    def _success(self, data: object) -> _Reply:
        body = {"success": True, "data": data} if self.facts.unwrap else data
        return _json_reply(self.facts.status, body)

    def _default_data(self) -> Any:
        """What the SDK reads of the default body: its ``data`` if unwrapped."""
        example = self.facts.example
        if self.facts.unwrap and isinstance(example, dict):
            return example.get("data")
        return example

    def _merged(self, value: object, default: Any, result: Any) -> Any:
        """``value`` as JSON; a mapping (not a model) merged onto ``default``,
        then checked as the SDK's type ``result``."""
        data = dump_json(value)
        if (
            isinstance(value, pydantic.BaseModel)
            or not isinstance(value, Mapping)
            or typing.get_origin(result) in (dict, Mapping)  # a map replaces
        ):
            return data
        data = deep_merge(default, data)
        if result is not None:
            try:
                type_adapter(result).validate_python(data)
            except pydantic.ValidationError as exc:
                raise ValueError(
                    f"{self.facts.key}.returns(...): the default merged with the"
                    f" given fields is no valid response: {describe_errors(exc)}"
                ) from None
        return data


class FakeOperation(_FakeBase, Generic[T]):
    """One operation of the fake: what it answers, and the calls it received."""

    def returns(self, value: T | Mapping[str, Any]) -> None:
        """Answer every later call with ``value``, as the API would send it: a
        model of the SDK's replaces the default response; a mapping is merged
        onto it (objects merged key by key, other values replaced) and the
        result must still be a valid response."""
        data = self._merged(value, self._default_data(), self.result)
        self._replies = [self._success(data)]


class FakeListOperation(_FakeBase, Generic[T]):
    """A list operation of the fake: it answers with pages of items."""

    def returns(self, items: Sequence[T | Mapping[str, Any]]) -> None:
        """Answer with one page holding ``items``."""
        self.returns_pages(items)

    def returns_pages(self, *pages: Sequence[T | Mapping[str, Any]]) -> None:
        """Answer with these pages in turn, linked by cursors: iterating the
        SDK's result walks every item of every page. A mapping item is merged
        onto the default item, as ``FakeOperation.returns`` does."""
        if not pages:
            raise ValueError("returns_pages() needs at least one page")
        self._replies = []
        items = self._default_data()
        default = items[0] if isinstance(items, list) and items else None
        for number, page in enumerate(pages, 1):
            body: dict[str, Any] = {
                "success": True,
                "data": [self._merged(item, default, self.result) for item in page],
                "cursor": (
                    _PAGE_CURSOR + str(number + 1) if number < len(pages) else None
                ),
                "prev_cursor": _PAGE_CURSOR + str(number - 1) if number > 1 else None,
            }
            self._replies.append(_json_reply(self.facts.status, body))


def fake_base_url(server: str | None) -> str:
    """Where the fake clients send requests: the spec's server URL, on a
    made-up host when it gives only a path (``/v1``) or nothing."""
    url = httpx.URL(server or "")
    if url.scheme and url.host:
        return str(server)
    path = url.path.strip("/")
    return "http://fake.invalid" + ("/" + path if path else "")


def load_data(module: str, name: str) -> dict[str, Any]:
    """The JSON file ``name`` beside module ``module`` (of this package)."""
    package = module.rpartition(".")[0]
    found: dict[str, Any] = json.loads(
        resources.files(package).joinpath(name).read_text("utf-8")
    )
    return found


def operation_facts(
    data: Mapping[str, Any], key: str, body: Any = None, *, items: bool = False
) -> OperationFacts:
    """The facts of operation ``key`` from the generated data, with its body's
    model (which JSON cannot name)."""
    found = data[key]
    return OperationFacts(key=key, body=body, items=items, **found)


def dump_json(value: object) -> Any:
    """JSON of a value given to ``returns``: models as the API sends them
    (wire names, the fields that were set)."""
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [dump_json(item) for item in value]
    if isinstance(value, Mapping):
        return {str(k): dump_json(v) for k, v in value.items()}
    return type_adapter(Any).dump_python(value, mode="json", by_alias=True)


def deep_merge(base: Any, given: Any) -> Any:
    """``given`` over ``base``: objects merged key by key (recursively), any
    other value (a list too) replaced; ``base`` is left as it was."""
    if not isinstance(base, dict) or not isinstance(given, dict):
        return given
    out = dict(base)
    for key, value in given.items():
        out[key] = deep_merge(base[key], value) if key in base else value
    return out


def _set_error_fields(
    body: dict[str, Any], status: int, code: str | None, message: str | None
) -> None:
    """The usual fields of an error body, where the spec's body has them."""
    for key in ("statusCode", "status_code", "status"):
        if isinstance(body.get(key), int):
            body[key] = status
    if code is not None:
        body["code"] = code
    if message is not None:
        keys = [k for k in ("message", "error", "detail") if k in body]
        for key in keys or ["message"]:
            body[key] = message


class FakeTransportBase(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Routes each request to its operation, checks, records and answers it."""

    def __init__(
        self,
        operations: Iterable[_FakeBase],
        *,
        base_url: str,
        check_requests: bool = True,
    ) -> None:
        self.calls: list[RecordedCall] = []
        self.check_requests = check_requests
        # Paths are the spec's, below the path of the server's URL; a client
        # given another base URL puts another path before them.
        self._base = httpx.URL(base_url).path.rstrip("/")
        # Literal paths first: "/bots/batch" before "/bots/{bot_id}".
        found = sorted(operations, key=lambda op: op.facts.path.count("{"))
        self._routes = [
            (op.facts.method, _path_regex(op.facts.path), op) for op in found
        ]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        return self._handle(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        return self._handle(request)

    def reset(self) -> None:
        """Every operation back to its default; the recorded calls forgotten."""
        self.calls.clear()
        for _, _, op in self._routes:
            op.reset()

    def _handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        best: tuple[tuple[bool, int, int], re.Match[str], _FakeBase] | None = None
        for method, regex, op in self._routes:
            matched = regex.fullmatch(path) if method == request.method else None
            if matched is None:
                continue
            # The server's own path first, then the shortest other one; of
            # paths alike, the one with fewer parameters (the routes' order).
            prefix = matched.group("prefix")
            rank = (prefix != self._base, len(prefix), op.facts.path.count("{"))
            if best is None or rank < best[0]:
                best = (rank, matched, op)
        if best is not None:
            _, matched, op = best
            names = _path_names(op.facts.path)
            params = {n: matched.group(f"p{i}") for i, n in enumerate(names)}
            return self._answer(request, op, params)
        message = f"no operation of the spec is {request.method} {path}"
        return _response(_json_reply(404, {"message": message, "code": "not_found"}))

    def _answer(
        self, request: httpx.Request, op: _FakeBase, params: dict[str, str]
    ) -> httpx.Response:
        call = RecordedCall(
            operation=op.facts.key,
            method=request.method,
            path=request.url.path,
            path_params=params,
            query=dict(request.url.params),
            headers=request.headers,
            body=_body_of(request),
            request=request,
        )
        self.calls.append(call)
        op.calls.append(call)
        problem = None
        if self.check_requests:
            problem = _problem(op.facts, call) or param_problem(
                op.facts.params,
                op.facts.params_model,
                request,
                params,
                frozenset({"cursor"}) if _fake_cursor(call) else frozenset(),
            )
        if problem is not None:
            body = op._error_body(422)
            _set_error_fields(body, 422, "validation_error", problem)
            return _response(_json_reply(422, body))
        return _response(op._reply(call))


def _fake_cursor(call: RecordedCall) -> bool:
    """The request sends a page cursor the fake made (``returns_pages``)."""
    return call.query.get("cursor", "").startswith(_PAGE_CURSOR)


def _path_regex(template: str) -> re.Pattern[str]:
    """The spec's path below any path of segments (group ``prefix``)."""
    parts = re.split(r"\{([^{}]+)\}", template)
    out = "(?P<prefix>(?:/[^/]+)*?)" if template.startswith("/") else "(?P<prefix>)"
    for i, part in enumerate(parts):
        if i % 2 == 0:
            out += re.escape(part)
        else:  # a parameter: any one path segment, its group named by position
            out += f"(?P<p{i // 2}>[^/]+)"
    return re.compile(out)


def _path_names(template: str) -> list[str]:
    return re.findall(r"\{([^{}]+)\}", template)


def _body_of(request: httpx.Request) -> Any:
    content = request.content
    if not content:
        return None
    if "json" not in request.headers.get("content-type", ""):
        return content
    try:
        return json.loads(content)
    except ValueError:
        return content


def _problem(facts: OperationFacts, call: RecordedCall) -> str | None:
    """Why the API would refuse this request (naming the field), or None."""
    if facts.body is None or isinstance(call.body, bytes):
        return None
    try:
        if call.body is None:  # refused only if the body must say something
            if facts.body_required and facts.items:
                build_items(facts.body, [])
            elif facts.body_required:
                build(facts.body, {})
        elif facts.items:
            if not isinstance(call.body, list):
                return "body: expected a JSON array"
            build_items(facts.body, call.body)
        elif not isinstance(call.body, dict):
            return "body: expected a JSON object"
        else:
            build(facts.body, call.body)
    except (RequestValidationError, TypeError) as exc:
        return f"body: {exc}"
    return None


def _response(reply: _Reply) -> httpx.Response:
    headers = {"content-type": reply.content_type} if reply.content_type else {}
    return httpx.Response(reply.status, headers=headers, content=reply.content)
