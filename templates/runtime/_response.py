"""Raw HTTP responses, the ``with_raw_response`` wrappers, and the
``with_streaming_response`` ones for binary downloads."""

from __future__ import annotations

import contextvars
import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

from ._exceptions import APIError, redact, request_id_in
from ._models import BaseModel, mark
from ._pagination import _CursorPageBase

__all__ = [
    "APIResponse",
    "AsyncStreamedResponse",
    "StreamedResponse",
    "async_to_raw_response_wrapper",
    "async_to_streamed_response_wrapper",
    "to_raw_response_wrapper",
    "to_streamed_response_wrapper",
]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = ("APIResponse",)

T = TypeVar("T")
R = TypeVar("R")
P = ParamSpec("P")

# Set by the wrappers below and read by the clients' `_request`/`_get_page`:
# generated methods stay plain `return self._client._request(...)` calls and
# need no second, raw-returning variant.
raw_response_requested: contextvars.ContextVar[bool] = contextvars.ContextVar(
    f"{__name__}.raw_response_requested", default=False
)

# Set with the raw flag by the streaming wrappers: the body is left unread.
stream_requested: contextvars.ContextVar[bool] = contextvars.ContextVar(
    f"{__name__}.stream_requested", default=False
)

_UNPARSED: Any = object()


class APIResponse(Generic[T]):
    """A successful HTTP response plus a lazily parsed, typed result.

    Returned by ``client.<resource>.with_raw_response.<method>(...)``. Error
    statuses still raise :class:`APIStatusError`, as for normal calls.
    """

    http_response: httpx.Response
    retries_taken: int

    def __init__(
        self,
        http_response: httpx.Response,
        *,
        parse: Callable[[httpx.Response], T],
        retries_taken: int = 0,
        secrets: Callable[[], tuple[str, ...]] = tuple,
    ) -> None:
        self.http_response = http_response
        self.retries_taken = retries_taken
        self._parse = parse
        self._parsed: Any = _UNPARSED
        # The client's credentials: scrubbed from what parsing shows.
        self._secrets = secrets

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def request_id(self) -> str | None:
        value = request_id_in(self.http_response.headers)
        return None if value is None else redact(value, self._secrets())

    @property
    def url(self) -> httpx.URL:
        return self.http_response.url

    @property
    def method(self) -> str:
        return self.http_response.request.method

    @property
    def elapsed(self) -> float:
        """Seconds from sending the (last) request to reading the response."""
        return self.http_response.elapsed.total_seconds()

    @property
    def content(self) -> bytes:
        return self.http_response.content

    @property
    def text(self) -> str:
        return self.http_response.text

    def json(self) -> Any:
        return self.http_response.json()

    def parse(self) -> T:
        """The value the non-raw call would have returned (computed once)."""
        if self._parsed is _UNPARSED:
            try:
                parsed: Any = self._parse(self.http_response)
            except APIError as exc:
                exc._redact(self._secrets())
                raise
            if isinstance(parsed, BaseModel):
                mark(parsed, "_request_id", self.request_id)
            elif isinstance(parsed, _CursorPageBase):
                parsed._request_id = self.request_id
            self._parsed = parsed
        return cast(T, self._parsed)

    @property
    def parsed(self) -> T:
        return self.parse()

    def __repr__(self) -> str:
        return (
            f"<APIResponse [{self.status_code} {self.http_response.reason_phrase}]"
            f" {self.method} {self.url}>"
        )


def to_raw_response_wrapper(func: Callable[P, R]) -> Callable[P, APIResponse[R]]:
    """Wrap a resource method so that it returns the :class:`APIResponse`."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        token = raw_response_requested.set(True)
        try:
            result: object = func(*args, **kwargs)
        finally:
            raw_response_requested.reset(token)
        return _expect_api_response(func, result)

    return wrapped


def async_to_raw_response_wrapper(
    func: Callable[P, Awaitable[R]],
) -> Callable[P, Awaitable[APIResponse[R]]]:
    """Async twin of :func:`to_raw_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> APIResponse[R]:
        # The coroutine runs in this task's context, so `_request` sees the flag.
        token = raw_response_requested.set(True)
        try:
            result: object = await func(*args, **kwargs)
        finally:
            raw_response_requested.reset(token)
        return _expect_api_response(func, result)

    return wrapped


def _expect_api_response(
    func: Callable[..., object], result: object
) -> APIResponse[Any]:
    if not isinstance(result, APIResponse):
        # Only methods that go through `_request`/`_get_page` can be wrapped.
        name = getattr(func, "__qualname__", repr(func))
        raise TypeError(f"{name} did not make an API request; nothing raw to return")
    return result


class StreamedResponse:
    """A binary download whose body is read in chunks, not held in memory.

    Use it as a context manager so the connection is released::

        with client.files.with_streaming_response.download(...) as response:
            for chunk in response.iter_bytes():
                out.write(chunk)
    """

    def __init__(self, response: APIResponse[Any]) -> None:
        self.http_response = response.http_response
        self.retries_taken = response.retries_taken

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks (of ``chunk_size`` bytes, the last maybe fewer)."""
        return self.http_response.iter_bytes(chunk_size)

    def close(self) -> None:
        self.http_response.close()

    def __enter__(self) -> StreamedResponse:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStreamedResponse:
    """Async twin of :class:`StreamedResponse` (``async with``, ``aiter_bytes``)."""

    def __init__(self, response: APIResponse[Any]) -> None:
        self.http_response = response.http_response
        self.retries_taken = response.retries_taken

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        return self.http_response.aiter_bytes(chunk_size)

    async def aclose(self) -> None:
        await self.http_response.aclose()

    async def __aenter__(self) -> AsyncStreamedResponse:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


def to_streamed_response_wrapper(
    func: Callable[P, object],
) -> Callable[P, StreamedResponse]:
    """Wrap a binary-download method so that it returns a :class:`StreamedResponse`."""

    @functools.wraps(func)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> StreamedResponse:
        raw = raw_response_requested.set(True)
        stream = stream_requested.set(True)
        try:
            result: object = func(*args, **kwargs)
        finally:
            stream_requested.reset(stream)
            raw_response_requested.reset(raw)
        return StreamedResponse(_expect_api_response(func, result))

    return wrapped


def async_to_streamed_response_wrapper(
    func: Callable[P, Awaitable[object]],
) -> Callable[P, Awaitable[AsyncStreamedResponse]]:
    """Async twin of :func:`to_streamed_response_wrapper`."""

    @functools.wraps(func)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> AsyncStreamedResponse:
        raw = raw_response_requested.set(True)
        stream = stream_requested.set(True)
        try:
            result: object = await func(*args, **kwargs)
        finally:
            stream_requested.reset(stream)
            raw_response_requested.reset(raw)
        return AsyncStreamedResponse(_expect_api_response(func, result))

    return wrapped
