"""The committed SDK against a loopback server that injects faults.

Each fault is served by real HTTP servers on 127.0.0.1 (a second one on
another port plays "another origin"). For every fault the SDK must end in
the stated outcome (a typed result or a typed SDK error), and over the whole
suite: no request the server acted on is repeated (duplicates) and the API
key reaches neither the other origin nor any error message or log record
(keys leaked). Run with ``-s`` to see the totals.
"""

from __future__ import annotations

import asyncio
import io
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from ._fake_api import Examples
from ._loopback import Reply, Seen, Server, ok, serving

API_KEY = "mb-fault-SECRET-key-9876543210"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
URL = "https://meet.google.com/abc-defg-hij"
DEEP = '{"success": true, "data": ' + "[" * 50_000 + "]" * 50_000 + "}"


@dataclass
class Fault:
    name: str
    # (examples, foreign origin URL) -> handler of the API server
    api: Callable[[Examples, str], Callable[[Seen], Reply]]
    # (sdk, client) -> None; raises AssertionError if the outcome is wrong
    run: Callable[[Any, Any], None]
    strict: bool = False
    use_async: bool = False


def scripted(*replies: Callable[[Seen], Reply]) -> Callable[[Seen], Reply]:
    """Answer the n-th request with the n-th reply (the last one repeats)."""
    state = {"n": 0}

    def handler(seen: Seen) -> Reply:
        i = min(state["n"], len(replies) - 1)
        state["n"] += 1
        return replies[i](seen)

    return handler


CAUGHT: list[BaseException] = []


def expect(exc: type[BaseException], call: Callable[[], object]) -> BaseException:
    try:
        call()
    except exc as caught:
        CAUGHT.append(caught)
        return caught
    raise AssertionError(f"expected {exc.__name__}")


def bot(ex: Examples, **over: Any) -> dict[str, Any]:
    return {**ex.model("BotDetails", bot_id=BOT_ID), **over}


def page(ex: Examples, cursor: str | None) -> Reply:
    return Reply(200, {"success": True, "data": [ex.model("Bot")], "cursor": cursor})


def cycle(ex: Examples, foreign: str) -> Callable[[Seen], Reply]:
    nxt = {None: "A", "A": "B", "B": "A"}
    return lambda s: page(ex, nxt[(s.query.get("cursor") or [None])[0]])


def _walk_async(sdk: Any, client: Any) -> None:
    async def go() -> None:
        async with client:
            async for _ in client.bots.list():
                pass

    expect(sdk.PaginationError, lambda: asyncio.run(go()))


def _redirect_async(sdk: Any, client: Any) -> None:
    async def go() -> Any:
        async with client:
            return await client.bots.retrieve(BOT_ID)

    assert asyncio.run(go()).bot_id == BOT_ID


def _create(client: Any) -> Any:
    return client.bots.create(bot_name="N", meeting_url=URL)


def _offset_times(sdk: Any, client: Any) -> None:
    got = client.bots.retrieve(BOT_ID)
    assert isinstance(got, sdk.types.BotDetails)
    assert got.bot_id == BOT_ID


def _rate_limited(sdk: Any, client: Any) -> None:
    err = expect(sdk.RateLimitError, lambda: client.bots.retrieve(BOT_ID))
    assert err.retry_after == 3600.0  # type: ignore[attr-defined]


FAULTS = [
    Fault(
        "cross-origin 302 on GET",
        lambda ex, f: scripted(lambda s: Reply(302, headers={"Location": f + s.path})),
        lambda sdk, c: _offset_times(sdk, c),
    ),
    Fault(
        "cross-origin 307 on POST",
        lambda ex, f: scripted(lambda s: Reply(307, headers={"Location": f + s.path})),
        lambda sdk, c: expect(sdk.UnsafeRedirectError, lambda: _create(c)) and None,
    ),
    Fault(
        "cross-origin 308 on POST, async",
        lambda ex, f: scripted(lambda s: Reply(308, headers={"Location": f + s.path})),
        lambda sdk, c: (
            expect(sdk.UnsafeRedirectError, lambda: asyncio.run(_create(c))) and None
        ),
        use_async=True,
    ),
    Fault(
        "cross-origin 302 on GET, async",
        lambda ex, f: scripted(lambda s: Reply(302, headers={"Location": f + s.path})),
        _redirect_async,
        use_async=True,
    ),
    Fault(
        "redirect loop",
        lambda ex, f: scripted(lambda s: Reply(302, headers={"Location": s.path})),
        lambda sdk, c: (
            expect(sdk.APIStatusError, lambda: c.bots.retrieve(BOT_ID)) and None
        ),
    ),
    Fault(
        "429 with Retry-After: 3600",
        lambda ex, f: scripted(lambda s: Reply(429, headers={"Retry-After": "3600"})),
        _rate_limited,
    ),
    Fault(
        "429 then 201 on POST",
        lambda ex, f: scripted(
            lambda s: Reply(429, headers={"Retry-After": "0.01"}),
            lambda s: Reply(201, {"success": True, "data": ex.model("CreatedBot")}),
        ),
        lambda sdk, c: _create(c) and None,
    ),
    Fault(
        "503, 502 then 200 on GET",
        lambda ex, f: scripted(
            lambda s: Reply(503), lambda s: Reply(502, "<html>"), lambda s: ok(bot(ex))
        ),
        lambda sdk, c: _offset_times(sdk, c),
    ),
    Fault(
        "500 on POST (not retried)",
        lambda ex, f: scripted(lambda s: Reply(500, {"message": "boom"})),
        lambda sdk, c: expect(sdk.InternalServerError, lambda: _create(c)) and None,
    ),
    Fault(
        "empty 200 on a typed call",
        lambda ex, f: scripted(lambda s: Reply(200, b"")),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.get_status(BOT_ID))
            and None
        ),
    ),
    Fault(
        "204 on a typed call",
        lambda ex, f: scripted(lambda s: Reply(204)),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
    ),
    Fault(
        "success: false on a 200",
        lambda ex, f: scripted(
            lambda s: Reply(200, {"success": False, "data": bot(ex), "code": "X"})
        ),
        lambda sdk, c: (
            expect(sdk.UnsuccessfulResponseError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
    ),
    Fault(
        "HTML on a 200",
        lambda ex, f: scripted(lambda s: Reply(200, "<html>gateway</html>")),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
    ),
    Fault(
        "deeply nested JSON",
        lambda ex, f: scripted(lambda s: Reply(200, DEEP)),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
    ),
    Fault(
        "cursor cycle A -> B -> A",
        cycle,
        lambda sdk, c: (
            expect(sdk.PaginationError, lambda: list(c.bots.list())) and None
        ),
    ),
    Fault("cursor cycle, async", cycle, _walk_async, use_async=True),
    Fault(
        "odd datetimes (offset, ms, epoch int), lenient",
        lambda ex, f: scripted(
            lambda s: ok(
                bot(
                    ex,
                    created_at="2025-01-01T00:00:00.000+02:00",
                    joined_at=1_700_000_000,
                )
            )
        ),
        _offset_times,
    ),
    Fault(
        "RFC 3339 offsets and fractions, strict",
        lambda ex, f: scripted(
            lambda s: ok(bot(ex, created_at="2025-01-01T02:00:00.123456789+02:00"))
        ),
        _offset_times,
        strict=True,
    ),
    Fault(
        "not a date-time at all, strict",
        lambda ex, f: scripted(lambda s: ok(bot(ex, created_at="yesterday"))),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
        strict=True,
    ),
    Fault(
        "data null, lenient",
        lambda ex, f: scripted(lambda s: Reply(200, {"success": True, "data": None})),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
    ),
    Fault(
        "429 with retryAfter: 3600 in the body only",
        lambda ex, f: scripted(
            lambda s: Reply(429, {"success": False, "code": "R", "retryAfter": 3600})
        ),
        _rate_limited,
    ),
    Fault(
        "redirect to javascript:",
        lambda ex, f: scripted(
            lambda s: Reply(302, headers={"Location": "javascript:alert(1)"})
        ),
        lambda sdk, c: (
            expect(sdk.APIConnectionError, lambda: c.bots.retrieve(BOT_ID)) and None
        ),
    ),
    Fault(
        "key echoed in x-request-id and the body of a 404",
        lambda ex, f: scripted(
            lambda s: Reply(
                404,
                {"message": s.headers.get("x-meeting-baas-api-key", "")},
                {"x-request-id": s.headers.get("x-meeting-baas-api-key", "")},
            )
        ),
        lambda sdk, c: (
            expect(sdk.NotFoundError, lambda: c.bots.retrieve(BOT_ID)) and None
        ),
    ),
    Fault(
        "key echoed in a 400 body",
        lambda ex, f: scripted(
            lambda s: Reply(
                400, "x" * 490 + s.headers.get("x-meeting-baas-api-key", "")
            )
        ),
        lambda sdk, c: (
            expect(sdk.BadRequestError, lambda: c.bots.retrieve(BOT_ID)) and None
        ),
    ),
    Fault(
        "key echoed in a mismatching 200, strict",
        lambda ex, f: scripted(
            lambda s: ok({"bot_id": s.headers.get("x-meeting-baas-api-key")})
        ),
        lambda sdk, c: (
            expect(sdk.APIResponseValidationError, lambda: c.bots.retrieve(BOT_ID))
            and None
        ),
        strict=True,
    ),
]


def _leaks(text: str) -> int:
    return sum(1 for i in range(len(API_KEY) - 5) if API_KEY[i : i + 6] in text)


def _duplicates(api: Server) -> int:
    # A POST the server acted on (anything but 429 or a redirect) must
    # arrive once; requests it rejected unprocessed may be repeated.
    acted: dict[tuple[str, bytes], int] = {}
    for seen, status in zip(api.seen, api.statuses, strict=True):
        if seen.method == "POST" and status != 429 and not 300 <= status < 400:
            key = (seen.path, seen.body)
            acted[key] = acted.get(key, 0) + 1
    return sum(n - 1 for n in acted.values())


@pytest.mark.slow  # twenty loopback servers; each fault also has its own test
def test_fault_suite(sdk: Any, capsys: pytest.CaptureFixture[str]) -> None:
    ex = Examples(sdk.types)
    log_text = io.StringIO()
    handler = logging.StreamHandler(log_text)
    logger = logging.getLogger("meetingbaas")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    survived, requests, duplicates, leaked = 0, 0, 0, 0
    failures: list[str] = []
    try:
        with serving(lambda s: ok(bot(ex))) as (foreign,):
            for fault in FAULTS:
                before = len(foreign.seen)
                with serving(fault.api(ex, foreign.url)) as (api,):
                    cls = sdk.AsyncMeetingBaas if fault.use_async else sdk.MeetingBaas
                    client = cls(
                        api_key=API_KEY,
                        base_url=api.url,
                        strict_response_validation=fault.strict,
                    )
                    try:
                        fault.run(sdk, client)
                    except AssertionError as exc:
                        failures.append(f"{fault.name}: {exc}")
                    except Exception as exc:
                        failures.append(f"{fault.name}: {type(exc).__name__}: {exc}")
                        leaked += _leaks(str(exc))
                    else:
                        survived += 1
                    requests += len(api.seen)
                    duplicates += _duplicates(api)
                foreign_seen = foreign.seen[before:]
                requests += len(foreign_seen)
                leaked += sum(
                    1 for s in foreign_seen if _leaks(str(s.headers) + repr(s.body))
                )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    leaked += _leaks(log_text.getvalue())
    for caught in CAUGHT:
        seen_by_user = [
            str(caught),
            repr(caught),
            repr(getattr(caught, "body", "")),
            str(getattr(caught, "request_id", "")),
            "".join(traceback.format_exception(caught)),
        ]
        request = getattr(caught, "request", None)
        if request is not None:
            seen_by_user.append(str(dict(request.headers)))
        leaked += sum(_leaks(text) for text in seen_by_user)
    with capsys.disabled():
        print(
            f"\nfault suite: {survived}/{len(FAULTS)} faults survived,"
            f" {requests} requests sent, {duplicates} duplicates,"
            f" {leaked} keys leaked"
        )
    assert failures == []
    assert duplicates == 0
    assert leaked == 0
