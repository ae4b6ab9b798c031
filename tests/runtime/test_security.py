"""Credentials never leave for another origin, never show in errors or logs,
and empty secrets never verify anything.

Redirect tests use two real loopback servers on different ports (two origins)
and count the requests that carried the API key at each.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._loopback import Reply, Seen, ok, serving
from ._rt_helpers import API_KEY, BASE_URL, Recorder, envelope, error

KEY_HEADER = "x-meeting-baas-api-key"
BOT = {"bot_id": "b1", "bot_name": "Notetaker"}


def redirect_to(url: str, status: int = 302) -> Callable[[Seen], Reply]:
    return lambda seen: Reply(status, headers={"Location": url + seen.path})


def answer_bot(seen: Seen) -> Reply:
    return ok(BOT)


# -- redirects -----------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_cross_origin_redirect_drops_the_key(rt: ModuleType, status: int) -> None:
    with (
        serving(answer_bot) as (other,),
        serving(redirect_to(other.url, status)) as (api,),
    ):
        client = rt.MeetingBaas(api_key=API_KEY, base_url=api.url)
        bot = client.bots.retrieve("b1")
    assert bot.bot_id == "b1"
    assert (len(api.seen), len(other.seen)) == (1, 1)
    assert api.count_carrying(API_KEY) == 1
    assert other.count_carrying(API_KEY) == 0
    assert KEY_HEADER not in other.seen[0].headers


def test_key_in_a_custom_header_is_dropped_too(rt: ModuleType) -> None:
    with serving(answer_bot) as (other,), serving(redirect_to(other.url)) as (api,):
        client = rt.MeetingBaas(
            api_key=API_KEY,
            base_url=api.url,
            default_headers={"Authorization": "Bearer xyz", "X-Copy": API_KEY},
        )
        client.bots.retrieve("b1")
    assert other.count_carrying(API_KEY) == 0
    assert "authorization" not in other.seen[0].headers
    assert api.seen[0].headers["authorization"] == "Bearer xyz"


def test_same_origin_redirect_keeps_the_key_and_the_body(rt: ModuleType) -> None:
    def api_handler(seen: Seen) -> Reply:
        if seen.path == "/v2/bots":
            return Reply(307, headers={"Location": "/v2/bots-moved"})
        return ok(BOT)

    with serving(api_handler) as (api,):
        client = rt.MeetingBaas(api_key=API_KEY, base_url=api.url)
        client.bots.create(meeting_url="https://meet.example/x", bot_name="N")
    assert [s.path for s in api.seen] == ["/v2/bots", "/v2/bots-moved"]
    assert api.count_carrying(API_KEY) == 2
    assert api.seen[0].body == api.seen[1].body != b""


@pytest.mark.parametrize("status", [307, 308])
def test_cross_origin_redirect_never_resends_a_body(
    rt: ModuleType, status: int
) -> None:
    with (
        serving(answer_bot) as (other,),
        serving(redirect_to(other.url, status)) as (api,),
    ):
        client = rt.MeetingBaas(api_key=API_KEY, base_url=api.url)
        with pytest.raises(rt.UnsafeRedirectError) as info:
            client.bots.create(meeting_url="https://meet.example/x", bot_name="N")
    assert other.seen == []
    assert len(api.seen) == 1  # and not retried
    assert API_KEY not in str(info.value)
    assert isinstance(info.value, rt.MeetingBaasError)


def test_post_turned_get_by_302_goes_without_body_or_key(rt: ModuleType) -> None:
    with serving(answer_bot) as (other,), serving(redirect_to(other.url)) as (api,):
        client = rt.MeetingBaas(api_key=API_KEY, base_url=api.url)
        client.bots.create(meeting_url="https://meet.example/x", bot_name="N")
    assert other.seen[0].method == "GET"
    assert other.seen[0].body == b""
    assert other.count_carrying(API_KEY) == 0


def test_a_callers_http_client_following_redirects_is_overridden(
    rt: ModuleType,
) -> None:
    with serving(answer_bot) as (other,), serving(redirect_to(other.url)) as (api,):
        http = httpx.Client(follow_redirects=True)
        client = rt.MeetingBaas(api_key=API_KEY, base_url=api.url, http_client=http)
        client.bots.retrieve("b1")
    assert other.count_carrying(API_KEY) == 0


def test_async_cross_origin_redirect_drops_the_key(rt: ModuleType) -> None:
    async def go(api_url: str) -> Any:
        async with rt.AsyncMeetingBaas(api_key=API_KEY, base_url=api_url) as client:
            return await client.bots.retrieve("b1")

    with serving(answer_bot) as (other,), serving(redirect_to(other.url)) as (api,):
        bot = asyncio.run(go(api.url))
    assert bot.bot_id == "b1"
    assert api.count_carrying(API_KEY) == 1
    assert other.count_carrying(API_KEY) == 0


def test_scheme_downgrade_is_another_origin(
    make_client: Callable[..., Any],
) -> None:
    target = BASE_URL.replace("https://", "http://")
    rec = Recorder(
        httpx.Response(302, headers={"Location": target + "/v2/bots/b1"}),
        envelope(BOT),
    )
    make_client(rec).bots.retrieve("b1")
    assert [str(r.url.scheme) for r in rec.requests] == ["https", "http"]
    assert KEY_HEADER in rec.requests[0].headers
    assert KEY_HEADER not in rec.requests[1].headers


def test_redirect_loop_ends_with_a_status_error(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(httpx.Response(302, headers={"Location": "/v2/bots/b1"}))
    with pytest.raises(rt.APIStatusError) as info:
        make_client(rec, max_retries=0).bots.retrieve("b1")
    assert info.value.status_code == 302
    assert rec.count == rt._base_client.MAX_REDIRECTS


# -- the key itself ------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [API_KEY + "\n", API_KEY + "\r\n", " " + API_KEY, API_KEY[:5] + "é" + "x"]
)
def test_unusable_api_key_is_refused_at_construction(
    rt: ModuleType, monkeypatch: pytest.MonkeyPatch, bad: str
) -> None:
    for make in (
        lambda: rt.MeetingBaas(api_key=bad),
        lambda: rt.AsyncMeetingBaas(api_key=bad),
    ):
        with pytest.raises(rt.MeetingBaasError, match="Invalid API key") as info:
            make()
        assert bad.strip() not in str(info.value)
        assert API_KEY[:5] not in str(info.value)
    monkeypatch.setenv("MEETING_BAAS_API_KEY", bad)
    with pytest.raises(rt.MeetingBaasError, match="Invalid API key"):
        rt.MeetingBaas()


def test_key_echoed_in_a_200_is_redacted_everywhere(
    rt: ModuleType,
    make_client: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    echo = {"bot_id": 5, "bot_name": f"key was {API_KEY}"}
    client = make_client(Recorder(envelope(echo)), strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError) as info:
        client.bots.retrieve("b1")
    err = info.value
    for text in (str(err), repr(err), err.message, str(err.body)):
        assert API_KEY not in text
    assert err.request.headers[KEY_HEADER] == "<redacted>"
    assert err.response.request.headers[KEY_HEADER] == "<redacted>"
    # Lenient mode logs a warning instead; it names fields, never values.
    with caplog.at_level(logging.DEBUG, logger="meetingbaas"):
        bot = make_client(Recorder(envelope(echo))).bots.retrieve("b1")
    assert bot.bot_id == 5
    assert "bot_id" in caplog.text
    assert API_KEY not in caplog.text


@pytest.mark.parametrize("offset", range(480, 505))
def test_no_part_of_the_key_survives_the_message_cut(
    rt: ModuleType, make_client: Callable[..., Any], offset: int
) -> None:
    # The key placed across the 500-character cut of long error texts.
    text = "x" * offset + API_KEY + "y" * 100
    client = make_client(Recorder(httpx.Response(400, text=text)), max_retries=0)
    with pytest.raises(rt.BadRequestError) as info:
        client.bots.retrieve("b1")
    err = info.value
    for text_seen in (str(err), str(err.body)):
        for start in range(len(API_KEY) - 6):
            assert API_KEY[start : start + 6] not in text_seen
    assert err.request.headers[KEY_HEADER] == "<redacted>"


def test_status_error_request_headers_are_redacted(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    client = make_client(Recorder(error(404)))
    with pytest.raises(rt.NotFoundError) as info:
        client.bots.retrieve("b1")
    assert info.value.request.headers[KEY_HEADER] == "<redacted>"
    # The client itself still has the key for the next call.
    assert client.default_headers[KEY_HEADER] == API_KEY


def test_password_in_base_url_is_masked_in_repr_and_logs(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    rec = Recorder(httpx.Response(503), envelope(BOT))
    client = make_client(rec, base_url="https://user:hunter2pw@api.test.local")
    with caplog.at_level(logging.DEBUG, logger="meetingbaas"):
        client.bots.retrieve("b1")
    assert "hunter2pw" not in repr(client)
    assert "user:***@" in repr(client)
    assert "HTTP request" in caplog.text
    assert "hunter2pw" not in caplog.text


@pytest.mark.parametrize(
    ("value", "expected"),
    [(".", "%2E"), ("..", "%2E%2E"), ("a..b", "a..b"), ("../x", "..%2Fx")],
)
def test_dot_segments_are_encoded(rt: ModuleType, value: str, expected: str) -> None:
    assert rt._formats.path_segment(value) == expected
    url = httpx.URL(f"https://h/v2/bots/{rt._formats.path_segment(value)}/x")
    assert url.path.startswith("/v2/bots/")


# -- empty secrets -------------------------------------------------------------


def _signed_with_empty_key(payload: str, ts: int) -> dict[str, str]:
    signed = f"msg_1.{ts}.{payload}".encode()
    digest = hmac.new(b"", signed, hashlib.sha256).digest()
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(ts),
        "webhook-signature": "v1," + base64.b64encode(digest).decode(),
    }


@pytest.mark.parametrize("secret", ["", "whsec_", "  ", "whsec_ ", "whsec_===="])
def test_empty_webhook_secret_is_refused(rt: ModuleType, secret: str) -> None:
    payload = '{"event": "bot.completed", "data": {"bot_id": "b1"}}'
    forged = _signed_with_empty_key(payload, 1_700_000_000)
    with pytest.raises(rt.webhooks.WebhookSecretError):
        rt.webhooks.verify(payload, forged, secret, now=1_700_000_000)
    with pytest.raises(rt.webhooks.WebhookSecretError):
        rt.webhooks.unwrap(payload, forged, secret, now=1_700_000_000)


def test_empty_callback_secret_is_refused(rt: ModuleType) -> None:
    with pytest.raises(rt.webhooks.WebhookSecretError):
        rt.webhooks.verify_callback({"x-mb-secret": ""}, "")
    with pytest.raises(rt.webhooks.WebhookSecretError):
        rt.webhooks.verify_callback({}, "")
    with pytest.raises(rt.WebhookVerificationError):
        rt.webhooks.verify_callback({"x-mb-secret": ""}, "s3cret")
    rt.webhooks.verify_callback({"x-mb-secret": "s3cret"}, "s3cret")


# -- the debug switch ----------------------------------------------------------

LOG_SCRIPT = """
import sys
from meetingbaas import MeetingBaas

client = MeetingBaas(api_key=sys.argv[1], base_url=sys.argv[2], max_retries=0)
print(client.bots.get_status("3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09").status)
"""


@pytest.mark.parametrize(("level", "shown"), [("debug", True), ("", False)])
def test_log_env_prints_the_log_without_the_key(level: str, shown: bool) -> None:
    generated = Path(__file__).resolve().parents[2] / "generated"
    status = {"status": "in_call_recording", "bot_id": "b", "updated_at": None}

    with serving(lambda seen: ok(status)) as (api,):
        result = subprocess.run(
            [sys.executable, "-c", LOG_SCRIPT, API_KEY, api.url],
            capture_output=True,
            text=True,
            env={"PYTHONPATH": str(generated), "MEETING_BAAS_LOG": level},
            timeout=60,
            check=False,
        )
    assert result.returncode == 0, result.stderr
    assert ("HTTP request: GET http://127.0.0.1" in result.stderr) is shown
    assert ('"200 OK"' in result.stderr) is shown
    assert API_KEY not in result.stderr + result.stdout
