"""Reading a response body within bounds, and naming transport failures.

A hostile or broken server can send a small compressed body that inflates to
gigabytes, or trickle bytes so that no single read ever times out. Bodies are
therefore read here chunk by chunk, counting decoded bytes against the
client's ``max_response_bytes`` and checking its ``attempt_timeout`` between
chunks.
"""

from __future__ import annotations

import time
from typing import NamedTuple

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, ResponseTooLargeError

__all__ = ["ReadLimits", "aread_body", "read_body", "transport_error"]


class ReadLimits(NamedTuple):
    max_bytes: int
    deadline: float | None  # time.monotonic() value; None: no total deadline
    seconds: float | None  # the attempt_timeout the deadline came from


def read_body(response: httpx.Response, limits: ReadLimits) -> None:
    """Read ``response``'s body into memory, or close it and raise."""
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size = _check(response, limits, size + len(chunk))
            chunks.append(chunk)
    finally:
        response.close()
    _keep(response, chunks)


async def aread_body(response: httpx.Response, limits: ReadLimits) -> None:
    """Async twin of :func:`read_body`."""
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in response.aiter_bytes():
            size = _check(response, limits, size + len(chunk))
            chunks.append(chunk)
    finally:
        await response.aclose()
    _keep(response, chunks)


def _check(response: httpx.Response, limits: ReadLimits, size: int) -> int:
    if size > limits.max_bytes:
        raise ResponseTooLargeError(
            request=response.request,
            message=f"Response from {_where(response.request)} is larger than"
            f" max_response_bytes ({limits.max_bytes} bytes, decompressed);"
            " stopped reading. Raise the client's max_response_bytes, or stream"
            " downloads with `with_streaming_response`.",
        )
    if limits.deadline is not None and time.monotonic() > limits.deadline:
        # A timeout like the others: retried as they are, then APITimeoutError.
        raise httpx.ReadTimeout(
            f"attempt_timeout ({limits.seconds} s) ran out while reading the body",
            request=response.request,
        )
    return size


def _keep(response: httpx.Response, chunks: list[bytes]) -> None:
    # What Response.read() stores; decoded already, so it is not decoded again.
    response._content = b"".join(chunks)


def transport_error(request: httpx.Request, exc: Exception) -> APIConnectionError:
    """The SDK error for an httpx failure, naming the call (credentials are
    scrubbed by the error itself)."""
    kind = type(exc).__name__
    detail = str(exc).strip()[:200]
    reason = f"{kind}: {detail}" if detail else kind
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(
            request=request,
            message=f"Request timed out calling {_where(request)} ({reason}).",
        )
    return APIConnectionError(
        request=request,
        message=f"Connection error calling {_where(request)} ({reason}).",
    )


def _where(request: httpx.Request) -> str:
    url = request.url
    if url.password:
        url = url.copy_with(password="***")
    return f"{request.method} {url}"
