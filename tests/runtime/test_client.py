"""Client configuration, request building and response parsing."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
import json
import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import API_KEY, BASE_URL, Recorder, envelope

BOT = {"bot_id": "b1", "bot_name": "Notetaker"}


def test_sends_auth_user_agent_and_accept(make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(BOT))
    client = make_client(rec)

    bot = client.bots.retrieve("b1")

    req = rec.requests[0]
    assert req.method == "GET"
    assert str(req.url) == f"{BASE_URL}/v2/bots/b1"
    assert req.headers["x-meeting-baas-api-key"] == API_KEY
    assert req.headers["user-agent"] == "meetingbaas-python/1.2.3"
    assert req.headers["accept"] == "application/json"
    assert "content-type" not in req.headers  # no body, no content type
    assert bot.bot_id == "b1"
    assert bot.bot_name == "Notetaker"


def test_json_body_uses_aliases_and_only_set_fields(
    make_client: Callable[..., Any],
) -> None:
    rec = Recorder(envelope(BOT, status=201))
    client = make_client(rec)

    client.bots.create(meeting_url="https://meet", bot_name="N", extra_data={"a": 1})

    req = rec.requests[0]
    assert req.method == "POST"
    assert req.headers["content-type"] == "application/json"
    # Unset optional fields (recording_mode) are left to server defaults.
    assert json.loads(req.content) == {
        "meeting_url": "https://meet",
        "bot_name": "N",
        "extraData": {"a": 1},
    }


def test_mapping_body_is_json_encoded(make_client: Callable[..., Any]) -> None:
    rec = Recorder(
        httpx.Response(200, json={"success": True, "data": [BOT], "errors": []})
    )
    client = make_client(rec)

    result = client.bots.batch_create([{"meeting_url": "u", "bot_name": "n"}])

    assert json.loads(rec.requests[0].content) == {
        "bots": [{"meeting_url": "u", "bot_name": "n"}]
    }
    # unwrap=False: the whole JSON is validated, keeping data and errors.
    assert result.success is True
    assert result.data[0].bot_id == "b1"
    assert result.errors == []


def test_path_params_are_quoted_by_generated_code(
    make_client: Callable[..., Any],
) -> None:
    rec = Recorder(envelope(BOT))
    make_client(rec).bots.retrieve("a/b c")
    assert rec.requests[0].url.raw_path == b"/v2/bots/a%2Fb%20c"


def test_api_key_and_base_url_from_env(
    rt: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETING_BAAS_API_KEY", "env-key")
    monkeypatch.setenv("MEETING_BAAS_BASE_URL", "https://env.example/prefix/")
    rec = Recorder(envelope(BOT))
    client = rt.MeetingBaas(
        http_client=httpx.Client(transport=httpx.MockTransport(rec))
    )

    client.bots.retrieve("b1")

    assert client.api_key == "env-key"
    assert rec.requests[0].headers["x-meeting-baas-api-key"] == "env-key"
    assert str(rec.requests[0].url) == "https://env.example/prefix/v2/bots/b1"


def test_explicit_arguments_win_over_env(
    rt: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEETING_BAAS_API_KEY", "env-key")
    monkeypatch.setenv("MEETING_BAAS_BASE_URL", "https://env.example")
    client = rt.MeetingBaas(api_key="arg-key", base_url="https://arg.example")
    assert client.api_key == "arg-key"
    assert str(client.base_url) == "https://arg.example"
    client.close()


def test_default_base_url(rt: ModuleType) -> None:
    client = rt.MeetingBaas(api_key="k")
    assert str(client.base_url) == "https://api.meetingbaas.com"
    client.close()


@pytest.mark.parametrize("env_value", [None, ""])
def test_missing_api_key_raises(
    rt: ModuleType, monkeypatch: pytest.MonkeyPatch, env_value: str | None
) -> None:
    if env_value is not None:
        monkeypatch.setenv("MEETING_BAAS_API_KEY", env_value)
    with pytest.raises(rt.MeetingBaasError, match="MEETING_BAAS_API_KEY"):
        rt.MeetingBaas()
    with pytest.raises(rt.MeetingBaasError, match="api_key"):
        rt.AsyncMeetingBaas()


def test_negative_max_retries_rejected(rt: ModuleType) -> None:
    with pytest.raises(ValueError):
        rt.MeetingBaas(api_key="k", max_retries=-1)


def test_default_timeout_applies_per_request(make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(BOT))
    make_client(rec).bots.retrieve("b1")
    assert rec.requests[0].extensions["timeout"] == {
        "connect": 5.0,
        "read": 60.0,
        "write": 60.0,
        "pool": 60.0,
    }


def test_per_request_timeout_headers_and_query(make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(BOT))
    client = make_client(rec, default_headers={"X-Team": "core"})

    client.bots.retrieve(
        "b1",
        timeout=3.5,
        extra_headers={"X-Trace": "t-1", "x-team": "override"},
        extra_query={"include": "transcript"},
    )

    req = rec.requests[0]
    assert req.extensions["timeout"] == {
        "connect": 3.5,
        "read": 3.5,
        "write": 3.5,
        "pool": 3.5,
    }
    assert req.headers["x-trace"] == "t-1"
    assert req.headers.get_list("x-team") == ["override"]  # replaced, not added
    assert req.url.params["include"] == "transcript"


def test_timeout_none_disables_timeout(make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(BOT))
    make_client(rec).bots.retrieve("b1", timeout=None)
    assert rec.requests[0].extensions["timeout"] == {
        "connect": None,
        "read": None,
        "write": None,
        "pool": None,
    }


def test_http_client_timeout_used_when_client_timeout_not_given(
    rt: ModuleType,
) -> None:
    custom = httpx.Client(timeout=12.0)
    client = rt.MeetingBaas(api_key="k", http_client=custom)
    assert client.timeout == httpx.Timeout(12.0)
    explicit = rt.MeetingBaas(api_key="k", http_client=custom, timeout=2.0)
    assert explicit.timeout == 2.0
    custom.close()


class Color(enum.Enum):
    RED = "red"


def test_query_encoding(rt: ModuleType, make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(BOT))
    client = make_client(rec)
    cest = dt.timezone(dt.timedelta(hours=2))

    client._request(
        "GET",
        "/v2/things",
        result_type=None,
        query={
            "flag_on": True,
            "flag_off": False,
            "skip_none": None,
            "skip_not_given": rt.NOT_GIVEN,
            "after": dt.datetime(2024, 5, 1, 12, 0, tzinfo=cest),
            "naive": dt.datetime(2024, 5, 1, 12, 0, 30),
            "day": dt.date(2024, 5, 1),
            "color": Color.RED,
            "ids": ["a", "b"],
            "limit": 10,
        },
        options=rt.RequestOptions(extra_query={"limit": 5, "extra": "x"}),
    )

    params = rec.requests[0].url.params
    assert params["flag_on"] == "true"
    assert params["flag_off"] == "false"
    assert "skip_none" not in params
    assert "skip_not_given" not in params
    assert params["after"] == "2024-05-01T10:00:00Z"
    # Naive means local time (see test_robustness for a non-UTC zone).
    local = dt.datetime(2024, 5, 1, 12, 0, 30).astimezone(dt.UTC)
    assert params["naive"] == local.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert params["day"] == "2024-05-01"
    assert params["color"] == "red"
    assert params.get_list("ids") == ["a", "b"]
    assert params["limit"] == "5"  # extra_query wins
    assert params["extra"] == "x"


def test_unknown_fields_and_enum_values_are_kept(
    make_client: Callable[..., Any],
) -> None:
    rec = Recorder(envelope({**BOT, "recording_mode": "hologram", "new_field": 7}))
    bot = make_client(rec).bots.retrieve("b1")
    assert bot.recording_mode == "hologram"
    assert bot.recording_mode.is_known is False
    assert bot.model_extra == {"new_field": 7}
    assert bot.to_dict()["new_field"] == 7


def test_empty_204_and_result_type_none(make_client: Callable[..., Any]) -> None:
    rec = Recorder(httpx.Response(204), envelope({"deleted": True}))
    client = make_client(rec)
    assert client.bots.delete("b1") is None
    assert client.bots.delete("b2") is None
    assert [r.method for r in rec.requests] == ["DELETE", "DELETE"]


@pytest.mark.parametrize("status", [200, 204])
def test_empty_body_on_a_typed_call_is_a_typed_error(
    rt: ModuleType, make_client: Callable[..., Any], status: int
) -> None:
    rec = Recorder(httpx.Response(status, content=b""))
    with pytest.raises(rt.APIResponseValidationError, match="has no body"):
        make_client(rec).bots.retrieve("b1")


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>gateway</html>"),
        httpx.Response(200, json={"success": True, "result": {}}),
        httpx.Response(200, json={"success": True, "data": {"bot_name": "no id"}}),
    ],
    ids=["not-json", "no-envelope", "schema-mismatch"],
)
def test_bad_success_bodies_raise_response_validation_error(
    rt: ModuleType, make_client: Callable[..., Any], response: httpx.Response
) -> None:
    client = make_client(Recorder(response), strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError) as info:
        client.bots.retrieve("b1")
    assert info.value.status_code == 200
    assert info.value.response.status_code == 200
    assert isinstance(info.value, rt.APIError)


def test_type_adapters_are_cached(rt: ModuleType) -> None:
    v = rt._validation
    assert v.type_adapter(list[int]) is v.type_adapter(list[int])


def test_repr_never_shows_the_key(make_client: Callable[..., Any]) -> None:
    client = make_client(Recorder(envelope(BOT)))
    for text in (repr(client), str(client), repr(client.with_options(max_retries=0))):
        assert API_KEY not in text
        assert "MeetingBaas(" in text


def test_debug_logs_never_contain_the_key(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(httpx.Response(500, text="oops"), envelope(BOT))
    with caplog.at_level(logging.DEBUG, logger="meetingbaas"):
        make_client(rec).bots.retrieve("b1")
    assert any("Retrying GET" in r.getMessage() for r in caplog.records)
    assert all(API_KEY not in r.getMessage() for r in caplog.records)


def test_with_options_copies_subclass_and_shares_http_client(
    rt: ModuleType, make_client: Callable[..., Any], sleeps: list[float]
) -> None:
    rec = Recorder(httpx.Response(503), envelope(BOT))
    client = make_client(rec, default_headers={"X-A": "1"})

    copy = client.with_options(max_retries=5, default_headers={"X-B": "2"})

    assert type(copy) is rt.MeetingBaas
    assert copy._client is client._client
    assert copy.max_retries == 5 and client.max_retries == 2
    assert copy.api_key == client.api_key
    assert copy.timeout == client.timeout
    copy.bots.retrieve("b1")
    assert sleeps == [0.5]  # test hooks carried over
    assert rec.requests[-1].headers["x-a"] == "1"
    assert rec.requests[-1].headers["x-b"] == "2"

    other = client.with_options(api_key="other", base_url="https://other.example")
    assert other.api_key == "other"
    assert str(other.base_url) == "https://other.example"
    assert client.copy(timeout=None).timeout is None


def test_close_only_closes_clients_we_created(rt: ModuleType) -> None:
    ours = rt.MeetingBaas(api_key="k")
    with ours as entered:
        assert entered is ours
        copy = ours.with_options(max_retries=0)
    assert ours.is_closed()

    theirs = httpx.Client()
    with rt.MeetingBaas(api_key="k", http_client=theirs):
        pass
    assert not theirs.is_closed

    # Closing a copy must not close the shared, original connection pool.
    fresh = rt.MeetingBaas(api_key="k")
    fresh.with_options(max_retries=0).close()
    assert not fresh.is_closed()
    fresh.close()
    theirs.close()
    del copy


def test_async_client_requests_and_closes(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    rec = Recorder(envelope(BOT))

    async def main() -> Any:
        async with make_async_client(rec, timeout=7.0) as client:
            return await client.bots.retrieve("b1")

    bot = asyncio.run(main())
    assert bot.bot_id == "b1"
    req = rec.requests[0]
    assert req.headers["x-meeting-baas-api-key"] == API_KEY
    assert req.extensions["timeout"]["read"] == 7.0

    async def owned() -> bool:
        client = rt.AsyncMeetingBaas(api_key="k")
        async with client:
            pass
        closed: bool = client.is_closed()
        copy = rt.AsyncMeetingBaas(api_key="k")
        await copy.close()
        return closed and copy.is_closed()

    assert asyncio.run(owned())


def test_absolute_url_path_bypasses_base_url(make_client: Callable[..., Any]) -> None:
    rec = Recorder(envelope(None))
    make_client(rec)._request("GET", "https://elsewhere.example/x", result_type=None)
    assert str(rec.requests[0].url) == "https://elsewhere.example/x"
