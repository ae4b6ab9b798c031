"""Retry policy: which failures are retried, how often and how long we wait."""

from __future__ import annotations

import asyncio
import email.utils
import time
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import Recorder, envelope, error

BOT = {"bot_id": "b1"}


def test_get_500_retried_then_raises(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(500))
    with pytest.raises(rt.InternalServerError):
        make_client(rec).bots.retrieve("b1")
    assert rec.count == 3  # 1 try + max_retries=2
    assert sleeps == [0.5, 1.0]


def test_success_after_retry_reports_retries_taken(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(503), error(502), envelope(BOT))
    raw = make_client(rec).bots.with_raw_response.retrieve("b1")
    assert raw.parse().bot_id == "b1"
    assert raw.retries_taken == 2
    assert rec.count == 3
    assert sleeps == [0.5, 1.0]


def test_backoff_is_exponential_capped_and_jittered(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(500))
    with pytest.raises(rt.InternalServerError):
        make_client(rec, max_retries=6).bots.retrieve("b1")
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]

    sleeps.clear()
    # random() == 1.0 gives the smallest jitter factor, 0.75.
    with pytest.raises(rt.InternalServerError):
        make_client(rec, max_retries=3, _random=lambda: 1.0).bots.retrieve("b1")
    assert sleeps == [0.375, 0.75, 1.5]


def test_max_retries_zero_disables_retries(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(500))
    with pytest.raises(rt.InternalServerError):
        make_client(rec, max_retries=0).bots.retrieve("b1")
    assert rec.count == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_for_get(
    make_client: Callable[..., Any], status: int
) -> None:
    rec = Recorder(error(status), envelope(BOT))
    assert make_client(rec).bots.retrieve("b1").bot_id == "b1"
    assert rec.count == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 422])
def test_client_errors_not_retried(
    rt: ModuleType, make_client: Callable[..., Any], status: int
) -> None:
    rec = Recorder(error(status), envelope(BOT))
    with pytest.raises(rt.APIStatusError):
        make_client(rec).bots.retrieve("b1")
    assert rec.count == 1


def test_retry_after_seconds(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    limited = httpx.Response(429, headers={"Retry-After": "3"})
    rec = Recorder(limited, envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert sleeps == [3.0]


def test_retry_after_ms(make_client: Callable[..., Any], sleeps: list[float]) -> None:
    limited = httpx.Response(
        429, headers={"retry-after-ms": "1500", "retry-after": "9"}
    )
    rec = Recorder(limited, envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert sleeps == [1.5]


def test_retry_after_http_date(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() + 20, usegmt=True)
    rec = Recorder(httpx.Response(503, headers={"Retry-After": when}), envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert len(sleeps) == 1
    assert 18.0 <= sleeps[0] <= 20.5  # whole-second resolution of HTTP dates


@pytest.mark.parametrize("value", ["0", "-5", "soon", "Wed, 99 Foo 2024"])
def test_unusable_retry_after_falls_back_to_backoff(
    make_client: Callable[..., Any], sleeps: list[float], value: str
) -> None:
    rec = Recorder(httpx.Response(429, headers={"Retry-After": value}), envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert sleeps == [0.5]


def test_retry_after_in_the_past_falls_back(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    when = email.utils.formatdate(time.time() - 100, usegmt=True)
    rec = Recorder(httpx.Response(429, headers={"Retry-After": when}), envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert sleeps == [0.5]


def test_post_not_retried_after_500(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(500), envelope(BOT))
    with pytest.raises(rt.InternalServerError):
        make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert rec.count == 1
    assert sleeps == []


@pytest.mark.parametrize("status", [408, 502, 503])
def test_post_not_retried_after_other_retryable_statuses(
    rt: ModuleType, make_client: Callable[..., Any], status: int
) -> None:
    rec = Recorder(error(status), envelope(BOT))
    with pytest.raises(rt.APIStatusError):
        make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert rec.count == 1


def test_post_retried_after_429(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(429), error(429), envelope(BOT, status=201))
    bot = make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert bot.bot_id == "b1"
    assert rec.count == 3
    assert sleeps == [0.5, 1.0]
    # The same body is re-sent each time.
    assert len({r.content for r in rec.requests}) == 1


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.PoolTimeout("no free connection"),
    ],
    ids=["connect-error", "connect-timeout", "pool-timeout"],
)
def test_post_retried_when_request_never_sent(
    make_client: Callable[..., Any], exc: Exception
) -> None:
    rec = Recorder(exc, envelope(BOT, status=201))
    bot = make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert bot.bot_id == "b1"
    assert rec.count == 2


@pytest.mark.parametrize(
    ("exc", "error_name"),
    [
        (httpx.ReadTimeout("read timed out"), "APITimeoutError"),
        (httpx.ReadError("connection reset"), "APIConnectionError"),
        (httpx.RemoteProtocolError("server disconnected"), "APIConnectionError"),
    ],
)
def test_post_not_retried_when_request_may_have_been_processed(
    rt: ModuleType, make_client: Callable[..., Any], exc: Exception, error_name: str
) -> None:
    rec = Recorder(exc, envelope(BOT))
    with pytest.raises(getattr(rt, error_name)):
        make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert rec.count == 1


def test_get_timeouts_retried_then_api_timeout_error(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(httpx.ReadTimeout("read timed out"))
    with pytest.raises(rt.APITimeoutError) as info:
        make_client(rec, max_retries=3).bots.retrieve("b1")
    assert rec.count == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert isinstance(info.value, rt.APIConnectionError)
    assert isinstance(info.value.__cause__, httpx.ReadTimeout)
    assert info.value.request.url.path == "/v2/bots/b1"


def test_get_connection_errors_retried_then_api_connection_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(rt.APIConnectionError) as info:
        make_client(rec).bots.retrieve("b1")
    assert not isinstance(info.value, rt.APITimeoutError)
    assert rec.count == 3


def test_transient_network_error_then_success(make_client: Callable[..., Any]) -> None:
    rec = Recorder(httpx.ReadError("reset"), envelope(BOT))
    assert make_client(rec).bots.retrieve("b1").bot_id == "b1"
    assert rec.count == 2


def test_server_can_veto_or_allow_retries(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    veto = httpx.Response(503, headers={"x-should-retry": "false"})
    rec = Recorder(veto, envelope(BOT))
    with pytest.raises(rt.InternalServerError):
        make_client(rec).bots.retrieve("b1")
    assert rec.count == 1

    allow = httpx.Response(500, headers={"x-should-retry": "true"})
    rec = Recorder(allow, envelope(BOT))
    make_client(rec).bots.create(meeting_url="u", bot_name="n")
    assert rec.count == 2


def test_per_client_max_retries_via_with_options(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(error(500))
    with pytest.raises(rt.InternalServerError):
        make_client(rec).with_options(max_retries=4).bots.retrieve("b1")
    assert rec.count == 5


def test_async_retries_and_delays(
    rt: ModuleType, make_async_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(error(500), httpx.Response(429, headers={"Retry-After": "2"}))

    async def run() -> None:
        async with make_async_client(rec, max_retries=3) as client:
            await client.bots.retrieve("b1")

    with pytest.raises(rt.RateLimitError):
        asyncio.run(run())
    assert rec.count == 4
    assert sleeps == [0.5, 2.0, 2.0]


def test_async_post_rules_and_timeouts(
    rt: ModuleType, make_async_client: Callable[..., Any], sleeps: list[float]
) -> None:
    async def create(rec: Recorder) -> Any:
        async with make_async_client(rec) as client:
            return await client.bots.create(meeting_url="u", bot_name="n")

    async def retrieve(rec: Recorder) -> Any:
        async with make_async_client(rec) as client:
            return await client.bots.retrieve("b1")

    rec = Recorder(error(500), envelope(BOT))
    with pytest.raises(rt.InternalServerError):
        asyncio.run(create(rec))
    assert rec.count == 1

    rec = Recorder(httpx.ConnectError("refused"), envelope(BOT))
    assert asyncio.run(create(rec)).bot_id == "b1"

    rec = Recorder(httpx.ReadTimeout("slow"))
    with pytest.raises(rt.APITimeoutError):
        asyncio.run(retrieve(rec))
    assert rec.count == 3


def test_default_sleep_is_real_sleep(rt: ModuleType) -> None:
    client = rt.MeetingBaas(api_key="k")
    assert client._sleep is time.sleep
    aclient = rt.AsyncMeetingBaas(api_key="k")
    assert aclient._sleep is asyncio.sleep
    client.close()
    asyncio.run(aclient.aclose())
