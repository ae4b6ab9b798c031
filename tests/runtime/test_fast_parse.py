"""A success envelope is validated straight from the response bytes in one
pass; anything unusual goes the step-by-step way. Both must give the same
result, so these compare the two and check each way out of the shortcut."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from types import ModuleType
from typing import Any

import httpx
import pytest

from ._rt_helpers import Recorder

BOTS = [
    {"bot_id": "b1", "bot_name": "Notetaker", "recording_mode": "speaker_view"},
    {"bot_id": "b2", "recording_mode": "new_mode", "extra": {"n": [1, 2.5, None]}},
    {"bot_id": "b3", "bot_name": None, "unicode": "h\u00e9 \U0001f600"},
]


def _json(body: object) -> httpx.Response:
    return httpx.Response(200, content=json.dumps(body).encode())


@pytest.mark.parametrize("bot", BOTS)
def test_result_is_what_the_step_by_step_parse_gives(
    rt: ModuleType, make_client: Callable[..., Any], bot: dict[str, Any]
) -> None:
    base = rt._base_client
    response = _json({"success": True, "data": bot, "message": "ignored"})
    fast = make_client(Recorder(response)).bots.retrieve("b")
    slow = base._validate(response, rt._client.Bot, bot, strict=True)
    assert base._from_envelope(response, rt._client.Bot, page=False) is not None
    assert type(fast) is type(slow)
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_extra == slow.model_extra


def test_page_is_what_the_step_by_step_parse_gives(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    body = {"success": True, "data": BOTS, "cursor": 42, "prev_cursor": "p"}
    page = make_client(Recorder(_json(body))).bots.list()
    assert [b.model_dump() for b in page.data] == [
        rt._client.Bot.model_validate(b).model_dump() for b in BOTS
    ]
    assert (page.next_cursor, page.prev_cursor) == ("42", "p")  # as str(), as before


@pytest.mark.parametrize(
    ("body", "cursor"),
    [
        ({"next_cursor": "n"}, "n"),  # the other spelling
        ({"cursor": None, "next_cursor": "n"}, None),  # `cursor` wins when there
        ({}, None),
    ],
)
def test_page_cursor_spellings(
    make_client: Callable[..., Any], body: dict[str, Any], cursor: str | None
) -> None:
    page = make_client(Recorder(_json({"data": [], **body}))).bots.list()
    assert page.next_cursor == cursor


def test_success_false_still_raises(
    rt: ModuleType, make_client: Callable[..., Any]
) -> None:
    body = {"success": False, "data": BOTS[0], "message": "nope"}
    client = make_client(Recorder(_json(body)))
    with pytest.raises(rt.UnsuccessfulResponseError, match="nope"):
        client.bots.retrieve("b")
    with pytest.raises(rt.UnsuccessfulResponseError, match="nope"):
        client.bots.list()


def test_a_mismatch_is_still_salvaged_with_a_warning(
    make_client: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    body = {"success": True, "data": {"bot_id": 7, "bot_name": "kept"}}
    with caplog.at_level(logging.WARNING, logger="meetingbaas"):
        bot = make_client(Recorder(_json(body))).bots.retrieve("b")
    assert (bot.bot_id, bot.bot_name) == (7, "kept")  # raw value kept
    assert "did not match the expected schema" in caplog.text


@pytest.mark.parametrize(
    "content",
    [
        b'{"success": true, "data": {"bot_id": NaN}}',  # json.loads reads NaN
        b'{"success": true}',  # no data
        b'[{"bot_id": "b1"}]',  # no envelope
    ],
)
def test_what_the_shortcut_refuses_goes_the_step_by_step_way(
    rt: ModuleType, content: bytes
) -> None:
    response = httpx.Response(200, content=content)
    assert rt._base_client._from_envelope(response, rt._client.Bot, page=False) is None
