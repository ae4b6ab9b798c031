"""Every ```python block of the generated README runs against a fake API.

The blocks are read from ``generated/README.md`` (which test_generate checks is
exactly what the generator makes) and executed with the committed SDK. HTTP is
intercepted with respx and answered by ``FakeAPI``, which follows the README's
own Operations table and the SDK's response models. Each block has an entry
in ``CASES`` that runs it and checks what it did: the requests the fake API
received and what the example printed. A block without an entry, or an entry
without a block, fails the test; no block is exempt from running.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import importlib
import io
import json
import re
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
import standardwebhooks

from ._fake_api import MISSING_ID, Examples, FakeAPI, error, routes_from_readme

README = Path(__file__).resolve().parents[2] / "generated" / "README.md"
API_KEY = "mb-readme-SECRET-0123456789"
WEBHOOK_SECRET = "whsec_" + "c2VjcmV0LWZvci1yZWFkbWUtdGVzdHMtMTIzNDU2Nzg="
CALLBACK_SECRET = "callback-secret-42"
BOT_ID = "3f1c2a9e-6b7d-4c1e-9a2b-5d4e3c2b1a09"
CALENDAR_ID = "7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d"
HOST = "api.meetingbaas.com"


def readme_blocks(text: str) -> dict[str, str]:
    """``{"<section-slug>-<n>": code}`` for every ```python block, in order."""
    blocks: dict[str, str] = {}
    section, counts = "top", dict[str, int]()
    lines = iter(text.splitlines())
    for line in lines:
        if line.startswith("## "):
            section = re.sub(r"[^a-z0-9]+", "-", line[3:].lower()).strip("-")
        elif line.startswith("```"):
            info = line[3:].strip()
            body = []
            for inner in lines:
                if inner.startswith("```"):
                    break
                body.append(inner)
            if info != "python":
                # Any other fenced block would escape this test; there is none.
                raise AssertionError(f"unexpected ```{info} block in {section}")
            counts[section] = counts.get(section, 0) + 1
            blocks[f"{section}-{counts[section]}"] = "\n".join(body) + "\n"
    return blocks


BLOCKS = readme_blocks(README.read_text("utf-8"))


@dataclass
class Result:
    fake: FakeAPI
    out: list[str]
    ns: dict[str, Any]
    sleeps: list[float] = field(default_factory=list)
    fake_v1: FakeAPI | None = None  # the v1 API's paths (all but /v2/...)

    def calls(self) -> list[str]:
        return [r.call for r in self.fake.received]


def sign(body: str, secret: str = WEBHOOK_SECRET) -> dict[str, str]:
    """Headers as the API sends them, signed by the reference implementation."""
    now = dt.datetime.now(dt.UTC)
    signature = standardwebhooks.Webhook(secret).sign("msg_readme_1", now, body)
    return {
        "webhook-id": "msg_readme_1",
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


@pytest.fixture
def run(sdk: Any, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run one README block; keyword arguments add to / replace its namespace."""
    monkeypatch.setenv("MEETING_BAAS_API_KEY", API_KEY)
    # What the webhook examples read their secrets from.
    monkeypatch.setenv("MEETING_BAAS_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("MEETING_BAAS_CALLBACK_SECRET", CALLBACK_SECRET)

    def runner(
        block: str,
        script: dict[str, list[httpx.Response | Exception | None]] | None = None,
        **names: Any,
    ) -> Result:
        readme = README.read_text("utf-8")
        fake = FakeAPI(routes_from_readme(readme), Examples(sdk.types))
        fake.script.update(script or {})
        v1_types = importlib.import_module("meetingbaas.v1.types")
        fake_v1 = FakeAPI(routes_from_readme(readme, "v1"), Examples(v1_types))
        fake_v1.script.update(script or {})
        sleeps: list[float] = []
        monkeypatch.setattr(time, "sleep", sleeps.append)  # retries must not wait
        ns: dict[str, Any] = {"__name__": "__readme__"}
        out = io.StringIO()
        with respx.mock(assert_all_mocked=True, assert_all_called=False) as router:
            router.route(host=HOST, path__startswith="/v2/").mock(side_effect=fake)
            router.route(host=HOST).mock(side_effect=fake_v1)
            # Each block is a complete program: nothing is put in its namespace.
            ns.update(names)
            with redirect_stdout(out):
                exec(compile(BLOCKS[block], f"README.md:{block}", "exec"), ns)
                after = ns.pop("after", None)
                if after is not None:  # a handler the block defined, called
                    after(ns)
        return Result(fake, out.getvalue().splitlines(), ns, sleeps, fake_v1)

    return runner


Runner = Callable[..., Result]


def api_key_header(sdk: Any) -> str:
    header: str = sdk._constants.API.api_key_header
    return header


# -- one check per README block ------------------------------------------------


def quick_start_1(run: Runner, sdk: Any) -> None:
    r = run("quick-start-1")
    assert r.calls() == ["client.bots.create", "client.bots.retrieve"]
    create, retrieve = r.fake.received
    # Only what the caller passed is sent.
    assert create.json == {
        "bot_name": "Notetaker",
        "meeting_url": "https://meet.google.com/abc-defg-hij",
    }
    assert create.request.headers[api_key_header(sdk)] == API_KEY  # from the env
    assert (
        create.request.headers["user-agent"] == f"meetingbaas-python/{sdk.__version__}"
    )
    created_id = r.ns["created"].bot_id
    assert retrieve.request.url.path == f"/v2/bots/{created_id}"
    bot_id, name, status = r.out[0].split(" ")
    assert (bot_id, name) == (str(created_id), "Notetaker")
    assert status == r.ns["bot"].status


def quick_start_2(run: Runner, sdk: Any) -> None:
    r = run("quick-start-2")
    assert r.calls() == ["client.bots.create"]
    assert r.fake.received[0].request.headers[api_key_header(sdk)] == API_KEY
    (line,) = r.out
    assert line.startswith("created ") and line.split()[1] in r.fake.bots


def client_options_1(run: Runner, sdk: Any) -> None:
    r = run("client-options-1")
    assert r.calls() == ["client.bots.get_status"]
    request = r.fake.received[0].request
    assert request.headers["x-app"] == "notetaker"
    assert request.headers[api_key_header(sdk)] == API_KEY
    # with_options(timeout=5.0) applied to every phase of the copy's request.
    assert request.extensions["timeout"] == dict.fromkeys(
        ("connect", "read", "write", "pool"), 5.0
    )
    client = r.ns["client"]
    assert client.timeout == httpx.Timeout(20.0, connect=5.0)
    assert r.ns["quick"]._client is client._client  # shared connections
    assert not client._client.is_closed  # the caller's http_client is theirs
    assert r.out[0] == "0 3"
    assert r.out[1] == Examples(sdk.types).model("BotStatusDetails")["status"]
    assert API_KEY not in repr(client)


def client_options_2(run: Runner, sdk: Any) -> None:
    r = run("client-options-2")
    assert r.calls() == ["client.bots.list"]
    request = r.fake.received[0].request
    assert request.headers["x-trace-id"] == "trace-42"
    assert request.url.params["debug"] == "1"
    assert request.url.params["limit"] == "10"
    assert request.extensions["timeout"]["read"] == 3.0
    assert r.out == ["10"]


def client_options_3(run: Runner, sdk: Any) -> None:
    r = run("client-options-3")
    assert r.fake.received == []  # nothing invalid is ever sent
    assert len(r.out) == 3
    assert r.out == [
        f"invalid {n}" for n in ("bot_name", "recording_mode", "meeting_url")
    ]


def operations_1(run: Runner, sdk: Any) -> None:
    r = run("operations-1")
    calls = r.calls()
    assert calls[-1] == "client.scheduled_bots.update"
    # 120 events in pages of 20, fetched as the loop goes.
    assert calls[:-1] == ["client.calendars.events.list"] * 6
    first = r.fake.received[0].request
    assert first.url.path == f"/v2/calendars/{CALENDAR_ID}/events"
    assert first.url.params["limit"] == "20"
    assert len(r.out) == 120
    update = r.fake.received[-1]
    assert update.request.method == "PATCH"
    assert update.request.url.path == f"/v2/bots/scheduled/{BOT_ID}"
    assert update.json == {"bot_name": "Weekly sync notes"}


def operations_2(run: Runner, sdk: Any) -> None:
    r = run("operations-2")
    assert r.calls() == ["client.bots.batch_create"]
    sent = r.fake.received[0].json
    assert [item["bot_name"] for item in sent] == ["Standup", "Retro"]
    result = r.ns["result"]
    assert isinstance(result, sdk.types.BatchCreateBotResponse)
    assert r.out == [
        f"created 0 {result.data[0].bot_id}",
        "failed 1 INVALID_MEETING_URL Not a Zoom, Google Meet or Teams link",
    ]


def errors_1(run: Runner, sdk: Any) -> None:
    r = run("errors-1")
    assert r.calls() == ["client.bots.retrieve"]
    assert r.fake.received[0].request.url.path == f"/v2/bots/{MISSING_ID}"
    assert r.out == [
        f"404 NOT_FOUND 404 Not Found [NOT_FOUND]: No resource with id {MISSING_ID}"
        " (request id: req_404)",
        "req_404 None False",
    ]


def errors_2(run: Runner, sdk: Any) -> None:
    r = run("errors-2")
    # join_at in the past is the server's rule: the request is sent.
    assert r.calls() == ["client.scheduled_bots.create"]
    assert r.fake.received[0].json["join_at"].endswith("Z")
    assert r.out == [
        "FST_ERR_VALIDATION [{'path': ['join_at'], "
        "'message': 'join_at must not be in the past'}]"
    ]


def retries_1(run: Runner, sdk: Any) -> None:
    unavailable = error(503, "UNAVAILABLE", "try later")
    unavailable.headers["Retry-After"] = "1"
    r = run(
        "retries-1",
        script={
            "client.bots.get_status": [
                unavailable,
                None,
                httpx.ReadTimeout("read timed out"),
            ]
        },
    )
    # 503 then success (one retry after Retry-After), then one timeout, no retry.
    assert r.calls() == ["client.bots.get_status"] * 3
    assert r.sleeps == [1.0]
    assert r.ns["client"].max_retries == 4
    assert r.fake.received[2].request.extensions["timeout"]["read"] == 2.0
    assert r.out[0].startswith("status: ") and r.out[1] == "timed out"


def _cursors(r: Result) -> list[str | None]:
    return [x.request.url.params.get("cursor") for x in r.fake.received]


def pagination_1(run: Runner, sdk: Any) -> None:
    r = run("pagination-1")
    assert r.calls() == ["client.bots.list"] * 5
    # First page, two more while iterating, the same two again for iter_pages.
    assert _cursors(r) == [None, "50", "100", "50", "100"]
    assert r.out[0] == "50 50 True"
    assert len(r.out) == 1 + 120 + 3
    assert len(set(r.out[1:121])) == 120
    assert r.out[121:] == ["50", "50", "20"]


def pagination_2(run: Runner, sdk: Any) -> None:
    r = run("pagination-2")
    assert r.calls() == ["client.bots.list"] * 6
    assert _cursors(r) == [None, "50", "100", None, "50", "100"]
    assert r.out == ["120 [50, 50, 20]"]


def raw_responses_1(run: Runner, sdk: Any) -> None:
    r = run("raw-responses-1")
    assert r.calls() == ["client.bots.get_status", "client.bots.retrieve"]
    assert r.out == ["req_ok", "200 req_ok", BOT_ID]
    assert isinstance(r.ns["bot"], sdk.types.BotDetails)


def _completed_body(sdk: Any, **data: Any) -> str:
    body = Examples(sdk.types).model("BotWebhookCompleted")
    body["data"].update(data)
    return json.dumps(body)


def wsgi(body: str, headers: dict[str, str]) -> Callable[[dict[str, Any]], None]:
    """Call the block's WSGI ``app`` as a server would; records the status."""

    def call(ns: dict[str, Any]) -> None:
        raw = body.encode()
        environ = {
            "REQUEST_METHOD": "POST",
            "CONTENT_LENGTH": str(len(raw)),
            "wsgi.input": io.BytesIO(raw),
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            ns["status"] = status

        ns["answer"] = b"".join(ns["app"](environ, start_response))

    return call


def asgi(body: str, headers: dict[str, str]) -> Callable[[dict[str, Any]], None]:
    """Call the block's ASGI ``app`` with the body in two messages."""

    def call(ns: dict[str, Any]) -> None:
        raw = body.encode()
        messages = [
            {"type": "http.request", "body": raw[:10], "more_body": True},
            {"type": "http.request", "body": raw[10:], "more_body": False},
        ]
        sent: list[dict[str, Any]] = []
        scope = {
            "type": "http",
            "method": "POST",
            "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
        }

        async def receive() -> dict[str, Any]:
            return messages.pop(0)

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(ns["app"](scope, receive, send))
        ns["status"] = sent[0]["status"]

    return call


def webhooks_and_callbacks_1(run: Runner, sdk: Any) -> None:
    body = _completed_body(sdk, bot_id=BOT_ID)
    r = run("webhooks-and-callbacks-1", after=wsgi(body, sign(body)))
    assert r.out == [f"completed: {BOT_ID}"]
    assert r.ns["status"] == "204 No Content"
    assert r.fake.received == []
    # The same app refuses a body signed with another secret.
    other = "whsec_" + "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC0xMjM0NTY="
    r = run("webhooks-and-callbacks-1", after=wsgi(body, sign(body, other)))
    assert (r.ns["status"], r.ns["answer"]) == ("400 Bad Request", b"invalid webhook")
    new_kind = json.dumps({"event": "bot.new_kind", "data": {"x": 1}})
    r = run("webhooks-and-callbacks-1", after=wsgi(new_kind, sign(new_kind)))
    assert r.out == ["not handled: bot.new_kind"]


def webhooks_and_callbacks_2(run: Runner, sdk: Any) -> None:
    body = _completed_body(sdk)
    r = run("webhooks-and-callbacks-2", after=asgi(body, sign(body)))
    assert r.out == ["BotWebhookCompleted"] and r.ns["status"] == 204
    new_kind = json.dumps({"event": "bot.new_kind", "data": {"x": 1}})
    r = run("webhooks-and-callbacks-2", after=asgi(new_kind, sign(new_kind)))
    assert r.out == ["unknown event bot.new_kind"]
    tampered = body.replace('"bot.completed"', '"bot.failed"')
    r = run("webhooks-and-callbacks-2", after=asgi(tampered, sign(body)))
    assert r.out == ["rejected"] and r.ns["status"] == 400
    expired = sign(body)
    expired["webhook-timestamp"] = str(int(time.time()) - 600)
    r = run("webhooks-and-callbacks-2", after=asgi(body, expired))
    assert r.out == ["rejected"]


def webhooks_and_callbacks_3(run: Runner, sdk: Any) -> None:
    body = _completed_body(sdk, bot_id=BOT_ID)

    def handle(headers: dict[str, str]) -> Callable[[dict[str, Any]], None]:
        def call(ns: dict[str, Any]) -> None:
            ns["status"] = ns["handle_callback"](headers, body.encode())

        return call

    r = run("webhooks-and-callbacks-3", after=handle({"x-mb-secret": CALLBACK_SECRET}))
    assert r.out == [f"bot.completed {BOT_ID}"] and r.ns["status"] == 204
    r = run("webhooks-and-callbacks-3", after=handle({"x-mb-secret": "guess"}))
    assert r.out == [] and r.ns["status"] == 401


def testing_your_integration_1(run: Runner, sdk: Any) -> None:
    """The fake answers both calls itself (nothing reaches the network), the
    402 takes the block's own fallback, and the signed webhook is accepted."""
    r = run("testing-your-integration-1")
    assert r.calls() == []
    assert r.out == ["bot.completed 2"]
    fake = r.ns["fake"]
    assert [c.operation for c in fake.calls] == ["bots.create", "bots.create"]
    assert fake.bots.create.calls[1].body["bot_name"] == "Notetaker"


def the_v1_api_1(run: Runner, sdk: Any) -> None:
    """The v1 client of the same package: the same key variable and header, its
    own paths and models."""
    joined = httpx.Response(200, json={"bot_id": BOT_ID})
    r = run("the-v1-api-1", script={"v1.bots.join": [joined]})
    assert r.fake.received == [] and r.fake_v1 is not None
    (join,) = r.fake_v1.received
    assert (join.call, join.request.url.path) == ("v1.bots.join", "/bots/")
    assert join.request.headers[api_key_header(sdk)] == API_KEY  # from the env
    assert join.json == {
        "bot_name": "Notetaker",
        "meeting_url": "https://meet.google.com/abc-defg-hij",
        "reserved": False,
    }
    assert r.out == [BOT_ID]


CASES: dict[str, Callable[[Runner, Any], None]] = {
    name.replace("_", "-"): check
    for name, check in list(globals().items())
    if callable(check) and re.fullmatch(r"[a-z0-9_]+_\d+", name)
}


def test_every_block_has_a_case_and_every_case_a_block() -> None:
    assert BLOCKS, "no ```python blocks found in generated/README.md"
    assert sorted(BLOCKS) == sorted(CASES)
    assert len(BLOCKS) == 18


@pytest.mark.parametrize("block", sorted(BLOCKS))
def test_readme_example(block: str, run: Runner, sdk: Any) -> None:
    CASES[block](run, sdk)
