"""Cursor pagination: lazy fetching across pages, sync and async."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import Recorder

PAGES = {
    None: (["a1", "a2"], "c2", None),
    "c2": (["b1", "b2"], "c3", "c1"),
    "c3": (["c1"], None, "c2"),
}


def list_server(request: httpx.Request) -> httpx.Response:
    cursor = request.url.params.get("cursor")
    ids, next_cursor, prev_cursor = PAGES[cursor]
    return httpx.Response(
        200,
        json={
            "success": True,
            "data": [{"bot_id": i} for i in ids],
            "cursor": next_cursor,
            "prev_cursor": prev_cursor,
        },
    )


def test_iterating_walks_all_pages_lazily(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(list_server)
    page = make_client(rec).bots.list(limit=2)

    assert isinstance(page, rt.SyncCursorPage)
    assert rec.count == 1
    assert [b.bot_id for b in page.data] == ["a1", "a2"]
    assert page.next_cursor == "c2"
    assert page.prev_cursor is None
    assert page.has_next_page()

    items = iter(page)
    assert next(items).bot_id == "a1"
    assert next(items).bot_id == "a2"
    assert rec.count == 1  # page 2 not needed yet
    assert next(items).bot_id == "b1"
    assert rec.count == 2
    assert [b.bot_id for b in items] == ["b2", "c1"]
    assert rec.count == 3

    # Every request repeats the original query, plus the cursor.
    params = [dict(r.url.params) for r in rec.requests]
    assert params == [
        {"limit": "2"},
        {"limit": "2", "cursor": "c2"},
        {"limit": "2", "cursor": "c3"},
    ]
    assert all(r.url.path == "/v2/bots" and r.method == "GET" for r in rec.requests)


def test_iter_pages_and_get_next_page(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    rec = Recorder(list_server)
    first = make_client(rec).bots.list()

    pages = list(first.iter_pages())
    assert [len(p.data) for p in pages] == [2, 2, 1]
    assert pages[0] is first
    assert pages[1].prev_cursor == "c1"
    last = pages[-1]
    assert last.next_cursor is None
    assert not last.has_next_page()
    with pytest.raises(rt.MeetingBaasError, match="has_next_page"):
        last.get_next_page()

    second = first.get_next_page()
    assert [b.bot_id for b in second.data] == ["b1", "b2"]


def test_options_are_kept_across_pages(make_client: Callable[..., Any]) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor") == "pinned-by-mistake":
            first = request.url.copy_remove_param("cursor")
            return list_server(httpx.Request("GET", first))
        return list_server(request)

    rec = Recorder(server)
    page = make_client(rec).bots.list(
        extra_headers={"X-Trace": "t"},
        extra_query={"cursor": "pinned-by-mistake", "status": "done"},
        timeout=4.0,
    )
    # A cursor in extra_query applies to the first request only.
    assert rec.requests[0].url.params["cursor"] == "pinned-by-mistake"
    assert len(list(page)) == 5
    for request in rec.requests[1:]:
        assert request.headers["x-trace"] == "t"
        assert request.url.params["status"] == "done"
        assert request.extensions["timeout"]["read"] == 4.0
    assert [r.url.params["cursor"] for r in rec.requests[1:]] == ["c2", "c3"]


def test_empty_page_or_repeated_cursor_stops(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    empty = httpx.Response(200, json={"success": True, "data": [], "cursor": "more"})
    page = make_client(Recorder(empty)).bots.list()
    assert not page.has_next_page()
    assert list(page) == []

    def stuck(request: httpx.Request) -> httpx.Response:
        body = {"success": True, "data": [{"bot_id": "x"}], "cursor": "same"}
        return httpx.Response(200, json=body)

    rec = Recorder(stuck)
    assert [b.bot_id for b in make_client(rec).bots.list()] == ["x", "x"]
    assert rec.count == 2  # the echoed cursor ends the walk


def test_malformed_list_response(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    bad = httpx.Response(200, json={"success": True, "data": {"not": "a list"}})
    with pytest.raises(rt.APIResponseValidationError):
        make_client(Recorder(bad)).bots.list()


def test_error_on_later_page_raises_during_iteration(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("cursor"):
            return httpx.Response(404, json={"message": "cursor expired"})
        return list_server(request)

    page = make_client(Recorder(server), max_retries=0).bots.list()
    seen: list[str] = []
    with pytest.raises(rt.NotFoundError):
        for bot in page:
            seen.append(bot.bot_id)
    assert seen == ["a1", "a2"]


def test_raw_list_response(rt: ModuleType, make_client: Callable[..., Any]) -> None:
    rec = Recorder(list_server)
    raw = make_client(rec).bots.with_raw_response.list(limit=2)
    assert isinstance(raw, rt.APIResponse)
    assert raw.status_code == 200
    page = raw.parse()
    assert isinstance(page, rt.SyncCursorPage)
    # Pages fetched later are plain pages, not raw responses.
    assert [b.bot_id for b in page] == ["a1", "a2", "b1", "b2", "c1"]


def test_async_pagination_is_lazy(
    rt: ModuleType, make_async_client: Callable[..., Any]
) -> None:
    rec = Recorder(list_server)

    async def main() -> None:
        async with make_async_client(rec) as client:
            page = await client.bots.list(limit=2)
            assert isinstance(page, rt.AsyncCursorPage)
            assert rec.count == 1

            seen: list[str] = []
            counts: list[int] = []
            async for bot in page:
                seen.append(bot.bot_id)
                counts.append(rec.count)
            assert seen == ["a1", "a2", "b1", "b2", "c1"]
            # Each page is requested only when its first item is needed.
            assert counts == [1, 1, 2, 2, 3]

            sizes = [len(p.data) async for p in page.iter_pages()]
            assert sizes == [2, 2, 1]
            second = await page.get_next_page()
            assert second.prev_cursor == "c1"

            raw = await client.bots.with_raw_response.list()
            assert isinstance(raw, rt.APIResponse)
            assert isinstance(raw.parse(), rt.AsyncCursorPage)

    asyncio.run(main())
    assert [r.url.params.get("cursor") for r in rec.requests[:3]] == [None, "c2", "c3"]
