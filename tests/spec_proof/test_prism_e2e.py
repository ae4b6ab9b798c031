"""Every operation of every spec, sync and async, against Prism mocking that spec:
Prism must find each request spec-valid (no `sl-violations` header), the SDK
must parse each response, and error statuses (asked for with `Prefer: code=`)
must raise the right exception class."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from generator.parse.operations import _json_schema, raw_operations

from .calls import Call, calls
from .params import spec_names
from .prism import prism_mock
from .schemas import inline
from .targets import Spec, spec_named

pytestmark = pytest.mark.prism


class Recorder:
    """Response hook: every violation Prism reports about a request we sent."""

    def __init__(self) -> None:
        self.violations: list[str] = []
        self.failed: list[str] = []  # valid calls the mock answered with an error
        self.responses = 0

    def __call__(self, response: httpx.Response) -> None:
        self.responses += 1
        found = response.headers.get("sl-violations")
        if found:
            request = response.request
            self.violations.append(f"{request.method} {request.url}: {found}")

    async def hook(self, response: httpx.Response) -> None:
        self(response)


def _method(client: Any, call: Call) -> Any:
    target = client
    for part in call.operation.resource:
        target = getattr(target, part)
    return getattr(target, call.operation.method_name)


def _error_statuses(call: Call) -> list[int]:
    return [int(e.status) for e in call.operation.errors if e.status.isdigit()]


def _check_result(call: Call, result: Any) -> None:
    if call.view.paginated:
        assert isinstance(result.data, list), call.operation.operation_id
    elif call.view.result_type == "None":
        assert result is None
    else:
        assert result is not None, call.operation.operation_id


def _run_sync(sdk: ModuleType, url: str, todo: list[Call], rec: Recorder) -> int:
    done = 0
    http = httpx.Client(event_hooks={"response": [rec]})
    with sdk.MeetingBaas(
        api_key="k", base_url=url, max_retries=0, http_client=http
    ) as client:
        for call in todo:
            method = _method(client, call)
            done += 1
            try:
                result = method(*call.args, **call.kwargs)
            except sdk.APIStatusError as exc:
                rec.failed.append(f"{call.operation.operation_id}: {exc}")
                continue
            _check_result(call, result)
            for status in _error_statuses(call):
                with pytest.raises(sdk.APIStatusError) as caught:
                    method(
                        *call.args,
                        **call.kwargs,
                        extra_headers={"Prefer": f"code={status}"},
                    )
                expected = sdk._exceptions.error_class_for_status(status)
                assert type(caught.value) is expected, (call.view.http_line, status)
                assert caught.value.status_code == status
    return done


async def _run_async(sdk: ModuleType, url: str, todo: list[Call], rec: Recorder) -> int:
    done = 0
    http = httpx.AsyncClient(event_hooks={"response": [rec.hook]})
    async with sdk.AsyncMeetingBaas(
        api_key="k", base_url=url, max_retries=0, http_client=http
    ) as client:
        for call in todo:
            method = _method(client, call)
            done += 1
            try:
                result = await method(*call.args, **call.kwargs)
            except sdk.APIStatusError as exc:
                rec.failed.append(f"{call.operation.operation_id}: {exc}")
                continue
            _check_result(call, result)
            for status in _error_statuses(call):
                with pytest.raises(sdk.APIStatusError) as caught:
                    await method(
                        *call.args,
                        **call.kwargs,
                        extra_headers={"Prefer": f"code={status}"},
                    )
                expected = sdk._exceptions.error_class_for_status(status)
                assert type(caught.value) is expected, (call.view.http_line, status)
    return done


def _has_default(schema: Any) -> bool:
    if not isinstance(schema, dict):
        return False
    return "default" in schema or any(_has_default(s) for s in schema.get("allOf", []))


def required_with_default(schema: Any) -> set[str]:
    """Property names a (request) schema requires although they have a default."""
    found: set[str] = set()
    if isinstance(schema, dict):
        props = schema.get("properties") or {}
        found.update(
            n for n in schema.get("required") or [] if _has_default(props.get(n))
        )
        for value in schema.values():
            found |= required_with_default(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= required_with_default(value)
    return found


def defaulted_required(spec: Spec) -> dict[str, set[str]]:
    """Operation id -> body fields it requires although they have a default
    (`all_occurrences` of the calendar-bot bodies). The calls leave such fields
    out, so these operations show that the SDK sends the default itself: before
    it did, Prism refused exactly these requests."""
    ops = {(r.path, r.method.upper()): r.op for r in raw_operations(spec.raw)}
    out: dict[str, set[str]] = {}
    for op in spec.api.operations:
        body = ops[(op.path, op.http_method)].get("requestBody")
        if body is not None:
            found = _json_schema(spec.raw, body, "#")
            names = required_with_default(inline(spec.raw, found[0])) if found else ()
            if names:
                out[op.operation_id] = set(names)
    return out


@pytest.mark.parametrize("spec_name", spec_names())
def test_every_operation_against_prism(
    spec_name: str, sdk_for: Callable[[Spec], ModuleType], tmp_path: Path
) -> None:
    spec = spec_named(spec_name)
    sdk = sdk_for(spec)
    todo = calls(spec.api, sdk.types)
    in_spec = len(raw_operations(spec.raw))
    assert len(todo) == in_spec  # every operation of the spec, none twice
    assert len({c.operation.python_call for c in todo}) == in_spec
    sync_rec, async_rec = Recorder(), Recorder()
    with prism_mock(spec.path, tmp_path / "prism.log") as url:
        assert _run_sync(sdk, url, todo, sync_rec) == in_spec
        assert asyncio.run(_run_async(sdk, url, todo, async_rec)) == in_spec
    assert sync_rec.failed == async_rec.failed == []
    assert sync_rec.violations == async_rec.violations == []
    # Those passes prove the SDK sent the defaults: the calls never passed them.
    defaulted = defaulted_required(spec)
    for call in todo:
        for name in defaulted.get(call.operation.operation_id, ()):
            assert name not in call.kwargs, (call.operation.operation_id, name)
    errors = sum(len(_error_statuses(c)) for c in todo)
    assert sync_rec.responses == async_rec.responses == in_spec + errors
