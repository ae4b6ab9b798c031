"""Reading a response body within bounds, and naming transport failures.

A hostile or broken server can send a small compressed body that inflates to
gigabytes, or trickle bytes so that no single read ever times out. Bodies are
therefore read here chunk by chunk, counting decoded bytes against the
client's ``max_response_bytes`` and checking its ``attempt_timeout`` between
chunks.
"""

from __future__ import annotations

import time
import zlib
from typing import Any, NamedTuple

import httpx

from ._exceptions import APIConnectionError, APITimeoutError, ResponseTooLargeError

__all__ = ["ReadLimits", "aread_body", "read_body", "transport_error"]


class ReadLimits(NamedTuple):
    max_bytes: int
    deadline: float | None  # time.monotonic() value; None: no total deadline
    seconds: float | None  # the attempt_timeout the deadline came from


def read_body(response: httpx.Response, limits: ReadLimits) -> None:
    """Read ``response``'s body into memory, or close it and raise."""
    if _read_already(response, limits):
        return
    body = _Body(response, limits)
    try:
        if body.inflater is None:  # an encoding zlib does not bound: httpx's
            for chunk in response.iter_bytes():
                body.add(chunk)
        else:
            for raw in response.iter_raw():
                body.feed(raw)
            body.finish()
    finally:
        response.close()
    body.keep()


async def aread_body(response: httpx.Response, limits: ReadLimits) -> None:
    """Async twin of :func:`read_body`."""
    if _read_already(response, limits):
        return
    body = _Body(response, limits)
    try:
        if body.inflater is None:
            async for chunk in response.aiter_bytes():
                body.add(chunk)
        else:
            async for raw in response.aiter_raw():
                body.feed(raw)
            body.finish()
    finally:
        await response.aclose()
    body.keep()


class _Body:
    """The decoded chunks read so far, inflated here for gzip and deflate so
    that no single step inflates past the limit (httpx's decoder would turn
    one 64 kB read into 64 MB)."""

    def __init__(self, response: httpx.Response, limits: ReadLimits) -> None:
        self.response = response
        self.limits = limits
        self.chunks: list[bytes] = []
        self.size = 0
        self.inflater = _inflater(response.headers.get("content-encoding", ""))
        self.raw_deflate = False  # deflate sent without its zlib wrapper

    def add(self, chunk: bytes) -> None:
        self.size = _check(self.response, self.limits, self.size + len(chunk))
        self.chunks.append(chunk)

    def feed(self, data: bytes) -> None:
        inflater: Any = self.inflater
        while data:
            room = self.limits.max_bytes - self.size + 1  # >= 1: 0 is "no limit"
            try:
                out = inflater.decompress(data, room)
            except zlib.error as exc:
                if not self._retry_raw_deflate():
                    request = self.response.request
                    raise httpx.DecodingError(str(exc), request=request) from exc
                inflater = self.inflater
                continue
            self.add(out)
            data = inflater.unconsumed_tail

    def _retry_raw_deflate(self) -> bool:
        # As httpx does: "deflate" is sometimes raw deflate, seen at once.
        if self.size or self.raw_deflate or self.inflater is None:
            return False
        if self.response.headers.get("content-encoding", "").strip() != "deflate":
            return False
        self.raw_deflate = True
        self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        return True

    def finish(self) -> None:
        if self.inflater is not None:
            self.add(self.inflater.flush())

    def keep(self) -> None:
        # What Response.read() stores; decoded already, so not decoded again.
        self.response._content = b"".join(self.chunks)


def _read_already(response: httpx.Response, limits: ReadLimits) -> bool:
    """A response made in memory (a mock transport) is read at once."""
    try:
        content = response.content
    except httpx.ResponseNotRead:
        return False
    _check(response, limits, len(content))
    return True


def _inflater(encoding: str) -> Any:
    """A zlib decompressor for the body's encoding; None for encodings other
    than identity, gzip and deflate (httpx decodes those)."""
    names = [e.strip().lower() for e in encoding.split(",") if e.strip()]
    names = [n for n in names if n != "identity"]
    if not names:
        return _Identity()
    if names in (["gzip"], ["x-gzip"]):
        return zlib.decompressobj(zlib.MAX_WBITS | 16)
    if names == ["deflate"]:
        return zlib.decompressobj(zlib.MAX_WBITS)
    return None


class _Identity:
    """No encoding: the same interface as a zlib decompressor."""

    unconsumed_tail = b""

    def decompress(self, data: bytes, max_length: int) -> bytes:
        return data

    def flush(self) -> bytes:
        return b""


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
        url = url.copy_with(username=url.username, password="***")
    return f"{request.method} {url}"
