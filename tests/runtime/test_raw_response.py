"""The with_raw_response wrappers and APIResponse."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import Recorder, envelope, error

BOT = {"bot_id": "b1", "bot_name": "N"}


def test_raw_response_exposes_http_details(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(envelope(BOT, 201, {"x-request-id": "req-1", "x-y": "z"}))
    client = make_client(rec)

    raw = client.bots.with_raw_response.create(meeting_url="u", bot_name="N")

    assert isinstance(raw, rt.APIResponse)
    assert raw.status_code == 201
    assert raw.headers["x-y"] == "z"
    assert raw.request_id == "req-1"
    assert raw.method == "POST"
    assert raw.url.path == "/v2/bots"
    assert isinstance(raw.http_response, httpx.Response)
    assert raw.json() == {"success": True, "data": BOT}
    assert raw.retries_taken == 0
    bot = raw.parse()
    assert bot.bot_id == "b1"
    assert raw.parsed is bot  # parsed once, cached
    assert "201" in repr(raw)


def test_raw_wrapper_does_not_leak_into_normal_calls(
    make_client: Callable[..., Any],
) -> None:
    rec = Recorder(envelope(BOT))
    client = make_client(rec)
    client.bots.with_raw_response.retrieve("b1")
    assert client.bots.retrieve("b1").bot_id == "b1"


def test_raw_wrapper_still_raises_api_errors(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(error(404, "BOT_NOT_FOUND")))
    with pytest.raises(rt.NotFoundError):
        client.bots.with_raw_response.retrieve("b1")
    # The flag is reset even when the call raised.
    assert not rt._response.raw_response_requested.get()


def test_raw_wrapper_keeps_metadata(make_client: Callable[..., Any]) -> None:
    client = make_client(Recorder(envelope(BOT)))
    wrapped = client.bots.with_raw_response.retrieve
    assert wrapped.__name__ == "retrieve"


def test_wrapping_a_function_without_request_is_an_error(rt: ModuleType) -> None:
    wrapped = rt._response.to_raw_response_wrapper(lambda: 42)
    with pytest.raises(TypeError, match="did not make an API request"):
        wrapped()


def test_async_raw_response(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    rec = Recorder(envelope(BOT, headers={"x-request-id": "req-2"}))

    async def main() -> tuple[Any, Any]:
        async with make_async_client(rec) as client:
            raw = await client.bots.with_raw_response.retrieve("b1")
            normal = await client.bots.retrieve("b1")
            return raw, normal

    raw, normal = asyncio.run(main())
    assert isinstance(raw, rt.APIResponse)
    assert raw.request_id == "req-2"
    assert raw.parse().bot_id == "b1"
    assert normal.bot_id == "b1"


def test_concurrent_async_raw_and_normal_calls_are_isolated(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    rec = Recorder(envelope(BOT))

    async def main() -> list[Any]:
        async with make_async_client(rec) as client:
            return list(
                await asyncio.gather(
                    client.bots.with_raw_response.retrieve("b1"),
                    client.bots.retrieve("b1"),
                    client.bots.with_raw_response.retrieve("b1"),
                    client.bots.retrieve("b1"),
                )
            )

    results = asyncio.run(main())
    assert [type(r).__name__ for r in results] == [
        "APIResponse",
        "Bot",
        "APIResponse",
        "Bot",
    ]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([("X-Amzn-RequestId", "amzn-1")], "amzn-1"),
        ([("request-id", "plain"), ("X-Request-ID", "first")], "first"),
        ([("x-request-id", ""), ("Request-Id", "second")], "second"),
        ([("x-y", "z")], None),
    ],
)
def test_the_request_id_is_the_first_header_present_in_order(
    rt: ModuleType,
    make_client: Callable[..., Any],
    headers: list[tuple[str, str]],
    expected: str | None,
) -> None:
    """x-request-id, then request-id, then x-amzn-requestid, whatever their
    case or place on the wire; an empty one counts as absent. The same for a
    result, a raw response and an error."""
    ok = httpx.Response(200, json={"success": True, "data": BOT}, headers=headers)
    client = make_client(Recorder(ok))
    assert client.bots.retrieve("b1")._request_id == expected
    assert client.bots.with_raw_response.retrieve("b1").request_id == expected
    failed = httpx.Response(404, json={"message": "gone"}, headers=headers)
    with pytest.raises(rt.APIStatusError) as info:
        make_client(Recorder(failed), max_retries=0).bots.retrieve("b1")
    assert info.value.request_id == expected
