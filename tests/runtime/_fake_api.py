"""A fake Meeting BaaS API for tests of the committed SDK (``generated/``).

Routes are read from the Operations table of the generated README, so every
operation the SDK documents is answered. Responses are built from the SDK's
own response models (their JSON schema), so they have the spec's shapes; a
few server-side rules are simulated so that examples can show real
behaviour: an all-zero id is not found, a scheduled ``join_at`` in the past is
a 400, batch items with a non-meeting URL fail, and list endpoints paginate
over a store of ``total_items`` items.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit

import httpx
import pydantic

MISSING_ID = "00000000-0000-0000-0000-000000000000"
MEETING_HOSTS = ("meet.google.com", "zoom.us", "teams.microsoft.com", "teams.live.com")
REQUEST_ID_HEADER = "x-request-id"

# A row of an operations table; "{}": the client's name in its calls.
_ROW = r"^\| `({}\.[\w.]+)\(.*?\)` \| `(\w+) (\S+)` \| `(.+?)` \|$"


@dataclass(frozen=True)
class Route:
    call: str  # "client.bots.retrieve"
    method: str
    template: str  # "/v2/bots/{bot_id}"
    returns: str  # "BotDetails", "SyncCursorPage[Bot]", "builtins.list[X]"
    regex: re.Pattern[str]

    @property
    def n_params(self) -> int:
        return self.template.count("{")


def routes_from_readme(readme: str, client: str = "client") -> list[Route]:
    """The README's Operations table as routes, literal paths before templated
    ones; ``client``: the table of calls on that name (``v1``: the v1 API's)."""
    routes = []
    row = re.compile(_ROW.replace("{}", re.escape(client)))
    for line in readme.splitlines():
        m = row.match(line)
        if m:
            call, method, template, returns = m.groups()
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            routes.append(
                Route(call, method, template, returns, re.compile(f"^{pattern}$"))
            )
    return sorted(routes, key=lambda r: (r.n_params, r.template))


class Examples:
    """Deterministic example values for the SDK's models, from their JSON schema."""

    def __init__(self, types: ModuleType) -> None:
        self.types = types
        self._counter = 0

    def new_uuid(self) -> str:
        self._counter += 1
        return str(uuid.UUID(int=self._counter, version=4))

    def model(self, name: str, **overrides: Any) -> dict[str, Any]:
        model: type[pydantic.BaseModel] = getattr(self.types, name)
        schema = model.model_json_schema(mode="validation")
        value = self._value(schema, schema.get("$defs", {}), 0)
        value.update(overrides)
        model.model_validate(value)  # the fake must answer valid shapes
        assert isinstance(value, dict)
        return value

    def _value(self, s: dict[str, Any], defs: dict[str, Any], depth: int) -> Any:
        if "$ref" in s:
            return self._value(defs[s["$ref"].split("/")[-1]], defs, depth)
        if "const" in s:
            return s["const"]
        if "enum" in s:
            return s["enum"][0]
        if "default" in s and depth > 2:
            return s["default"]
        for key in ("anyOf", "oneOf"):
            if key in s:
                options = [o for o in s[key] if o.get("type") != "null"]
                if (depth > 2 or not options) and len(options) < len(s[key]):
                    return None
                return self._value(options[0], defs, depth)
        if "allOf" in s:
            merged: dict[str, Any] = {}
            for part in s["allOf"]:
                merged.update(self._value(part, defs, depth) or {})
            return merged
        kind = s.get("type")
        if kind == "object" or "properties" in s:
            props = s.get("properties", {})
            return {
                k: self._value(props[k], defs, depth + 1) for k in s.get("required", [])
            }
        if kind == "array":
            count = s.get("minItems", 1 if depth < 2 else 0)
            return [self._value(s.get("items", {}), defs, depth + 1)] * count
        if kind == "integer":
            return int(s.get("minimum", s.get("exclusiveMinimum", -1) + 1))
        if kind == "number":
            return float(s.get("minimum", 1.5))
        if kind == "boolean":
            return False
        if kind == "string":
            fmt = s.get("format")
            if fmt == "uuid" or "[0-9a-fA-F]{8}" in s.get("pattern", ""):
                return self.new_uuid()
            if fmt == "date-time":
                return "2025-06-02T09:30:00Z"
            if fmt == "date":
                return "2025-06-02"
            if fmt in ("uri", "url") or "url" in s.get("title", "").lower():
                return "https://example.com/file"
            return "x" * max(s.get("minLength", 0), 7)
        return None


@dataclass
class Received:
    call: str
    request: httpx.Request

    @property
    def json(self) -> Any:
        return json.loads(self.request.content) if self.request.content else None


@dataclass
class FakeAPI:
    """An ``httpx`` handler: ``respx`` side effect or ``MockTransport`` handler."""

    routes: list[Route]
    examples: Examples
    total_items: int = 120
    # call -> scripted answers, consumed in order: an httpx.Response, an
    # exception to raise, or None for "answer normally".
    script: dict[str, list[httpx.Response | Exception | None]] = field(
        default_factory=dict
    )
    received: list[Received] = field(default_factory=list)
    # bot_id -> the create request's body, so that reads echo what was created
    bots: dict[str, dict[str, Any]] = field(default_factory=dict)

    def calls(self, call: str | None = None) -> list[Received]:
        return [r for r in self.received if call is None or r.call == call]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        route, params = self._match(request)
        self.received.append(Received(route.call, request))
        scripted = self.script.get(route.call)
        if scripted:
            item = scripted.pop(0)
            if isinstance(item, Exception):
                raise item
            if item is not None:
                return item
        for value in params.values():
            if value == MISSING_ID:
                return error(404, "NOT_FOUND", f"No resource with id {value}")
        handler: Callable[[Route, httpx.Request, dict[str, str]], httpx.Response] = (
            getattr(self, "_" + route.call.replace(".", "_"), self._default)
        )
        return handler(route, request, params)

    def _match(self, request: httpx.Request) -> tuple[Route, dict[str, str]]:
        for route in self.routes:
            m = route.regex.match(request.url.path)
            if m and route.method == request.method:
                return route, m.groupdict()
        raise AssertionError(f"no such operation: {request.method} {request.url}")

    # -- generic answers ---------------------------------------------------

    def _default(
        self, route: Route, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        returns = route.returns
        if returns.startswith("SyncCursorPage["):
            return self._page(request, returns.removeprefix("SyncCursorPage[")[:-1])
        if returns.startswith("builtins.list["):
            item = returns.removeprefix("builtins.list[")[:-1]
            return ok([self.examples.model(item)])
        if returns == "None":
            return httpx.Response(204)
        fields = getattr(self.examples.types, returns).model_fields
        if "success" in fields:  # the whole body, not an envelope's data (batches)
            return httpx.Response(200, json=self.examples.model(returns))
        overrides = {k: v for k, v in params.items() if k in fields}
        stored = self.bots.get(params.get("bot_id", ""), {})
        overrides.update(
            {k: stored[k] for k in ("bot_name", "meeting_url") if k in stored}
        )
        return ok(self.examples.model(returns, **overrides))

    def _client_bots_create(
        self, route: Route, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        created = self.examples.model("CreatedBot")
        self.bots[created["bot_id"]] = json.loads(request.content)
        return ok(created, status=201)

    def _page(self, request: httpx.Request, item: str) -> httpx.Response:
        limit = int(request.url.params.get("limit", 50))
        start = int(request.url.params.get("cursor") or 0)
        end = min(start + limit, self.total_items)
        data = [self.examples.model(item) for _ in range(start, end)]
        for i, obj in enumerate(data, start):
            if "bot_name" in obj:
                obj["bot_name"] = f"Bot {i}"
        body = {
            "success": True,
            "data": data,
            "cursor": str(end) if end < self.total_items else None,
            "prev_cursor": str(max(start - limit, 0)) if start else None,
        }
        return httpx.Response(200, json=body, headers={REQUEST_ID_HEADER: "req_page"})

    # -- server-side rules -------------------------------------------------

    def _client_bots_batch_create(
        self, route: Route, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        created, failed = [], []
        for index, item in enumerate(json.loads(request.content)):
            host = urlsplit(item["meeting_url"]).hostname or ""
            extra = item.get("extra")
            if host.endswith(MEETING_HOSTS):
                created.append(
                    {"index": index, "bot_id": self.examples.new_uuid(), "extra": extra}
                )
            else:
                failed.append(
                    {
                        "index": index,
                        "code": "INVALID_MEETING_URL",
                        "message": "Not a Zoom, Google Meet or Teams link",
                        "details": None,
                        "extra": extra,
                    }
                )
        return httpx.Response(
            201, json={"success": True, "data": created, "errors": failed}
        )

    def _client_scheduled_bots_create(
        self, route: Route, request: httpx.Request, params: dict[str, str]
    ) -> httpx.Response:
        join_at = dt.datetime.fromisoformat(json.loads(request.content)["join_at"])
        if join_at < dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1):
            details = [
                {
                    "path": ["join_at"],
                    "message": "join_at must not be in the past",
                }
            ]
            return error(400, "FST_ERR_VALIDATION", "Invalid body", details=details)
        return self._client_bots_create(route, request, params)


def ok(data: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(
        status,
        json={"success": True, "data": data},
        headers={REQUEST_ID_HEADER: "req_ok"},
    )


def error(status: int, code: str, message: str, details: Any = None) -> httpx.Response:
    body = {
        "success": False,
        "error": httpx.codes.get_reason_phrase(status),
        "code": code,
        "statusCode": status,
        "message": message,
        "details": details,
    }
    return httpx.Response(
        status, json=body, headers={REQUEST_ID_HEADER: f"req_{status}"}
    )
