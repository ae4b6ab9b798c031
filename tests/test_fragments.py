"""One hand-made spec per construct (tests/fragments.py): generate, import,
``mypy --strict`` (one run over all of them), and a behaviour check of the
generated client against an ``httpx.MockTransport``."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import io
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from .conftest import key_for, sdkgen_process
from .fragments import FRAGMENTS

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


_sdkgen = sdkgen_process


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("fragments")
    for name, doc in FRAGMENTS.items():
        spec = folder / "specs" / name / "openapi.json"
        spec.parent.mkdir(parents=True)
        spec.write_text(json.dumps(doc))
        done = _sdkgen("generate", "--spec", str(spec), "--out", str(folder / name))
        assert done.returncode == 0, done.stderr
        assert done.stderr == "", done.stderr
    sys.path[:0] = [str(folder / name) for name in FRAGMENTS]
    yield folder
    for name in FRAGMENTS:
        sys.path.remove(str(folder / name))


def _package(out: Path, name: str) -> ModuleType:
    (package,) = [
        p.name for p in (out / name).iterdir() if (p / "__init__.py").is_file()
    ]
    return importlib.import_module(package)


def _client(
    out: Path, name: str, handler: Callable[[httpx.Request], httpx.Response]
) -> Any:
    pkg = _package(out, name)
    clients = importlib.import_module(pkg.__name__ + "._client").__all__
    sync = next(c for c in clients if not c.startswith("Async"))
    http = httpx.Client(transport=httpx.MockTransport(handler))
    cls = getattr(pkg, sync)
    return cls(**key_for(cls, "KEY"), http_client=http, max_retries=0)


def test_mypy_strict_over_every_fragment(out: Path) -> None:
    packages = [_package(out, n).__name__ for n in FRAGMENTS]
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
        + [a for p in packages for a in ("-p", p)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "MYPYPATH": os.pathsep.join(str(out / n) for n in FRAGMENTS),
        },
        cwd=out,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-4000:]


def test_ruff_over_every_fragment(out: Path) -> None:
    """Each SDK passes ruff with the settings its pyproject.toml ships."""
    for name in FRAGMENTS:
        done = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "-q", "."],
            capture_output=True,
            text=True,
            cwd=out / name,
            timeout=120,
        )
        assert done.returncode == 0, f"{name}: {done.stdout[-2000:]}"


def test_names_are_identifiers_readable_and_stable(out: Path) -> None:
    pkg = _package(out, "hostile")
    assert pkg.__name__ == "unicode_test_client"  # from info.title, transliterated
    models = importlib.import_module(pkg.__name__ + ".types.models")
    fields = set(models.None_.model_fields)
    assert {"class_", "n_3d", "foo_bar", "foo_bar_2", "pi", "model_dump_"} <= fields
    enums = importlib.import_module(pkg.__name__ + ".types.enums")
    kind = next(
        e for e in vars(enums).values() if isinstance(e, type) and "A_B" in vars(e)
    )
    assert {"A_B", "A_B_", "EMPTY", "V_1X", "CLASS", "UNI"} <= set(kind.__members__)
    # A second run gives the same bytes.
    spec = out / "specs" / "hostile" / "openapi.json"
    again = _sdkgen("generate", "--spec", str(spec), "--out", str(out / "hostile"))
    assert "0 written" in again.stdout


def test_hostile_operations_work(out: Path) -> None:
    seen: list[tuple[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path))
        if request.url.path == "/":
            return httpx.Response(
                200,
                json={
                    "class": "c",
                    "3d": 3,
                    "fooBar": "x",
                    "foo_bar": "y",
                    "π": 3.14,
                    "model_dump": True,
                    "level": 2,
                    "mixed": "one",
                },
            )
        if request.method == "DELETE":
            return httpx.Response(204)
        node = {"name": "root", "children": [{"name": "leaf", "children": []}]}
        return httpx.Response(200, json=node)

    client = _client(out, "hostile", handler)
    root = client.api.get
    assert root.__doc__ is not None
    value = root()
    assert (value.class_, value.n_3d, value.foo_bar, value.foo_bar_2) == (
        "c",
        3,
        "x",
        "y",
    )
    assert value.level == 2 and value.mixed == "one"
    node = client.api.get_version()
    assert node.children[0].name == "leaf"  # recursive schema
    assert client.n_3d_secure.delete("abc") is None
    assert "deprecated" in (client.n_3d_secure.delete.__doc__ or "").lower()
    assert seen == [("GET", "/"), ("GET", "/v1"), ("DELETE", "/3d_secure/abc")]


def test_unions_parse_to_the_right_class(out: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/pets/"):
            kind = request.url.path.rsplit("/", 1)[1]
            return httpx.Response(200, json={"petType": kind, "name": "Rex"})
        return httpx.Response(
            200,
            json=[
                {"kind": "square", "side": 2},
                "plain",
                {"kind": "circle", "radius": 1},
            ],
        )

    client = _client(out, "unions", handler)
    types = importlib.import_module(_package(out, "unions").__name__ + ".types")
    assert type(client.pets.retrieve("dog")) is types.Dog  # by the mapping
    assert type(client.pets.retrieve("cat")) is types.Cat
    shapes = client.shapes.list()
    assert [type(s).__name__ for s in shapes] == ["Square", "str", "Circle"]


def test_webhooks_of_any_shape_parse_to_the_right_class(out: Path) -> None:
    pkg = _package(out, "webhooks")
    hooks = importlib.import_module(pkg.__name__ + ".webhooks")
    types = importlib.import_module(pkg.__name__ + ".types")
    # By a const that is not `event` (a const, and a one-value enum).
    paid = hooks.parse({"type": "order.paid", "amount": 5})
    assert type(paid) is types.OrderPaid and paid.amount == 5
    assert type(hooks.parse('{"type": "refund.issued", "order": "o"}')) is (
        types.RefundIssued
    )
    unknown = hooks.parse({"type": "order.lost", "why": "?"})
    assert type(unknown) is hooks.UnknownWebhookEvent
    assert unknown.event == "order.lost"
    # By the webhook's name, and a plain union: the member that validates.
    assert type(hooks.parse({"ping_id": "p"}, name="ping")) is types.Ping
    assert type(hooks.parse({"freight_id": "f"}, name="shipment")) is types.Freight
    assert type(hooks.parse({"parcel_id": "p"}, name="shipment")) is types.Parcel
    # No const, no name: keyless payloads are tried in spec order.
    assert type(hooks.parse({"freight_id": "f"})) is types.Freight
    with pytest.raises(hooks.WebhookParseError, match="freight_id"):
        hooks.parse({"nothing": 1}, name="shipment")
    # A callback declared on an operation, keyed by its own const.
    status = hooks.parse_callback({"kind": "status", "state": "done"})
    assert type(status).__name__ == "OnStatus" and status.state == "done"
    # The spec does not say how these webhooks are signed: nothing to verify
    # with (tests/test_security_schemes.py has the signed ones).
    assert not hasattr(hooks, "unwrap") and not hasattr(hooks, "verify")


def test_bodies_of_any_json_shape(out: Path) -> None:
    sent: list[tuple[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append((request.url.path, json.loads(request.content or b"null")))
        if request.url.path == "/maps":
            return httpx.Response(200, json={"a": 1})
        if request.url.path in ("/either", "/loose"):
            return httpx.Response(200, json={"id": 7})
        return httpx.Response(204)

    client = _client(out, "bodies", handler)
    types = importlib.import_module(_package(out, "bodies").__name__ + ".types")
    assert client.maps.update({"x": types.Item.model_validate({"id": 1})}) == {"a": 1}
    assert client.free.create() is None
    assert client.free.create(body={"k": [1]}) is None
    client.tags.create(["a", "b"])
    assert client.either.create([types.Item.model_validate({"id": 2})]).id_ == 7
    client.moment.create(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC))
    assert client.loose.list().id_ == 7
    client.notes.create(note=None)
    client.notes.create(count=2)
    assert sent == [
        ("/maps", {"x": {"id": 1}}),
        ("/free", None),
        ("/free", {"k": [1]}),
        ("/tags", ["a", "b"]),
        ("/either", [{"id": 2}]),
        ("/moment", "2026-01-02T03:04:05Z"),
        ("/loose", None),
        ("/notes", {"note": None}),  # any JSON value, null included
        ("/notes", {"count": 2}),  # left out stays out
    ]


@pytest.mark.parametrize(
    "upload",
    [
        b"FILE-BYTES",
        io.BytesIO(b"FILE-BYTES"),
        ("notes.txt", b"FILE-BYTES", "text/plain"),
    ],
    ids=["bytes", "file", "tuple"],
)
def test_multipart_upload_reaches_the_server_as_multipart(
    out: Path, upload: Any
) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        received.append(request)
        return httpx.Response(200, json={"id": "f1"})

    client = _client(out, "forms", handler)
    assert (
        client.files.create(file=upload, purpose="notes", tags=["a", "b"]).id_ == "f1"
    )
    (request,) = received
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = request.content
    assert b'name="file"' in body and b"FILE-BYTES" in body
    assert b'name="purpose"\r\n\r\nnotes' in body
    assert body.count(b'name="tags"') == 2


def test_form_urlencoded_text_and_binary(out: Path) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        if request.url.path == "/tokens":
            return httpx.Response(200, json={"token": "t"})
        if request.url.path == "/health":
            return httpx.Response(
                200, text="fine", headers={"content-type": "text/plain"}
            )
        return httpx.Response(200, content=b"\x00\x01binary")

    client = _client(out, "forms", handler)
    token = client.tokens.create(grant_type="client", scope=["a", "b"], meta={"k": "v"})
    assert token.token == "t"
    assert received[0].headers["content-type"] == "application/x-www-form-urlencoded"
    # No ``encoding``: form style, exploded, so the object's keys are the keys.
    assert received[0].content == b"grant_type=client&scope=a&scope=b&k=v"
    assert client.health.list() == "fine"
    assert client.files.download("f1") == b"\x00\x01binary"
    assert client.blobs.update("b1", io.BytesIO(b"RAW")) is None
    assert received[-1].headers["content-type"] == "application/octet-stream"
    assert received[-1].content == b"RAW"


def test_binary_downloads_stream_in_chunks(out: Path) -> None:
    served: list[bytes] = []

    def chunks() -> Iterator[bytes]:
        for chunk in (b"ab", b"cd", b"e"):
            served.append(chunk)
            yield chunk

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/missing/content"):
            return httpx.Response(404, json={"error": "no such file"})
        return httpx.Response(200, content=chunks())

    client = _client(out, "forms", handler)
    assert not hasattr(client.tokens, "with_streaming_response")  # JSON only
    with client.files.with_streaming_response.download("f1") as response:
        assert response.status_code == 200
        assert served == []  # nothing read before the caller asks
        assert list(response.iter_bytes()) == [b"ab", b"cd", b"e"]
    assert response.http_response.is_closed
    pkg = _package(out, "forms")
    with pytest.raises(pkg.NotFoundError, match="no such file"):
        client.files.with_streaming_response.download("missing")

    async def async_download() -> list[bytes]:
        async def achunks() -> AsyncIterator[bytes]:
            for chunk in (b"x", b"yz"):
                yield chunk

        http = httpx.AsyncClient(
            transport=httpx.MockTransport(
                lambda request: httpx.Response(200, content=achunks())
            )
        )
        clients = importlib.import_module(pkg.__name__ + "._client").__all__
        cls = getattr(pkg, next(c for c in clients if c.startswith("Async")))
        aclient = cls(**key_for(cls, "KEY"), http_client=http, max_retries=0)
        download = aclient.files.with_streaming_response.download
        async with await download("f1") as streamed:
            return [chunk async for chunk in streamed.aiter_bytes()]

    assert asyncio.run(async_download()) == [b"x", b"yz"]


def test_params_in_path_header_cookie_and_query_styles(out: Path) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={"ok": True})

    client = _client(out, "params", handler)
    assert str(client.base_url) == "https://eu.example.com/v2"  # server variables
    client.items.retrieve(
        5,
        x_trace="t1",
        session="s1",
        ids=[1, 2],
        tag=["a", "b"],
        pipes=["x", "y"],
        filter_={"color": "red"},
    )
    (request,) = received
    assert request.url.path == "/v2/items/5"
    assert request.headers["x-trace"] == "t1"
    assert request.headers["cookie"] == "session=s1"
    assert request.url.params.multi_items() == [
        ("ids", "1,2"),
        ("tag", "a"),
        ("tag", "b"),
        ("pipes", "x|y"),
        ("filter[color]", "red"),
    ]


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("auth_bearer", lambda r: r.headers["authorization"] == "Bearer KEY"),
        ("auth_oauth", lambda r: r.headers["authorization"] == "Bearer KEY"),
        ("auth_basic", lambda r: r.headers["authorization"] == "Basic KEY"),
        ("auth_query", lambda r: r.url.params["api_key"] == "KEY"),
        ("auth_cookie", lambda r: r.headers["cookie"] == "sid=KEY"),
    ],
)
def test_security_schemes(
    out: Path, name: str, check: Callable[[httpx.Request], bool]
) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={})

    _client(out, name, handler).me.list()
    assert check(received[0])


def test_several_security_schemes_sent_as_each_operation_requires(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return httpx.Response(200, json={})

    pkg = _package(out, "multi_auth")
    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = pkg.MultiAuthClient(
        api_key="K", bearer="T", query_key="Q", http_client=http, max_retries=0
    )
    client.me.list()  # the default: the header key AND the bearer token
    client.alt.list()  # alternatives: the first the client can meet
    client.public.list()  # security: []: nothing sent
    me, alt, public = received
    assert me.headers["x-api-key"] == "K"
    assert me.headers["authorization"] == "Bearer T"
    assert "key" not in me.url.params
    assert alt.url.params["key"] == "Q"
    assert "authorization" not in alt.headers and "x-api-key" not in alt.headers
    assert "authorization" not in public.headers and "x-api-key" not in public.headers
    assert "key" not in public.url.params
    # Credentials from environment variables named after the schemes.
    monkeypatch.setenv("MULTI_AUTH_BEARER", "ENV-T")
    monkeypatch.delenv("MULTI_AUTH_QUERY_KEY", raising=False)
    env_client = pkg.MultiAuthClient(api_key="K", http_client=http, max_retries=0)
    env_client.alt.list()  # no query key: the bearer alternative
    assert received[-1].headers["authorization"] == "Bearer ENV-T"
    assert "key" not in received[-1].url.params
    # A requirement the client cannot meet: nothing is sent, and the error
    # names the arguments (and environment variables) that would meet it.
    monkeypatch.delenv("MULTI_AUTH_BEARER")
    short = pkg.MultiAuthClient(api_key="K", http_client=http, max_retries=0)
    sent = len(received)
    with pytest.raises(
        pkg.MultiAuthError, match="`bearer=` \\(or MULTI_AUTH_BEARER\\)"
    ):
        short.me.list()
    assert len(received) == sent
    short.public.list()  # security: [] still works without credentials
    assert short.with_options(max_retries=1)._credentials == {"apiKeyHeader": "K"}


def test_nothing_is_named_after_meeting_baas(out: Path) -> None:
    for name in FRAGMENTS:
        for path in (out / name).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".md", ".toml"):
                text = path.read_text().replace("meetingbaas-sdkgen", "")
                assert "meetingbaas" not in text.lower(), path
                assert "meeting baas" not in text.lower(), path
                assert "MEETING_BAAS" not in text, path
    pkg = _package(out, "hostile")
    assert issubclass(pkg.APIError, pkg.UnicodeTestError)
    assert pkg.UnicodeTestClient.__name__ == "UnicodeTestClient"


def test_json_schema_of_openapi_30_and_31(out: Path) -> None:
    """3.0: ``nullable``, boolean ``exclusiveMinimum``. 3.1: type arrays,
    ``const``, boolean schemas, ``prefixItems`` closed by ``items: false``,
    ``$ref`` with a sibling description, numeric ``exclusiveMinimum``."""
    from pydantic import ValidationError

    sent: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(json.loads(request.content))
        return httpx.Response(200, json=sent[-1])

    gauges = _client(out, "flavour_30", handler).gauges
    assert gauges.create(level=1, note=None).level == 1
    assert sent[-1]["level"] == 1
    errors = importlib.import_module(_package(out, "flavour_30").__name__)
    with pytest.raises(errors.RequestValidationError, match="level"):
        gauges.create(level=0)  # exclusiveMinimum: true over minimum 0
    models = importlib.import_module(
        _package(out, "flavour_31").__name__ + ".types.models"
    )
    point = models.Point.model_validate(
        {"kind": "point", "coords": [1, 2.5], "extra": {"any": ["thing"]}}
    )
    assert point.coords == [1, 2.5] and point.label is None
    assert point.extra == {"any": ["thing"]}  # `true`: any value
    for bad in (
        {"kind": "line", "coords": [1, 2]},  # const
        {"kind": "point", "coords": [1, 2, 3]},  # items: false after two
        {"kind": "point", "coords": [1, 2], "weight": 0},  # exclusiveMinimum: 0
        {"kind": "point", "coords": [1, 2], "label": 3},  # ["string", "null"]
    ):
        with pytest.raises(ValidationError):
            models.Point.model_validate(bad)
    assert "Unit." in inspect.getsource(models.Point)  # the $ref's sibling
