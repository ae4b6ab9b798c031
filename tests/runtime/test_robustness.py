"""A server that misbehaves gets typed SDK errors or a best-effort result,
never a hang, a bare Python error or a silently wrong value."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import math
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pydantic
import pytest

from ._fake_api import Examples, FakeAPI, ok, routes_from_readme
from ._rt_helpers import Recorder, envelope

README = Path(__file__).resolve().parents[2] / "generated" / "README.md"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
URL = "https://meet.google.com/abc-defg-hij"
DEEP = b'{"success": true, "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"


def page(ids: list[str], cursor: str | None) -> httpx.Response:
    data = [{"bot_id": i} for i in ids]
    return httpx.Response(200, json={"success": True, "data": data, "cursor": cursor})


# -- pagination ----------------------------------------------------------------


def cycle_server(request: httpx.Request) -> httpx.Response:
    # first -> A -> B -> A -> ...
    cursor = request.url.params.get("cursor")
    return {None: page(["1"], "A"), "A": page(["2"], "B"), "B": page(["3"], "A")}[
        cursor
    ]


def test_cursor_cycle_stops_with_an_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(cycle_server)
    seen: list[str] = []
    with pytest.raises(rt.PaginationError, match="'A'"):
        for bot in make_client(rec).bots.list():
            seen.append(bot.bot_id)
    assert seen == ["1", "2", "3"]
    assert rec.count == 3  # page A is not fetched a second time


def test_async_cursor_cycle_stops_with_an_error(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    rec = Recorder(cycle_server)

    async def walk() -> list[str]:
        return [bot.bot_id async for bot in make_async_client(rec).bots.list()]

    with pytest.raises(rt.PaginationError):
        asyncio.run(walk())
    assert rec.count == 3


def test_async_list_iterates_without_await_and_awaits_to_a_page(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    pages = {None: page(["1", "2"], "n"), "n": page(["3"], None)}
    rec = Recorder(lambda r: pages[r.url.params.get("cursor")])

    async def go() -> tuple[list[str], Any]:
        client = make_async_client(rec)
        ids = [bot.bot_id async for bot in client.bots.list()]
        first = await client.bots.list()
        raw = await client.bots.with_raw_response.list()
        return ids, (first, raw)

    ids, (first, raw) = asyncio.run(go())
    assert ids == ["1", "2", "3"]
    assert isinstance(first, rt.AsyncCursorPage)
    assert [b.bot_id for b in first.data] == ["1", "2"]
    assert isinstance(raw, rt.APIResponse)
    assert raw.parse().next_cursor == "n"


# -- bodies the SDK cannot use -------------------------------------------------


def test_deeply_nested_json_is_a_typed_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(httpx.Response(200, content=DEEP)))
    with pytest.raises(rt.APIResponseValidationError, match="nested too deeply"):
        client.bots.retrieve("b1")
    with pytest.raises(rt.APIResponseValidationError, match="nested too deeply"):
        client.bots.list()
    # An error status with such a body still maps to its status error.
    bad = make_client(Recorder(httpx.Response(500, content=DEEP)), max_retries=0)
    with pytest.raises(rt.InternalServerError):
        bad.bots.retrieve("b1")


def test_deeply_nested_webhook_is_a_parse_error(rt: ModuleType) -> None:
    with pytest.raises(rt.webhooks.WebhookParseError):
        rt.webhooks.parse(DEEP)


@pytest.mark.parametrize("call", ["retrieve", "list"])
def test_success_false_on_a_200_is_a_typed_error(
    rt: ModuleType, make_client: Callable[..., Any], call: str
) -> None:
    body = {"success": False, "code": "BOT_GONE", "message": "gone", "data": []}
    client = make_client(Recorder(httpx.Response(200, json=body)))
    with pytest.raises(rt.UnsuccessfulResponseError, match="gone") as info:
        getattr(client.bots, call)() if call == "list" else client.bots.retrieve("b")
    assert info.value.code == "BOT_GONE"
    assert isinstance(info.value, rt.APIResponseValidationError)


# -- lenient by default, strict on request -------------------------------------


@pytest.fixture
def fake(sdk: Any) -> FakeAPI:
    return FakeAPI(routes_from_readme(README.read_text("utf-8")), Examples(sdk.types))


def sdk_client(sdk: Any, handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return sdk.MeetingBaas(api_key="k-123", http_client=http, max_retries=0)


def test_harmless_deviations_still_return_a_typed_object(
    sdk: Any, caplog: pytest.LogCaptureFixture
) -> None:
    details = Examples(sdk.types).model("BotDetails", bot_id=BOT_ID)
    details["created_at"] = "last tuesday"  # not a date-time at all
    details["joined_at"] = "2025-01-01T02:00:00.000+02:00"  # RFC 3339, not "Z"
    details["bot_id"] = "3f1c2a9e-6b7d-0c1e-9a2b-5d4e3c2b1a09"  # UUID "version 0"
    details.pop("bot_name")
    details["brand_new_field"] = {"x": 1}
    client = sdk_client(sdk, lambda r: ok(details))
    with caplog.at_level(logging.WARNING, logger="meetingbaas"):
        bot = client.bots.retrieve(BOT_ID)
    assert isinstance(bot, sdk.types.BotDetails)
    assert bot.created_at == "last tuesday"  # kept raw
    assert bot.joined_at == dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # read, aware
    assert bot.bot_name is None  # missing reads as None
    assert bot.model_extra == {"brand_new_field": {"x": 1}}
    # Every field that does validate is typed.
    assert isinstance(bot.meeting_url, str)
    for name, field in type(bot).model_fields.items():
        if name not in ("created_at", "bot_id", "bot_name"):
            value = getattr(bot, name)
            adapter = pydantic.TypeAdapter(field.annotation)
            assert adapter.validate_python(value) == value, name
    assert "created_at" in caplog.text and "strict_response_validation" in caplog.text

    strict = client.with_options(strict_response_validation=True)
    with pytest.raises(sdk.APIResponseValidationError, match="created_at"):
        strict.bots.retrieve(BOT_ID)


def test_lenient_list_items_are_typed_one_by_one(sdk: Any) -> None:
    ex = Examples(sdk.types)
    good, bad = ex.model("Bot"), ex.model("Bot")
    bad["created_at"] = 0  # an int where a datetime belongs
    body = {"success": True, "data": [good, bad], "cursor": None}
    client = sdk_client(sdk, lambda r: httpx.Response(200, json=body))
    items = client.bots.list().data
    assert all(isinstance(b, sdk.types.Bot) for b in items)
    assert isinstance(items[0].created_at, dt.datetime)
    assert items[1].created_at == 0


# -- no silent coercions -------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("created_at", 0), ("created_at", 1_700_000_000), ("created_at", True)],
)
def test_numbers_and_booleans_are_not_datetimes(
    sdk: Any, field: str, value: object
) -> None:
    data = {**Examples(sdk.types).model("Bot"), field: value}
    with pytest.raises(pydantic.ValidationError):
        sdk.types.Bot.model_validate(data)


def test_booleans_and_nan_are_not_numbers(sdk: Any, rt: ModuleType) -> None:
    class M(rt.BaseModel):  # type: ignore[name-defined,misc]
        n: int
        x: float | None = None
        flag: bool = False

    for bad in ({"n": True}, {"n": 1, "x": False}, {"n": 1, "x": math.nan}):
        with pytest.raises(pydantic.ValidationError):
            M.model_validate(bad)
    for inf in ("Infinity", "-Infinity", "NaN"):
        with pytest.raises(pydantic.ValidationError):
            M.model_validate(json.loads(f'{{"n": 1, "x": {inf}}}'))
    assert M.model_validate({"n": 1, "x": 2, "flag": True}).x == 2.0


def test_nan_is_refused_in_requests(sdk: Any, fake: FakeAPI) -> None:
    client = sdk_client(sdk, fake)
    with pytest.raises(sdk.RequestValidationError, match="extra_body"):
        client.bots.create(
            bot_name="N", meeting_url=URL, extra_body={"ratio": math.inf}
        )
    assert fake.received == []


# -- naive datetimes -----------------------------------------------------------


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_naive_datetime_arguments_are_refused(
    sdk: Any, fake: FakeAPI, paris: None
) -> None:
    client = sdk_client(sdk, fake)
    naive = dt.datetime.now() + dt.timedelta(hours=1)
    with pytest.raises(sdk.RequestValidationError, match="timezone") as info:
        client.scheduled_bots.create(bot_name="N", meeting_url=URL, join_at=naive)
    assert info.value.argument == "join_at"
    assert fake.received == []
    # The same moment with its zone goes out as that instant in UTC.
    client.scheduled_bots.create(
        bot_name="N", meeting_url=URL, join_at=naive.astimezone()
    )
    sent = fake.received[0].json["join_at"]
    expected = naive.astimezone(dt.UTC)
    assert dt.datetime.fromisoformat(sent) == expected
    assert sent.endswith("Z")


def test_naive_datetime_in_a_raw_query_is_local_time(
    make_client: Callable[..., Any], paris: None
) -> None:
    rec = Recorder(envelope(None))
    make_client(rec)._request(
        "GET",
        "/v2/x",
        result_type=None,
        query={"after": dt.datetime(2025, 1, 15, 12, 0)},  # noon in Paris, winter
    )
    assert rec.requests[0].url.params["after"] == "2025-01-15T11:00:00Z"


# -- retries and closed clients ------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_past_the_cap_raises_at_once(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float], status: int
) -> None:
    rec = Recorder(httpx.Response(status, headers={"Retry-After": "3600"}))
    with pytest.raises(rt.APIStatusError) as info:
        make_client(rec, max_retries=3).bots.retrieve("b1")
    assert rec.count == 1
    assert sleeps == []
    if status == 429:
        assert isinstance(info.value, rt.RateLimitError)
        assert info.value.retry_after == 3600.0


def test_retry_after_within_the_cap_is_honoured(
    make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(
        httpx.Response(429, headers={"Retry-After": "7"}), envelope({"bot_id": "b"})
    )
    make_client(rec).bots.retrieve("b1")
    assert sleeps == [7.0]


def test_closed_client_raises_an_sdk_error(
    rt: ModuleType,
    make_client: Callable[..., Any],
    make_async_client: Callable[..., Any],
) -> None:
    with rt.MeetingBaas(api_key="k") as client:
        pass
    with pytest.raises(rt.ClientClosedError):
        client.bots.retrieve("b1")

    async def go() -> None:
        async with rt.AsyncMeetingBaas(api_key="k") as aclient:
            pass
        await aclient.bots.retrieve("b1")

    with pytest.raises(rt.ClientClosedError):
        asyncio.run(go())


# -- per-call body additions ---------------------------------------------------


def test_extra_body_is_merged_into_the_json_body(sdk: Any, fake: FakeAPI) -> None:
    client = sdk_client(sdk, fake)
    client.bots.create(
        bot_name="N", meeting_url=URL, extra_body={"beta_flag": True, "bot_name": "M"}
    )
    assert fake.received[0].json == {
        "bot_name": "M",
        "meeting_url": URL,
        "beta_flag": True,
    }
    with pytest.raises(sdk.RequestValidationError, match="extra_body"):
        client.bots.batch_create(
            [{"bot_name": "N", "meeting_url": URL}], extra_body={"x": 1}
        )


def test_literal_and_dict_arguments_are_sent_like_models(
    sdk: Any, fake: FakeAPI
) -> None:
    client = sdk_client(sdk, fake)
    client.bots.create(
        bot_name="N",
        meeting_url=URL,
        recording_mode="audio_only",
        timeout_config={"waiting_room_timeout": 600},
    )
    client.bots.create(
        bot_name="N",
        meeting_url=URL,
        recording_mode=sdk.types.RecordingMode("audio_only"),
        timeout_config=sdk.types.TimeoutConfig(waiting_room_timeout=600),
    )
    first, second = (r.json for r in fake.received)
    assert first == second
    assert first["recording_mode"] == "audio_only"
    assert first["timeout_config"] == {"waiting_room_timeout": 600}
    with pytest.raises(sdk.RequestValidationError, match="timeout_config"):
        client.bots.create(
            bot_name="N", meeting_url=URL, timeout_config={"waiting_room_timeot": 1}
        )


def test_list_filters_accept_lists(sdk: Any, fake: FakeAPI) -> None:
    client = sdk_client(sdk, fake)
    client.bots.list(status=["queued", "in_call_recording"], meeting_platform="zoom")
    client.bots.list(status=("queued",), meeting_platform=["zoom", "meet"])
    client.bots.list(status="queued,in_call_recording")
    sent = [r.request.url.params for r in fake.received]
    assert sent[0]["status"] == "queued,in_call_recording"
    assert sent[0]["meeting_platform"] == "zoom"
    assert (sent[1]["status"], sent[1]["meeting_platform"]) == ("queued", "zoom,meet")
    assert sent[2]["status"] == sent[0]["status"]
    with pytest.raises(sdk.RequestValidationError, match="status"):
        client.bots.list(status=["queued", "a,b"])
    assert len(fake.received) == 3
