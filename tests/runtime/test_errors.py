"""Mapping of error responses to exception classes."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import API_KEY, Recorder

STATUS_CLASSES = [
    (400, "BadRequestError"),
    (401, "AuthenticationError"),
    (402, "PaymentRequiredError"),
    (403, "PermissionDeniedError"),
    (404, "NotFoundError"),
    (409, "ConflictError"),
    (422, "UnprocessableEntityError"),
    (429, "RateLimitError"),
    (500, "InternalServerError"),
    (503, "InternalServerError"),
]


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_json_error_body(
    rt: ModuleType, make_client: Callable[..., Any], status: int, class_name: str
) -> None:
    body = {
        "success": False,
        "error": "Some Error",
        "code": "SOME_CODE",
        "statusCode": status,
        "message": "something went wrong",
        "details": {"field": "bot_name"},
    }
    rec = Recorder(httpx.Response(status, json=body, headers={"x-request-id": "req-9"}))
    client = make_client(rec, max_retries=0)

    with pytest.raises(rt.APIStatusError) as info:
        client.bots.retrieve("b1")

    err = info.value
    assert type(err) is getattr(rt, class_name)
    assert err.status_code == status
    assert err.code == "SOME_CODE"
    assert err.message == str(err)
    assert "something went wrong" in err.message
    assert "SOME_CODE" in err.message
    assert "req-9" in err.message
    assert err.details == {"field": "bot_name"}
    assert err.request_id == "req-9"
    assert err.body == body
    assert err.response.status_code == status
    assert err.request.url.path == "/v2/bots/b1"
    assert isinstance(err, rt.APIError)
    assert isinstance(err, rt.MeetingBaasError)


@pytest.mark.parametrize(("status", "class_name"), STATUS_CLASSES)
def test_non_json_error_body(
    rt: ModuleType, make_client: Callable[..., Any], status: int, class_name: str
) -> None:
    rec = Recorder(httpx.Response(status, text="<html>Bad Gateway-ish</html>"))
    with pytest.raises(rt.APIStatusError) as info:
        make_client(rec, max_retries=0).bots.retrieve("b1")
    err = info.value
    assert type(err) is getattr(rt, class_name)
    assert err.body == "<html>Bad Gateway-ish</html>"
    assert err.code is None
    assert err.details is None
    assert err.request_id is None
    assert "Bad Gateway-ish" in err.message
    assert str(status) in err.message


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(404),
        httpx.Response(404, json=["unexpected", "list"]),
        httpx.Response(404, json={"weird": True}),
        httpx.Response(404, json={"code": 123, "message": None}),
    ],
    ids=["empty", "json-list", "json-unknown-keys", "json-wrong-types"],
)
def test_unexpected_bodies_still_map_by_status(
    rt: ModuleType, make_client: Callable[..., Any], response: httpx.Response
) -> None:
    with pytest.raises(rt.NotFoundError) as info:
        make_client(Recorder(response), max_retries=0).bots.retrieve("b1")
    assert info.value.status_code == 404
    assert info.value.code is None
    assert info.value.message.startswith("404 Not Found")


def test_unmapped_status_is_plain_api_status_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    with pytest.raises(rt.APIStatusError) as info:
        make_client(Recorder(httpx.Response(418)), max_retries=0).bots.retrieve("b")
    assert type(info.value) is rt.APIStatusError


def test_error_class_for_status(rt: ModuleType) -> None:
    lookup = rt._exceptions.error_class_for_status
    for status, name in STATUS_CLASSES:
        assert lookup(status) is getattr(rt, name)
    assert lookup(599) is rt.InternalServerError
    assert lookup(410) is rt.APIStatusError


def test_fastify_validation_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    body = {
        "success": False,
        "error": "Bad Request",
        "code": "FST_ERR_VALIDATION",
        "statusCode": 400,
        "message": "body/bot_name must NOT have more than 255 characters",
        "details": None,
    }
    with pytest.raises(rt.BadRequestError) as info:
        make_client(Recorder(httpx.Response(400, json=body))).bots.retrieve("b1")
    err = info.value
    assert err.code == "FST_ERR_VALIDATION"
    assert err.message == (
        "400 Bad Request [FST_ERR_VALIDATION]: "
        "body/bot_name must NOT have more than 255 characters"
    )
    assert err.validation_errors == []


def test_validation_details_list(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    issues = [{"path": "bot_name", "message": "too long"}]
    body = {"code": "VALIDATION_ERROR", "message": "invalid", "details": issues}
    with pytest.raises(rt.BadRequestError) as info:
        make_client(Recorder(httpx.Response(400, json=body))).bots.retrieve("b1")
    assert info.value.validation_errors == issues


def test_error_field_used_when_message_missing(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    body = {"success": False, "error": "Bot not found", "code": "BOT_NOT_FOUND"}
    with pytest.raises(rt.NotFoundError) as info:
        make_client(Recorder(httpx.Response(404, json=body))).bots.retrieve("b1")
    assert info.value.message == "404 Not Found [BOT_NOT_FOUND]: Bot not found"


def test_key_echoed_by_server_is_redacted(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    body = {"code": "INVALID_API_KEY", "message": f"API key {API_KEY} is revoked"}
    with pytest.raises(rt.AuthenticationError) as info:
        make_client(Recorder(httpx.Response(401, json=body))).bots.retrieve("b1")
    err = info.value
    for text in (str(err), repr(err), err.message, repr(err.args)):
        assert API_KEY not in text
    assert "<redacted>" in err.message


def test_connection_error_messages_do_not_leak_key(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(httpx.ConnectError("refused"))
    with pytest.raises(rt.APIConnectionError) as info:
        make_client(rec, max_retries=0).bots.retrieve("b1")
    assert API_KEY not in str(info.value) and API_KEY not in repr(info.value)
    assert isinstance(info.value.__cause__, httpx.ConnectError)
