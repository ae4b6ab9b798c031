"""The committed SDK against servers that misbehave on the wire: bodies that
inflate without bound, bodies trickled so that no single read times out,
redirects to things that are not URLs, connections that fail. Each test is
bounded in time (client timeouts of about a second) and in bytes (a few
hundred kB on the wire)."""

from __future__ import annotations

import asyncio
import gzip
import json
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from typing import Any

import pytest

from ._loopback import Reply, ok, serving
from ._raw_server import head, raw_serving

API_KEY = "mb-hostile-SECRET-key-0123456789"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
STATUS = {"success": True, "data": {"bot_id": BOT_ID, "status": "joining_call"}}


def zeros_gzip(size: int) -> bytes:
    """gzip of ``size`` zero bytes (a multiple of 1 MiB): one fully flushed
    deflate block of 1 MiB, repeated (each is independent of the others), so
    neither ``size`` bytes nor the time to compress them are needed."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = bytes(1 << 20)
    block = packer.compress(piece) + packer.flush(zlib.Z_FULL_FLUSH)
    count = size >> 20
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(piece, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
    return header + block * count + packer.flush() + trailer


def client(sdk: Any, url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("max_retries", 0)
    kwargs.setdefault("timeout", 2.0)
    return sdk.MeetingBaas(api_key=API_KEY, base_url=url, **kwargs)


def send_all(body: bytes, **headers: str) -> Any:
    def respond(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(200, Content_Length=str(len(body)), **headers) + body)

    return respond


# -- decompression bombs -----------------------------------------------------


def test_gzip_bomb_stops_at_max_response_bytes_without_inflating_it(
    sdk: Any,
) -> None:
    bomb = zeros_gzip(64 << 20)  # 64 MB inflated, ~64 kB on the wire
    assert len(bomb) < 100_000
    with raw_serving(send_all(bomb, Content_Encoding="gzip")) as server:
        api = client(sdk, server.url, max_response_bytes=1_000_000)
        tracemalloc.start()
        try:
            with pytest.raises(sdk.ResponseTooLargeError) as info:
                api.bots.get_status(BOT_ID)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 8_000_000  # never more than the cap (plus one step) in memory
    assert isinstance(info.value, sdk.APIConnectionError)
    assert "max_response_bytes (1000000 bytes" in str(info.value)
    assert f"GET {server.url}/v2/bots/{BOT_ID}" in str(info.value)
    assert len(server.requests) == 1  # not retried


def test_the_bomb_is_what_it_claims() -> None:
    assert gzip.decompress(zeros_gzip(3 << 20)) == bytes(3 << 20)


def test_default_cap_is_100_mb_and_applies_to_a_1_gb_bomb(sdk: Any) -> None:
    assert sdk.DEFAULT_MAX_RESPONSE_BYTES == 100 * 1024 * 1024
    bomb = zeros_gzip(1 << 30)  # 1 GiB inflated, ~1 MB on the wire
    with raw_serving(send_all(bomb, Content_Encoding="gzip")) as server:
        api = client(sdk, server.url, timeout=10.0)
        assert api.max_response_bytes == sdk.DEFAULT_MAX_RESPONSE_BYTES
        with pytest.raises(sdk.ResponseTooLargeError):
            api.bots.get_status(BOT_ID)


def test_async_gzip_bomb(sdk: Any) -> None:
    bomb = zeros_gzip(16 << 20)
    with raw_serving(send_all(bomb, Content_Encoding="gzip")) as server:

        async def call() -> Any:
            async with sdk.AsyncMeetingBaas(
                api_key=API_KEY, base_url=server.url, max_response_bytes=100_000
            ) as api:
                return await api.bots.get_status(BOT_ID)

        with pytest.raises(sdk.ResponseTooLargeError):
            asyncio.run(call())


def test_plain_bodies_over_the_cap_are_refused_too(sdk: Any) -> None:
    body = json.dumps({**STATUS, "pad": "x" * 5000}).encode()
    with raw_serving(send_all(body, Content_Type="application/json")) as server:
        with pytest.raises(sdk.ResponseTooLargeError):
            client(sdk, server.url, max_response_bytes=4096).bots.get_status(BOT_ID)
        got = client(sdk, server.url, max_response_bytes=len(body)).bots.get_status(
            BOT_ID
        )
    assert got.bot_id == BOT_ID


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # zlib-wrapped, as the standard says
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw, as some servers send
        ("identity", lambda b: b),
    ],
)
def test_encoded_bodies_are_decoded(sdk: Any, encoding: str, encode: Any) -> None:
    body = encode(json.dumps(STATUS).encode())
    respond = send_all(body, Content_Encoding=encoding, Content_Type="application/json")
    with raw_serving(respond) as server:
        got = client(sdk, server.url).bots.get_status(BOT_ID)
    assert got.bot_id == BOT_ID
    assert b"accept-encoding: gzip, deflate" in server.requests[0].lower()


def test_corrupt_gzip_is_a_connection_error_naming_the_url(sdk: Any) -> None:
    respond = send_all(b"\x1f\x8bnot gzip at all", Content_Encoding="gzip")
    with raw_serving(respond) as server, pytest.raises(sdk.APIConnectionError) as info:
        client(sdk, server.url).bots.get_status(BOT_ID)
    assert f"GET {server.url}/v2/bots/{BOT_ID}" in str(info.value)
    assert "DecodingError" in str(info.value)


# -- a body trickled byte by byte -------------------------------------------


def trickle(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(head(200, Content_Length="1000", Content_Type="application/json"))
    while not stop.wait(0.05):  # one byte every 50 ms: no read ever times out
        conn.sendall(b" ")


def test_attempt_timeout_ends_a_trickled_body(sdk: Any) -> None:
    with raw_serving(trickle) as server:
        api = client(sdk, server.url, timeout=1.0, attempt_timeout=0.5)
        started = time.monotonic()
        with pytest.raises(sdk.APITimeoutError) as info:
            api.bots.get_status(BOT_ID)
        took = time.monotonic() - started
    assert 0.5 <= took < 1.5
    assert "attempt_timeout (0.5 s)" in str(info.value)
    assert f"GET {server.url}/v2/bots/{BOT_ID}" in str(info.value)


def test_attempt_timeout_is_per_attempt_and_retried_like_a_timeout(sdk: Any) -> None:
    with raw_serving(trickle) as server:
        api = client(sdk, server.url, attempt_timeout=0.3, max_retries=1)
        api._sleep = lambda seconds: None
        with pytest.raises(sdk.APITimeoutError):
            api.bots.get_status(BOT_ID)
    assert len(server.requests) == 2  # a GET: retried once


def test_async_attempt_timeout(sdk: Any) -> None:
    with raw_serving(trickle) as server:

        async def call() -> Any:
            async with sdk.AsyncMeetingBaas(
                api_key=API_KEY, base_url=server.url, max_retries=0, attempt_timeout=0.3
            ) as api:
                return await api.bots.get_status(BOT_ID)

        started = time.monotonic()
        with pytest.raises(sdk.APITimeoutError):
            asyncio.run(call())
    assert time.monotonic() - started < 1.5


def test_attempt_timeout_is_validated_and_kept_by_with_options(sdk: Any) -> None:
    with pytest.raises(ValueError, match="attempt_timeout"):
        client(sdk, "http://127.0.0.1:9", attempt_timeout=0)
    with pytest.raises(ValueError, match="max_response_bytes"):
        client(sdk, "http://127.0.0.1:9", max_response_bytes=0)
    api = client(sdk, "http://127.0.0.1:9", attempt_timeout=2.5, max_response_bytes=7)
    copy = api.with_options(max_retries=3)
    assert (copy.attempt_timeout, copy.max_response_bytes) == (2.5, 7)
    assert api.with_options(attempt_timeout=None).attempt_timeout is None


# -- redirects to things that are not http(s) URLs ---------------------------


@pytest.mark.parametrize(
    "location",
    [
        "javascript:alert(document.cookie)",
        "mailto:someone@example.com",
        "data:text/html;base64,PHNjcmlwdD4=",
        "ftp://files.example.com/x",
    ],
)
def test_odd_redirects_are_connection_errors(sdk: Any, location: str) -> None:
    redirect = Reply(302, headers={"Location": location})
    with (
        serving(lambda s: redirect) as (api,),
        pytest.raises(sdk.APIConnectionError) as info,
    ):
        client(sdk, api.url).bots.get_status(BOT_ID)
    message = str(info.value)
    assert f"GET {api.url}/v2/bots/{BOT_ID}" in message
    # httpx refuses the first three itself (InvalidURL); the SDK the others.
    assert "not an http(s) URL" in message or "InvalidURL" in message
    assert API_KEY not in message + repr(info.value.request.headers)
    assert len(api.seen) == 1


# -- every transport failure -------------------------------------------------


def test_refused_connection_names_the_url(sdk: Any) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://user:pw-SECRET@127.0.0.1:{port}"
    with pytest.raises(sdk.APIConnectionError) as info:
        client(sdk, url).bots.get_status(BOT_ID)
    message = str(info.value)
    assert f"GET http://user:***@127.0.0.1:{port}/v2/bots/{BOT_ID}" in message
    assert "ConnectError" in message and "pw-SECRET" not in message


def test_connection_cut_mid_body(sdk: Any) -> None:
    def cut(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(200, Content_Length="500") + b'{"success": tr')
        conn.shutdown(socket.SHUT_RDWR)

    with raw_serving(cut) as server, pytest.raises(sdk.APIConnectionError) as info:
        client(sdk, server.url).bots.get_status(BOT_ID)
    assert f"GET {server.url}/v2/bots/{BOT_ID}" in str(info.value)
    assert type(info.value) is sdk.APIConnectionError


def test_garbage_instead_of_http(sdk: Any) -> None:
    def garbage(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(b"\x00\x01 this is not HTTP\r\n\r\n")

    with (
        raw_serving(garbage) as server,
        pytest.raises(sdk.APIConnectionError, match="RemoteProtocolError"),
    ):
        client(sdk, server.url).bots.get_status(BOT_ID)


def test_ok_after_all_that(sdk: Any) -> None:
    # The plain path still works, with the request id on what it returns.
    reply = ok({"bot_id": BOT_ID, "status": "joining_call"})
    reply.headers["x-request-id"] = "req_123"
    with serving(lambda s: reply) as (api,):
        got = client(sdk, api.url).bots.get_status(BOT_ID)
    assert got.bot_id == BOT_ID
    assert got._request_id == "req_123"


def test_request_id_is_not_part_of_the_value(sdk: Any) -> None:
    # A test comparing a result with the value it expects must not fail
    # because the result knows which response it came from.
    value = {
        "bot_id": BOT_ID,
        "status": "joining_call",
        "transcription_status": "queued",
        "updated_at": "2026-01-02T03:04:05Z",
    }
    reply = ok(value)
    reply.headers["x-request-id"] = "req_123"
    with serving(lambda s: reply) as (api,):
        got = client(sdk, api.url).bots.get_status(BOT_ID)
    by_hand = type(got).model_validate(value)
    assert got._request_id == "req_123" and by_hand._request_id is None
    assert got == by_hand
    assert got != by_hand.model_copy(update={"status": "in_call_recording"})
