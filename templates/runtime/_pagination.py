"""Cursor pages for list endpoints.

A list response looks like ``{"success": true, "data": [...], "cursor": "abc",
"prev_cursor": "xyz"}``; the next page is the same request with
``cursor=<cursor>``. Iterating a page walks every item of every following
page, fetching each page only when the previous one is exhausted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import Any, Generic, TypeVar

from ._constants import SDKError
from ._exceptions import PaginationError

__all__ = ["AsyncCursorPage", "AsyncPaginator", "SyncCursorPage"]

# The package __init__ re-exports these; the rest of __all__ is for the SDK's modules.
_PACKAGE_EXPORTS: tuple[str, ...] = (
    "AsyncCursorPage",
    "AsyncPaginator",
    "SyncCursorPage",
)

T = TypeVar("T")


class _CursorPageBase(Generic[T]):
    data: list[T]
    next_cursor: str | None
    prev_cursor: str | None

    def __init__(
        self,
        *,
        data: list[T],
        next_cursor: str | None,
        prev_cursor: str | None,
        cursor: str | None = None,
    ) -> None:
        self.data = data
        self.next_cursor = next_cursor
        self.prev_cursor = prev_cursor
        # The cursor that fetched this page (None for the first one).
        self._cursor = cursor
        # The id of the response this page came from (set by the client).
        self._request_id: str | None = None

    def has_next_page(self) -> bool:
        # An empty page, or a server echoing the cursor we sent, would loop
        # forever; treat both as the end.
        if not self.data or not self.next_cursor:
            return False
        return self.next_cursor != self._cursor

    def _require_next_cursor(self) -> str:
        if not self.has_next_page() or self.next_cursor is None:
            raise SDKError(
                "No next page; check has_next_page() before calling get_next_page()."
            )
        return self.next_cursor

    def _check_cycle(self, seen: set[str]) -> None:
        # A -> B -> A would otherwise loop forever.
        if self.next_cursor is None or not self.has_next_page():
            return
        if self.next_cursor in seen:
            raise PaginationError(
                f"The server sent cursor {self.next_cursor!r} twice while"
                " paginating; stopping instead of looping forever."
            )
        seen.add(self.next_cursor)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(data=<{len(self.data)} items>,"
            f" next_cursor={self.next_cursor!r}, prev_cursor={self.prev_cursor!r})"
        )


class SyncCursorPage(_CursorPageBase[T]):
    """One page of results; ``for item in page`` iterates across all pages."""

    def __init__(
        self,
        *,
        data: list[T],
        next_cursor: str | None,
        prev_cursor: str | None,
        fetch_page: Callable[[str], SyncCursorPage[T]],
        cursor: str | None = None,
    ) -> None:
        super().__init__(
            data=data, next_cursor=next_cursor, prev_cursor=prev_cursor, cursor=cursor
        )
        self._fetch_page = fetch_page

    def get_next_page(self) -> SyncCursorPage[T]:
        return self._fetch_page(self._require_next_cursor())

    def iter_pages(self) -> Iterator[SyncCursorPage[T]]:
        """This page, then each following page, fetched on demand."""
        page = self
        seen: set[str] = set() if self._cursor is None else {self._cursor}
        while True:
            yield page
            if not page.has_next_page():
                return
            page._check_cycle(seen)
            page = page.get_next_page()

    def __iter__(self) -> Iterator[T]:
        for page in self.iter_pages():
            yield from page.data


class AsyncCursorPage(_CursorPageBase[T]):
    """One page of results; ``async for item in page`` iterates across all pages."""

    def __init__(
        self,
        *,
        data: list[T],
        next_cursor: str | None,
        prev_cursor: str | None,
        fetch_page: Callable[[str], Awaitable[AsyncCursorPage[T]]],
        cursor: str | None = None,
    ) -> None:
        super().__init__(
            data=data, next_cursor=next_cursor, prev_cursor=prev_cursor, cursor=cursor
        )
        self._fetch_page = fetch_page

    async def get_next_page(self) -> AsyncCursorPage[T]:
        return await self._fetch_page(self._require_next_cursor())

    async def iter_pages(self) -> AsyncIterator[AsyncCursorPage[T]]:
        """This page, then each following page, fetched on demand."""
        page = self
        seen: set[str] = set() if self._cursor is None else {self._cursor}
        while True:
            yield page
            if not page.has_next_page():
                return
            page._check_cycle(seen)
            page = await page.get_next_page()

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.iter_pages():
            for item in page.data:
                yield item


class AsyncPaginator(Generic[T]):
    """What an async list method returns: ``await`` it for the first page, or
    ``async for item in client.x.list()`` to walk every item of every page."""

    def __init__(self, first_page: Callable[[], Awaitable[AsyncCursorPage[T]]]) -> None:
        self._first_page = first_page

    def __await__(self) -> Generator[Any, None, AsyncCursorPage[T]]:
        return self._first_page().__await__()

    async def __aiter__(self) -> AsyncIterator[T]:
        page = await self
        async for item in page:
            yield item
