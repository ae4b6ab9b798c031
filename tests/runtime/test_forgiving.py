"""The committed SDK reading a server that deviates a little from the spec
(on loopback servers): date-times in any RFC 3339 form, objects that kept a
raw value still export, a body that is wholly not the declared type raises
in either mode, and the 429 body's ``retryAfter`` is honoured."""

from __future__ import annotations

import datetime as dt
import json
import math
import warnings
from typing import Any

import pytest

from ._fake_api import Examples
from ._loopback import Reply, Seen, ok, serving

API_KEY = "mb-forgiving-key-0123456789"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
INSTANT = dt.datetime(2026, 5, 11, 9, 0, tzinfo=dt.UTC)
EST = dt.timezone(-dt.timedelta(hours=5))

# RFC 3339 spellings of INSTANT (plus fractions), none of them the spec's "Z".
SPELLINGS = {
    "2026-05-11T09:00:00+00:00": INSTANT,
    "2026-05-11T11:00:00+02:00": INSTANT,
    "2026-05-11T03:30:00-05:30": INSTANT,
    "2026-05-11T09:00:00-00:00": INSTANT,
    "2026-05-11t09:00:00z": INSTANT,
    "2026-05-11T09:00:00.5+00:00": INSTANT.replace(microsecond=500_000),
    "2026-05-11T11:00:00.123456789+02:00": INSTANT.replace(microsecond=123_456),
    "2026-05-11T09:00:00.000Z": INSTANT,
}


def client(sdk: Any, url: str, **kwargs: Any) -> Any:
    kwargs.setdefault("max_retries", 0)
    return sdk.MeetingBaas(api_key=API_KEY, base_url=url, **kwargs)


def status(ex: Examples, **over: Any) -> dict[str, Any]:
    return {**ex.model("BotStatusDetails", bot_id=BOT_ID), **over}


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("text", sorted(SPELLINGS))
def test_any_rfc3339_offset_reads_as_an_aware_datetime(
    sdk: Any, text: str, strict: bool
) -> None:
    body = status(Examples(sdk.types), updated_at=text)
    with serving(lambda s: ok(body)) as (api,):
        got = client(sdk, api.url, strict_response_validation=strict).bots.get_status(
            BOT_ID
        )
    assert isinstance(got.updated_at, dt.datetime)
    assert got.updated_at.utcoffset() is not None
    assert got.updated_at == SPELLINGS[text]
    assert got._raw_kept is False  # nothing deviated: fully typed
    # Written back as the API writes it: UTC with "Z".
    sent = json.loads(got.to_json())["updated_at"]
    assert sent.endswith("Z") and dt.datetime.fromisoformat(sent) == SPELLINGS[text]


def calendar_event(sdk: Any, start: str) -> str:
    ex = Examples(sdk.types)
    payload = ex.model("CalendarWebhookEventCreated")
    payload["data"]["instances"] = [{**ex.model("EventInstance"), "start": start}]
    return json.dumps(payload)


@pytest.mark.parametrize("text", sorted(SPELLINGS))
def test_webhooks_read_any_rfc3339_offset(sdk: Any, text: str) -> None:
    event = sdk.webhooks.parse(calendar_event(sdk, text))
    assert event.data.instances[0].start == SPELLINGS[text]


def test_no_timezone_is_still_refused(sdk: Any) -> None:
    naive = calendar_event(sdk, "2026-05-11T09:00:00")
    with pytest.raises(sdk.webhooks.WebhookParseError, match="start"):
        sdk.webhooks.parse(naive)


def test_offset_arguments_are_sent_as_zulu(sdk: Any) -> None:
    with serving(lambda s: ok([])) as (api,):
        client(sdk, api.url).bots.list(created_after="2026-05-11T11:00:00+02:00")
        client(sdk, api.url).bots.list(
            created_after=dt.datetime(2026, 5, 11, 4, tzinfo=EST)
        )
    assert [s.query["created_after"] for s in api.seen] == [
        ["2026-05-11T09:00:00Z"]
    ] * 2


# -- export of objects that kept raw values ----------------------------------

RAW_VALUES = {
    "a number where a date-time goes": {"updated_at": 1_700_000_000},
    "text where a date-time goes": {"updated_at": "last tuesday"},
    "a required field missing": {"updated_at": None},
    "a number where an enum goes": {"status": 3},
    "an object where text goes": {"bot_id": {"nested": [1, 2]}},
}


@pytest.mark.parametrize("case", sorted(RAW_VALUES))
def test_leniently_parsed_objects_export(sdk: Any, case: str) -> None:
    body = status(Examples(sdk.types), **RAW_VALUES[case])
    if body["updated_at"] is None:
        del body["updated_at"]
    with serving(lambda s: ok(body)) as (api,):
        got = client(sdk, api.url).bots.get_status(BOT_ID)
    assert got._raw_kept is True
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # pydantic's serializer warnings too
        exported = [
            json.loads(got.model_dump_json()),
            json.loads(got.to_json()),
            got.to_dict(mode="json"),
            got.model_dump(mode="json"),
        ]
    for data in exported:
        for key, value in RAW_VALUES[case].items():
            if value is not None:
                assert data[key] == value  # the raw value, as it came


def test_lenient_page_items_export(sdk: Any) -> None:
    ex = Examples(sdk.types)
    bots = [ex.model("Bot"), {**ex.model("Bot"), "created_at": 5}]
    with serving(lambda s: ok(bots, cursor=None)) as (api,):
        page = client(sdk, api.url).bots.list()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert [json.loads(b.to_json())["created_at"] for b in page.data][1] == 5


# -- a body that is wholly not the declared type -----------------------------

WRONG_BODIES = {
    "data null": b'{"success": true, "data": null}',
    "data 42": b'{"success": true, "data": 42}',
    "data text": b'{"success": true, "data": "text"}',
    "data NaN": b'{"success": true, "data": NaN}',
    "data a list": b'{"success": true, "data": [1, 2]}',
}


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("case", sorted(WRONG_BODIES))
def test_wholly_wrong_body_raises_in_either_mode(
    sdk: Any, case: str, strict: bool
) -> None:
    reply = Reply(200, WRONG_BODIES[case], {"Content-Type": "application/json"})
    with serving(lambda s: reply) as (api,):
        api_client = client(sdk, api.url, strict_response_validation=strict)
        with pytest.raises(sdk.APIResponseValidationError, match="expected schema"):
            api_client.bots.get_status(BOT_ID)


@pytest.mark.parametrize("item", [None, 7, "bot"])
def test_page_item_that_is_not_an_object_raises(sdk: Any, item: Any) -> None:
    ex = Examples(sdk.types)
    page = ok([ex.model("Bot"), item], cursor=None)
    with (
        serving(lambda s: page) as (api,),
        pytest.raises(sdk.APIResponseValidationError, match=r"\b1: "),
    ):
        client(sdk, api.url).bots.list()


def test_nan_in_a_field_is_kept_raw_not_raised(sdk: Any) -> None:
    # Leniency stays for fields: NaN where a string goes is a field deviation.
    body = json.dumps({"success": True, "data": status(Examples(sdk.types))})
    body = body.replace(f'"{BOT_ID}"', "NaN")
    reply = Reply(200, body, {"Content-Type": "application/json"})
    with serving(lambda s: reply) as (api,):
        got = client(sdk, api.url).bots.get_status(BOT_ID)
    assert math.isnan(got.bot_id)


# -- the 429 body's retryAfter -----------------------------------------------


def limited(retry_after: Any, header: str | None = None) -> Any:
    state = {"n": 0}

    def handler(seen: Seen) -> Reply:
        state["n"] += 1
        if state["n"] > 1:
            return ok({"bot_id": BOT_ID})
        body = {"success": False, "code": "RATE", "statusCode": 429}
        body["retryAfter"] = retry_after
        return Reply(429, body, {"Retry-After": header} if header else {})

    return handler


@pytest.mark.parametrize(
    ("retry_after", "header", "slept"),
    [
        (3, None, 3.0),  # the body alone
        (3, "1", 1.0),  # the header first
        (0.25, None, 0.25),
        ("3", None, 0.5),  # not a number: the usual backoff
        (-1, None, 0.5),
        (True, None, 0.5),
    ],
)
def test_429_body_retry_after_is_honoured(
    sdk: Any, retry_after: Any, header: str | None, slept: float
) -> None:
    sleeps: list[float] = []
    with serving(limited(retry_after, header)) as (api,):
        api_client = client(
            sdk, api.url, max_retries=1, _sleep=sleeps.append, _random=lambda: 0.0
        )
        api_client.bots.retrieve(BOT_ID)
    assert sleeps == [slept]


def test_429_body_retry_after_over_the_cap_raises_with_it(sdk: Any) -> None:
    sleeps: list[float] = []
    with serving(limited(3600)) as (api,):
        api_client = client(sdk, api.url, max_retries=2, _sleep=sleeps.append)
        with pytest.raises(sdk.RateLimitError) as info:
            api_client.bots.retrieve(BOT_ID)
    assert info.value.retry_after == 3600.0
    assert sleeps == [] and len(api.seen) == 1


def test_rate_limit_error_reads_the_body_when_no_header(sdk: Any) -> None:
    with serving(limited(3)) as (api,), pytest.raises(sdk.RateLimitError) as info:
        client(sdk, api.url).bots.retrieve(BOT_ID)
    assert info.value.retry_after == 3.0
