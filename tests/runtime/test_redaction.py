"""A server that echoes the API key anywhere (a header the SDK surfaces, any
body field, a field that fails validation) never gets it shown: not in
``str``/``repr`` of the error, ``message``, ``request_id``, ``body``,
``errors``, the request, nor a formatted traceback with its chain."""

from __future__ import annotations

import base64
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from ._loopback import Reply, Seen, ok, serving

API_KEY = "mb-echo-SECRET-key-0123456789"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"


def key(seen: Seen) -> str:
    return seen.headers["x-meeting-baas-api-key"]


def echoing(status: int, body: Callable[[str], Any]) -> Callable[[Seen], Reply]:
    """Reply with the key in ``x-request-id`` and wherever ``body`` puts it."""
    return lambda s: Reply(status, body(key(s)), {"x-request-id": f"req-{key(s)}"})


def shown(exc: BaseException) -> str:
    """Everything a user, a log or an error tracker sees of ``exc``."""
    parts = [
        str(exc),
        repr(exc),
        "".join(traceback.format_exception(exc)),
        repr(getattr(exc, "body", None)),
        repr(getattr(exc, "errors", None)),
        repr(getattr(exc, "details", None)),
        str(getattr(exc, "message", "")),
        str(getattr(exc, "request_id", "")),
        str(getattr(exc, "code", "")),
    ]
    request = getattr(exc, "request", None)
    if request is not None:
        parts += [str(request.url), repr(dict(request.headers))]
    return "\n".join(parts)


ECHOES = {
    "400 with the key in every field": echoing(
        400,
        lambda k: {
            "success": False,
            "error": k,
            "code": k,
            "message": f"bad key {k}",
            "details": [{"value": k, k: "as a key"}],
        },
    ),
    "429 with the key in the message": echoing(
        429, lambda k: {"success": False, "code": "RATE", "message": k}
    ),
    "500 with the key as plain text": echoing(500, lambda k: f"<html>{k}</html>"),
    "200 whose data does not match, the key in a date-time": echoing(
        200,
        lambda k: {
            "success": True,
            "data": {"bot_id": BOT_ID, "status": "joining_call", "updated_at": k},
        },
    ),
    "200 with data null": echoing(200, lambda k: {"success": True, "data": None}),
    "200 success false": echoing(
        200, lambda k: {"success": False, "message": k, "code": k}
    ),
    "200 not JSON": echoing(200, lambda k: f"not json {k}"),
}


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("case", sorted(ECHOES))
def test_echoed_key_is_never_shown(sdk: Any, case: str, strict: bool) -> None:
    with serving(ECHOES[case]) as (api,):
        client = sdk.MeetingBaas(
            api_key=API_KEY,
            base_url=api.url,
            max_retries=0,
            strict_response_validation=strict,
        )
        if "does not match" in case and not strict:  # a field: kept raw
            got = client.bots.get_status(BOT_ID)
            assert got._request_id == "req-<redacted>"
            return
        with pytest.raises(sdk.APIError) as info:
            client.bots.get_status(BOT_ID)
    text = shown(info.value)
    assert API_KEY not in text
    assert "<redacted>" in text  # it was there, and scrubbed


def test_strict_error_has_no_pydantic_input_values(sdk: Any) -> None:
    reply = ok({"bot_id": BOT_ID, "status": 12345, "echo": API_KEY})
    with serving(lambda s: reply) as (api,):
        client = sdk.MeetingBaas(
            api_key=API_KEY,
            base_url=api.url,
            max_retries=0,
            strict_response_validation=True,
        )
        with pytest.raises(sdk.APIResponseValidationError) as info:
            client.bots.get_status(BOT_ID)
    assert info.value.__cause__ is None  # pydantic's text prints input_value=...
    assert "input_value=" not in shown(info.value)
    assert info.value.errors and info.value.errors[0]["loc"] == ("status",)


def test_request_id_of_results_is_scrubbed(sdk: Any) -> None:
    def handler(seen: Seen) -> Reply:
        reply = ok({"bot_id": BOT_ID, "status": "joining_call"})
        reply.headers["x-request-id"] = f"req-{key(seen)}"
        return reply

    with serving(handler) as (api,):
        client = sdk.MeetingBaas(api_key=API_KEY, base_url=api.url)
        got = client.bots.get_status(BOT_ID)
        raw = client.bots.with_raw_response.get_status(BOT_ID)
    assert got._request_id == "req-<redacted>"
    assert raw.request_id == "req-<redacted>"
    assert raw.parse()._request_id == "req-<redacted>"


def test_every_credential_the_client_holds_is_scrubbed(sdk: Any) -> None:
    password = "basic-PASSWORD-987654"
    basic = f"someone:{password}"
    sent = base64.b64encode(basic.encode()).decode()

    def handler(seen: Seen) -> Reply:
        body = {"message": f"{password} {sent} {basic}", "code": "X"}
        return Reply(403, body, {"x-request-id": password})

    with serving(handler) as (api,):
        client = sdk.MeetingBaas(api_key=API_KEY, base_url=api.url, max_retries=0)
        client._credentials = {"basic": basic}  # as a two-scheme client holds it
        with pytest.raises(sdk.PermissionDeniedError) as info:
            client.bots.get_status(BOT_ID)
    text = shown(info.value)
    for secret in (password, sent, basic):
        assert secret not in text
    assert info.value.request_id == "<redacted>"


def test_connection_errors_scrub_a_key_sent_in_the_query(sdk: Any) -> None:
    # The key in the URL (as an API with an `in: query` scheme sends it).
    with serving(lambda s: Reply(302, headers={"Location": "mailto:x@y.z"})) as (api,):
        client = sdk.MeetingBaas(api_key=API_KEY, base_url=api.url, max_retries=0)
        with pytest.raises(sdk.APIConnectionError) as info:
            client.bots.get_status(BOT_ID, extra_query={"api_key": API_KEY})
    text = shown(info.value)
    assert API_KEY not in text
    assert "api_key=%3Credacted%3E" in str(info.value.request.url)
