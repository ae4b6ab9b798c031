"""Helpers shared by the runtime tests (imported as a top-level module)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

RUNTIME_DIR = Path(__file__).resolve().parents[2] / "templates" / "runtime"
API_KEY = "mb-test-SECRET-key-0123456789"
BASE_URL = "https://api.test.local"

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport handler that replays scripted responses and records calls.

    Each scripted item is an ``httpx.Response``, an exception instance to
    raise, or a callable ``request -> Response``; the last item repeats.
    """

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if not self.script:
            raise AssertionError(f"unexpected request {request.method} {request.url}")
        item = self.script.pop(0) if len(self.script) > 1 else self.script[0]
        if isinstance(item, BaseException):
            raise item
        if callable(item):
            result: httpx.Response = item(request)
            return result
        assert isinstance(item, httpx.Response)
        return httpx.Response(
            item.status_code, headers=item.headers, content=item.content
        )

    @property
    def count(self) -> int:
        return len(self.requests)


def envelope(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> httpx.Response:
    return httpx.Response(status, json={"success": True, "data": data}, headers=headers)


def error(status: int, code: str = "ERR", message: str = "boom", **extra: Any) -> Any:
    body = {
        "success": False,
        "error": "Error",
        "code": code,
        "statusCode": status,
        "message": message,
        "details": None,
        **extra,
    }
    return httpx.Response(status, json=body)


class Sleeps(list[float]):
    """Records the delays the client asks to sleep."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.append(seconds)
