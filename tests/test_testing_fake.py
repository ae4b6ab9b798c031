"""``meetingbaas.testing`` (issue 28): the fake API shipped in the committed SDK.

Every operation answers with a body its spec accepts (the SDK parses it under
strict validation; jsonschema accepts it), overrides and errors reach the
caller typed, requests the API would refuse come back as 422 naming the
field, and the signed webhooks pass the SDK's own verifier.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, settings
from pydantic import TypeAdapter

from generator import ir
from generator.config import default_spec_path

from .fake_checks import (
    call_every_operation,
    data_schema,
    fake_ops,
    round_trip,
    schema_problems,
)
from .spec_proof.calls import calls
from .spec_proof.strategies import SETTINGS, instances, shift_year_zero
from .spec_proof.targets import COMMITTED, Spec, sdk_type

BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
MEET = "https://meet.google.com/abc-defg-hij"
SECRET = "whsec_" + "c2VjcmV0LWZvci1mYWtlLXRlc3RzLTEyMzQ1Njc4"
SPEC = Spec(COMMITTED, default_spec_path())


@pytest.fixture(scope="module")
def testing(sdk: Any) -> Any:
    import importlib

    return importlib.import_module("meetingbaas.testing")


def test_every_operation_answers_and_parses_strictly(sdk: Any, testing: Any) -> None:
    assert call_every_operation(SPEC.api, sdk, testing) == ([], [])


def test_every_default_body_matches_its_response_schema(testing: Any) -> None:
    ops = fake_ops(testing.FakeTransport()).values()
    checked, problems = schema_problems(SPEC.raw, SPEC.api, ops)
    assert problems == []
    assert checked == sum(
        1 for op in SPEC.api.operations if op.response and op.response.type
    )


def test_the_default_is_the_same_every_run(testing: Any) -> None:
    first = {k: op.facts.example for k, op in fake_ops(testing.FakeTransport()).items()}
    again = {k: op.facts.example for k, op in fake_ops(testing.FakeTransport()).items()}
    assert first == again and len(first) == len(SPEC.api.operations)


def test_returns_a_model_and_records_the_call(sdk: Any, testing: Any) -> None:
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    fake.bots.create.returns(sdk.types.CreatedBot(bot_id=BOT_ID))
    created = client.bots.create(bot_name="Notetaker", meeting_url=MEET)
    assert created.bot_id == BOT_ID
    (call,) = fake.bots.create.calls
    assert call.body == {"bot_name": "Notetaker", "meeting_url": MEET}
    assert (call.method, call.path) == ("POST", "/v2/bots")
    assert fake.calls == [call]
    fake.bots.get_status.returns(
        {
            "bot_id": BOT_ID,
            "status": "in_call_recording",
            "transcription_status": "not-started",
            "updated_at": "2024-05-01T10:00:00Z",
        }
    )
    status = client.bots.get_status(BOT_ID)
    assert status.status == "in_call_recording"
    assert fake.bots.get_status.calls[0].path_params == {"bot_id": BOT_ID}


def test_pages_are_walked_through_their_cursors(sdk: Any, testing: Any) -> None:
    fake = testing.FakeTransport()
    default_bot = client_bots(testing, fake)[0]
    ids = [BOT_ID[:-1] + str(n) for n in range(3)]
    fake.bots.list.returns_pages(
        *([default_bot.model_copy(update={"bot_id": i})] for i in ids)
    )
    bots = client_bots(testing, fake)
    assert [b.bot_id for b in bots] == ids
    cursors = [c.query.get("cursor") for c in fake.bots.list.calls[1:]]
    assert cursors == [None, "fake-page-2", "fake-page-3"]


def client_bots(testing: Any, fake: Any) -> list[Any]:
    return list(testing.fake_client(fake).bots.list())


def test_raises_gives_the_sdk_error_with_code_and_message(
    sdk: Any, testing: Any
) -> None:
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    fake.bots.create.raises(status=402, code="insufficient_credits", message="none")
    with pytest.raises(sdk.PaymentRequiredError) as caught:
        client.bots.create(bot_name="Notetaker", meeting_url=MEET)
    assert caught.value.code == "insufficient_credits"
    assert caught.value.body["statusCode"] == 402
    assert "none" in str(caught.value)
    fake.reset()
    assert client.bots.create(bot_name="N", meeting_url=MEET).bot_id
    assert fake.calls == fake.bots.create.calls and len(fake.calls) == 1


@pytest.mark.parametrize(
    ("extra_body", "named"),
    [
        ({"recording_mode": "loud"}, "recording_mode"),
        ({"bot_name": 7}, "bot_name"),
        ({"allow_multiple_bots": "sometimes"}, "allow_multiple_bots"),
        ({"no_such_field": 1}, "no_such_field"),
    ],
)
def test_a_request_the_api_refuses_is_a_422_naming_the_field(
    sdk: Any, testing: Any, extra_body: dict[str, Any], named: str
) -> None:
    fake = testing.FakeTransport()
    client = testing.fake_client(fake)
    with pytest.raises(sdk.UnprocessableEntityError) as caught:
        client.bots.create(bot_name="N", meeting_url=MEET, extra_body=extra_body)
    assert named in str(caught.value)
    assert caught.value.code == "validation_error"


def test_a_missing_required_field_is_named(sdk: Any, testing: Any) -> None:
    fake = testing.FakeTransport()
    http = testing.fake_client(fake)._client
    response = http.post("https://api.meetingbaas.com/v2/bots", json={"bot_name": "N"})
    assert response.status_code == 422
    assert "meeting_url" in response.json()["message"]
    unchecked = testing.FakeTransport(check_requests=False)
    http = testing.fake_client(unchecked)._client
    response = http.post("https://api.meetingbaas.com/v2/bots", json={"bot_name": "N"})
    assert response.status_code == 201


def test_an_unknown_path_is_a_404_saying_so(testing: Any) -> None:
    http = testing.fake_client()._client
    response = http.get("https://api.meetingbaas.com/v2/nothing")
    assert response.status_code == 404
    assert "GET /v2/nothing" in response.json()["message"]


def test_async_client(sdk: Any, testing: Any) -> None:
    fake = testing.FakeTransport()
    default = testing.fake_client(fake).bots.get_status(BOT_ID)
    joining = sdk.types.BotStatus("joining_call")
    fake.bots.get_status.returns(default.model_copy(update={"status": joining}))

    async def main() -> tuple[Any, int]:
        client = testing.fake_async_client(fake)
        status = await client.bots.get_status(BOT_ID)
        count = 0
        async for _ in client.bots.list():
            count += 1
        return status, count

    status, count = asyncio.run(main())
    assert status.status == "joining_call" and count == 1
    assert [c.operation for c in fake.calls][1:] == ["bots.get_status", "bots.list"]


@pytest.mark.parametrize("event", ["bot.completed", "bot.failed", "bot.status_change"])
def test_signed_webhooks_pass_the_sdks_verifier(
    sdk: Any, testing: Any, event: str
) -> None:
    body, headers = testing.signed_webhook(event, secret=SECRET)
    parsed = sdk.webhooks.unwrap(body, headers, SECRET)
    assert parsed.event == event
    assert type(parsed).__name__ == type(sdk.webhooks.parse(body)).__name__
    assert not isinstance(parsed, sdk.webhooks.UnknownWebhookEvent)
    other = "whsec_" + "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0xMjM0NTY="
    with pytest.raises(sdk.WebhookVerificationError):
        sdk.webhooks.unwrap(body, headers, other)


def test_every_event_has_a_payload_its_model_accepts(sdk: Any, testing: Any) -> None:
    assert sorted(testing.WEBHOOK_EXAMPLES) == sorted(
        e.event for e in SPEC.api.events if e.kind == "webhook" and e.key
    )
    for event in testing.WEBHOOK_EXAMPLES:
        parsed = sdk.webhooks.parse(testing.webhook_body(event))
        assert not isinstance(parsed, sdk.webhooks.UnknownWebhookEvent), event
    for event in testing.CALLBACK_EXAMPLES:
        body, headers = testing.callback_request(event, secret="s3cret")
        sdk.webhooks.verify_callback(headers, "s3cret")
        assert sdk.webhooks.parse_callback(body).event == event


def test_webhook_data_is_replaced_by_the_given_model(sdk: Any, testing: Any) -> None:
    default = sdk.webhooks.parse(testing.webhook_body("bot.completed"))
    data = default.data.model_copy(update={"bot_id": BOT_ID, "duration_seconds": 61})
    body, headers = testing.signed_webhook("bot.completed", data, secret=SECRET)
    parsed = sdk.webhooks.unwrap(body, headers, SECRET)
    assert parsed.data == data
    with pytest.raises(ValueError, match=r"unknown event 'bot\.nothing'"):
        testing.webhook_body("bot.nothing")


def _json_operations() -> list[Any]:
    return [
        pytest.param(op.operation_id, id=op.python_call)
        for op in SPEC.api.operations
        if op.response is not None and op.response.type is not None
    ]


def check_round_trips(sdk: Any, operation_id: str, examples: int) -> None:
    """Values drawn from the response schema, parsed into the SDK's types and
    given to ``returns``: the SDK call gives back an equal value."""
    import importlib

    testing = importlib.import_module("meetingbaas.testing")
    (op,) = [o for o in SPEC.api.operations if o.operation_id == operation_id]
    (call,) = [c for c in calls(SPEC.api, sdk.types) if c.operation is op]
    assert op.response is not None and op.response.type is not None
    t = (
        op.response.type
        if op.pagination is None
        else ir.ListType(op.pagination.item_type)
    )
    adapter = TypeAdapter(sdk_type(t, sdk.types))

    @settings(SETTINGS, max_examples=examples)
    @given(instances(data_schema(SPEC.raw, op), SPEC.raw))
    def property_(instance: Any) -> None:
        value = adapter.validate_python(shift_year_zero(instance))
        got, wanted = round_trip(testing, op, call, value)
        assert got == wanted

    property_()


def test_an_override_from_a_drawn_model_round_trips(sdk: Any) -> None:
    check_round_trips(sdk, "getBotDetails", 5)


@pytest.mark.slow
@pytest.mark.property
@pytest.mark.parametrize("operation_id", _json_operations())
def test_overrides_from_drawn_models_round_trip(sdk: Any, operation_id: str) -> None:
    check_round_trips(sdk, operation_id, 10)


def test_list_items_given_as_mappings_merge_onto_the_default_item(
    testing: Any,
) -> None:
    fake = testing.FakeTransport()
    (default,) = client_bots(testing, fake)
    fake.bots.list.returns_pages([{"bot_id": BOT_ID}], [{"bot_name": "Second"}])
    first, second = client_bots(testing, fake)
    assert first == default.model_copy(update={"bot_id": BOT_ID})
    assert second == default.model_copy(update={"bot_name": "Second"})
    with pytest.raises(ValueError, match=r"bots\.list\.returns"):
        fake.bots.list.returns([{"bot_id": 5}])


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"limit": "0"}, "query parameter 'limit'"),
        ({"limit": "ten"}, "query parameter 'limit'"),
        ({"created_before": "yesterday"}, "query parameter 'created_before'"),
    ],
)
def test_a_query_parameter_the_api_refuses_is_a_422_naming_it(
    testing: Any, query: dict[str, str], named: str
) -> None:
    http = testing.fake_client()._client
    response = http.get("https://api.meetingbaas.com/v2/bots", params=query)
    assert response.status_code == 422
    assert named in response.json()["message"]
    assert response.json()["code"] == "validation_error"
