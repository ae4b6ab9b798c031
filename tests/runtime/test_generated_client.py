"""The committed SDK's generated surface: names, per-call options, validation.

The runtime tests use a small stand-in client; these check what the templates
emit for every operation of the spec.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest
import yaml

from ._fake_api import Examples, FakeAPI, Route, error, routes_from_readme

README = Path(__file__).resolve().parents[2] / "generated" / "README.md"
ROUTES = routes_from_readme(README.read_text("utf-8"))
SPEC = Path(__file__).resolve().parents[2] / "spec" / "meeting-baas-v2.yaml"
SPEC_OPERATIONS = [
    (method, path)
    for path, item in yaml.safe_load(SPEC.read_text("utf-8"))["paths"].items()
    for method in item
    if method in ("get", "put", "post", "delete", "options", "head", "patch", "trace")
]
URL = "https://meet.google.com/abc-defg-hij"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"


def resolve(root: Any, call: str) -> Any:
    obj = root
    for part in call.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def public_methods(resource: Any, prefix: str) -> set[str]:
    """Every operation reachable from ``resource``, as ``client.a.b`` paths."""
    found: set[str] = set()
    for name, value in inspect.getmembers(type(resource)):
        if name.startswith("_") or name == "with_raw_response":
            continue
        if isinstance(value, property | Callable) and inspect.isfunction(value):
            found.add(f"{prefix}.{name}")
        else:  # a sub-resource (cached_property)
            found |= public_methods(getattr(resource, name), f"{prefix}.{name}")
    return found


@pytest.fixture
def fake(sdk: Any) -> FakeAPI:
    return FakeAPI(ROUTES, Examples(sdk.types))


@pytest.fixture
def client(sdk: Any, fake: FakeAPI) -> Any:
    http = httpx.Client(transport=httpx.MockTransport(fake))
    return sdk.MeetingBaas(api_key="k-123", http_client=http)


def test_readme_lists_every_operation_and_nothing_else(sdk: Any) -> None:
    clients = (sdk.MeetingBaas(api_key="k"), sdk.AsyncMeetingBaas(api_key="k"))
    documented = {r.call for r in ROUTES}
    assert len(documented) == len(ROUTES) == len(SPEC_OPERATIONS)
    for c in clients:
        assert (
            public_methods(c, "client")
            - {"client.close", "client.copy"}
            - {
                f"client.{n}"
                for n in ("with_options", "is_closed", "aclose", "default_headers")
            }
            == documented
        )


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.call)
def test_every_method_has_per_request_options_and_a_raw_twin(
    sdk: Any, route: Route
) -> None:
    for c in (sdk.MeetingBaas(api_key="k"), sdk.AsyncMeetingBaas(api_key="k")):
        method = resolve(c, route.call)
        params = inspect.signature(method).parameters
        for option in ("extra_headers", "extra_query", "timeout"):
            assert params[option].kind is inspect.Parameter.KEYWORD_ONLY
        parent, name = route.call.rsplit(".", 1)
        raw = getattr(resolve(c, parent).with_raw_response, name)
        assert inspect.signature(raw).parameters == params
    # Short, predictable names: client.<resource>[.<sub>].<verb>.
    assert 3 <= len(route.call.split(".")) <= 4


@pytest.mark.parametrize(
    ("args", "field", "message"),
    [
        ({"bot_name": "x" * 300}, "bot_name", "at most 255 characters"),
        ({"recording_mode": "4k"}, "recording_mode", "'4k'"),
        ({"meeting_url": "not a url"}, "meeting_url", "'not a url'"),
        ({"bot_image": "https://x/a b.png"}, "bot_image", "absolute URL"),
        (
            {"timeout_config": {"waiting_room_timeout": 5}},
            "waiting_room_timeout",
            "greater than or equal",
        ),
        (
            {"timeout_config": {"waiting_room_timeout": 10**6}},
            "waiting_room_timeout",
            "less than or equal",
        ),
        ({"extra": None, "entry_message": "y" * 4097}, "entry_message", "at most 4096"),
        ({"unknown_field": 1}, "unknown_field", "unexpected keyword"),
    ],
)
def test_rejected_arguments_name_the_field_and_send_nothing(
    client: Any, fake: FakeAPI, args: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises((ValueError, TypeError)) as info:
        client.bots.create(**{"bot_name": "Notetaker", "meeting_url": URL, **args})
    assert field in str(info.value)
    assert message in str(info.value)
    assert fake.received == []


def test_missing_required_field_is_refused(
    sdk: Any, client: Any, fake: FakeAPI
) -> None:
    with pytest.raises(TypeError, match="meeting_url"):
        client.bots.create(bot_name="Notetaker")
    # In a batch item the same rule comes from the model.
    with pytest.raises(sdk.RequestValidationError, match="meeting_url"):
        client.bots.batch_create([{"bot_name": "Notetaker"}])
    # Path parameters are checked as well, named by the argument.
    with pytest.raises(sdk.RequestValidationError, match=r"^bot_id: ") as info:
        client.bots.retrieve("not-a-uuid")
    assert info.value.argument == "bot_id"
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, pydantic.ValidationError)
    assert fake.received == []


def test_batch_bounds_and_shape_checked_before_sending(
    sdk: Any, client: Any, fake: FakeAPI
) -> None:
    item = {"bot_name": "Notetaker", "meeting_url": URL}
    with pytest.raises(ValueError, match="at least 1"):
        client.bots.batch_create([])
    with pytest.raises(ValueError, match="at most 100"):
        client.scheduled_bots.batch_create(
            [{**item, "join_at": "2099-01-01T00:00:00Z"}] * 101
        )
    with pytest.raises(TypeError, match="sequence"):
        client.bots.batch_create(item)
    with pytest.raises(TypeError, match="sequence"):
        client.bots.batch_create(sdk.types.CreateBotRequestBody(**item))
    assert fake.received == []
    result = client.bots.batch_create([item] * 100)
    assert len(result.data) == 100 and result.errors == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            {"meeting_url": "not a url"},
            "body[3].meeting_url: Input should be an absolute URL, got 'not a url'",
        ),
        ({"bot_name": ""}, "body[3].bot_name: String should have at least 1"),
        ({"recording_mode": "4k"}, "body[3].recording_mode: unknown value '4k'"),
    ],
)
def test_batch_errors_name_the_item_and_say_got_once(
    sdk: Any, client: Any, fake: FakeAPI, bad: dict[str, Any], message: str
) -> None:
    item = {"bot_name": "Notetaker", "meeting_url": URL}
    with pytest.raises(sdk.RequestValidationError) as info:
        client.bots.batch_create([item, item, item, {**item, **bad}])
    assert str(info.value).startswith(message)
    assert str(info.value).count("got ") <= 1
    assert info.value.argument == "body"
    assert fake.received == []


def test_batch_model_items_are_named_by_place(
    sdk: Any, client: Any, fake: FakeAPI
) -> None:
    model = sdk.types.CreateBotRequestBody(
        bot_name="N", meeting_url=URL, recording_mode="4k"
    )
    with pytest.raises(sdk.RequestValidationError, match=r"^body\[1\]\.recording_mode"):
        client.bots.batch_create([{"bot_name": "N", "meeting_url": URL}, model])
    assert fake.received == []


def test_single_call_errors_say_got_once(sdk: Any, client: Any) -> None:
    with pytest.raises(sdk.RequestValidationError) as info:
        client.bots.create(bot_name="N", meeting_url="not a url")
    assert str(info.value) == (
        "meeting_url: Input should be an absolute URL, got 'not a url'"
    )


def test_batch_partial_failure_is_typed(sdk: Any, client: Any, fake: FakeAPI) -> None:
    result = client.bots.batch_create(
        [
            {"bot_name": "a", "meeting_url": URL, "extra": {"ref": 1}},
            sdk.types.CreateBotRequestBody(
                bot_name="b", meeting_url="https://example.com/x", extra={"ref": 2}
            ),
            {"bot_name": "c", "meeting_url": "https://zoom.us/j/1"},
        ]
    )
    assert isinstance(result, sdk.types.BatchCreateBotResponse)
    assert [(d.index, d.extra) for d in result.data] == [(0, {"ref": 1}), (2, None)]
    (failed,) = result.errors
    assert isinstance(failed, sdk.types.BatchBotError)
    assert (failed.index, failed.code, failed.extra) == (
        1,
        "INVALID_MEETING_URL",
        {"ref": 2},
    )
    assert failed.message
    # Only the fields each item set were sent.
    assert fake.received[0].json[2] == {
        "bot_name": "c",
        "meeting_url": "https://zoom.us/j/1",
    }


def test_server_only_rules_are_left_to_the_server(
    sdk: Any, client: Any, fake: FakeAPI
) -> None:
    with pytest.raises(sdk.BadRequestError) as info:
        client.scheduled_bots.create(
            bot_name="Notetaker", meeting_url=URL, join_at="2001-01-01T00:00:00Z"
        )
    assert len(fake.received) == 1
    assert info.value.validation_errors[0]["path"] == ["join_at"]


def test_nested_resources_and_path_parameters(client: Any, fake: FakeAPI) -> None:
    event = client.calendars.events.retrieve(
        BOT_ID, "0b7f0c7e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"
    )
    assert fake.received[0].call == "client.calendars.events.retrieve"
    assert str(event.event_id) == "0b7f0c7e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"
    page = client.calendars.events.list(BOT_ID, limit=50)
    assert fake.received[1].request.url.params["limit"] == "50"
    assert len(list(page)) == fake.total_items


def test_retries_do_not_duplicate_creates(sdk: Any, client: Any, fake: FakeAPI) -> None:
    fake.script["client.bots.create"] = [error(500, "INTERNAL", "boom")]
    slept: list[float] = []
    client = client.with_options(max_retries=2)
    client._sleep = slept.append
    with pytest.raises(sdk.InternalServerError):
        client.bots.create(bot_name="Notetaker", meeting_url=URL)
    assert [r.call for r in fake.received] == ["client.bots.create"]
    assert slept == []
    # GET is retried after a 5xx.
    fake.script["client.bots.retrieve"] = [error(502, "BAD_GATEWAY", "later"), None]
    client.bots.retrieve(BOT_ID)
    assert [r.call for r in fake.received][1:] == ["client.bots.retrieve"] * 2
    assert len(slept) == 1 and 0.375 <= slept[0] <= 0.5


def test_body_fields_the_spec_requires_despite_a_default_are_always_sent(
    client: Any, fake: FakeAPI
) -> None:
    series = "0b7f0c7e-1b2a-4c3d-8e9f-0a1b2c3d4e5f"
    client.calendars.bots.delete(BOT_ID, series_id=series)
    client.calendars.bots.delete(BOT_ID, series_id=series, all_occurrences=True)
    sent = [r.json for r in fake.received]
    # `all_occurrences` is required (with default false) in the spec's body.
    assert sent == [
        {"series_id": series, "all_occurrences": False},
        {"series_id": series, "all_occurrences": True},
    ]
    # An optional field with a default is still left to the server.
    client.bots.create(bot_name="Notetaker", meeting_url=URL)
    assert "recording_mode" not in fake.received[-1].json


@pytest.mark.parametrize("name", ["MeetingBaas", "AsyncMeetingBaas"])
def test_client_constructor_is_in_client_module_with_every_argument(
    sdk: Any, name: str
) -> None:
    cls = getattr(sdk, name)
    init = cls.__init__
    assert init.__module__ == "meetingbaas._client"  # what an IDE shows
    params = inspect.signature(init).parameters
    base = inspect.signature(cls.__mro__[1].__init__).parameters
    assert list(params) == list(base)  # every argument of the base, in order
    for option in ("max_response_bytes", "attempt_timeout", "timeout"):
        assert f"``{option}``" in (init.__doc__ or "")
